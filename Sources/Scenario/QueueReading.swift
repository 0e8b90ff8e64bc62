import ServerlessModel
import SimCore

/// Reading of `queues:`: SQS queues with AWS's ranges and defaults.
extension PipelineReader {
    /// The keys of a queue.
    static let queueKeys = ["type", "visibility_timeout", "retention", "delay", "max_receive_count", "dead_letter",
                            "duplicate_probability", "in_flight_limit", "fair", "high_throughput", "api_calls_per_second",
                            "content_based_deduplication"]

    /// Every queue.
    func queues(_ node: SourceNode?, rootLocation: TextPosition) -> [ReadEntity<QueueSpec>] {
        let path = FieldPath.root.appending("queues")
        // `queues: {}` is allowed: a pipeline of direct invocations needs none, and a group
        // that names a queue is checked against the queues there are.
        let entries = namedEntries(node, path, location: rootLocation, required: true, noun: "queue",
                                   example: "{tasks: {visibility_timeout: 30s}}", reservesAll: false, allowsEmpty: true)
        return entries.compactMap { queue($0, path: path.appending($0.key.text)) }
    }

    /// One queue.
    private func queue(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<QueueSpec>? {
        guard let view = values.mapping(entry.value, path, keys: Self.queueKeys,
                                        expected: "queue settings such as {type: standard, visibility_timeout: 30s}")
        else { return nil }
        var spec = QueueSpec(name: entry.key.text)
        if let value = view["type"], let type = values.choice(value, view.path("type"), ["standard", "fifo"], noun: "a queue type") {
            spec.kind = QueueKind(rawValue: type) ?? .standard
        }
        if let value = view["visibility_timeout"] {
            spec.visibilityTimeout = values.duration(value, view.path("visibility_timeout"),
                                                     DurationRange(maximum: .hours(12), noun: "a visibility timeout"))
                ?? spec.visibilityTimeout
        }
        if let value = view["retention"] {
            spec.retention = values.duration(value, view.path("retention"),
                                             DurationRange(minimum: .s(60), maximum: .s(14 * 86_400), noun: "a retention period", minimumText: "60s", maximumText: "14d"))
                ?? spec.retention
        }
        if let value = view["delay"] {
            spec.delay = values.duration(value, view.path("delay"), DurationRange(maximum: .s(900), noun: "a delivery delay", maximumText: "900s"))
                ?? spec.delay
        }
        if let value = view["max_receive_count"] {
            spec.maxReceiveCount = values.integer(value, view.path("max_receive_count"),
                                                  IntegerRange(minimum: 1, maximum: 1_000, noun: "a receive count"))
                ?? spec.maxReceiveCount
        }
        if let value = view["dead_letter"] {
            spec.deadLetter = values.text(value, view.path("dead_letter"), expected: "the name of a queue")
        }
        if let value = view["duplicate_probability"] {
            spec.duplicateProbability = values.number(value, view.path("duplicate_probability"), .probability)
                ?? spec.duplicateProbability
        }
        if let value = view["in_flight_limit"] {
            spec.inFlightLimit = values.integer(value, view.path("in_flight_limit"),
                                                IntegerRange(minimum: 1, maximum: nil, noun: "a number of messages"))
                ?? spec.inFlightLimit
        }
        if let value = view["fair"] {
            spec.fair = values.bool(value, view.path("fair")) ?? spec.fair
            if spec.fair, spec.kind == .fifo, !sink.hasFailed(view.path("type")) {
                sink.error(view.location(of: "fair"), view.path("fair"),
                           "fair queues are standard queues; a FIFO queue already orders each message group (expected fair: true with type: standard)",
                           kind: .conflict)
            }
        }
        if let value = view["high_throughput"] {
            spec.highThroughput = values.bool(value, view.path("high_throughput")) ?? spec.highThroughput
        }
        if let value = view["api_calls_per_second"] {
            spec.apiCallsPerSecond = values.number(value, view.path("api_calls_per_second"),
                                                   .positive("a number of API calls per second per action"))
        }
        if let value = view["content_based_deduplication"] {
            spec.contentBasedDeduplication = values.bool(value, view.path("content_based_deduplication")) ?? spec.contentBasedDeduplication
        }
        // Throughput quotas and deduplication are FIFO queues' (a standard queue has neither).
        for key in ["high_throughput", "api_calls_per_second", "content_based_deduplication"]
        where view.has(key) && spec.kind != .fifo && !sink.hasFailed(view.path("type")) {
            sink.error(view.keyLocation(of: key), view.path(key),
                       "applies to FIFO queues only; a standard queue has no throughput quota and no deduplication (expected type: fifo with \(key), or no \(key))",
                       kind: .conflict)
        }
        if spec.kind == .fifo, spec.duplicateProbability > 0 {
            sink.error(view.location(of: "duplicate_probability"), view.path("duplicate_probability"),
                       "a FIFO queue delivers each message exactly once (expected 0 or no duplicate_probability for a FIFO queue)", kind: .conflict)
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }
}
