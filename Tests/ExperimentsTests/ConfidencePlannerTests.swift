@testable import Experiments
import Scenario
@testable import ServerlessModel
import SimCore
import Testing

/// The planner's confidence rule: a target is met when the upper end of the 95% interval is
/// within it, missed when the lower end is beyond it, and undecided in between, when more
/// replications are run before the configuration is reported failing.
@Suite struct ConfidencePlannerTests {
    /// Replications whose group `A` has these values of one metric (and one message sent).
    private func runs(_ metric: Metric, _ values: [Double?]) -> [RunResult] {
        values.enumerated().map { r, value in
            var metrics: [Metric: Double] = [.sent: 100]
            metrics[metric] = value
            return RunResult(scenario: "s", replication: r, seed: 1,
                             scopes: [ScopeSummary(scope: "A", kind: .group, values: metrics)],
                             timeseries: [], measuredFrom: .zero, end: .s(60), events: 0)
        }
    }

    private func constraint(_ metric: Metric, _ target: Double) -> PlanConstraint {
        PlanConstraint(scope: "A", kind: .group, key: "k", measure: .metric(metric), target: target)
    }

    @Test func theUpperEndOfTheIntervalMustMeetTheTarget() {
        // Mean 9, half-width t(0.975, 3) · 1.29 / 2 ≈ 2.05: the interval is about [6.9, 11.1].
        let spread = runs(.latencyP99, [7.5, 8.5, 9.5, 10.5])
        #expect(ConstraintCheck.judge(constraint(.latencyP99, 12), runs: spread).outcome == .met)
        #expect(ConstraintCheck.judge(constraint(.latencyP99, 10), runs: spread).outcome == .undecided)
        #expect(ConstraintCheck.judge(constraint(.latencyP99, 6), runs: spread).outcome == .violated)
        // A mean below the target is not enough.
        #expect(ConstraintCheck.judge(constraint(.latencyP99, 9.5), runs: spread).outcome == .undecided)
    }

    @Test func oneReplicationGivesNoIntervalAndDecidesNothing() {
        #expect(ConstraintCheck.judge(constraint(.latencyP99, 100), runs: runs(.latencyP99, [1])).outcome == .undecided)
    }

    @Test func aZeroTargetFailsForGoodOnceAReplicationExceedsIt() {
        #expect(ConstraintCheck.judge(constraint(.deadLettered, 0), runs: runs(.deadLettered, [0, 0, 0, 1])).outcome == .violated)
        #expect(ConstraintCheck.judge(constraint(.deadLettered, 0), runs: runs(.deadLettered, [0, 0, 0, 0])).outcome == .met)
    }

    @Test func aGroupWhoseMessagesNeverSucceedMissesEveryLatencyTarget() {
        let check = ConstraintCheck.judge(constraint(.latencyP99, 1_000), runs: runs(.latencyP99, [2, nil, 3]))
        #expect(check.outcome == .violated)
        #expect(check.withoutValue == 1)
        #expect(check.summary == "group A k: no message succeeded in 1 replication")
    }

    @Test func unfinishedMessagesGuardLatencyTargetsTheDrainOutlasts() throws {
        let slo = ServiceLevelObjective(overall: ServiceLevelTargets(latencyP99: .s(10)))
        var pipeline = PipelineSpec(name: "p", run: RunSettings(duration: .minutes(5), drain: .minutes(1)),
                                    groups: [TaskGroupSpec(name: "A", queue: "q", arrivals: .poisson(rate: Rate(perSecond: 1)))],
                                    queues: [QueueSpec(name: "q")], functions: [])
        let guarded = PlanConstraint.constraints(slo, pipeline: pipeline)
        let guardConstraint = try #require(guarded.first { $0.key == "unfinished" })
        #expect(abs(guardConstraint.target - 0.01) < 1e-12)
        #expect(guarded.map(\.description) == ["group A latency_p99 <= 10s", "all latency_p99 <= 10s", "group A unfinished <= 0.01"])
        // Without a drain as long as the target, an unfinished message need not be late.
        pipeline.run.drain = .s(5)
        #expect(!PlanConstraint.constraints(slo, pipeline: pipeline).contains { $0.key == "unfinished" })
    }

    @Test func groupTargetsReplaceTheOverallOnesForThatGroup() {
        let slo = ServiceLevelObjective(overall: ServiceLevelTargets(latencyP99: .s(10), deadLettered: 0),
                                        groups: ["B": ServiceLevelTargets(latencyP99: .s(60))])
        let pipeline = PipelineSpec(name: "p", run: RunSettings(duration: .minutes(5)),
                                    groups: [TaskGroupSpec(name: "A", queue: "q", arrivals: .poisson(rate: Rate(perSecond: 1))),
                                             TaskGroupSpec(name: "B", queue: "q", arrivals: .poisson(rate: Rate(perSecond: 1)))],
                                    queues: [QueueSpec(name: "q")], functions: [])
        #expect(PlanConstraint.constraints(slo, pipeline: pipeline).map(\.description) == [
            "group A latency_p99 <= 10s", "group A dead_lettered <= 0",
            "group B latency_p99 <= 60s", "group B dead_lettered <= 0",
            "all latency_p99 <= 10s", "all dead_lettered <= 0",
        ])
    }

    @Test func aStraddlingIntervalDoublesTheReplicationsUpToTheCapThenFails() throws {
        // The target sits on the true median of M/M/6 at λ = 4 (0.844 s): no number of
        // replications within the cap can decide it.
        let scenario = try PlanScenarios.load(PlanScenarios.mmc(rate: 4, slo: "latency_p50: 844ms", duration: "5m", replications: 2))
        let plan = try #require(scenario.plan)
        let slo = try #require(scenario.slo)
        let evaluator = PlanEvaluator(scenario: scenario, plan: plan, knobs: PlanKnob.knobs(plan, pipeline: scenario.pipeline),
                                      constraints: PlanConstraint.constraints(slo, pipeline: scenario.pipeline),
                                      options: ExperimentOptions(jobs: 2), settings: PlanSettings(maximumReplications: 8))
        let evaluation = try evaluator.evaluate([4])  // c = 6
        #expect(evaluation.verdict == .undecided)
        #expect(!evaluation.verdict.passes)
        #expect(evaluation.replications == 8)
        #expect(evaluator.simulations == 8)  // 2, then 2 more, then 4 more: none run twice.
        #expect(evaluation.reason.hasPrefix("undecided after 8 replications: group A latency_p50"), "\(evaluation.reason)")
    }
}
