@testable import Experiments
import Scenario
import ServerlessModel
import SimCore
import Testing

/// The planner's check of its own answer (issue 19 item 4): on a response that is not
/// monotone in concurrency it must find the true minimum and say what it checked; on one that
/// is, it must say so and change nothing.
@Suite struct PlanSelfCheckTests {
    /// Every value of the range judged by the planner's own rule, one at a time, without any
    /// search: the truth the search is held to.
    private func verdicts(_ scenario: Scenario, range: ClosedRange<Int>) throws -> [Int: (pass: Bool, p99: Double)] {
        let (_, slo) = try Experiment.planInputs(scenario)
        let constraints = PlanConstraint.constraints(slo, pipeline: scenario.pipeline)
        var result: [Int: (pass: Bool, p99: Double)] = [:]
        for reserved in range {
            let variant = try scenario.applying([ParameterAssignment(path: "functions.f.reserved_concurrency", value: "\(reserved)")])
            let runs = try #require(try Experiment.run(variant.pipeline, options: ExperimentOptions(jobs: 2)).points.first?.runs)
            let checks = constraints.map { ConstraintCheck.judge($0, runs: runs) }
            let p99 = runs.compactMap { $0.scope("A", kind: .group)?[.latencyP99] }
            result[reserved] = (checks.allSatisfy { $0.outcome == .met }, p99.reduce(0, +) / Double(max(1, p99.count)))
        }
        return result
    }

    @Test func aResponseThatIsNotMonotoneIsSearchedWhereItMustAndTheTrueMinimumFound() throws {
        let range = 2...16
        let scenario = try PlanScenarios.load(PlanScenarios.nonMonotone(range: range))
        let truth = try verdicts(scenario, range: range)
        // Built to be non-monotone: 4 passes, 5 fails, 6 passes (p99 35 s, 45 s, 32 s against 40 s).
        #expect(truth[3]?.pass == false && truth[4]?.pass == true && truth[5]?.pass == false && truth[6]?.pass == true,
                "\(range.map { "\($0): \(truth[$0]?.p99 ?? -1)" })")
        #expect(abs((truth[4]?.p99 ?? 0) - 35) < 0.5 && abs((truth[5]?.p99 ?? 0) - 45) < 0.5 && abs((truth[6]?.p99 ?? 0) - 32) < 0.5)
        let least = try #require(range.first { truth[$0]?.pass == true })
        #expect(least == 4)

        // From the bottom of the range the gallop steps 2, 3, 5, 9 and the bisection of 5-9
        // returns 6: the self-check's probe of the gap 3-5 finds 4 passing below 5 failing.
        for guess in [false, true] {
            let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2), settings: PlanSettings(analyticGuess: guess))
            #expect(result.recommendedSettings == [ParameterValue(name: "functions.f.reserved_concurrency", value: "\(least)")],
                    "guess \(guess): \(result.evaluations.map { "\($0.configuration) \($0.verdict.rawValue)" })")
            let check = try #require(result.selfChecks.first)
            #expect(result.selfChecks.count == 1)
            #expect(!check.monotone)
            #expect(check.after == "4")
            #expect(check.text.hasPrefix("group A latency_p99 is not monotone in functions.f.reserved_concurrency between 3 and "),
                    "\(check.text)")
            #expect(check.text.hasSuffix("checked every value from 3 up to 4, the least that passes"), "\(check.text)")
            if !guess { #expect(check.before == "6") }
            // Every value it reports checked was simulated.
            let simulated = Set(result.evaluations.filter(\.simulated).map { $0.configuration.values[0] })
            #expect(Set(check.values).isSubset(of: simulated))
            #expect(simulated.isSuperset(of: ["3", "4", "5"]))
        }
    }

    @Test func aMonotoneResponseIsConfirmedAndTheAnswerKept() throws {
        // The M/M/c: the answer's neighbours are one below (fails) and one above (passes).
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 4, slo: "latency_p50: 1s"))
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        let truth = MMc.minimumServers(rate: 4, percentile: 0.5, target: 1)
        #expect(result.recommendedSettings.map(\.value) == ["\(truth)"])
        let check = try #require(result.selfChecks.first)
        #expect(check.monotone)
        #expect(check.values == ["\(truth - 1)", "\(truth)", "\(truth + 1)"])
        #expect(check.text == "functions.server.trigger.maximum_concurrency: monotone at the 3 values checked (\(truth - 1) to \(truth + 1)) with the other settings at the answer's")
    }

    @Test func aRiseIsAPassBelowAFailureOrAnIntervalWhollyAbove() {
        func evaluation(_ value: Int, _ verdict: PlanVerdict, p99: (Double, Double, Double)) -> (index: Int, evaluation: PlanEvaluation) {
            let constraint = PlanConstraint(scope: "A", kind: .group, key: "latency_p99", measure: .metric(.latencyP99), target: 10)
            let estimate = PlanEstimate(n: 3, mean: p99.1, ci95Low: p99.0, ci95High: p99.2)
            let outcome: ConstraintCheck.Outcome = p99.2 <= 10 ? .met : p99.0 > 10 ? .violated : .undecided
            return (value, PlanEvaluation(index: value, configuration: PlanConfiguration(values: ["\(value)"]), verdict: verdict,
                                          reason: "", brief: "", replications: 3,
                                          checks: [ConstraintCheck(constraint: constraint, estimate: estimate, outcome: outcome)],
                                          cost: nil, concurrencyPeak: nil, concurrency: value, pipeline: nil))
        }
        // Falling, overlapping intervals: monotone.
        #expect(PlanSearch.rise([evaluation(1, .fail, p99: (20, 30, 40)), evaluation(2, .fail, p99: (15, 25, 35)),
                                 evaluation(3, .pass, p99: (5, 7, 9))]) == nil)
        // A rise within the noise (intervals overlap) is no rise.
        #expect(PlanSearch.rise([evaluation(1, .fail, p99: (20, 25, 30)), evaluation(2, .fail, p99: (22, 27, 32)),
                                 evaluation(3, .pass, p99: (5, 7, 9))]) == nil)
        // An interval wholly above a lower value's.
        #expect(PlanSearch.rise([evaluation(1, .fail, p99: (20, 21, 22)), evaluation(2, .fail, p99: (30, 31, 32)),
                                 evaluation(3, .pass, p99: (5, 7, 9))])?.low == 1)
        // A pass below a confident failure.
        let rise = PlanSearch.rise([evaluation(1, .pass, p99: (5, 7, 9)), evaluation(2, .fail, p99: (10.5, 11, 12)),
                                    evaluation(3, .pass, p99: (5, 6, 7))])
        #expect(rise?.low == 1 && rise?.high == 2 && rise?.constraint == "group A latency_p99")
    }
}

/// Tied `vary:` entries, the queue-wait and message-age SLO keys, and the plan's intervals.
@Suite struct PlanInputsTests {
    @Test func aTiedEntryTakesItsLeadersValueInEveryConfiguration() throws {
        let yaml = PlanScenarios.mmc(rate: 4, slo: "latency_p50: 1s")
            .replacingOccurrences(of: "    functions.server.trigger.maximum_concurrency: {min: 2, max: 30}",
                                  with: "    functions.server.trigger.maximum_concurrency: {min: 2, max: 30}\n"
                                      + "    functions.server.reserved_concurrency: {same_as: functions.server.trigger.maximum_concurrency}")
        let scenario = try PlanScenarios.load(yaml)
        let plan = try #require(scenario.plan)
        #expect(plan.vary == [PlanVariable(path: "functions.server.trigger.maximum_concurrency", domain: .integerRange(min: 2, max: 30),
                                           tied: ["functions.server.reserved_concurrency"])])
        let knob = try #require(PlanKnob.knobs(plan, pipeline: scenario.pipeline).first)
        // Tied to a reserved concurrency, the knob reserves from the account.
        #expect(knob.role == .concurrency && knob.reserves && knob.reserving == ["server"])
        let result = try Experiment.plan(scenario, options: ExperimentOptions(jobs: 2))
        let truth = MMc.minimumServers(rate: 4, percentile: 0.5, target: 1)
        #expect(result.recommendedSettings.map(\.name) == ["functions.server.trigger.maximum_concurrency", "functions.server.reserved_concurrency"])
        #expect(result.recommendedSettings.map(\.value) == ["\(truth)", "\(truth)"])
        for evaluation in result.evaluations where evaluation.simulated {
            let function = try #require(evaluation.pipeline?.functions.first)
            #expect(function.reservedConcurrency == function.trigger?.maximumConcurrency)
        }
    }

    @Test func queueWaitAndOldestAgeTargetsApplyPerGroupAndOverall() throws {
        let slo = ServiceLevelObjective(overall: ServiceLevelTargets(queueWaitP99: .s(5)),
                                        groups: ["B": ServiceLevelTargets(oldestAgeMax: .minutes(2))])
        let pipeline = PipelineSpec(name: "p", run: RunSettings(duration: .minutes(5)),
                                    groups: [TaskGroupSpec(name: "A", queue: "q", arrivals: .poisson(rate: Rate(perSecond: 1))),
                                             TaskGroupSpec(name: "B", queue: "q", arrivals: .poisson(rate: Rate(perSecond: 1)))],
                                    queues: [QueueSpec(name: "q")], functions: [])
        let constraints = PlanConstraint.constraints(slo, pipeline: pipeline)
        #expect(constraints.map(\.description) == [
            "group A queue_wait_p99 <= 5s", "group B queue_wait_p99 <= 5s", "group B oldest_age_max <= 120s", "all queue_wait_p99 <= 5s",
        ])
        #expect(constraints.map(\.column) == ["queue_wait_p99_s", "queue_wait_p99_s", "oldest_age_max_s", "queue_wait_p99_s"])
        // Read from the file as the other keys are.
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 2, slo: "queue_wait_p99: 5s\n  oldest_age_max: 2m"))
        #expect(scenario.slo?.overall == ServiceLevelTargets(queueWaitP99: .s(5), oldestAgeMax: .minutes(2)))
    }

    @Test func planIntervalsStayInTheirRangeAndFlagDisagreement() {
        // Two replications far apart near 0: the t interval of 1.5 ± 19 reaches below 0.
        let count = PlanConstraint(scope: "A", kind: .group, key: "dead_lettered", measure: .metric(.deadLettered), target: 1)
        #expect(count.range == .nonNegative)
        let share = PlanConstraint(scope: "A", kind: .group, key: "unfinished", measure: .unfinishedShare, target: 0.01)
        #expect(share.range == .unitInterval)
        let estimate = PlanEstimate([0, 3], range: .nonNegative)
        #expect((estimate?.ci95Low ?? -1) >= 0)
        #expect(estimate?.isSymmetric == false)
        #expect(estimate?.replicationsDisagree == true)
        #expect(estimate?.spread == 0...3)
        let rate = PlanEstimate([0.001, 0.2, 0.002], range: .unitInterval)
        #expect((rate?.ci95Low ?? -1) >= 0 && (rate?.ci95High ?? 2) <= 1)
        // Inside the range it is the t interval, unchanged.
        let latency = PlanEstimate([10, 11, 12], range: .nonNegative)
        #expect(latency?.isSymmetric == true && latency?.replicationsDisagree == false)
        let interval = ConfidenceInterval([10, 11, 12], level: 0.95)
        #expect(latency?.ci95Low == interval?.low && latency?.ci95High == interval?.high)
    }
}
