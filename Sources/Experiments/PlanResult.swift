import Scenario
import ServerlessModel

/// What `plan` found: every configuration it evaluated, the one it recommends, or why none
/// meets the SLO.
public struct PlanResult: Sendable {
    /// The scenario's name.
    public var scenario: String
    /// The file it was read from.
    public var source: String
    /// What the plan minimises.
    public var objective: PlanObjective
    /// The plan's settings, classified, in `plan.vary` order.
    public var knobs: [PlanKnob]
    /// Every constraint checked, in order: groups, `all`, then unfinished-message guards.
    public var constraints: [PlanConstraint]
    /// Every configuration evaluated, in the order evaluated, none twice.
    public var evaluations: [PlanEvaluation]
    /// The position in `evaluations` of the recommendation; nil when nothing meets the SLO.
    public var recommended: Int?
    /// Simulation runs made (pilot runs of an automatic warm-up included).
    public var simulations: Int
    /// Times the search asked for a configuration it had evaluated already (answered from
    /// memory, not simulated again).
    public var memoHits: Int
    /// The seed every configuration ran with (common random numbers).
    public var seed: UInt64
    /// Replications each configuration starts with.
    public var initialReplications: Int
    /// The most replications a configuration gets while an interval straddles its target.
    public var maximumReplications: Int
    /// The analytic first guess of every function whose concurrency the plan varies.
    public var estimates: [CapacityEstimate]
    /// Why nothing meets the SLO, quantified where possible; nil when something does.
    public var explanation: String?
    /// Set when the search stopped at the evaluation budget before it finished.
    public var stoppedEarly: Bool
    /// What the check of the answer found, one per concurrency limit of the plan (empty when
    /// nothing passed or the search stopped early).
    public var selfChecks: [PlanSelfCheck] = []
    /// The scenario's pipeline as written (entity names for the YAML fragment).
    public var pipeline: PipelineSpec

    /// Creates a result.
    public init(scenario: String, source: String, objective: PlanObjective, knobs: [PlanKnob], constraints: [PlanConstraint],
                evaluations: [PlanEvaluation], recommended: Int?, simulations: Int, memoHits: Int, seed: UInt64,
                initialReplications: Int, maximumReplications: Int, estimates: [CapacityEstimate], explanation: String?,
                stoppedEarly: Bool, pipeline: PipelineSpec) {
        self.scenario = scenario
        self.source = source
        self.objective = objective
        self.knobs = knobs
        self.constraints = constraints
        self.evaluations = evaluations
        self.recommended = recommended
        self.simulations = simulations
        self.memoHits = memoHits
        self.seed = seed
        self.initialReplications = initialReplications
        self.maximumReplications = maximumReplications
        self.estimates = estimates
        self.explanation = explanation
        self.stoppedEarly = stoppedEarly
        self.pipeline = pipeline
    }

    /// The plan's variables in order.
    public var variables: [PlanVariable] { knobs.map(\.variable) }

    /// The recommended configuration's evaluation; nil when nothing meets the SLO.
    public var recommendation: PlanEvaluation? { recommended.map { evaluations[$0] } }

    /// Whether a configuration meets the SLO.
    public var meetsSLO: Bool { recommended != nil }

    /// The recommended values as assignments; empty when nothing meets the SLO.
    public var recommendedAssignments: [ParameterAssignment] {
        recommendation?.configuration.assignments(variables) ?? []
    }

    /// The recommended values by path (the plan's order); empty when nothing meets the SLO.
    public var recommendedSettings: [ParameterValue] {
        recommendedAssignments.map { ParameterValue(name: $0.path, value: $0.value) }
    }

    /// A configuration's values by path, in the plan's order.
    public func settings(_ evaluation: PlanEvaluation) -> [ParameterValue] {
        zip(knobs, evaluation.configuration.values).map { ParameterValue(name: $0.variable.path, value: $1) }
    }

    /// The plan's paths in order (the configuration columns).
    public var paths: [String] { knobs.map(\.variable.path) }

    /// Configurations simulated (not rejected).
    public var simulatedConfigurations: Int { evaluations.filter(\.simulated).count }
}
