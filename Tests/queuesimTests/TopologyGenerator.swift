import Foundation
import SimCore

/// A generated scenario: its text and what the checks need to know of it.
struct Topology {
    var text: String
    /// Concurrency limits the scenario sets, keyed `"<scope_kind> <scope> <column>"`
    /// (`function resize concurrency_peak`).
    var limits: [String: Int]
    /// The warm-up in seconds (0 without).
    var warmupSeconds: Double
    /// Whether it keeps a time series (`timeseries_interval` is not `off`).
    var timeSeries: Bool
    /// The features it uses (`fifo -> standard`, `maximum_concurrency`, ...), for a test that
    /// the generator reaches every one.
    var features: Set<String>
}

/// Random *valid* scenarios: 1-5 task groups (queue or direct invocation, front doors),
/// chains of 1-3 stages of standard and FIFO queues (dead-letter queues, delays, retention,
/// duplicates) read by functions (batch sizes, windows, maximum concurrency or provisioned
/// pollers, reserved and provisioned concurrency, error rates and their steps, deployments,
/// crashes, or Lambda Managed Instances; dead-letter queues read by a function of their own)
/// or container services (fixed or scaled), and downstreams with limits. Standard queues
/// may be fair, FIFO queues have their throughput quotas (sometimes low enough to throttle
/// and drop sends, or high-throughput mode). Groups may superpose arrival processes, draw
/// message sizes, pass front doors with latency and usage plans, resend; direct invocations
/// may call downstreams; container workers may fail (error rate, message timeout, crashes).
///
/// Each feature is one small function that adds its keys; a new scenario feature gets one
/// more. The text goes through the real Scenario reader, so a generator that falls behind the
/// format fails loudly instead of testing an old one.
struct TopologyGenerator {
    private let random: Choices

    init(seed: UInt64) { random = Choices(stream: RandomStream(seed: seed, algorithm: .splitMix64)) }

    /// Sections of the scenario, by entity name, each entity's settings as YAML flow text.
    private var groups: [(String, [String])] = []
    private var queues: [(String, [String])] = []
    private var functions: [(String, [String])] = []
    private var containers: [(String, [String])] = []
    private var downstreams: [(String, [String])] = []
    private var frontDoors: [(String, [String])] = []
    private var limits: [String: Int] = [:]
    private var reservedTotal = 0
    private var containerWorkersMax = 0
    /// The most invocations the functions on Managed Instances can run at once (their slots
    /// take nothing from the account's concurrency, but count in `all`'s).
    private var managedSlotsMax = 0
    /// The queues made fair, for the names of chain features (`fair -> fifo`).
    private var fairQueues: Set<String> = []
    private var features: Set<String> = []
    /// Per chain queue: the queues after it in its chain, and the function reading it.
    private var after: [String: [String]] = [:]
    private var reader: [String: String] = [:]
    /// Per chain queue read by a function: whether a message can become visible again while
    /// the invocation that received it still runs (visibility timeout below the function's
    /// timeout plus the 10 s init limit), or wait throttled in a poller (reserved
    /// concurrency, a small account).
    private var overlaps: [String: Bool] = [:]
    private var smallAccount = false
    /// Per queue: the MessageGroupIds that can reach it, and the queues that messages with
    /// an id of their own reach (without a bound).
    private var groupIds: [String: Set<String>] = [:]
    private var perMessageIds: Set<String> = []

    mutating func topology(index: Int) -> Topology {
        let interval = random.chance(0.05) ? nil : random.pick([3, 5, 10])
        let duration = random.int(8...35)
        let drain = random.chance(0.3) ? random.int(1...15) : 0
        let warmup = random.chance(0.2) ? random.int(1...duration - 1) : 0
        let groupNames = (0..<random.int(1...5)).map { "g\($0)" }
        addDownstreams(groups: groupNames)
        let entries = addChains()
        for name in groupNames { addGroup(name, entries: entries) }
        var text = """
            name: property-\(index)
            run: {duration: \(duration)s, drain: \(drain)s, warmup: \(warmup)s, seed: \(random.int(1...1_000_000)), replications: 2, timeseries_interval: \(interval.map { "\($0)s" } ?? "off")}

            """
        text += account()
        boundFIFOConcurrency()
        text += section("groups", groups) + section("queues", queues) + section("functions", functions)
        text += section("containers", containers) + section("downstreams", downstreams) + section("front_doors", frontDoors)
        features.insert("\(groupNames.count) groups")
        if drain > 0 { features.insert("drain") }
        if warmup > 0 { features.insert("warmup") }
        if warmup > 0, let interval, warmup % interval == 0 { features.insert("warmup on a boundary") }
        for key in ["managed_instances", "api_calls_per_second", "high_throughput", "resend", "send_retries",
                    "provisioned_pollers", "deployments", "error_rate: [", "dead_letter", "retention", "delay", "duplicate_probability", "in_flight_limit", "batching_window",
                    "maximum_concurrency", "report_batch_item_failures", "reserved_concurrency: 0", "reserved_concurrency",
                    "provisioned_concurrency", "error_rate", "crashes", "limits", "front_door", "mode: sync", "mode: async",
                    "on_failure", "scale:", "fifo_group_key: message", "fifo_group_key: shared", "unread",
                    "arrivals: [", "message_size: {", "usage_plans", "function_errors", "message_timeout"] where text.contains(key) {
            features.insert(key)
        }
        if interval == nil { features.insert("timeseries_interval: off") }
        return Topology(text: text, limits: limits, warmupSeconds: Double(warmup), timeSeries: interval != nil,
                        features: features)
    }

    // MARK: Features

    /// The account: sometimes a small concurrency quota, always room for the reserved total.
    private mutating func account() -> String {
        let small = random.chance(0.3)
        smallAccount = small
        let unreservedMinimum = small ? random.int(0...5) : 100
        let concurrency = max(small ? random.int(5...60) : 1_000, reservedTotal + unreservedMinimum)
        limits["all all concurrency_peak"] = concurrency + containerWorkersMax + managedSlotsMax
        return "account: {concurrency: \(concurrency), unreserved_minimum: \(unreservedMinimum)}\n"
    }

    /// Downstreams with rate, burst and concurrency limits for `all` or single groups.
    private mutating func addDownstreams(groups: [String]) {
        for d in 0..<random.int(0...2) {
            var limitsText: [String] = []
            for key in ["all"] + groups where random.chance(0.4) {
                var limit: [String] = []
                if random.chance(0.6) { limit.append("rate: \(random.int(1...20))/s") }
                if !limit.isEmpty, random.chance(0.5) { limit.append("burst: \(random.int(1...10))") }
                if limit.isEmpty || random.chance(0.4) { limit.append("concurrency: \(random.int(1...5))") }
                limitsText.append("\(key): {\(limit.joined(separator: ", "))}")
            }
            var settings = ["latency: \(distribution(maxMilliseconds: 300))"]
            if !limitsText.isEmpty { settings.append("limits: {\(limitsText.joined(separator: ", "))}") }
            downstreams.append(("d\(d)", settings))
        }
    }

    /// 1-3 chains of 1-3 stages; returns the queues a group may send to.
    private mutating func addChains() -> [String] {
        var entries: [String] = []
        for c in 0..<random.int(1...3) {
            let stages = random.int(1...3)
            let names = (0..<stages).map { s in "c\(c)s\(s)" + (random.chance(0.4) ? ".fifo" : "") }
            for (s, queue) in names.enumerated() {
                let timeout = random.int(1...5)
                let visibilityTimeout = timeout * random.int(1...8)
                addQueue(queue, visibilityTimeout: visibilityTimeout)
                if s > 0 { features.insert("\(kind(names[s - 1])) -> \(kind(queue))") }
                var output = s + 1 < stages ? names[s + 1] : nil
                if output == nil, random.chance(0.1) {
                    output = "c\(c)-unread"
                    addQueue(output!, visibilityTimeout: 30)
                }
                after[queue] = Array(names[(s + 1)...])
                let consumer = random.chance(0.7) ? "function" : "container"
                if consumer == "function" {
                    reader[queue] = "c\(c)f\(s)"
                    addFunction("c\(c)f\(s)", queue: queue, timeout: timeout, output: output)
                    overlaps[queue] = visibilityTimeout < timeout + 10 || limits["function c\(c)f\(s) concurrency_peak"] != nil
                } else {
                    addContainer("c\(c)w\(s)", queue: queue, output: output)
                }
                if output != nil { features.insert("\(consumer) forwards") }
            }
            entries.append(names[0])
            if stages > 1, random.chance(0.3) { entries.append(names[random.int(1...stages - 1)]) }
        }
        return entries
    }

    /// A queue (FIFO when its name ends in `.fifo`), sometimes with a dead-letter queue of its type.
    private mutating func addQueue(_ name: String, visibilityTimeout: Int) {
        let fifo = name.hasSuffix(".fifo")
        var settings = ["type: \(fifo ? "fifo" : "standard")", "visibility_timeout: \(visibilityTimeout)s"]
        if random.chance(0.3) {
            let dlq = name.replacingOccurrences(of: ".fifo", with: "") + "-dlq" + (fifo ? ".fifo" : "")
            queues.append((dlq, ["type: \(fifo ? "fifo" : "standard")"]))
            settings += ["dead_letter: \(dlq)", "max_receive_count: \(random.int(1...5))"]
            // Dead letters processed by a function of their own.
            if random.chance(0.3) {
                addFunction(dlq.replacingOccurrences(of: ".fifo", with: "") + "-reader", queue: dlq, timeout: random.int(1...5), output: nil)
                features.insert("dead-letter queue read")
            }
        }
        if random.chance(0.15) { settings.append("retention: \(random.int(60...120))s") }
        if random.chance(0.15) { settings.append("delay: \(random.int(0...5))s") }
        if !fifo, random.chance(0.15) { settings.append("duplicate_probability: \(Double(random.int(1...30)) / 100)") }
        if random.chance(0.1) { settings.append("in_flight_limit: \(random.int(5...50))") }
        if !fifo, random.chance(0.3) {
            settings.append("fair: true")
            features.insert("fair queue")
            fairQueues.insert(name)
        }
        if fifo, random.chance(0.2) {
            // Quotas (issue 18): low enough to throttle the sends of a few messages a second.
            settings.append(random.chance(0.3) ? "high_throughput: true" : "api_calls_per_second: \(random.int(1...5))")
        }
        queues.append((name, settings))
    }

    /// A function triggered by `queue`.
    private mutating func addFunction(_ name: String, queue: String, timeout: Int, output: String?) {
        var settings = functionSettings(name, timeout: timeout)
        if let output { settings.append("output_queue: \(output)") }
        if !downstreams.isEmpty, random.chance(0.4) { settings.append("downstream: \(random.pick(downstreams).0)") }
        settings.append("trigger: {\(trigger(name, queue: queue).joined(separator: ", "))}")
        functions.append((name, settings))
    }

    /// What every function may have: handler times, errors, crashes, reserved and provisioned
    /// concurrency; or Managed Instances instead of Lambda's own fleet.
    private mutating func functionSettings(_ name: String, timeout: Int) -> [String] {
        var settings = ["timeout: \(timeout)s", "duration: \(distribution(maxMilliseconds: 400))",
                        "cold_start: \(distribution(maxMilliseconds: 800))"]
        if random.chance(0.4) { settings.append("per_message: \(distribution(maxMilliseconds: 100))") }
        if random.chance(0.4) { settings.append("error_rate: \(errorRate())") }
        if random.chance(0.15) { return settings + managedInstances(name) }
        if random.chance(0.1) { settings.append("deployments: \(deployments())") }
        if random.chance(0.1) { settings.append("crashes: {probability: \(Double(random.int(1...20)) / 100)}") }
        if random.chance(0.2) { settings.append("idle_timeout: \(random.int(5...60))s") }
        var reserved: Int?
        if random.chance(0.4) {
            reserved = random.chance(0.1) ? 0 : random.int(1...8)
            settings.append("reserved_concurrency: \(reserved!)")
            reservedTotal += reserved!
            limits["function \(name) concurrency_peak"] = reserved
        }
        if random.chance(0.2), reserved != 0 {
            settings.append("provisioned_concurrency: \(random.int(1...min(3, reserved ?? 3)))")
        }
        return settings
    }

    /// Lambda Managed Instances (issue 19): a few environments of a few slots each, a scaler
    /// quick enough to act within a short run. Lambda's own options (reserved and provisioned
    /// concurrency, idle timeout, crashes, deployments) do not apply.
    private mutating func managedInstances(_ name: String) -> [String] {
        let slots = random.int(1...8)
        let maximum = random.int(1...4)
        let instance = random.chance(0.5) ? "m7g.large" : "{vcpus: 4, memory: 16GB, price_per_hour: 0.2}"
        var settings = ["instance: \(instance)", "per_environment_concurrency: \(slots)",
                        "minimum_environments: \(random.int(0...maximum))", "maximum_environments: \(maximum)",
                        "minimum_instances: \(random.int(0...2))", "scaling_interval: \(random.int(2...10))s",
                        "scale_in_delay: \(random.int(0...15))s", "instance_launch_time: \(random.int(0...5))s"]
        if random.chance(0.5) { settings.append("target_utilisation: \(random.pick(["0.3", "0.5", "0.9"]))") }
        managedSlotsMax += slots * maximum
        limits["function \(name) concurrency_peak"] = slots * maximum
        return ["memory: \(random.pick(["2GB", "4GB"]))", "managed_instances: {\(settings.joined(separator: ", "))}"]
    }

    /// A trigger: batch size, batching window (standard queues), maximum concurrency,
    /// partial batch responses.
    private mutating func trigger(_ function: String, queue: String) -> [String] {
        let fifo = queue.hasSuffix(".fifo")
        let window = !fifo && random.chance(0.3) ? random.int(1...5) : 0
        var settings = ["queue: \(queue)", "batch_size: \(window > 0 && random.chance(0.5) ? random.int(11...100) : random.int(1...10))"]
        if window > 0 { settings.append("batching_window: \(window)s") }
        if random.chance(0.15) {
            // Provisioned mode (issue 24); AWS refuses it with maximum_concurrency.
            let minimum = random.int(2...5)
            settings.append("provisioned_pollers: {minimum: \(minimum), maximum: \(random.int(minimum...12))}")
        } else if random.chance(0.3) {
            let maximum = random.int(2...10)
            settings.append("maximum_concurrency: \(maximum)")
            let key = "function \(function) concurrency_peak"
            limits[key] = min(limits[key] ?? .max, maximum)
        }
        if random.chance(0.3) { settings.append("report_batch_item_failures: true") }
        return settings
    }

    /// A container service reading `queue`: a fixed pool or a scaled one.
    private mutating func addContainer(_ name: String, queue: String, output: String?) {
        var settings = ["queue: \(queue)", "vcpu: \(random.pick(["0.25", "0.5", "1"]))",
                        "startup: \(distribution(maxMilliseconds: 5_000))", "duration: \(distribution(maxMilliseconds: 200))",
                        "batch_size: \(random.int(1...10))"]
        let maximum: Int
        if random.chance(0.5) {
            maximum = random.int(1...3)
            settings.append("workers: \(maximum)")
        } else {
            maximum = random.int(2...5)
            settings.append("workers: {min: \(random.int(0...1)), max: \(maximum)}")
            settings.append("scale: {target_backlog_per_worker: \(random.int(1...10)), interval: \(random.int(5...20))s, cooldown: \(random.int(0...20))s}")
        }
        if random.chance(0.4) { settings.append("per_message: \(distribution(maxMilliseconds: 100))") }
        if !downstreams.isEmpty, random.chance(0.3) { settings.append("downstream: \(random.pick(downstreams).0)") }
        if let output { settings.append("output_queue: \(output)") }
        if random.chance(0.2) { settings.append("error_rate: \(Double(random.int(1...30)) / 100)") }
        if random.chance(0.15) { settings.append("message_timeout: \(random.int(100...2_000))ms") }
        if random.chance(0.15) {
            settings.append("crashes: {probability: \(Double(random.int(0...20)) / 100), at: [\(random.int(1...20))s]}")
        }
        containerWorkersMax += maximum
        limits["container \(name) concurrency_peak"] = maximum
        limits["container \(name) workers_peak"] = maximum
        containers.append((name, settings))
    }

    /// A task group: into a chain's queue (sometimes through a front door), or invoking a
    /// function of its own directly.
    private mutating func addGroup(_ name: String, entries: [String]) {
        var settings = ["arrivals: \(arrivals())"]
        if random.chance(0.2) {
            settings.append("invoke: {\(directInvocation(name).joined(separator: ", "))}")
        } else {
            let queue = random.pick(entries)
            settings.append("queue: \(queue)")
            if random.chance(0.2) {
                // Each tenant is a message group id of its own.
                let count = random.int(1...200)
                settings.append("tenants: {count: \(count), share: \(random.pick(["equal", "{zipf: 1.1}"]))}")
                features.insert("tenants")
                carry(Set((0..<count).map { "tenant:\(name)#\($0)" }), from: queue)
            } else {
                var key = "group"
                if random.chance(0.5) {
                    key = random.pick(["group", "message", "\(random.int(1...5))", "shared"])
                    settings.append("fifo_group_key: \(key)")
                }
                carry(ids(of: key, group: name), from: queue)
            }
            if random.chance(0.1) {
                settings.append("resend: {probability: \(Double(random.int(1...50)) / 100), after: \(random.int(0...10))s, deduplication_id: \(random.pick(["same", "new"]))}")
            }
            if random.chance(0.1) {
                settings.append("send_retries: {attempts: \(random.int(0...3)), backoff: \(random.int(10...500))ms, jitter: \(random.chance(0.5))}")
            }
            if random.chance(0.1) {
                let door = "door-\(name)"
                var doorSettings = ["rate: \(random.int(1...5))/s", "burst: \(random.int(1...5))"]
                if random.chance(0.5) { doorSettings.append("latency: \(distribution(maxMilliseconds: 200))") }
                if random.chance(0.5) {
                    doorSettings.append("usage_plans: {\(name): {rate: \(random.int(1...3))/s, quota_per_day: \(random.int(5...100))}}")
                }
                frontDoors.append((door, doorSettings))
                settings.append("front_door: \(door)")
            }
        }
        if random.chance(0.2) {
            settings.append("message_size: \(random.int(1...300))KB")
        } else if random.chance(0.1) {
            settings.append(random.chance(0.5) ? "message_size: {lognormal: {median: \(random.int(1...8))KB, p99: \(random.int(64...900))KB}}"
                : "message_size: {mixture: [{weight: 0.9, dist: 1KB}, {weight: 0.1, dist: {uniform: {min: 64KB, max: 1MiB}}}]}")
        }
        groups.append((name, settings))
    }

    /// The MessageGroupIds a group's messages carry (nil: one per message).
    private func ids(of key: String, group: String) -> Set<String>? {
        switch key {
        case "group": ["group:\(group)"]
        case "message": nil
        case "shared": ["id:shared"]
        default: Set((0..<(Int(key) ?? 1)).map { "key:\(group)#\($0)" })
        }
    }

    /// Records that messages with `ids` enter `queue` and every later queue of its chain.
    private mutating func carry(_ ids: Set<String>?, from queue: String) {
        for name in [queue] + (after[queue] ?? []) {
            if let ids { groupIds[name, default: []].formUnion(ids) } else { perMessageIds.insert(name) }
        }
    }

    /// A FIFO queue delivers nothing more of a message group while one of its messages is in
    /// flight: the function reading it runs at most as many invocations as ids reach it, as
    /// long as no message can be visible again while the invocation that received it runs
    /// (or waits, throttled, in its poller).
    private mutating func boundFIFOConcurrency() {
        for (queue, function) in reader where queue.hasSuffix(".fifo") && !smallAccount && overlaps[queue] == false {
            guard !perMessageIds.contains(queue), let ids = groupIds[queue] else { continue }
            let key = "function \(function) concurrency_peak"
            limits[key] = min(limits[key] ?? .max, ids.count)
            features.insert("fifo group bound")
        }
    }

    /// Clients of a function of the group's own: synchronous with retries, or asynchronous
    /// with an on-failure queue.
    private mutating func directInvocation(_ group: String) -> [String] {
        let function = "direct-\(group)"
        var functionSettings = functionSettings(function, timeout: random.int(1...5))
        if !downstreams.isEmpty, random.chance(0.4) { functionSettings.append("downstream: \(random.pick(downstreams).0)") }
        functions.append((function, functionSettings))
        if random.chance(0.5) {
            return ["function: \(function)", "mode: sync",
                    "retries: {attempts: \(random.int(0...3)), backoff: \(random.int(10...500))ms, jitter: \(random.chance(0.5)), function_errors: \(random.chance(0.5))}"]
        }
        var settings = ["function: \(function)", "mode: async", "retry_attempts: \(random.int(0...2))",
                        "max_event_age: \(random.int(60...600))s"]
        if random.chance(0.6) {
            let failed = "failed-\(group)"
            queues.append((failed, ["visibility_timeout: 30s"]))
            settings.append("on_failure: \(failed)")
        }
        return settings
    }

    /// A constant error rate, or steps of one over the run.
    private func errorRate() -> String {
        guard random.chance(0.3) else { return "\(Double(random.int(1...30)) / 100)" }
        let first = random.int(1...10)
        return "[{at: \(first)s, rate: \(Double(random.int(1...50)) / 100)}, {at: \(first + random.int(1...10))s, rate: 0}]"
    }

    /// Code updates: at given times or every so often.
    private func deployments() -> String {
        random.chance(0.5) ? "[\(random.int(1...15))s, \(random.int(16...30))s]" : "{every: \(random.int(3...15))s}"
    }

    /// An arrival process of a few messages a second, sometimes two superposed.
    private mutating func arrivals() -> String {
        if random.chance(0.15) { return "[\(process()), \(process())]" }
        return process()
    }

    private mutating func process() -> String {
        switch random.int(0...3) {
        case 0: "{poisson: {rate: \(random.int(1...30) * 6)/min}}"
        case 1: "{constant: {rate: \(random.int(1...3))/s}}"
        case 2: "{bursts: {rate: \(random.int(2...10))/s, on: \(random.int(1...5))s, off: \(random.int(1...10))s, base_rate: \(random.int(0...2))/s}}"
        default: "{batch: {every: \(random.int(3...15))s, size: \(random.int(1...20)), start: \(random.int(0...5))s}}"
        }
    }

    /// A distribution of durations up to about `maxMilliseconds`.
    private mutating func distribution(maxMilliseconds: Int) -> String {
        let a = random.int(1...maxMilliseconds)
        switch random.int(0...4) {
        case 0: return "\(a)ms"
        case 1: return "{exponential: {mean: \(a)ms}}"
        case 2: return "{uniform: {min: \(a / 2)ms, max: \(a)ms}}"
        case 3: return "{lognormal: {median: \(max(1, a / 3))ms, p99: \(a)ms}}"
        default: return "{gamma: {shape: \(random.int(1...4)), mean: \(a)ms}}"
        }
    }

    private func kind(_ queue: String) -> String { queue.hasSuffix(".fifo") ? "fifo" : fairQueues.contains(queue) ? "fair" : "standard" }

    private func section(_ key: String, _ entries: [(String, [String])]) -> String {
        if entries.isEmpty { return ["groups", "queues", "functions"].contains(key) ? "\(key): {}\n" : "" }
        return "\(key):\n" + entries.map { "  \($0.0): {\($0.1.joined(separator: ", "))}\n" }.joined()
    }
}

/// The generator's choices, from SimCore's SplitMix64 stream: the same cases on every machine.
struct Choices {
    let stream: RandomStream

    func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + stream.integer(below: range.count) }
    func chance(_ p: Double) -> Bool { stream.uniform() < p }
    func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}
