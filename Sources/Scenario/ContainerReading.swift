import ServerlessModel
import SimCore

/// Reading of `containers:`: container services (ECS on Fargate-style worker pools) polling
/// queues, with their task size, pool size, target tracking and timings.
extension PipelineReader {
    /// The keys of a container service.
    static let containerKeys = ["queue", "vcpu", "memory", "workers", "scale", "startup", "duration", "per_message",
                                "batch_size", "downstream", "output_queue"]
    /// The keys of `workers:` written as a range.
    static let containerWorkerKeys = ["min", "max"]
    /// The keys of `scale:`.
    static let containerScaleKeys = ["target_backlog_per_worker", "interval", "cooldown", "scale_out_cooldown",
                                     "scale_in_cooldown"]
    /// ECS runs at most 5,000 tasks per service.
    static let maximumContainerWorkers = 5_000

    /// Every container service (optional).
    func containers(_ node: SourceNode?) -> [ReadEntity<ContainerServiceSpec>] {
        let path = FieldPath.root.appending("containers")
        let entries = namedEntries(node, path, location: .start, required: false, noun: "container service",
                                   example: "{workers: {queue: tasks, workers: 4}}", reservesAll: true)
        return entries.compactMap { container($0, path: path.appending($0.key.text)) }
    }

    /// One container service, with the rules that involve only its own settings.
    private func container(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<ContainerServiceSpec>? {
        guard let view = values.mapping(entry.value, path, keys: Self.containerKeys,
                                        expected: "container service settings such as {queue: tasks, workers: 4, vcpu: 0.5, memory: 1GB}")
        else { return nil }
        var spec = ContainerServiceSpec(name: entry.key.text, queue: "")
        if let value = values.required(view, "queue", expected: "the name of the queue the workers poll") {
            spec.queue = values.text(value, view.path("queue"), expected: "the name of a queue") ?? ""
        }
        taskSize(view, into: &spec)
        let fixed = workers(view, into: &spec)
        if let value = view["scale"] {
            spec.scaling = scaling(value, view.path("scale"))
            if fixed, !sink.hasFailed(view.path("workers")) {
                sink.warning(view.keyLocation(of: "scale"), view.path("scale"),
                             "has no effect on a fixed pool of \(spec.minWorkers) worker\(spec.minWorkers == 1 ? "" : "s") (expected workers: {min, max} with scale, or no scale)")
            }
        } else if !fixed, !sink.hasFailed(view.path("workers")), spec.minWorkers < spec.maxWorkers {
            sink.error(view.mapping.location, view.path("scale"),
                       "missing (expected a scaling policy such as {target_backlog_per_worker: 100} for workers from \(spec.minWorkers) to \(spec.maxWorkers); this key is required when min is below max)")
        }
        if let value = view["startup"] { spec.startup = values.distribution(value, view.path("startup")) ?? spec.startup }
        if let value = view["duration"] { spec.duration = values.distribution(value, view.path("duration")) ?? spec.duration }
        if let value = view["per_message"] { spec.perMessage = values.distribution(value, view.path("per_message")) ?? spec.perMessage }
        if let value = view["batch_size"] {
            spec.batchSize = values.integer(value, view.path("batch_size"),
                                            IntegerRange(minimum: 1, maximum: 10, noun: "a batch size")) ?? spec.batchSize
        }
        if let value = view["downstream"] {
            spec.downstream = values.text(value, view.path("downstream"), expected: "the name of a downstream")
        }
        if let value = view["output_queue"] {
            spec.outputQueue = values.text(value, view.path("output_queue"), expected: "the name of a queue")
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }

    /// `vcpu:` and `memory:`, one of Fargate's task sizes; memory defaults to the smallest
    /// the vCPUs allow.
    private func taskSize(_ view: MappingView, into spec: inout ContainerServiceSpec) {
        let sizes = ContainerServiceSpec.fargateSizes
        let vcpuList = "0.25, 0.5, 1, 2, 4, 8 or 16"
        if let value = view["vcpu"],
           let vcpu = values.number(value, view.path("vcpu"), NumberRange(minimum: 0.25, maximum: 16, noun: "a number of vCPUs")) {
            if sizes.contains(where: { $0.vcpu == vcpu }) {
                spec.vcpu = vcpu
            } else {
                sink.error(value.location, view.path("vcpu"),
                           "\(value.scalar?.text ?? NumberText.decimal(vcpu)) is not a Fargate task size (expected \(vcpuList) vCPUs)")
            }
        }
        guard let size = sizes.first(where: { $0.vcpu == spec.vcpu }) else { return }
        spec.memoryMB = size.minimumMB
        guard let value = view["memory"],
              let memory = values.megabytes(value, view.path("memory"),
                                            IntegerRange(minimum: 512, maximum: 122_880, noun: "a memory size", unit: .megabytes))
        else { return }
        spec.memoryMB = memory
        guard !sink.hasFailed(view.path("vcpu")),
              memory < size.minimumMB || memory > size.maximumMB || memory % size.stepMB != 0 else { return }
        func text(_ mb: Int) -> String { mb % 1_024 == 0 ? "\(mb / 1_024)GB" : "\(mb)MB" }
        let vcpu = NumberText.decimal(spec.vcpu)
        let allowed = size.vcpu == 0.25 ? "512MB, 1GB or 2GB"
            : "\(text(size.minimumMB)) to \(text(size.maximumMB)) in steps of \(text(size.stepMB))"
        let what = view.has("vcpu") ? "\(vcpu) vCPU" : "the default \(vcpu) vCPU"
        sink.error(value.location, view.path("memory"),
                   "\(value.scalar?.text ?? text(memory)) is not a Fargate memory size for \(what) (expected \(allowed), or another vcpu)",
                   kind: .conflict)
    }

    /// `workers: 4` (a fixed pool) or `workers: {min: 1, max: 20}`. Returns whether the pool
    /// is fixed by a single count.
    private func workers(_ view: MappingView, into spec: inout ContainerServiceSpec) -> Bool {
        guard let value = view["workers"] else { return true }
        let path = view.path("workers")
        guard case .mapping = value else {
            let count = values.integer(value, path, IntegerRange(minimum: 1, maximum: Self.maximumContainerWorkers,
                                                                 noun: "a number of workers"))
            spec.minWorkers = count ?? spec.minWorkers
            spec.maxWorkers = count ?? spec.maxWorkers
            return true
        }
        guard let range = values.mapping(value, path, keys: Self.containerWorkerKeys, expected: "workers such as {min: 1, max: 20}")
        else { return false }
        if let low = values.required(range, "min", expected: "the fewest workers, such as 1") {
            spec.minWorkers = values.integer(low, range.path("min"),
                                             IntegerRange(minimum: 0, maximum: Self.maximumContainerWorkers, noun: "a number of workers"))
                ?? spec.minWorkers
        }
        if let high = values.required(range, "max", expected: "the most workers, such as 20") {
            spec.maxWorkers = values.integer(high, range.path("max"),
                                             IntegerRange(minimum: 1, maximum: Self.maximumContainerWorkers, noun: "a number of workers"))
                ?? spec.maxWorkers
        }
        if !sink.hasFailed(path), spec.minWorkers > spec.maxWorkers {
            sink.error(range.location(of: "min"), range.path("min"),
                       "min \(spec.minWorkers) is above max \(spec.maxWorkers) (expected min <= max)", kind: .conflict)
        }
        return false
    }

    /// `scale: {target_backlog_per_worker: 100, interval: 60s, cooldown: 300s}`; `cooldown`
    /// sets both cooldowns, `scale_out_cooldown` and `scale_in_cooldown` each one.
    private func scaling(_ node: SourceNode, _ path: FieldPath) -> ContainerScaling? {
        guard let view = values.mapping(node, path, keys: Self.containerScaleKeys,
                                        expected: "a scaling policy such as {target_backlog_per_worker: 100, cooldown: 60s}")
        else { return nil }
        var scaling = ContainerScaling(targetBacklogPerWorker: 1)
        if let value = values.required(view, "target_backlog_per_worker", expected: "visible messages per worker, such as 100") {
            scaling.targetBacklogPerWorker = values.number(value, view.path("target_backlog_per_worker"),
                                                           .positive("a number of messages per worker")) ?? 1
        }
        if let value = view["interval"] {
            scaling.interval = values.duration(value, view.path("interval"), .positive("a scaling interval")) ?? scaling.interval
        }
        if let value = view["cooldown"], let time = values.duration(value, view.path("cooldown"), .any) {
            scaling.scaleOutCooldown = time
            scaling.scaleInCooldown = time
        }
        if let value = view["scale_out_cooldown"] {
            scaling.scaleOutCooldown = values.duration(value, view.path("scale_out_cooldown"), .any) ?? scaling.scaleOutCooldown
        }
        if let value = view["scale_in_cooldown"] {
            scaling.scaleInCooldown = values.duration(value, view.path("scale_in_cooldown"), .any) ?? scaling.scaleInCooldown
        }
        return scaling
    }
}

/// Cross-checks of container services: references, and one kind of consumer per queue.
extension PipelineChecks {
    /// The queue, downstream and output queue exist; the queue is no trigger's.
    func checkContainers() {
        guard !pipeline.containers.isEmpty else { return }
        var triggers: [String: String] = [:]
        for function in pipeline.functions {
            if let queue = function.spec.trigger?.queue, triggers[queue] == nil { triggers[queue] = function.spec.name }
        }
        for container in pipeline.containers {
            let spec = container.spec
            if spec.downstream != nil {
                reference(container.view, "downstream", spec.downstream, in: pipeline.names.downstreams, noun: "downstream")
            }
            if spec.outputQueue != nil {
                reference(container.view, "output_queue", spec.outputQueue, in: pipeline.names.queues, noun: "queue")
            }
            guard reference(container.view, "queue", spec.queue, in: pipeline.names.queues, noun: "queue") else { continue }
            if let function = triggers[spec.queue] {
                sink.error(container.view.location(of: "queue"), container.view.path("queue"),
                           "'\(spec.queue)' is read by the trigger of function '\(function)' (expected a queue no trigger reads: a queue has one kind of consumer, Lambda or containers)", kind: .conflict)
            }
        }
    }
}
