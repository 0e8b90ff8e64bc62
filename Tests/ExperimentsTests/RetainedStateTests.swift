@testable import Experiments
import Foundation
import ServerlessModel
import SimCore
import Testing

/// What an experiment holds does not grow with its runs: finished runs are handed on in
/// order through a reorder buffer of at most 2 × jobs, folded into their point's aggregates,
/// and kept only as the caller asks.
@Suite struct RetainedStateTests {
    /// Counts what the consumer is handed, in order; serialised by the runner.
    final class Handed: @unchecked Sendable {
        var order: [Int] = []
        var timeSeriesRows = 0
    }

    @Test(arguments: [1, 2, 3])
    func theReorderBufferHoldsAtMostTwiceTheJobsFor10Or200Tasks(jobs: Int) throws {
        for count in [10, 200] {
            let handed = Handed()
            let highWater = ParallelRunner.forEach(Array(0..<count), jobs: jobs, { (task: Int) -> Int in
                // Uneven work, so that workers finish out of order and outputs wait.
                if task % 5 == 0 { Thread.sleep(forTimeInterval: 0.001) }
                return task
            }, consume: { (index: Int, output: Int) in
                #expect(index == output)
                handed.order.append(output)
            })
            #expect(handed.order == Array(0..<count))
            #expect(highWater >= 1)
            #expect(highWater <= ParallelRunner.window * jobs, "\(count) tasks, \(jobs) jobs: \(highWater) outputs held")
        }
    }

    @Test func aFailureStopsTheHandingOnAtTheFailedTask() {
        let handed = Handed()
        #expect(throws: ParallelRunnerTests.Failure(index: 4)) {
            try ParallelRunner.forEach(Array(0..<50), jobs: 2, { (task: Int) throws(ParallelRunnerTests.Failure) -> Int in
                if task == 4 { throw ParallelRunnerTests.Failure(index: task) }
                return task
            }, consume: { (_: Int, output: Int) throws(ParallelRunnerTests.Failure) in handed.order.append(output) })
        }
        #expect(handed.order == [0, 1, 2, 3])
    }

    /// A run of `replications` replications handed on and not kept: what the result holds.
    private func streamed(_ replications: Int, jobs: Int) throws -> (point: PointResult, handed: Handed) {
        let handed = Handed()
        let handling = RunHandling(retention: .none) { (_: Int, run: RunResult) in
            handed.order.append(run.replication)
            handed.timeSeriesRows += run.timeseries.count
        }
        let result = try Experiment.run(Pipelines.single(rate: 1, duration: .s(30), replications: replications),
                                        options: ExperimentOptions(jobs: jobs), handling: handling)
        return (try #require(result.points.first), handed)
    }

    @Test func aPointKeepsTheSameStateFor10And200RunsAndEveryRunIsHandedOnInOrder() throws {
        let few = try streamed(10, jobs: 2)
        let many = try streamed(200, jobs: 2)
        // Today's code kept every run with its time series; now none is kept...
        #expect(few.point.runs.isEmpty && many.point.runs.isEmpty)
        #expect(few.point.replications == 10 && many.point.replications == 200)
        // ... every one was handed on, with its rows, in replication order ...
        #expect(many.handed.order == Array(0..<200))
        #expect(many.handed.timeSeriesRows > 0)
        // ... and the aggregates are folded in tallies whose number does not grow with the runs.
        var fold = RunFold()
        let run = try Experiment.run(Pipelines.single(rate: 1, duration: .s(30), replications: 1), options: ExperimentOptions(jobs: 1))
        fold.add(try #require(run.points.first?.runs.first))
        let perPoint = fold.talliesHeld
        for _ in 0..<199 { fold.add(try #require(run.points.first?.runs.first)) }
        #expect(fold.talliesHeld == perPoint)
        #expect(perPoint == fold.scopes.count * Metric.allCases.count)
        #expect(many.point.aggregate(.sent, scope: "all")?.n == 200)
    }

    @Test func foldedAggregatesAreBitForBitThoseOfEveryRunHeld() throws {
        let pipeline = Pipelines.single(rate: 2, duration: .s(40), replications: 12)
        let whole = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1))
        for jobs in [1, 2] {
            let streamed = try Experiment.run(pipeline, options: ExperimentOptions(jobs: jobs), handling: RunHandling(retention: .none))
            #expect(streamed.points[0].aggregates == whole.points[0].aggregates)
            #expect(streamed.points[0].scopes == Aggregation.scopes(of: whole.points[0].runs))
        }
        // The aggregates of the held runs, computed as before the fold (values gathered, then a tally).
        let runs = whole.points[0].runs
        for aggregate in whole.points[0].aggregates {
            let values = runs.compactMap { $0.scope(aggregate.scope, kind: aggregate.kind)?[aggregate.metric] }
            let direct = Aggregation.aggregate(values, scope: ScopeKey(name: aggregate.scope, kind: aggregate.kind), metric: aggregate.metric)
            #expect(direct == aggregate)
        }
    }

    @Test func metricsRetentionKeepsTheScopesValuesAndDropsTheRest() throws {
        let pipeline = Pipelines.single(rate: 2, duration: .s(40), replications: 3)
        let whole = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1))
        let slim = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1), handling: RunHandling(retention: .metrics))
        #expect(slim.points[0].runs.count == 3)
        #expect(slim.points[0].runs.allSatisfy { $0.timeseries.isEmpty && $0.scopes.allSatisfy(\.latencyQuantiles.isEmpty) })
        #expect(slim.points[0].runs.map { $0.scopes.map(\.values) } == whole.points[0].runs.map { $0.scopes.map(\.values) })
        #expect(whole.points[0].runs.allSatisfy { !$0.timeseries.isEmpty })
    }
}
