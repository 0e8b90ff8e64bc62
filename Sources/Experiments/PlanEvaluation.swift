import Scenario
import ServerlessModel

/// One candidate configuration: a value for every plan variable, in the plan's order.
///
/// It is the planner's memo key: two configurations with the same values are the same
/// configuration, simulated once.
public struct PlanConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// The values as YAML text, one per plan variable, in `plan.vary` order.
    public var values: [String]

    /// Creates a configuration.
    public init(values: [String]) { self.values = values }

    /// The assignments that make the configuration from the scenario.
    public func assignments(_ variables: [PlanVariable]) -> [ParameterAssignment] {
        zip(variables, values).flatMap { $0.assignments($1) }
    }

    /// `value, value, ...`.
    public var description: String { values.joined(separator: ", ") }
}

/// What the planner concluded about one configuration.
public enum PlanVerdict: String, Sendable, Equatable {
    /// Every constraint is met with confidence.
    case pass
    /// A constraint is missed with confidence.
    case fail
    /// An interval still straddles its target after the most replications allowed; reported
    /// as failing, because the planner recommends only what it is confident of.
    case undecided
    /// Not simulated: the configuration breaks a limit (reserved concurrency over the
    /// account's) or does not load.
    case infeasible

    /// Whether the configuration meets the SLO.
    public var passes: Bool { self == .pass }
}

/// One evaluated configuration: its verdict, why, and its key measures.
public struct PlanEvaluation: Sendable {
    /// The order of evaluation, from 0 (the `evaluation` column).
    public var index: Int
    /// The configuration.
    public var configuration: PlanConfiguration
    /// The verdict.
    public var verdict: PlanVerdict
    /// Why it fails (the first constraint missed, or the limit broken); empty when it passes.
    public var reason: String
    /// The reason in a few words, for tables: `B latency_p99 32.2s > 10s (+2)`.
    public var brief: String
    /// Replications simulated for it (0 when infeasible).
    public var replications: Int
    /// Every constraint's check, in constraint order (empty when infeasible).
    public var checks: [ConstraintCheck]
    /// The total cost of a run (`cost_usd` of `all`), over the replications.
    public var cost: PlanEstimate?
    /// The monthly bill (`cost_per_month_usd` of `all`), over the replications.
    public var costPerMonth: PlanEstimate?
    /// The peak concurrency of `all`, over the replications.
    public var concurrencyPeak: PlanEstimate?
    /// The sum of the configuration's concurrency settings (the varied ones; if none is
    /// varied, the pipeline's reserved concurrency); nil if it has none (then the peak
    /// concurrency stands in for it when the plan minimises concurrency).
    public var concurrency: Int?
    /// The pipeline as configured; nil when the configuration does not load.
    public var pipeline: PipelineSpec?

    /// Creates an evaluation.
    public init(index: Int, configuration: PlanConfiguration, verdict: PlanVerdict, reason: String, brief: String, replications: Int,
                checks: [ConstraintCheck], cost: PlanEstimate?, concurrencyPeak: PlanEstimate?, concurrency: Int?,
                pipeline: PipelineSpec?) {
        self.index = index
        self.configuration = configuration
        self.verdict = verdict
        self.reason = reason
        self.brief = brief
        self.replications = replications
        self.checks = checks
        self.cost = cost
        self.concurrencyPeak = concurrencyPeak
        self.concurrency = concurrency
        self.pipeline = pipeline
    }

    /// Whether the configuration was simulated.
    public var simulated: Bool { verdict != .infeasible }

    /// The check of a constraint, if the configuration was simulated.
    public func check(_ constraint: PlanConstraint) -> ConstraintCheck? {
        checks.first { $0.constraint == constraint }
    }

    /// The value the plan minimises: mean cost (of a run or a month), or the concurrency (then
    /// cost breaks ties).
    func objective(_ objective: PlanObjective) -> (Double, Double) {
        let cost = self.cost?.mean ?? .infinity
        switch objective {
        case .cost: return (cost, Double(concurrency ?? 0))
        case .costPerMonth: return (costPerMonth?.mean ?? .infinity, Double(concurrency ?? 0))
        case .concurrency: return (concurrency.map(Double.init) ?? concurrencyPeak?.mean ?? .infinity, cost)
        }
    }
}
