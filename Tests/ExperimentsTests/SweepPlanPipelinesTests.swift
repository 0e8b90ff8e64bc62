@testable import Experiments
import Scenario
import ServerlessModel
import Foundation
import Testing

/// A sweep's plan keeps no point's pipeline: each run reads its point's when it starts, and
/// at most jobs + 1 points' pipelines are alive, whatever the number of points.
@Suite struct SweepPlanPipelinesTests {
    /// Twelve points of three replications, a minute each (``ShardTests``' scenario, swept wider).
    static func scenario(warmup: String = "10s") throws -> Scenario {
        let yaml = ShardTests.yaml(warmup: warmup)
            .replacingOccurrences(of: "[1, 2, 4]", with: "[" + (1...12).map(String.init).joined(separator: ", ") + "]")
        return try ScenarioLoader.load(yaml: yaml, source: "plan-pipelines.yml")
    }

    @Test func thePlanKeepsEachPointsRunSettingsAndCountsButNoEntities() throws {
        let scenario = try Self.scenario()
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 1, replications: 2, seed: 11))
        #expect(plan.points.count == 12)
        // Before: every point held its whole pipeline (about 1 MB a point of 1,000 groups).
        #expect(plan.points.allSatisfy { $0.pipeline.groups.isEmpty && $0.pipeline.queues.isEmpty && $0.pipeline.functions.isEmpty })
        #expect(plan.points.allSatisfy { $0.pipeline.run.replications == 2 && $0.pipeline.run.seed == 11 })
        #expect(plan.sizes.allSatisfy { $0.entities == 3 && $0.scopes == 3 && $0.replications == 2 })
        #expect(plan.points[4].label == "functions.worker.reserved_concurrency=5")
        // The pipeline a run reads is the point's own, overrides applied.
        let pipeline = plan.pipeline(at: 4)
        #expect(pipeline.functions.first?.reservedConcurrency == 5)
        #expect(pipeline.run.replications == 2 && pipeline.run.seed == 11)
    }

    @Test func oneJobReadsEachPointOnceAndHoldsOneAtATime() throws {
        let scenario = try Self.scenario()
        let options = ExperimentOptions(jobs: 1)
        let plan = try SweepPlan(scenario, options: options)
        let counts = PipelineCounts()
        let made = try PipelineCounts.$current.withValue(counts) { try plan.execute(plan.runs, options: options) }
        #expect(made.count == 36)
        #expect(counts.pipelinesRead == 12, "each point's pipeline is read once, for its three runs")
        #expect(counts.mostAlive == 1)
    }

    @Test(arguments: ["10s", "auto"])
    func twoJobsHoldAtMostThreePointsAndMakeTheRunsOfOneJob(warmup: String) throws {
        let scenario = try Self.scenario(warmup: warmup)
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 2))
        let counts = PipelineCounts()
        let two = try PipelineCounts.$current.withValue(counts) { try plan.execute(plan.runs, options: ExperimentOptions(jobs: 2)) }
        // Were every point's pipeline kept for the sweep, 12 would be alive at the end.
        #expect(counts.mostAlive <= 3)
        // A pilot per point reads it once more; two workers may both read a point they start together.
        let pilots = warmup == "auto" ? 12 : 0
        #expect(counts.pipelinesRead >= 12 + pilots && counts.pipelinesRead <= 36 + pilots)
        let one = try plan.execute(plan.runs, options: ExperimentOptions(jobs: 1))
        #expect(two.map(\.run) == one.map(\.run))
        #expect(two.map(\.result.fingerprint) == one.map(\.result.fingerprint))
        #expect(two.map(\.warmup) == one.map(\.warmup))
    }

    @Test func theEstimateCountsThePipelinesOfJobsPlusOnePointsAndThePlansPoints() throws {
        let scenario = try Self.scenario()
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 2))
        let estimate = plan.estimate(jobs: 2)
        let held = RunEstimate(points: plan.sizes, jobs: 2, savesRuns: true)
        // Three points' pipelines of 3 entities instead of twelve, and each point's plan entry.
        #expect(estimate.memoryBytes == held.memoryBytes - 9 * 3 * RunEstimate.pipelineEntityBytes
            + 12 * (RunEstimate.planPointBytes + RunEstimate.sweptValueBytes))
        #expect(estimate.runs == 36 && estimate.diskBytes == held.diskBytes)
    }
}
