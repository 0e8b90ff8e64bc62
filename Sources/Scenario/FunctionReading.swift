import ServerlessModel
import SimCore

/// Reading of `functions:`: Lambda functions and their event source mappings.
extension PipelineReader {
    /// The keys of a function.
    static let functionKeys = ["memory", "architecture", "timeout", "reserved_concurrency", "provisioned_concurrency",
                               "duration", "per_message", "cold_start", "idle_timeout", "error_rate", "error_at", "downstream",
                               "output_queue", "trigger", "crashes", "package_size", "deployments", "managed_instances", "cpu"]
    /// The keys of a trigger.
    static let triggerKeys = ["queue", "batch_size", "batching_window", "maximum_concurrency", "report_batch_item_failures",
                              "provisioned_pollers"]

    /// Every function (the mapping is required but may be empty).
    func functions(_ node: SourceNode?, rootLocation: TextPosition) -> [ReadFunction] {
        let path = FieldPath.root.appending("functions")
        if node == nil {
            sink.error(rootLocation, path,
                       "missing (expected a mapping of functions such as {worker: {trigger: {queue: tasks}}}, or {} for none; this key is required)")
            return []
        }
        let entries = namedEntries(node, path, location: rootLocation, required: false, noun: "function",
                                   example: "{worker: {trigger: {queue: tasks}}}", reservesAll: true)
        return entries.compactMap { function($0, path: path.appending($0.key.text)) }
    }

    /// One function, with the rules that involve only its own settings.
    private func function(_ entry: SourceEntry, path: FieldPath) -> ReadFunction? {
        guard let view = values.mapping(entry.value, path, keys: Self.functionKeys,
                                        expected: "function settings such as {memory: 512MB, trigger: {queue: tasks}}")
        else { return nil }
        var spec = FunctionSpec(name: entry.key.text)
        if let value = view["memory"] {
            spec.memoryMB = values.megabytes(value, view.path("memory"),
                                             IntegerRange(minimum: 128, maximum: 10_240, noun: "a memory size", unit: .megabytes))
                ?? spec.memoryMB
        }
        if let value = view["architecture"], let text = values.choice(value, view.path("architecture"), ["x86_64", "arm64"],
                                                                       noun: "an architecture") {
            spec.architecture = Architecture(rawValue: text) ?? .x86_64
        }
        if let value = view["timeout"] {
            spec.timeout = values.duration(value, view.path("timeout"),
                                           DurationRange(minimum: .s(1), maximum: .s(900), noun: "a timeout", maximumText: "900s"))
                ?? spec.timeout
        }
        if let value = view["reserved_concurrency"] {
            spec.reservedConcurrency = values.integer(value, view.path("reserved_concurrency"),
                                                      IntegerRange(minimum: 0, maximum: nil, noun: "a reserved concurrency"))
        }
        if let value = view["provisioned_concurrency"] {
            spec.provisionedConcurrency = values.integer(value, view.path("provisioned_concurrency"),
                                                         IntegerRange(minimum: 0, maximum: nil, noun: "a provisioned concurrency"))
                ?? spec.provisionedConcurrency
        }
        if let value = view["duration"] { spec.duration = values.distribution(value, view.path("duration")) ?? spec.duration }
        if let value = view["per_message"] { spec.perMessage = values.distribution(value, view.path("per_message")) ?? spec.perMessage }
        if let value = view["cpu"] { spec.cpu = cpu(value, view.path("cpu")) }
        if let value = view["cold_start"] { spec.coldStart = values.distribution(value, view.path("cold_start")) ?? spec.coldStart }
        if let value = view["idle_timeout"] {
            spec.idleTimeout = values.distribution(value, view.path("idle_timeout")) ?? spec.idleTimeout
        }
        if let value = view["error_rate"] {
            if case .sequence = value {
                spec.errorRateChanges = errorRateChanges(value, view.path("error_rate")) ?? []
            } else {
                spec.errorRate = values.number(value, view.path("error_rate"), .probability) ?? spec.errorRate
            }
        }
        if let value = view["error_at"],
           let text = values.choice(value, view.path("error_at"), ErrorPoint.allCases.map(\.rawValue), noun: "where errors are thrown") {
            spec.errorAt = ErrorPoint(rawValue: text) ?? spec.errorAt
        }
        if let value = view["downstream"] {
            spec.downstream = values.text(value, view.path("downstream"), expected: "the name of a downstream")
        }
        if let value = view["output_queue"] {
            spec.outputQueue = values.text(value, view.path("output_queue"), expected: "the name of a queue")
        }
        if let value = view["package_size"] {
            // 250 MB unzipped is Lambda's largest .zip deployment; container images reach 10 GB.
            spec.packageSizeBytes = values.bytes(value, view.path("package_size"),
                                                 IntegerRange(minimum: 1, maximum: 10 << 30, noun: "a package size", unit: .bytes))
                ?? spec.packageSizeBytes
        }
        if let value = view["crashes"] {
            spec.crashes = crashes(value, view.path("crashes")) ?? spec.crashes
        }
        if let value = view["deployments"] { deployments(value, view.path("deployments"), into: &spec) }
        if let value = view["managed_instances"],
           let managed = managedInstances(value, view.path("managed_instances"), memoryMB: spec.memoryMB, function: view) {
            spec.compute = .managedInstances(managed)
        }
        var triggerView: MappingView?
        if let value = view["trigger"] {
            (spec.trigger, triggerView) = trigger(value, view.path("trigger"))
        }
        if let reserved = spec.reservedConcurrency, !sink.hasFailed(view.path("provisioned_concurrency")),
           spec.provisionedConcurrency > reserved {
            sink.error(view.location(of: "provisioned_concurrency"), view.path("provisioned_concurrency"),
                       "provisioned concurrency \(spec.provisionedConcurrency) is above the reserved concurrency \(reserved) (expected at most \(reserved): provisioned environments count inside the reserved concurrency)", kind: .conflict)
        }
        return ReadFunction(spec: spec, view: view, trigger: triggerView)
    }

    /// `trigger:`, the event source mapping, with the ranges that hold for every queue type
    /// (the rules that depend on the queue's type are cross-checks).
    private func trigger(_ node: SourceNode, _ path: FieldPath) -> (TriggerSpec?, MappingView?) {
        guard let view = values.mapping(node, path, keys: Self.triggerKeys, expected: "a trigger such as {queue: tasks, batch_size: 10}")
        else { return (nil, nil) }
        var spec = TriggerSpec(queue: "")
        if let value = values.required(view, "queue", expected: "the name of the queue the function reads") {
            spec.queue = values.text(value, view.path("queue"), expected: "the name of a queue") ?? ""
        }
        if let value = view["batch_size"] {
            spec.batchSize = values.integer(value, view.path("batch_size"),
                                            IntegerRange(minimum: 1, maximum: 10_000, noun: "a batch size")) ?? spec.batchSize
        }
        if let value = view["batching_window"] {
            spec.batchingWindow = values.duration(value, view.path("batching_window"),
                                                  DurationRange(maximum: .s(300), noun: "a batching window", maximumText: "300s")) ?? spec.batchingWindow
        }
        if let value = view["maximum_concurrency"] {
            spec.maximumConcurrency = values.integer(value, view.path("maximum_concurrency"),
                                                     IntegerRange(minimum: 2, maximum: 1_000, noun: "a maximum concurrency"))
        }
        if let value = view["report_batch_item_failures"] {
            spec.reportBatchItemFailures = values.bool(value, view.path("report_batch_item_failures")) ?? spec.reportBatchItemFailures
        }
        if let value = view["provisioned_pollers"] {
            spec.provisionedPollers = provisionedPollers(value, view.path("provisioned_pollers"))
            if view.has("maximum_concurrency") {
                sink.error(view.location(of: "provisioned_pollers"), view.path("provisioned_pollers"),
                           "provisioned_pollers cannot be combined with maximum_concurrency (expected one of the two: AWS refuses a provisioned mapping with a maximum concurrency)",
                           kind: .conflict)
            }
        }
        return (spec, view)
    }

    /// `cpu: {share: 0.7, threads: 1, reference_memory: 1769MB}`: the share of handler time
    /// that is CPU work, measured at the reference memory (CPUAllocation.swift).
    private func cpu(_ node: SourceNode, _ path: FieldPath) -> CPUProfile? {
        guard let view = values.mapping(node, path, keys: ["share", "threads", "reference_memory"],
                                        expected: "a CPU profile such as {share: 0.7, threads: 1, reference_memory: 1769MB}")
        else { return nil }
        let expected = "the memory at which duration and per_message were measured, such as 1769MB"
        let shareNode = values.required(view, "share", expected: "the share of handler time that is CPU work, 0 - 1")
        let memoryNode = values.required(view, "reference_memory", expected: expected)
        guard let shareNode, let memoryNode,
              let share = values.number(shareNode, view.path("share"), NumberRange(minimum: 0, maximum: 1, noun: "a share")),
              let memory = values.megabytes(memoryNode, view.path("reference_memory"),
                                            IntegerRange(minimum: 128, maximum: 10_240, noun: "a memory size", unit: .megabytes))
        else { return nil }
        var profile = CPUProfile(share: share, referenceMemoryMB: memory)
        if let value = view["threads"] {
            guard let threads = values.integer(value, view.path("threads"), IntegerRange(minimum: 1, maximum: nil, noun: "a number of threads"))
            else { return nil }
            profile.threads = threads
        }
        return profile
    }

    /// `provisioned_pollers: {minimum: 2, maximum: 200}` (AWS's defaults), each 2 - 10,000.
    private func provisionedPollers(_ node: SourceNode, _ path: FieldPath) -> ProvisionedPollers? {
        guard let view = values.mapping(node, path, keys: ["minimum", "maximum"],
                                        expected: "provisioned pollers such as {minimum: 2, maximum: 200}") else { return nil }
        var pollers = ProvisionedPollers()
        let range = IntegerRange(minimum: 2, maximum: 10_000, noun: "a number of pollers")
        if let value = view["minimum"] { pollers.minimum = values.integer(value, view.path("minimum"), range) ?? pollers.minimum }
        if let value = view["maximum"] { pollers.maximum = values.integer(value, view.path("maximum"), range) ?? pollers.maximum }
        if !sink.hasFailed(view.path("minimum")), !sink.hasFailed(view.path("maximum")), pollers.minimum > pollers.maximum {
            let key = view.has("minimum") ? "minimum" : "maximum"
            sink.error(view.location(of: key), view.path(key),
                       "minimum \(pollers.minimum) is above maximum \(pollers.maximum) (expected minimum <= maximum)", kind: .conflict)
            return nil
        }
        return pollers
    }

    /// `error_rate: [{at: 5m, rate: 0.05}, {at: 9m, rate: 0}]`: faults over time, 0 before the
    /// first step.
    private func errorRateChanges(_ node: SourceNode, _ path: FieldPath) -> [ErrorRateChange]? {
        let expected = "a probability such as 0.01, or a list of steps such as [{at: 5m, rate: 0.05}, {at: 9m, rate: 0}]"
        guard case .sequence(let list) = node, !list.items.isEmpty else {
            sink.error(node.location, path, "found an empty list (expected \(expected))")
            return nil
        }
        var changes: [ErrorRateChange] = []
        var complete = true
        for (index, item) in list.items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let view = values.mapping(item, itemPath, keys: ["at", "rate"], expected: "a step {at: 5m, rate: 0.05}") else {
                complete = false
                continue
            }
            let at = values.required(view, "at", expected: "the time of the step such as 5m")
                .flatMap { values.duration($0, view.path("at"), .any) }
            let rate = values.required(view, "rate", expected: "a probability from 0 to 1")
                .flatMap { values.number($0, view.path("rate"), .probability) }
            guard let at, let rate else {
                complete = false
                continue
            }
            if let previous = changes.last, at <= previous.at {
                sink.error(view.location(of: "at"), view.path("at"),
                           "\(at) is not after the previous step's \(previous.at) (expected steps in increasing time)")
                complete = false
                continue
            }
            changes.append(ErrorRateChange(at: at, rate: rate))
        }
        return complete ? changes : nil
    }

    /// `deployments: [3m, 9m]` (times of code updates) or `deployments: {every: 3m}`.
    private func deployments(_ node: SourceNode, _ path: FieldPath, into spec: inout FunctionSpec) {
        if case .sequence(let list) = node {
            for (i, item) in list.items.enumerated() {
                if let time = values.duration(item, path.appending(String(i)), .any) { spec.deployments.append(time) }
            }
            spec.deployments.sort()
            return
        }
        guard let view = values.mapping(node, path, keys: ["every"],
                                        expected: "a list of times such as [3m, 9m], or {every: 3m}") else { return }
        if let value = values.required(view, "every", expected: "the interval between deployments such as 3m") {
            spec.deploymentEvery = values.duration(value, view.path("every"), .positive("an interval between deployments"))
        }
    }

    /// `crashes: {probability: 0.01, at: [10m, 25m]}`: when environments (or container tasks)
    /// die mid-invocation.
    func crashes(_ node: SourceNode, _ path: FieldPath) -> CrashSpec? {
        guard let view = values.mapping(node, path, keys: ["probability", "at"],
                                        expected: "crashes such as {probability: 0.01, at: [10m]}") else { return nil }
        var spec = CrashSpec()
        if let value = view["probability"] {
            spec.probability = values.number(value, view.path("probability"), .probability) ?? 0
        }
        if let value = view["at"] {
            guard case .sequence(let list) = value else {
                sink.error(value.location, view.path("at"), "found \(value.kindDescription) (expected a list of times such as [10m, 25m])")
                return spec
            }
            for (i, item) in list.items.enumerated() {
                if let time = values.duration(item, view.path("at").appending(String(i)), .any) { spec.at.append(time) }
            }
            spec.at.sort()
        }
        return spec
    }
}
