import ServerlessModel

/// Reading of `downstreams:`: the services functions call, with per-group limits.
extension PipelineReader {
    /// The keys of a downstream.
    static let downstreamKeys = ["latency", "limits", "on_limit"]
    /// The keys of one limit.
    static let limitKeys = ["rate", "burst", "concurrency", "per_tenant"]
    /// The over-limit behaviours that are modelled.
    static let onLimitBehaviours = ["fail"]

    /// Every downstream (optional).
    func downstreams(_ node: SourceNode?) -> [ReadDownstream] {
        let path = FieldPath.root.appending("downstreams")
        let entries = namedEntries(node, path, location: .start, required: false, noun: "downstream",
                                   example: "{api: {latency: 200ms}}", reservesAll: false)
        return entries.compactMap { downstream($0, path: path.appending($0.key.text)) }
    }

    /// One downstream.
    private func downstream(_ entry: SourceEntry, path: FieldPath) -> ReadDownstream? {
        guard let view = values.mapping(entry.value, path, keys: Self.downstreamKeys,
                                        expected: "downstream settings such as {latency: 200ms, limits: {all: {rate: 10/s}}}")
        else { return nil }
        var spec = DownstreamSpec(name: entry.key.text)
        if let value = view["latency"] { spec.latency = values.distribution(value, view.path("latency")) ?? spec.latency }
        var limitKeys: [SourceScalar] = []
        if let value = view["limits"],
           let entries = values.entries(value, view.path("limits"), expected: "limits by group name or all, such as {all: {rate: 10/s}}") {
            for entry in entries {
                limitKeys.append(entry.key)
                if let limit = limit(entry.value, view.path("limits").appending(entry.key.text)) {
                    spec.limits[entry.key.text] = limit
                }
            }
        }
        if let value = view["on_limit"], let scalar = values.scalar(value, view.path("on_limit"), expected: "fail"),
           !Self.onLimitBehaviours.contains(scalar.text) {
            sink.error(scalar.location, view.path("on_limit"),
                       "'\(scalar.text)' is not supported (expected fail: an over-limit call fails its message, which returns through the queue; other behaviours are not modelled)")
        }
        return ReadDownstream(spec: spec, view: view, limitKeys: limitKeys)
    }

    /// `{rate: 2/s, burst: 2}`, `{concurrency: 2}`, or both.
    private func limit(_ node: SourceNode, _ path: FieldPath) -> DownstreamLimit? {
        guard let view = values.mapping(node, path, keys: Self.limitKeys, expected: "a limit such as {rate: 2/s, burst: 2} or {concurrency: 2}")
        else { return nil }
        var limit = DownstreamLimit()
        if let value = view["rate"] { limit.rate = values.rate(value, view.path("rate"), positive: true) }
        if let value = view["burst"] {
            limit.burst = values.integer(value, view.path("burst"), IntegerRange(minimum: 1, maximum: nil, noun: "a burst size"))
        }
        if let value = view["concurrency"] {
            limit.concurrency = values.integer(value, view.path("concurrency"),
                                               IntegerRange(minimum: 1, maximum: nil, noun: "a number of concurrent calls"))
        }
        if let value = view["per_tenant"] { limit.perTenant = values.bool(value, view.path("per_tenant")) ?? false }
        if view.has("burst"), !view.has("rate") {
            sink.error(view.keyLocation(of: "burst"), view.path("burst"),
                       "a burst needs a rate to refill it (expected rate with burst, such as {rate: 2/s, burst: 2})")
            return nil
        }
        if !view.has("rate"), !view.has("concurrency") {
            sink.error(view.mapping.location, path, "the limit sets nothing (expected rate, concurrency or both, such as {rate: 2/s})")
            return nil
        }
        return limit
    }
}
