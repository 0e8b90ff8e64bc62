@testable import Experiments
import Scenario
import ServerlessModel
import SimCore
import Testing

/// The capacity planner end to end on scenarios whose answers are known or checkable.
@Suite struct PlannerTests {
    /// An M/M/c latency target with margins of 12% or more on both sides of the answer, so
    /// that a few 15-minute replications decide every configuration.
    struct MMcCase: Sendable, CustomTestStringConvertible {
        var rate: Double
        var key: String
        var percentile: Double
        var target: Double
        var testDescription: String { "λ=\(rate) \(key)<=\(target)s" }
    }

    @Test(arguments: [
        MMcCase(rate: 4, key: "latency_p50", percentile: 0.5, target: 1.0),
        MMcCase(rate: 3, key: "latency_p90", percentile: 0.9, target: 2.9),
    ])
    func findsTheTrueMinimumOfAnMMcQueue(_ mmc: MMcCase) throws {
        let truth = MMc.minimumServers(rate: mmc.rate, percentile: mmc.percentile, target: mmc.target)
        // The case is decidable: one server fewer misses by 12%, the answer meets with 12% to spare.
        #expect(MMc.sojournQuantile(mmc.percentile, rate: mmc.rate, servers: truth - 1) > mmc.target * 1.12)
        #expect(MMc.sojournQuantile(mmc.percentile, rate: mmc.rate, servers: truth) < mmc.target * 0.88)
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: mmc.rate, slo: "\(mmc.key): \(mmc.target)s"))
        // From the Erlang C guess, and from the bottom of the range (galloping up, bisecting down).
        for guess in [true, false] {
            let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2), settings: PlanSettings(analyticGuess: guess))
            #expect(result.meetsSLO)
            #expect(result.recommendedSettings == [ParameterValue(name: "functions.server.trigger.maximum_concurrency", value: "\(truth)")],
                    "guess \(guess): \(result.evaluations.map { "\($0.configuration) \($0.verdict.rawValue)" })")
            // The answer is bracketed by a simulated failure one below it.
            let below = result.evaluations.first { $0.configuration.values == ["\(truth - 1)"] }
            #expect(below?.verdict.passes == false)
            #expect(result.simulations == result.evaluations.reduce(0) { $0 + $1.replications })
        }
    }

    @Test func theAnalyticGuessOfAnMMcQueueIsTheAnswerItself() throws {
        // Exponential service: the approximation is exact, so the search starts on the answer
        // and only has to show that one less fails; its self-check adds the neighbour above.
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 4, slo: "latency_p50: 1s"))
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        #expect(result.estimates.first?.concurrency == MMc.minimumServers(rate: 4, percentile: 0.5, target: 1))
        #expect(result.evaluations.filter(\.simulated).count == 3)
        #expect(result.selfChecks.map(\.monotone) == [true])
    }

    @Test(arguments: ["mmc", "per-group"])
    func theRecommendationMeetsTheSLOOnFreshReplications(_ name: String) throws {
        let yaml = name == "mmc" ? PlanScenarios.mmc(rate: 3, slo: "latency_p90: 2.9s") : PlanScenarios.perGroup()
        let scenario = try PlanScenarios.load(yaml)
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        let recommended = try #require(result.recommendation, "\(result.explanation ?? "")")
        #expect(recommended.verdict == .pass)
        // Other seeds than the plan's: the recommendation must not fail on them.
        let variant = try scenario.applying(result.recommendedAssignments)
        let fresh = try Experiment.run(variant.pipeline, options: ExperimentOptions(jobs: 2, replications: 6, seed: 90_210))
        let runs = try #require(fresh.points.first?.runs)
        for constraint in result.constraints {
            let values = runs.compactMap { constraint.value(in: $0) }
            #expect(values.count == runs.count)
            let mean = values.reduce(0, +) / Double(max(1, values.count))
            #expect(mean <= constraint.target, "\(scenario.name): \(constraint) fails on fresh seeds: \(values)")
        }
    }

    @Test func anSLOBeyondTheAccountIsReportedInfeasibleWithTheNumbers() throws {
        // Seven reservable (19 minus 12 unreserved); the SLO needs about eight (2, 4, 2 meets it).
        let scenario = try PlanScenarios.load(PlanScenarios.perGroup(account: "account: {concurrency: 19, unreserved_minimum: 12}"))
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        #expect(!result.meetsSLO)
        #expect(result.recommendation == nil)
        let explanation = try #require(result.explanation)
        #expect(explanation.contains("the account allows 19 with 12 unreserved, so at most 7 can be reserved"), "\(explanation)")
        #expect(explanation.contains("raise the quota (account.concurrency) or relax latency_p99"), "\(explanation)")
        #expect(explanation.contains("needs about "))
        // The configuration over the account was rejected, never simulated.
        let rejected = result.evaluations.filter { $0.verdict == .infeasible }
        #expect(!rejected.isEmpty)
        #expect(rejected.allSatisfy { $0.replications == 0 && $0.reason.contains("above the 7 the account can reserve") })
        for evaluation in result.evaluations where evaluation.simulated {
            #expect(evaluation.configuration.values.compactMap { Int($0) }.reduce(0, +) <= 7)
        }
    }

    @Test func aTargetNoConcurrencyMeetsIsReportedAsSuch() throws {
        // Exponential work of mean 1 s has a p99 of 4.6 s: no queue is short enough for 3 s.
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 2, slo: "latency_p99: 3s", range: 2...8, duration: "5m"))
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        #expect(!result.meetsSLO)
        let explanation = try #require(result.explanation)
        #expect(explanation.contains("even with functions.server.trigger.maximum_concurrency = 8"), "\(explanation)")
        #expect(explanation.contains("no concurrency meets latency_p99 3s"), "\(explanation)")
        #expect(result.estimates.first?.unreachable != nil)
    }

    @Test func aRangeThatStopsShortIsReportedWithTheEstimate() throws {
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 4, slo: "latency_p50: 1s", range: 2...5, duration: "10m"))
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        #expect(!result.meetsSLO)
        let explanation = try #require(result.explanation)
        #expect(explanation.contains("needs about 6 concurrent executions"), "\(explanation)")
        #expect(explanation.contains("widen the range or relax latency_p50"), "\(explanation)")
    }

    @Test func aPlanWithoutAConcurrencyLimitThatHelpsSaysSo() throws {
        // Three servers for an offered load of 4: no memory size makes that keep up.
        let yaml = PlanScenarios.mmc(rate: 4, slo: "latency_p50: 1s", duration: "5m")
            .replacingOccurrences(of: "functions.server.trigger.maximum_concurrency: {min: 2, max: 30}",
                                  with: "functions.server.memory: [128MB, 256MB]")
            .replacingOccurrences(of: "maximum_concurrency: 10}", with: "maximum_concurrency: 3}")
        let result = try Experiment.plan(try PlanScenarios.load(yaml), options: ExperimentOptions(jobs: 2))
        #expect(!result.meetsSLO)
        #expect(result.evaluations.count == 2)
        let explanation = try #require(result.explanation)
        #expect(explanation.hasPrefix("no concurrency limit the plan varies affects group A and all, and no value of the other settings helped"),
                "\(explanation)")
    }

    @Test func noConfigurationIsEvaluatedTwice() throws {
        // Memory is searched value by value around the concurrency search: the second round
        // asks for configurations the first evaluated, which must come from memory.
        let yaml = PlanScenarios.mmc(rate: 3, slo: "latency_p90: 2.9s", duration: "10m", minimize: "cost")
            .replacingOccurrences(of: "{min: 2, max: 30}", with: "{min: 2, max: 30}\n    functions.server.memory: [256MB, 128MB]")
        let scenario = try PlanScenarios.load(yaml)
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        let configurations = result.evaluations.map(\.configuration)
        #expect(Set(configurations).count == configurations.count)
        #expect(result.memoHits > 0)
        #expect(result.simulations == result.evaluations.reduce(0) { $0 + $1.replications })
        // 128 MB costs less for the same work, and concurrency 5 is still the least that passes.
        #expect(result.recommendedSettings.map(\.value) == ["5", "128MB"])
    }

    @Test func theEvaluatorRejectsOverTheAccountWithoutSimulatingAndRemembers() throws {
        let scenario = try PlanScenarios.load(PlanScenarios.perGroup(account: "account: {concurrency: 20, unreserved_minimum: 12}"))
        let plan = try #require(scenario.plan)
        let knobs = PlanKnob.knobs(plan, pipeline: scenario.pipeline)
        let evaluator = PlanEvaluator(scenario: scenario, plan: plan, knobs: knobs, constraints: [],
                                      options: ExperimentOptions(jobs: 1), settings: PlanSettings())
        let over = try evaluator.evaluate([4, 4, 4])  // 5 + 5 + 5 reserved > 8
        #expect(over.verdict == .infeasible)
        #expect(over.reason.hasPrefix("reserved concurrency adds up to 15 (worker-A 5, worker-B 5, worker-C 5), above the 8"))
        #expect(evaluator.simulations == 0)
        let fits = try evaluator.evaluate([0, 1, 2])
        #expect(fits.verdict == .pass)  // No constraints: nothing to miss.
        #expect(evaluator.simulations == 3)
        _ = try evaluator.evaluate([0, 1, 2])
        #expect(evaluator.simulations == 3)
        #expect(evaluator.memoHits == 1)
        #expect(evaluator.evaluations.count == 2)
    }

    /// Ten messages a second of exactly 1 s of work each: a maximum concurrency below 10 lets
    /// the backlog grow by 10 - c messages a second, past a budget of 1,024 messages (128 KiB)
    /// within the 30 minutes.
    static let overflowing = """
        name: overflow
        run: {duration: 30m, warmup: 0s, seed: 3, replications: 2, timeseries_interval: off}
        groups:
          A: {queue: q, arrivals: {constant: {rate: 10/s}}}
        queues:
          q: {visibility_timeout: 1m, retention: 14d}
        functions:
          f: {timeout: 10s, duration: 1s, cold_start: 0s, idle_timeout: 24h, trigger: {queue: q, batch_size: 1, maximum_concurrency: 20}}
        slo:
          latency_p99: 30s
        plan:
          minimize: concurrency
          vary:
            functions.f.trigger.maximum_concurrency: {min: 2, max: 40}
        """

    @Test func aConfigurationWhoseBacklogPassesTheBudgetFailsAndThePlanGoesOn() throws {
        // Before, the first such configuration stopped the whole plan with "arrivals exceed
        // capacity".
        let scenario = try PlanScenarios.load(Self.overflowing)
        var options = ExperimentOptions(jobs: 2)
        options.maxMemory = 128 << 10
        let result = try Experiment.plan(scenario, options: options)
        #expect(result.recommendedSettings.map(\.value) == ["10"])
        let over = result.evaluations.filter { $0.reason.contains("arrivals exceed capacity") }
        #expect(!over.isEmpty, "\(result.evaluations.map { ($0.configuration.values, $0.verdict, $0.reason) })")
        for evaluation in over {
            #expect(evaluation.verdict == .fail)
            #expect((Int(evaluation.configuration.values[0]) ?? 99) < 10)
            #expect(evaluation.reason.hasPrefix("replication 0: arrivals exceed capacity: at "), "\(evaluation.reason)")
            #expect(evaluation.reason.contains("most of them in queue q"))
            #expect(evaluation.brief.hasPrefix("backlog past the memory budget (q, "), "\(evaluation.brief)")
            #expect(evaluation.checks.allSatisfy { $0.outcome == .violated && $0.estimate == nil })
        }
    }

    @Test func theEvaluatorFailsAnOverflowingConfigurationWithTheRunsMessage() throws {
        let scenario = try PlanScenarios.load(Self.overflowing)
        let plan = try #require(scenario.plan)
        let knobs = PlanKnob.knobs(plan, pipeline: scenario.pipeline)
        var options = ExperimentOptions(jobs: 1)
        options.maxMemory = 128 << 10
        let evaluator = PlanEvaluator(scenario: scenario, plan: plan, knobs: knobs,
                                      constraints: PlanConstraint.constraints(try #require(scenario.slo), pipeline: scenario.pipeline),
                                      options: options, settings: PlanSettings())
        // Concurrency 2: 8 messages a second pile up, past 1,024 after about 128 s.
        let two = try evaluator.evaluate([0])
        #expect(two.verdict == .fail)
        #expect(two.replications == 1)
        #expect(two.reason.hasPrefix("replication 0: arrivals exceed capacity: at 2m"), "\(two.reason)")
        #expect(two.brief.hasPrefix("backlog past the memory budget (q, 2m"), "\(two.brief)")
        #expect(evaluator.simulations == 1)
        let ten = try evaluator.evaluate([8])
        #expect(ten.verdict == .pass, "\(ten.reason)")
    }
}
