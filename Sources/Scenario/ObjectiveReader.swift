/// Reading of `slo:`: overall targets and per-group overrides.
struct ObjectiveReader {
    /// The readers and the sink.
    let values: ValueReader

    /// The latency targets, by key.
    static let latencyKeys = ["latency_p50", "latency_p90", "latency_p99", "latency_p999"]
    /// Targets on how long messages wait for their first receive, by key.
    static let waitKeys = ["queue_wait_p99", "oldest_age_max"]
    /// Targets a group may set for itself (throttles belong to functions, not groups).
    static let groupTargetKeys = latencyKeys + ["dead_lettered", "downstream_violations"] + waitKeys
    /// Every key of `slo:`.
    static let keys = latencyKeys + ["throttle_rate", "dead_lettered", "downstream_violations"] + waitKeys + ["groups"]

    /// Reads the block; `groupNames` are the groups that per-group targets may name.
    func read(_ node: SourceNode, groupNames: [String]) -> ServiceLevelObjective? {
        let path = FieldPath.root.appending("slo")
        guard let view = values.mapping(node, path, keys: Self.keys, expected: "targets such as {latency_p99: 10s, throttle_rate: 0.01}")
        else { return nil }
        var objective = ServiceLevelObjective(overall: targets(view))
        if let groupsNode = view["groups"],
           let entries = values.entries(groupsNode, view.path("groups"), expected: "targets by group name, such as {A: {latency_p99: 5s}}") {
            for entry in entries {
                let name = entry.key.text
                guard groupNames.contains(name) else {
                    values.sink.error(entry.key.location, view.path("groups").appending(name),
                                      "no group named '\(name)' (\(Suggestions.hint(for: name, in: groupNames)))")
                    continue
                }
                guard let groupView = values.mapping(entry.value, view.path("groups").appending(name), keys: Self.groupTargetKeys,
                                                     expected: "targets such as {latency_p99: 5s}") else { continue }
                objective.groups[name] = targets(groupView)
            }
        }
        return objective
    }

    /// The targets written in one mapping.
    private func targets(_ view: MappingView) -> ServiceLevelTargets {
        var targets = ServiceLevelTargets()
        let latency = { (key: String) in
            view[key].flatMap { values.duration($0, view.path(key), .positive("a latency target")) }
        }
        targets.latencyP50 = latency("latency_p50")
        targets.latencyP90 = latency("latency_p90")
        targets.latencyP99 = latency("latency_p99")
        targets.latencyP999 = latency("latency_p999")
        targets.queueWaitP99 = view["queue_wait_p99"].flatMap {
            values.duration($0, view.path("queue_wait_p99"), .positive("a queue-wait target"))
        }
        targets.oldestAgeMax = view["oldest_age_max"].flatMap {
            values.duration($0, view.path("oldest_age_max"), .positive("a message-age target"))
        }
        targets.throttleRate = view["throttle_rate"].flatMap {
            values.number($0, view.path("throttle_rate"), NumberRange(minimum: 0, maximum: 1, noun: "a throttle rate"))
        }
        targets.deadLettered = view["dead_lettered"].flatMap {
            values.integer($0, view.path("dead_lettered"), IntegerRange(minimum: 0, maximum: nil, noun: "a number of messages"))
        }
        targets.downstreamViolations = view["downstream_violations"].flatMap {
            values.integer($0, view.path("downstream_violations"), IntegerRange(minimum: 0, maximum: nil, noun: "a number of calls"))
        }
        return targets
    }
}
