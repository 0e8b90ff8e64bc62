import Scenario
import ServerlessModel

/// Why a plan could not be made.
public enum PlanError: Error, Equatable, CustomStringConvertible {
    /// The scenario has no `plan:` block (bad input).
    case noPlan(source: String)
    /// The scenario has no `slo:` block, or one without a target (bad input).
    case noObjective(source: String)
    /// An option is out of range, or a run failed.
    case experiment(ExperimentError)

    /// Whether the mistake is the user's input (exit status 2) rather than a failed run.
    public var isBadInput: Bool {
        switch self {
        case .noPlan, .noObjective: true
        case .experiment(let error): error.isBadInput
        }
    }

    /// Located like the loader's errors: a missing block is reported at the top of the file.
    public var description: String {
        switch self {
        case .noPlan(let source):
            "\(source):1:1: plan: the scenario has no plan block, so there is nothing to vary (expected plan: {minimize: cost, vary: {functions.worker.reserved_concurrency: {min: 1, max: 100}}})"
        case .noObjective(let source):
            "\(source):1:1: slo: the scenario sets no SLO target, so every configuration would meet it (expected an slo block such as slo: {latency_p99: 10s, dead_lettered: 0})"
        case .experiment(let error):
            error.description
        }
    }
}

extension Experiment {
    /// The cheapest configuration of the scenario's `plan:` that meets its `slo:` with 95%
    /// confidence (see ``PlanSearch`` for the search, ``ConstraintCheck`` for the rule).
    ///
    /// `options.replications` and `options.seed` replace the scenario's; every configuration
    /// runs with the same seed. `options.progress` is not called (runs are not known in
    /// advance): `settings.progress` reports each evaluation. The sweep block, if any, is ignored.
    public static func plan(_ scenario: Scenario, options: ExperimentOptions = ExperimentOptions(),
                            settings: PlanSettings = PlanSettings()) throws(PlanError) -> PlanResult {
        let (plan, slo) = try planInputs(scenario)
        do throws(ExperimentError) { try options.validate() } catch { throw .experiment(error) }

        let pipeline = scenario.pipeline
        let knobs = PlanKnob.knobs(plan, pipeline: pipeline)
        let constraints = PlanConstraint.constraints(slo, pipeline: pipeline)
        let estimates = CapacityModel.estimates(pipeline, slo: slo)
        let evaluator = PlanEvaluator(scenario: scenario, plan: plan, knobs: knobs, constraints: constraints, options: options,
                                      settings: settings)
        let start = settings.analyticGuess ? firstGuess(knobs, estimates: estimates, pipeline: pipeline) : knobs.map { _ in 0 }
        var search = PlanSearch(evaluator: evaluator, objective: plan.minimize, pipeline: pipeline, start: start)

        var best: PlanEvaluation?
        var stoppedEarly = false
        var selfChecks: [PlanSelfCheck] = []
        do throws(PlanSearchStop) {
            best = try search.run()
            if let answer = best { (best, selfChecks) = try search.selfCheck(answer) }
        } catch {
            switch error {
            case .failed(let failure): throw .experiment(failure)
            case .budget:
                // What passed so far still stands: pick the best of it.
                stoppedEarly = true
                best = evaluator.evaluations.filter(\.verdict.passes)
                    .min { a, b in a.objective(plan.minimize) < b.objective(plan.minimize) }
            }
        }
        let planned = Set(knobs.compactMap(\.function))
        var result = PlanResult(
            scenario: scenario.name, source: scenario.source, objective: plan.minimize, knobs: knobs, constraints: constraints,
            evaluations: evaluator.evaluations, recommended: best?.index, simulations: evaluator.simulations,
            memoHits: evaluator.memoHits, seed: evaluator.seed, initialReplications: evaluator.initialReplications,
            maximumReplications: evaluator.maximumReplications,
            estimates: pipeline.functions.compactMap { planned.contains($0.name) ? estimates[$0.name] : nil },
            explanation: best == nil
                ? PlanExplanation.explain(search.failure, evaluator: evaluator, estimates: estimates, stoppedEarly: stoppedEarly)
                : nil,
            stoppedEarly: stoppedEarly, pipeline: pipeline)
        result.selfChecks = stoppedEarly ? [] : selfChecks
        return result
    }

    /// The scenario's plan and SLO, or the bad-input error of a scenario without them (so a
    /// command can refuse it before it writes anything).
    public static func planInputs(_ scenario: Scenario) throws(PlanError) -> (PlanSpec, ServiceLevelObjective) {
        guard let plan = scenario.plan, !plan.vary.isEmpty else { throw .noPlan(source: scenario.source) }
        guard let slo = scenario.slo, !(slo.overall.isEmpty && slo.groups.values.allSatisfy(\.isEmpty)) else {
            throw .noObjective(source: scenario.source)
        }
        return (plan, slo)
    }

    /// Where the search starts: each function's concurrency limits at the Erlang C estimate,
    /// the account quota at their sum plus the unreserved minimum, provisioned concurrency and
    /// every other setting at its first value.
    static func firstGuess(_ knobs: [PlanKnob], estimates: [String: CapacityEstimate], pipeline: PipelineSpec) -> [Int] {
        knobs.map { knob in
            guard knob.role == .concurrency else { return 0 }
            if knob.variable.path == "account.concurrency" {
                let total = estimates.values.reduce(0) { $0 + ($1.concurrency ?? 0) }
                return knob.index(atLeast: total + pipeline.account.unreservedMinimum)
            }
            guard !knob.variable.path.hasSuffix(".provisioned_concurrency"), let function = knob.function,
                  let needed = estimates[function]?.concurrency else { return 0 }
            return knob.index(atLeast: needed)
        }
    }
}
