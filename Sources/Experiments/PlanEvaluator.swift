import Scenario
import ServerlessModel
import SimCore

/// Why a search stopped before it finished.
enum PlanSearchStop: Error {
    /// A run failed.
    case failed(ExperimentError)
    /// The most configurations the settings allow have been simulated.
    case budget
}

/// The reserved concurrency a configuration asks of the account, against what it allows.
struct AccountDemand: Sendable, Equatable {
    /// Reserved concurrency by function, in pipeline order (functions without any left out).
    var parts: [(function: String, reserved: Int)]
    /// `account.concurrency`.
    var concurrency: Int
    /// `account.unreserved_minimum`.
    var unreservedMinimum: Int

    /// All reserved concurrency together.
    var total: Int { parts.reduce(0) { PlanText.saturatingSum($0, $1.reserved) } }
    /// What the account lets functions reserve.
    var available: Int { concurrency - unreservedMinimum }
    /// Whether the reservations fit.
    var fits: Bool { total <= available }

    static func == (lhs: AccountDemand, rhs: AccountDemand) -> Bool {
        lhs.parts.map(\.function) == rhs.parts.map(\.function) && lhs.parts.map(\.reserved) == rhs.parts.map(\.reserved)
            && lhs.concurrency == rhs.concurrency && lhs.unreservedMinimum == rhs.unreservedMinimum
    }

    /// `reserved concurrency adds up to 1,020 (worker-A 500, worker-B 520), above the 900 the
    /// account can reserve (account.concurrency 1,000 minus unreserved_minimum 100)`.
    var explanation: String {
        let list = parts.map { "\($0.function) \(PlanText.grouped($0.reserved))" }.joined(separator: ", ")
        return "reserved concurrency adds up to \(PlanText.grouped(total)) (\(list)), above the \(PlanText.grouped(max(0, available))) "
            + "the account can reserve (account.concurrency \(PlanText.grouped(concurrency)) minus unreserved_minimum "
            + "\(PlanText.grouped(unreservedMinimum)))"
    }
}

/// Evaluates configurations of a plan, each at most once: checks the account, loads the
/// variant, simulates its replications (more while an interval straddles a target), judges
/// the SLO, and remembers the verdict.
///
/// Every configuration runs with the same seed, so replication r of each sees the same
/// arrivals and work (common random numbers): the differences between configurations are
/// the settings' doing, which keeps the search's comparisons consistent with few runs.
final class PlanEvaluator {
    /// The scenario as read; each configuration is this file with the plan's values put in.
    let scenario: Scenario
    /// The plan's variables, in order.
    let variables: [PlanVariable]
    /// The same, classified.
    let knobs: [PlanKnob]
    /// What every configuration is judged on.
    let constraints: [PlanConstraint]
    /// Runs at once.
    let jobs: Int
    /// Each run's memory budget (`--max-memory`, ``MemoryBudget``): a configuration whose
    /// backlog grows past it fails, with the run's message as its reason, and the search
    /// goes on.
    let maxMemory: Int
    /// The seed of every configuration (common random numbers).
    let seed: UInt64
    /// Replications a configuration starts with (at least 2: one gives no interval).
    let initialReplications: Int
    /// Replications a configuration may reach while an interval straddles its target.
    let maximumReplications: Int
    /// Configurations that may be simulated.
    let maximumEvaluations: Int
    /// Called after every evaluation.
    let progress: (@Sendable (PlanProgress) -> Void)?

    /// Every evaluation in the order made.
    private(set) var evaluations: [PlanEvaluation] = []
    /// Where each configuration's evaluation is in `evaluations`.
    private var memo: [PlanConfiguration: Int] = [:]
    /// Simulation runs made (pilot runs of an automatic warm-up included).
    private(set) var simulations = 0
    /// Configurations simulated.
    private(set) var simulated = 0
    /// Requests answered from memory instead of simulated again.
    private(set) var memoHits = 0

    /// An evaluator of a scenario's plan; `options` give the jobs, seed and initial replications.
    init(scenario: Scenario, plan: PlanSpec, knobs: [PlanKnob], constraints: [PlanConstraint], options: ExperimentOptions,
         settings: PlanSettings) {
        self.scenario = scenario
        variables = plan.vary
        self.knobs = knobs
        self.constraints = constraints
        jobs = options.jobs
        maxMemory = options.maxMemory
        seed = options.seed ?? scenario.pipeline.run.seed
        // Two replications at least: one gives no interval, and so no confidence.
        initialReplications = max(2, options.replications ?? scenario.pipeline.run.replications)
        maximumReplications = max(initialReplications, settings.maximumReplications ?? max(8, 4 * initialReplications))
        maximumEvaluations = max(1, settings.maximumEvaluations)
        progress = settings.progress
    }

    /// The configuration of some knob indices.
    func configuration(_ indices: [Int]) -> PlanConfiguration {
        PlanConfiguration(values: knobs.map { $0.value(at: indices[$0.position]) })
    }

    /// The evaluation of a configuration: remembered, or made now.
    func evaluate(_ indices: [Int]) throws(PlanSearchStop) -> PlanEvaluation {
        let configuration = configuration(indices)
        if let known = memo[configuration] {
            memoHits += 1
            return evaluations[known]
        }
        let evaluation = try evaluateAnew(configuration, indices: indices)
        memo[configuration] = evaluations.count
        evaluations.append(evaluation)
        progress?(PlanProgress(evaluations: evaluations.count, simulations: simulations,
                               last: label(configuration), verdict: evaluation.verdict))
        return evaluation
    }

    /// The evaluation of a configuration if it was made, without making it.
    func known(_ indices: [Int]) -> PlanEvaluation? {
        memo[configuration(indices)].map { evaluations[$0] }
    }

    /// Rejects a configuration that breaks a limit, or simulates it.
    private func evaluateAnew(_ configuration: PlanConfiguration, indices: [Int]) throws(PlanSearchStop) -> PlanEvaluation {
        let demand = accountDemand(indices)
        guard demand.fits else {
            // Rejected without simulating: AWS would refuse to reserve this much.
            return infeasible(configuration, reason: demand.explanation,
                              brief: "reserves \(PlanText.grouped(demand.total)), account allows \(PlanText.grouped(max(0, demand.available)))",
                              indices: indices)
        }
        let variant: Scenario
        do throws(ScenarioErrors) {
            // Read again with every check, so a conflict the plan's values create (provisioned
            // above reserved concurrency, a batch over 10 without a window) is caught here.
            variant = try scenario.applying(configuration.assignments(variables))
        } catch {
            let first = error.errors.first
            let reason = first.map { ($0.path.isEmpty ? "" : "\($0.path): ") + $0.message } ?? "the configuration does not load"
            return infeasible(configuration, reason: reason, brief: first?.message ?? reason, indices: indices)
        }
        guard simulated < maximumEvaluations else { throw .budget }
        return try simulate(configuration, pipeline: variant.pipeline, indices: indices)
    }

    /// `path=value, path=value`.
    func label(_ configuration: PlanConfiguration) -> String {
        configuration.assignments(variables).map(\.description).joined(separator: ", ")
    }

    /// The reserved concurrency of a configuration: varied values where the plan varies them,
    /// the scenario's elsewhere.
    func accountDemand(_ indices: [Int]) -> AccountDemand {
        let pipeline = scenario.pipeline
        var concurrency = pipeline.account.concurrency
        var unreserved = pipeline.account.unreservedMinimum
        var reserved: [String: Int] = [:]
        for knob in knobs {
            let text = knob.value(at: indices[knob.position])
            let number = knob.number(at: indices[knob.position]) ?? Int(text)
            if knob.variable.paths.contains("account.concurrency"), let number { concurrency = number }
            if knob.variable.paths.contains("account.unreserved_minimum"), let number { unreserved = number }
            if let number { for function in knob.reserving { reserved[function] = number } }
        }
        let parts = pipeline.functions.compactMap { function -> (function: String, reserved: Int)? in
            guard let value = reserved[function.name] ?? function.reservedConcurrency else { return nil }
            return (function.name, value)
        }
        return AccountDemand(parts: parts, concurrency: concurrency, unreservedMinimum: unreserved)
    }

    /// The sum of a configuration's concurrency settings: the varied limits, or without any,
    /// the pipeline's reserved concurrency; nil when there is neither.
    func concurrency(_ indices: [Int], pipeline: PipelineSpec?) -> Int? {
        let limits = knobs.filter { $0.role == .concurrency && $0.variable.path != "account.concurrency" }
        if !limits.isEmpty { return limits.reduce(0) { PlanText.saturatingSum($0, $1.number(at: indices[$1.position]) ?? 0) } }
        let reserved = (pipeline ?? scenario.pipeline).functions.compactMap(\.reservedConcurrency)
        return reserved.isEmpty ? nil : reserved.reduce(0, PlanText.saturatingSum)
    }

    private func infeasible(_ configuration: PlanConfiguration, reason: String, brief: String, indices: [Int]) -> PlanEvaluation {
        PlanEvaluation(index: evaluations.count, configuration: configuration, verdict: .infeasible, reason: reason, brief: brief,
                       replications: 0,
                       checks: [], cost: nil, concurrencyPeak: nil, concurrency: concurrency(indices, pipeline: nil),
                       pipeline: nil)
    }

    /// Runs replications until every constraint is decided or the cap is reached, doubling
    /// the count each time an interval straddles its target.
    private func simulate(_ configuration: PlanConfiguration, pipeline original: PipelineSpec,
                          indices: [Int]) throws(PlanSearchStop) -> PlanEvaluation {
        simulated += 1
        var pipeline = original
        pipeline.run.seed = seed
        if pipeline.run.warmup == .auto {
            let point = ExperimentPoint(index: evaluations.count, pipeline: pipeline)
            var options = ExperimentOptions(jobs: jobs)
            options.maxMemory = maxMemory
            do throws(ExperimentError) {
                let choice = try Replications.chooseWarmups([pipeline], points: [point], options: options, shared: false)
                simulations += 1
                if let warmup = choice.first??.warmup { pipeline.run.warmup = .fixed(warmup) }
            } catch {
                if case .runFailed(_, _, let world) = error, case .backlogBeyondBudget = world {
                    simulations += 1
                    return overBudget(configuration, error: world, run: "the warm-up's pilot run", replications: 1, indices: indices,
                                      pipeline: pipeline)
                }
                throw .failed(error)
            }
        }
        var runs: [RunResult] = []
        var target = initialReplications
        var checks: [ConstraintCheck] = []
        while true {
            switch try replications(pipeline, from: runs.count, to: target) {
            case .finished(let more):
                runs += more
            case .overBudget(let replication, let error):
                return overBudget(configuration, error: error, run: "replication \(replication)", replications: replication + 1,
                                  indices: indices, pipeline: pipeline)
            }
            checks = constraints.map { ConstraintCheck.judge($0, runs: runs) }
            let open = checks.contains { $0.outcome == .undecided } && !checks.contains { $0.outcome == .violated }
            guard open, target < maximumReplications else { break }
            target = min(maximumReplications, target * 2)
        }
        let verdict: PlanVerdict
        var reason = ""
        var brief = ""
        if let violated = checks.first(where: { $0.outcome == .violated }) {
            verdict = .fail
            let more = checks.filter { $0.outcome == .violated }.count - 1
            reason = violated.summary + (more > 0 ? " (and \(more) more)" : "")
            brief = violated.brief + (more > 0 ? " (+\(more))" : "")
        } else if let open = checks.first(where: { $0.outcome == .undecided }) {
            verdict = .undecided
            reason = "undecided after \(runs.count) replications: " + open.summary
            brief = open.brief
        } else {
            verdict = .pass
        }
        let cost = PlanEstimate(runs.compactMap { $0.overall[.costUSD] }, range: .nonNegative)
        let peak = PlanEstimate(runs.compactMap { $0.overall[.concurrencyPeak] }, range: .nonNegative)
        var evaluation = PlanEvaluation(index: evaluations.count, configuration: configuration, verdict: verdict, reason: reason,
                                        brief: brief, replications: runs.count, checks: checks, cost: cost, concurrencyPeak: peak,
                                        concurrency: concurrency(indices, pipeline: pipeline), pipeline: pipeline)
        evaluation.costPerMonth = PlanEstimate(runs.compactMap { $0.overall[.costPerMonth] }, range: .nonNegative)
        return evaluation
    }

    /// What a batch of replications gave.
    private enum Replicated {
        case finished([RunResult])
        /// Replication `replication` (the lowest that did, whatever the jobs) stopped with its
        /// backlog past the memory budget.
        case overBudget(replication: Int, WorldError)
    }

    /// Replications `from..<to` of a pipeline, in parallel, in replication order.
    private func replications(_ pipeline: PipelineSpec, from: Int, to: Int) throws(PlanSearchStop) -> Replicated {
        guard to > from else { return .finished([]) }
        let tasks = Array(from..<to)
        let point = evaluations.count
        do throws(ExperimentError) {
            let budget = maxMemory
            let results = try ParallelRunner.map(tasks, jobs: jobs) { (replication: Int) throws(ExperimentError) -> RunResult in
                do throws(WorldError) {
                    return try World.simulate(pipeline, replication: replication, memoryBudget: budget)
                } catch {
                    throw .runFailed(point: point, replication: replication, error)
                }
            }
            simulations += results.count
            return .finished(results)
        } catch {
            if case .runFailed(_, let replication, let world) = error, case .backlogBeyondBudget = world {
                simulations += replication + 1 - from
                return .overBudget(replication: replication, world)
            }
            throw .failed(error)
        }
    }

    /// A configuration whose backlog grew past the memory budget: it does not keep up with
    /// its arrivals, so it fails every constraint (without an estimate) and the search goes
    /// on, raising its limits, rather than stopping the plan.
    private func overBudget(_ configuration: PlanConfiguration, error: WorldError, run: String, replications: Int,
                            indices: [Int], pipeline: PipelineSpec) -> PlanEvaluation {
        var brief = "backlog past the memory budget"
        if case .backlogBeyondBudget(let queue, let time, _, _) = error { brief += " (\(queue), \(MemoryBudget.clock(time)))" }
        return PlanEvaluation(index: evaluations.count, configuration: configuration, verdict: .fail,
                              reason: "\(run): \(error)", brief: brief, replications: replications,
                              checks: constraints.map { ConstraintCheck(constraint: $0, estimate: nil, outcome: .violated) },
                              cost: nil, concurrencyPeak: nil, concurrency: concurrency(indices, pipeline: pipeline), pipeline: pipeline)
    }
}
