import Experiments
import Foundation
import Reports
import Scenario
import Testing

/// Random valid topologies, each generated as scenario text, read by the real Scenario
/// reader, simulated with two replications over one job and over two, and checked for the
/// invariants every run must keep (``RandomTopologyTests/check(_:)``).
///
/// `make test` runs 500 topologies (`QUEUESIM_PROPERTY_RUNS=N` for more or fewer,
/// `QUEUESIM_PROPERTY_FROM=M` to start at case M rather than 0, say to go on past the 500
/// `make test` ran; `QUEUESIM_PROPERTY_CASE=K` runs case K alone). Each case's text is written to
/// `$TMPDIR/queuesim-property-K.yml` while it runs (and removed when it has run), so the case
/// that crashes the process is left there, to be run again with `queuesim simulate`.
@Suite struct RandomTopologyTests {
    static let environment = ProcessInfo.processInfo.environment
    static var cases: [Int] {
        if let single = environment["QUEUESIM_PROPERTY_CASE"].flatMap(Int.init) { return [single] }
        let end = environment["QUEUESIM_PROPERTY_RUNS"].flatMap(Int.init) ?? 500
        let start = environment["QUEUESIM_PROPERTY_FROM"].flatMap(Int.init) ?? 0
        return start < end ? Array(start..<end) : []
    }

    @Test(arguments: cases) func randomValidTopologyKeepsEveryInvariant(index: Int) throws {
        var generator = TopologyGenerator(seed: UInt64(index))
        let topology = generator.topology(index: index)
        try? topology.text.write(to: FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-property-\(index).yml"),
                                 atomically: true, encoding: .utf8)
        let problems = check(topology)
        let report = problems.joined(separator: "\n")
        #expect(problems.isEmpty, "case \(index):\n\(report)\n--- scenario:\n\(topology.text)")
        try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-property-\(index).yml"))
    }

    @Test func theGeneratorReachesEveryFeature() {
        var counts: [String: Int] = [:]
        for index in 0..<500 {
            var generator = TopologyGenerator(seed: UInt64(index))
            for feature in generator.topology(index: index).features { counts[feature, default: 0] += 1 }
        }
        let expected = (1...5).map { "\($0) groups" } + [
            "standard -> standard", "standard -> fifo", "fifo -> standard", "fifo -> fifo", "fair -> standard",
            "standard -> fair", "fair -> fifo", "fifo -> fair", "fair -> fair", "function forwards",
            "container forwards", "drain", "warmup", "warmup on a boundary", "dead_letter", "retention", "delay", "duplicate_probability",
            "in_flight_limit", "batching_window", "maximum_concurrency", "report_batch_item_failures",
            "reserved_concurrency: 0", "reserved_concurrency", "provisioned_concurrency", "error_rate", "crashes", "limits",
            "front_door", "mode: sync", "mode: async", "on_failure", "scale:", "fifo_group_key: message",
            "fifo_group_key: shared", "unread", "timeseries_interval: off", "fifo group bound", "dead-letter queue read",
            "provisioned_pollers", "deployments", "error_rate: [", "fair queue", "tenants",
            "arrivals: [", "message_size: {", "usage_plans", "function_errors", "message_timeout",
            "managed_instances", "api_calls_per_second", "high_throughput", "resend", "send_retries",
        ]
        for feature in expected {
            #expect(counts[feature, default: 0] >= 5, "\(feature): in \(counts[feature, default: 0]) of 500 cases")
        }
    }

    /// Runs one topology and returns what it breaks, empty when it keeps every invariant.
    func check(_ topology: Topology) -> [String] {
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.load(yaml: topology.text, source: "case.yml")
        } catch {
            return ["the generated scenario is invalid: \(error)"]
        }
        var outputs: [[String: String]] = []
        for jobs in [1, 2] {
            do {
                let result = try Experiment.simulate(scenario, options: ExperimentOptions(jobs: jobs))
                outputs.append(Dictionary(uniqueKeysWithValues: [
                    ("summary.csv", SummaryCSV.table(result).text), ("aggregate.csv", AggregateCSV.table(result).text),
                    ("timeseries.csv", TimeSeriesCSV.table(result).text), ("latency.csv", LatencyCSV.table(result).text),
                    ("tenants.csv", TenantsCSV.table(result)?.text ?? ""),
                ]))
            } catch {
                return ["--jobs \(jobs): the run failed: \(error)"]
            }
        }
        var problems: [String] = []
        for name in outputs[0].keys.sorted() where outputs[0][name] != outputs[1][name] {
            problems.append("\(name) differs between --jobs 1 and --jobs 2")
        }
        let summary = Table(outputs[0]["summary.csv"] ?? "")
        let timeseries = Table(outputs[0]["timeseries.csv"] ?? "")
        problems += Invariants.conservation(summary)
        problems += Invariants.tenantsConserve(Table(outputs[0]["tenants.csv"] ?? ""))
        problems += Invariants.instanceSecondsAddUp(summary, timeseries, warmup: topology.warmupSeconds)
        problems += Invariants.allAddsUpTheGroups(summary)
        problems += Invariants.nonNegativeAndRates(summary, timeseries)
        problems += Invariants.monotonePercentiles(summary, latency: Table(outputs[0]["latency.csv"] ?? ""))
        problems += Invariants.concurrencyWithinLimits(summary, limits: topology.limits)
        problems += Invariants.timeSeriesAddUp(summary, timeseries, warmup: topology.warmupSeconds, kept: topology.timeSeries)
        problems += Invariants.intervalsContainTheirMean(Table(outputs[0]["aggregate.csv"] ?? ""))
        return problems
    }
}

/// A CSV file written by the tool, read by column name (the generator's names need no quoting).
struct Table {
    var header: [String: Int] = [:]
    var rows: [[String]] = []

    init(_ text: String) {
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { return }
        header = Dictionary(lines.removeFirst().enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        rows = lines
    }

    func text(_ row: [String], _ column: String) -> String? {
        header[column].flatMap { $0 < row.count ? row[$0] : nil }
    }

    /// A number of a row, nil when blank or absent.
    func number(_ row: [String], _ column: String) -> Double? { text(row, column).flatMap(Double.init) }

    /// The columns holding numbers.
    var numericColumns: [String] { header.keys.sorted() }
}

/// The invariants of ``RandomTopologyTests``, each returning what breaks it.
enum Invariants {
    /// `sent = succeeded + dead_lettered + expired + dropped + backlog_end` in every group and
    /// `all` row of every replication.
    static func conservation(_ summary: Table) -> [String] {
        var problems: [String] = []
        for row in summary.rows where ["group", "all"].contains(summary.text(row, "scope_kind")) {
            let terms = ["succeeded", "dead_lettered", "expired", "dropped", "backlog_end"].map { summary.number(row, $0) ?? 0 }
            let sent = summary.number(row, "sent") ?? 0
            if sent != terms.reduce(0, +) {
                problems.append("conservation: \(label(summary, row)) sent \(sent) but succeeded + dead_lettered + expired + dropped + backlog_end = \(terms)")
            }
        }
        return problems
    }

    /// The same identity for every tenant's row of tenants.csv.
    static func tenantsConserve(_ tenants: Table) -> [String] {
        tenants.rows.compactMap { row in
            let terms = ["succeeded", "dead_lettered", "expired", "dropped", "backlog_end"].map { tenants.number(row, $0) ?? 0 }
            let sent = tenants.number(row, "sent") ?? 0
            return sent == terms.reduce(0, +) ? nil
                : "tenants.csv: replication \(tenants.text(row, "replication") ?? ""), tenant \(tenants.text(row, "tenant") ?? ""): sent \(sent) but succeeded + dead_lettered + expired + dropped + backlog_end = \(terms)"
        }
    }

    /// A function on Managed Instances: its instances over the time series' intervals (each
    /// interval's mean times its length) add up to the summary's mean over the run. Only
    /// without a warm-up, which the summary leaves out.
    static func instanceSecondsAddUp(_ summary: Table, _ timeseries: Table, warmup: Double) -> [String] {
        guard warmup == 0 else { return [] }
        var seconds: [String: (instances: Double, length: Double)] = [:]
        for row in timeseries.rows where timeseries.text(row, "entity_kind") == "function" {
            guard let mean = timeseries.number(row, "instances_mean"), let length = timeseries.number(row, "interval_s") else { continue }
            let key = "\(timeseries.text(row, "replication") ?? "") \(timeseries.text(row, "entity") ?? "")"
            seconds[key, default: (0, 0)].instances += mean * length
            seconds[key, default: (0, 0)].length += length
        }
        var problems: [String] = []
        for row in summary.rows where summary.text(row, "scope_kind") == "function" {
            guard let mean = summary.number(row, "instances_mean") else { continue }
            let key = "\(summary.text(row, "replication") ?? "") \(summary.text(row, "scope") ?? "")"
            guard let series = seconds[key], series.length > 0 else {
                if timeseries.rows.contains(where: { timeseries.text($0, "entity_kind") == "function" }) {
                    problems.append("timeseries.csv: no instances_mean for \(label(summary, row))")
                }
                continue
            }
            let fromSeries = series.instances / series.length
            if abs(fromSeries - mean) > 1e-9 * max(1, mean) {
                problems.append("timeseries.csv: instances_mean over the run is \(fromSeries), summary.csv has \(mean) (\(label(summary, row)))")
            }
        }
        return problems
    }

    /// `all` adds up the groups' message counts, and the functions' and container services'
    /// `succeeded` (each counts the messages whose last stage it completed) add up to it too.
    static func allAddsUpTheGroups(_ summary: Table) -> [String] {
        var sums: [String: Double] = [:]
        let counts = ["sent", "succeeded", "dead_lettered", "expired", "dropped", "rejected", "backlog_end"]
        for row in summary.rows {
            let replication = summary.text(row, "replication") ?? ""
            switch summary.text(row, "scope_kind") {
            case "group":
                for column in counts { sums["\(replication) groups \(column)", default: 0] += summary.number(row, column) ?? 0 }
            case "function", "container":
                sums["\(replication) stages succeeded", default: 0] += summary.number(row, "succeeded") ?? 0
            default:
                break
            }
        }
        var problems: [String] = []
        for row in summary.rows where summary.text(row, "scope_kind") == "all" {
            let replication = summary.text(row, "replication") ?? ""
            for column in counts {
                let sum = sums["\(replication) groups \(column)"] ?? 0
                if (summary.number(row, column) ?? 0) != sum { problems.append("all's \(column) is not the groups' sum \(sum) (\(label(summary, row)))") }
            }
            let stages = sums["\(replication) stages succeeded"] ?? 0
            if (summary.number(row, "succeeded") ?? 0) != stages {
                problems.append("all's succeeded is not the functions' and services' sum \(stages) (\(label(summary, row)))")
            }
        }
        return problems
    }

    /// No count or time below 0; throttle and cold-start rates within [0, 1].
    static func nonNegativeAndRates(_ summary: Table, _ timeseries: Table) -> [String] {
        var problems: [String] = []
        for (name, table) in [("summary.csv", summary), ("timeseries.csv", timeseries)] {
            for row in table.rows {
                for column in table.numericColumns {
                    if let value = table.number(row, column), value < 0 || value.isNaN {
                        problems.append("\(name): \(column) is \(value) in \(label(table, row))")
                    }
                }
            }
        }
        for row in summary.rows {
            for column in ["throttle_rate", "cold_start_rate"] {
                if let rate = summary.number(row, column), rate > 1 {
                    problems.append("\(column) \(rate) above 1 in \(label(summary, row))")
                }
            }
        }
        return problems
    }

    /// p50 <= p90 <= p99 <= p99.9 <= max in every summary row, the mean within [0, max], and
    /// every latency CDF non-decreasing.
    static func monotonePercentiles(_ summary: Table, latency: Table) -> [String] {
        var problems: [String] = []
        let order = ["latency_p50_s", "latency_p90_s", "latency_p99_s", "latency_p999_s", "latency_max_s"]
        for row in summary.rows {
            let values = order.compactMap { summary.number(row, $0) }
            guard values.count == order.count else { continue }
            if values != values.sorted() { problems.append("percentiles not monotone in \(label(summary, row)): \(values)") }
            if let mean = summary.number(row, "latency_mean_s"), mean > values[values.count - 1] * (1 + 1e-9) {
                problems.append("latency_mean_s \(mean) above the maximum in \(label(summary, row))")
            }
        }
        var previous: (key: String, value: Double)?
        for row in latency.rows {
            let key = ["point", "replication", "scope", "scope_kind"].map { latency.text(row, $0) ?? "" }.joined(separator: " ")
            guard let value = latency.number(row, "latency_s") else { continue }
            if let previous, previous.key == key, value < previous.value {
                problems.append("latency.csv: the CDF of \(key) falls from \(previous.value) to \(value)")
            }
            previous = (key, value)
        }
        return problems
    }

    /// Every concurrency limit the scenario sets holds for the peak.
    static func concurrencyWithinLimits(_ summary: Table, limits: [String: Int]) -> [String] {
        var problems: [String] = []
        for row in summary.rows {
            guard let scope = summary.text(row, "scope"), let kind = summary.text(row, "scope_kind") else { continue }
            for column in ["concurrency_peak", "workers_peak"] {
                guard let limit = limits["\(kind) \(scope) \(column)"], let peak = summary.number(row, column) else { continue }
                if peak > Double(limit) { problems.append("\(column) \(peak) above its limit \(limit) in \(label(summary, row))") }
            }
        }
        return problems
    }

    /// Per group and replication, the time series' `sent` and `succeeded` add up to the
    /// summary's. Without a warm-up, both; with one that ends on an interval's boundary, the
    /// `sent` of the intervals from there on (intervals are half-open, so a message sent at
    /// the warm-up's very end is in the interval it starts, as it is in the summary); with
    /// another, nothing: the summary leaves out the messages sent during the warm-up, the
    /// time series does not, and its `succeeded` counts the successes of those sent before.
    ///
    /// Runs are of any length: the last interval ends with the run. With
    /// `timeseries_interval: off` the file holds its header only.
    static func timeSeriesAddUp(_ summary: Table, _ timeseries: Table, warmup: Double, kept: Bool) -> [String] {
        guard kept else { return timeseries.rows.isEmpty ? [] : ["timeseries.csv has rows with timeseries_interval: off"] }
        let columns: [String]
        if warmup == 0 {
            columns = ["sent", "succeeded"]
        } else if let first = timeseries.rows.first, let length = timeseries.number(first, "interval_s"),
                  warmup.truncatingRemainder(dividingBy: length) == 0 {
            columns = ["sent"]
        } else {
            return []
        }
        var sums: [String: Double] = [:]
        for row in timeseries.rows where timeseries.text(row, "entity_kind") == "group" && (timeseries.number(row, "interval_start_s") ?? 0) >= warmup {
            let key = "\(timeseries.text(row, "replication") ?? "") \(timeseries.text(row, "entity") ?? "")"
            for column in columns { sums[key + " " + column, default: 0] += timeseries.number(row, column) ?? 0 }
        }
        var problems: [String] = []
        for row in summary.rows where summary.text(row, "scope_kind") == "group" {
            let key = "\(summary.text(row, "replication") ?? "") \(summary.text(row, "scope") ?? "")"
            for column in columns {
                let total = summary.number(row, column) ?? 0
                let sum = sums[key + " " + column] ?? 0
                if sum != total { problems.append("timeseries.csv: \(column) from \(warmup) s adds up to \(sum), summary.csv has \(total) (\(label(summary, row)))") }
            }
        }
        return problems
    }

    /// An interval of the mean holds the mean.
    static func intervalsContainTheirMean(_ aggregate: Table) -> [String] {
        aggregate.rows.compactMap { row in
            guard let mean = aggregate.number(row, "mean"), let low = aggregate.number(row, "ci95_low"),
                  let high = aggregate.number(row, "ci95_high") else { return nil }
            let slack = 1e-9 * max(1, abs(mean))
            return low <= mean + slack && mean <= high + slack ? nil
                : "aggregate.csv: \(aggregate.text(row, "metric") ?? "") of \(aggregate.text(row, "scope") ?? ""): mean \(mean) outside [\(low), \(high)]"
        }
    }

    static func label(_ table: Table, _ row: [String]) -> String {
        ["replication", "scope", "entity", "interval_start_s"].compactMap { column in
            table.text(row, column).map { "\(column) \($0)" }
        }.joined(separator: ", ")
    }
}
