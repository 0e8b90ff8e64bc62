import Scenario
import ServerlessModel
import SimCore

/// One target the planner checks: an SLO key applied to one scope (a task group or `all`).
public struct PlanConstraint: Hashable, Sendable, CustomStringConvertible {
    /// What is measured in each replication.
    public enum Measure: Hashable, Sendable {
        /// A metric of the scope, as in `summary.csv`.
        case metric(Metric)
        /// Messages still unfinished when the run ends, as a share of those sent. Latency
        /// percentiles count only messages that succeeded; when the run's drain is at least
        /// the latency target, every unfinished message is known to be late, so more of them
        /// than the percentile allows (1% for a p99) fails the target however fast the rest were.
        case unfinishedShare
    }

    /// The scope: a task group's name or `all`.
    public var scope: String
    /// `.group` or `.all`.
    public var kind: ScopeSummary.Kind
    /// The SLO key, such as `latency_p99` (`unfinished` for the share of unfinished messages).
    public var key: String
    /// What is measured.
    public var measure: Measure
    /// The largest value that meets it (seconds for latencies, a fraction for rates and shares).
    public var target: Double

    /// Creates a constraint.
    public init(scope: String, kind: ScopeSummary.Kind, key: String, measure: Measure, target: Double) {
        self.scope = scope
        self.kind = kind
        self.key = key
        self.measure = measure
        self.target = target
    }

    /// The CSV column stem: the metric's column name, or `unfinished_share`.
    public var column: String {
        switch measure {
        case .metric(let metric): metric.rawValue
        case .unfinishedShare: "unfinished_share"
        }
    }

    /// Whether the value is a duration in seconds.
    public var isSeconds: Bool { column.hasSuffix("_s") }

    /// The values the measure's mean can take, which its interval respects: a share of
    /// messages is at most 1; metrics as `aggregate.csv` bounds them.
    public var range: ConfidenceInterval.Range {
        switch measure {
        case .metric(let metric): Aggregation.range(of: metric)
        case .unfinishedShare: .unitInterval
        }
    }

    /// `group B latency_p99 <= 10s`.
    public var description: String {
        "\(scopeName) \(key) <= \(PlanText.value(target, seconds: isSeconds))"
    }

    /// `group B` or `all`.
    public var scopeName: String { kind == .all ? "all" : "group \(scope)" }

    /// The value of one replication; nil where the scope has none (no message succeeded).
    func value(in run: RunResult) -> Double? {
        guard let summary = run.scope(scope, kind: kind) else { return nil }
        switch measure {
        case .metric(let metric):
            return summary[metric]
        case .unfinishedShare:
            let sent = summary[.sent] ?? 0
            return sent > 0 ? (summary[.backlogEnd] ?? 0) / sent : 0
        }
    }

    /// Every constraint of an SLO on a pipeline: each group's targets (its own, else the
    /// overall ones), then the overall targets on `all`, then the unfinished-share guards.
    static func constraints(_ slo: ServiceLevelObjective, pipeline: PipelineSpec) -> [PlanConstraint] {
        var result: [PlanConstraint] = []
        var guards: [PlanConstraint] = []
        for group in pipeline.groups {
            let targets = slo.targets(forGroup: group.name)
            result += constraints(targets, scope: group.name, kind: .group)
            if let share = unfinishedAllowance(targets, drain: pipeline.run.drain) {
                guards.append(PlanConstraint(scope: group.name, kind: .group, key: "unfinished", measure: .unfinishedShare,
                                             target: share))
            }
        }
        result += constraints(slo.overall, scope: "all", kind: .all)
        return result + guards
    }

    /// The constraints of one set of targets on one scope, in the SLO's key order.
    static func constraints(_ targets: ServiceLevelTargets, scope: String, kind: ScopeSummary.Kind) -> [PlanConstraint] {
        var result: [PlanConstraint] = []
        func add(_ key: String, _ metric: Metric, _ target: Double?) {
            if let target { result.append(PlanConstraint(scope: scope, kind: kind, key: key, measure: .metric(metric), target: target)) }
        }
        add("latency_p50", .latencyP50, targets.latencyP50?.seconds)
        add("latency_p90", .latencyP90, targets.latencyP90?.seconds)
        add("latency_p99", .latencyP99, targets.latencyP99?.seconds)
        add("latency_p999", .latencyP999, targets.latencyP999?.seconds)
        add("throttle_rate", .throttleRate, targets.throttleRate)
        add("dead_lettered", .deadLettered, targets.deadLettered.map(Double.init))
        add("downstream_violations", .downstreamViolations, targets.downstreamViolations.map(Double.init))
        add("queue_wait_p99", .queueWaitP99, targets.queueWaitP99?.seconds)
        add("oldest_age_max", .oldestAgeMax, targets.oldestAgeMax?.seconds)
        return result
    }

    /// The share of a group's messages that may be unfinished: 1 − the strictest latency
    /// percentile whose target the drain outlasts (so that an unfinished message is surely
    /// late); nil without such a target.
    static func unfinishedAllowance(_ targets: ServiceLevelTargets, drain: SimTime) -> Double? {
        let pairs: [(Double, SimTime?)] = [(0.5, targets.latencyP50), (0.9, targets.latencyP90),
                                           (0.99, targets.latencyP99), (0.999, targets.latencyP999)]
        let percentiles = pairs.compactMap { percentile, target in target.flatMap { $0 <= drain ? percentile : nil } }
        return percentiles.max().map { 1 - $0 }
    }
}

/// The mean of a measure over replications and its 95% interval: Student's t, or where that
/// would leave the measure's range, the bounded interval of ``ConfidenceInterval`` (log or
/// logit scale), as `simulate`, `sweep` and `compare` report (docs/experiments.md).
public struct PlanEstimate: Sendable, Equatable {
    /// Replications that have a value.
    public var n: Int
    /// Their mean.
    public var mean: Double
    /// The lower end of the 95% interval; nil for a single replication.
    public var ci95Low: Double?
    /// The upper end; nil for a single replication.
    public var ci95High: Double?
    /// The smallest and largest replication value; nil where not known.
    public var spread: ClosedRange<Double>?
    /// Whether the replications disagree so much that the mean hides it (a standard deviation
    /// above the mean, ``ConfidenceInterval/replicationsDisagree``).
    public var replicationsDisagree: Bool

    /// Creates an estimate.
    public init(n: Int, mean: Double, ci95Low: Double?, ci95High: Double?, spread: ClosedRange<Double>? = nil,
                replicationsDisagree: Bool = false) {
        self.n = n
        self.mean = mean
        self.ci95Low = ci95Low
        self.ci95High = ci95High
        self.spread = spread
        self.replicationsDisagree = replicationsDisagree
    }

    /// The estimate of some values of a measure with the given range; nil when there are none.
    init?(_ values: [Double], range: ConfidenceInterval.Range) {
        guard let interval = ConfidenceInterval(values, level: Aggregation.level, range: range) else { return nil }
        self.init(n: interval.n, mean: interval.mean, ci95Low: interval.low, ci95High: interval.high,
                  spread: interval.minimum...interval.maximum, replicationsDisagree: interval.replicationsDisagree)
    }

    /// Half the interval's width; nil for a single replication.
    public var halfWidth: Double? {
        guard let ci95Low, let ci95High else { return nil }
        return (ci95High - ci95Low) / 2
    }

    /// Whether the interval is `mean ± halfWidth` (false where it was kept in the range and is lopsided).
    public var isSymmetric: Bool {
        guard let ci95Low, let ci95High else { return true }
        let scale = Swift.max(abs(mean), abs(ci95High), abs(ci95Low), .leastNormalMagnitude)
        return abs((ci95High - mean) - (mean - ci95Low)) <= 1e-9 * scale
    }
}

/// How one constraint fared on one configuration's replications.
public struct ConstraintCheck: Sendable, Equatable {
    /// The verdict on one constraint.
    public enum Outcome: String, Sendable {
        /// The upper end of the 95% interval meets the target.
        case met
        /// The lower end misses it, or it can never be met (a replication above a zero
        /// target), or the scope had messages and none succeeded.
        case violated
        /// The interval straddles the target: more replications may decide it.
        case undecided
    }

    /// The constraint.
    public var constraint: PlanConstraint
    /// The measure over the replications that have it; nil if none has.
    public var estimate: PlanEstimate?
    /// The verdict.
    public var outcome: Outcome
    /// Replications where messages were sent and none succeeded (latency has no value).
    public var withoutValue: Int

    /// Creates a check.
    public init(constraint: PlanConstraint, estimate: PlanEstimate?, outcome: Outcome, withoutValue: Int = 0) {
        self.constraint = constraint
        self.estimate = estimate
        self.outcome = outcome
        self.withoutValue = withoutValue
    }

    /// Judges a constraint on the replications of one configuration.
    ///
    /// The rule is "met with confidence": the upper end of the 95% interval of the mean must
    /// meet the target. A target of 0 (no dead letters) is violated for good as soon as one
    /// replication exceeds it: no number of further replications can bring the upper end
    /// back to 0.
    static func judge(_ constraint: PlanConstraint, runs: [RunResult]) -> ConstraintCheck {
        var values: [Double] = []
        var withoutValue = 0
        for run in runs {
            if let value = constraint.value(in: run) {
                values.append(value)
            } else if (run.scope(constraint.scope, kind: constraint.kind)?[.sent] ?? 0) > 0 {
                // Messages were sent and none succeeded: no latency can meet any target.
                withoutValue += 1
            }
        }
        let estimate = PlanEstimate(values, range: constraint.range)
        let outcome: Outcome
        if withoutValue > 0 {
            outcome = .violated
        } else if let estimate {
            if constraint.target <= 0, values.contains(where: { $0 > constraint.target }) {
                outcome = .violated
            } else if let high = estimate.ci95High, high <= constraint.target {
                outcome = .met
            } else if let low = estimate.ci95Low, low > constraint.target {
                outcome = .violated
            } else {
                outcome = .undecided
            }
        } else {
            // Nothing measured in any replication (no message sent after the warm-up): nothing to miss.
            outcome = .met
        }
        return ConstraintCheck(constraint: constraint, estimate: estimate, outcome: outcome, withoutValue: withoutValue)
    }

    /// `B latency_p99 14.2s > 10s`, `B latency_p99 9.6s ~ 10s` (undecided).
    public var brief: String {
        let c = constraint
        if withoutValue > 0 { return "\(c.scope) \(c.key): none succeeded" }
        guard let estimate else { return "\(c.scope) \(c.key): not measured" }
        let relation = outcome == .met ? "<=" : outcome == .violated ? ">" : "~"
        return "\(c.scope) \(c.key) \(PlanText.value(estimate.mean, seconds: c.isSeconds)) \(relation) "
            + PlanText.value(c.target, seconds: c.isSeconds)
    }

    /// `group B latency_p99 14.2s (95% CI 13.1s-15.3s) > 10s` and the like.
    public var summary: String {
        let c = constraint
        let target = PlanText.value(c.target, seconds: c.isSeconds)
        if withoutValue > 0 {
            return "\(c.scopeName) \(c.key): no message succeeded in \(withoutValue) replication\(withoutValue == 1 ? "" : "s")"
        }
        guard let estimate else { return "\(c.scopeName) \(c.key): not measured" }
        var text = "\(c.scopeName) \(c.key) \(PlanText.value(estimate.mean, seconds: c.isSeconds))"
        if let low = estimate.ci95Low, let high = estimate.ci95High, low != high {
            text += " (95% CI \(PlanText.value(low, seconds: c.isSeconds))-\(PlanText.value(high, seconds: c.isSeconds)))"
        }
        switch outcome {
        case .met: return text + " <= \(target)"
        case .violated: return text + " > \(target)"
        case .undecided: return text + " straddles \(target)"
        }
    }
}
