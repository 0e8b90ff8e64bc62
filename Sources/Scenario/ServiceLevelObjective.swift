import SimCore

/// Targets a run must meet: the scenario's `slo:` block, used by `plan` and for pass/fail.
///
/// Top-level targets apply to every group and to all groups together; a group's own targets
/// (`groups: {A: {latency_p99: 5s}}`) replace them for that group.
public struct ServiceLevelObjective: Hashable, Sendable {
    /// Targets for every group and for the whole pipeline.
    public var overall: ServiceLevelTargets
    /// Targets of single groups, by group name; they override `overall` for that group.
    public var groups: [String: ServiceLevelTargets]

    /// Creates an objective.
    public init(overall: ServiceLevelTargets = ServiceLevelTargets(), groups: [String: ServiceLevelTargets] = [:]) {
        self.overall = overall
        self.groups = groups
    }

    /// The targets that apply to one group: its own, else the overall ones.
    public func targets(forGroup name: String) -> ServiceLevelTargets {
        guard let own = groups[name] else { return overall }
        return own.overriding(overall)
    }
}

/// A set of targets; nil means "no target" for that metric.
public struct ServiceLevelTargets: Hashable, Sendable {
    /// End-to-end latency percentiles at most these.
    public var latencyP50: SimTime?
    /// 90th percentile.
    public var latencyP90: SimTime?
    /// 99th percentile.
    public var latencyP99: SimTime?
    /// 99.9th percentile.
    public var latencyP999: SimTime?
    /// Throttles / attempts at most this (0-1).
    public var throttleRate: Double?
    /// Dead-lettered messages at most this many.
    public var deadLettered: Int?
    /// Calls refused by a downstream limit at most this many.
    public var downstreamViolations: Int?
    /// The 99th percentile of the queue wait (send to first receive) at most this.
    public var queueWaitP99: SimTime?
    /// The oldest a waiting message gets (`oldest_age_max_s`) at most this.
    public var oldestAgeMax: SimTime?

    /// Creates targets.
    public init(latencyP50: SimTime? = nil, latencyP90: SimTime? = nil, latencyP99: SimTime? = nil,
                latencyP999: SimTime? = nil, throttleRate: Double? = nil, deadLettered: Int? = nil,
                downstreamViolations: Int? = nil, queueWaitP99: SimTime? = nil, oldestAgeMax: SimTime? = nil) {
        self.latencyP50 = latencyP50
        self.latencyP90 = latencyP90
        self.latencyP99 = latencyP99
        self.latencyP999 = latencyP999
        self.throttleRate = throttleRate
        self.deadLettered = deadLettered
        self.downstreamViolations = downstreamViolations
        self.queueWaitP99 = queueWaitP99
        self.oldestAgeMax = oldestAgeMax
    }

    /// Whether no target is set.
    public var isEmpty: Bool { self == ServiceLevelTargets() }

    /// These targets, with `base`'s where these have none.
    public func overriding(_ base: ServiceLevelTargets) -> ServiceLevelTargets {
        ServiceLevelTargets(latencyP50: latencyP50 ?? base.latencyP50, latencyP90: latencyP90 ?? base.latencyP90,
                            latencyP99: latencyP99 ?? base.latencyP99, latencyP999: latencyP999 ?? base.latencyP999,
                            throttleRate: throttleRate ?? base.throttleRate, deadLettered: deadLettered ?? base.deadLettered,
                            downstreamViolations: downstreamViolations ?? base.downstreamViolations,
                            queueWaitP99: queueWaitP99 ?? base.queueWaitP99, oldestAgeMax: oldestAgeMax ?? base.oldestAgeMax)
    }
}
