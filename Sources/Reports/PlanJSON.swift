import Experiments
import ServerlessModel

extension JSONDocuments {
    /// `plan`: the recommendation (or why there is none) and every evaluation, for programs.
    public struct Plan: Codable, Sendable, Equatable {
        public var command: String
        public var scenario: String
        public var minimize: String
        public var seed: UInt64
        public var initialReplications: Int
        public var maximumReplications: Int
        public var simulations: Int
        public var configurationsSimulated: Int
        public var meetsSlo: Bool
        public var recommended: PlanRecommendation?
        public var explanation: String?
        public var stoppedEarly: Bool
        public var constraints: [PlanTarget]
        public var estimates: [PlanEstimateDocument]
        public var evaluations: [PlanEvaluationDocument]
        /// The check of the answer, one per concurrency limit (``PlanSelfCheck``).
        public var selfChecks: [PlanSelfCheckDocument]
        public var files: [String]
    }

    /// What the check of the answer found for one concurrency limit.
    public struct PlanSelfCheckDocument: Codable, Sendable, Equatable {
        public var path: String
        public var monotone: Bool
        public var values: [String]
        public var before: String
        public var after: String
        public var text: String
    }

    /// The recommended configuration.
    public struct PlanRecommendation: Codable, Sendable, Equatable {
        public var evaluation: Int
        public var settings: [ParameterValue]
        public var yaml: String
        public var costUsd: Double?
        public var concurrency: Int?
    }

    /// One constraint checked.
    public struct PlanTarget: Codable, Sendable, Equatable {
        public var scope: String
        public var scopeKind: String
        public var key: String
        public var column: String
        public var target: Double
    }

    /// The analytic first guess of one function.
    public struct PlanEstimateDocument: Codable, Sendable, Equatable {
        public var function: String
        public var arrivalRate: Double?
        public var serviceS: Double?
        public var offeredLoad: Double?
        public var concurrency: Int?
        public var unreachable: String?
        public var limitingTarget: String?
    }

    /// One evaluated configuration.
    public struct PlanEvaluationDocument: Codable, Sendable, Equatable {
        public var evaluation: Int
        public var settings: [ParameterValue]
        public var status: String
        public var pass: Bool
        public var reason: String
        public var replications: Int
        public var concurrency: Int?
        public var costUsd: PlanInterval?
        public var checks: [PlanCheckDocument]
    }

    /// A mean and its 95% interval.
    public struct PlanInterval: Codable, Sendable, Equatable {
        public var n: Int
        public var mean: Double?
        public var ci95Low: Double?
        public var ci95High: Double?
        /// Whether the replications disagree so much that the mean hides it (standard
        /// deviation above the mean); their range is then worth a look.
        public var replicationsDisagree: Bool
    }

    /// One constraint's check on one configuration.
    public struct PlanCheckDocument: Codable, Sendable, Equatable {
        public var scope: String
        public var key: String
        public var column: String
        public var target: Double
        public var outcome: String
        public var value: PlanInterval?
    }

    /// The document of a plan.
    public static func plan(_ result: PlanResult, files: [String]) -> Plan {
        let recommendation = result.recommendation.map { evaluation in
            PlanRecommendation(evaluation: evaluation.index, settings: result.recommendedSettings,
                               yaml: PlanYAML.fragment(result) ?? "", costUsd: finite(evaluation.cost?.mean),
                               concurrency: evaluation.concurrency)
        }
        return Plan(
            command: "plan", scenario: result.scenario, minimize: result.objective.rawValue, seed: result.seed,
            initialReplications: result.initialReplications, maximumReplications: result.maximumReplications,
            simulations: result.simulations, configurationsSimulated: result.simulatedConfigurations,
            meetsSlo: result.meetsSLO, recommended: recommendation, explanation: result.explanation,
            stoppedEarly: result.stoppedEarly,
            constraints: result.constraints.map {
                PlanTarget(scope: $0.scope, scopeKind: $0.kind.rawValue, key: $0.key, column: $0.column, target: $0.target)
            },
            estimates: result.estimates.map {
                PlanEstimateDocument(function: $0.function, arrivalRate: finite($0.arrivalRate), serviceS: finite($0.serviceSeconds),
                                     offeredLoad: finite($0.offeredLoad), concurrency: $0.concurrency, unreachable: $0.unreachable,
                                     limitingTarget: $0.limitingTarget)
            },
            evaluations: result.evaluations.map { evaluation in
                PlanEvaluationDocument(
                    evaluation: evaluation.index, settings: result.settings(evaluation), status: evaluation.verdict.rawValue,
                    pass: evaluation.verdict.passes, reason: evaluation.reason, replications: evaluation.replications,
                    concurrency: evaluation.concurrency, costUsd: evaluation.cost.map(interval),
                    checks: evaluation.checks.map { check in
                        PlanCheckDocument(scope: check.constraint.scope, key: check.constraint.key, column: check.constraint.column,
                                          target: check.constraint.target, outcome: check.outcome.rawValue,
                                          value: check.estimate.map(interval))
                    })
            },
            selfChecks: result.selfChecks.map {
                PlanSelfCheckDocument(path: $0.path, monotone: $0.monotone, values: $0.values, before: $0.before, after: $0.after,
                                      text: $0.text)
            },
            files: files)
    }

    static func interval(_ estimate: PlanEstimate) -> PlanInterval {
        PlanInterval(n: estimate.n, mean: finite(estimate.mean), ci95Low: finite(estimate.ci95Low), ci95High: finite(estimate.ci95High),
                     replicationsDisagree: estimate.replicationsDisagree)
    }
}
