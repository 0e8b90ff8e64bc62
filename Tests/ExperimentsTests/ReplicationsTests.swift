@testable import Experiments
import ServerlessModel
import SimCore
import Testing

/// Replications: deterministic order, overrides, and independence from the job count.
@Suite struct ReplicationsTests {
    @Test func oneJobAndTwoJobsGiveIdenticalResultsInReplicationOrder() throws {
        let pipeline = Pipelines.single(replications: 4)
        let one = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1))
        let two = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 2))
        let runsOne = try #require(one.points.first?.runs)
        let runsTwo = try #require(two.points.first?.runs)
        #expect(runsOne.map(\.replication) == [0, 1, 2, 3])
        #expect(runsTwo.map(\.replication) == [0, 1, 2, 3])
        #expect(runsOne.map(\.fingerprint) == runsTwo.map(\.fingerprint))
        #expect(one.points.first?.aggregates == two.points.first?.aggregates)
        // Replications are independent runs, not copies.
        #expect(runsOne[0].fingerprint != runsOne[1].fingerprint)
    }

    @Test func replicationsAndSeedCanBeOverridden() throws {
        let result = try Experiment.run(Pipelines.single(replications: 3, seed: 11),
                                        options: ExperimentOptions(jobs: 2, replications: 2, seed: 99))
        let point = try #require(result.points.first)
        #expect(point.runs.count == 2)
        #expect(point.runs.allSatisfy { $0.seed == 99 })
        #expect(point.pipeline.run.seed == 99)
        let sent = try #require(point.aggregate(.sent, scope: "all"))
        #expect(sent.n == 2)
    }

    @Test func progressCountsEveryRun() throws {
        final class Log: @unchecked Sendable {
            // Appended to only from the progress callback, which is serialised.
            var reports: [ExperimentProgress] = []
        }
        let log = Log()
        _ = try Experiment.run(Pipelines.single(duration: .s(30), replications: 3),
                               options: ExperimentOptions(jobs: 2, progress: { log.reports.append($0) }))
        #expect(log.reports.count == 3)
        #expect(log.reports.last == ExperimentProgress(phase: .replications, runsDone: 3, runsTotal: 3, pointsDone: 1, pointsTotal: 1))
    }

    @Test func oneLongRunReportsItsSimulatedClockAndIsTheSameRun() throws {
        final class Log: @unchecked Sendable {
            // Appended to only from the progress callbacks, on the one run's thread.
            var reports: [ExperimentProgress] = []
        }
        let log = Log()
        let pipeline = Pipelines.single(rate: 20, duration: .minutes(4), replications: 1)
        let reported = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 2, progress: { log.reports.append($0) }))
        let plain = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1))
        // The hook runs the event loop in slices: the run is the same, event for event.
        #expect(reported.points[0].runs.map(\.fingerprint) == plain.points[0].runs.map(\.fingerprint))
        #expect(reported.points[0].runs[0].events == plain.points[0].runs[0].events)
        let clocks = log.reports.compactMap(\.clock)
        #expect(clocks.count == World.progressSlices)
        #expect(clocks.map(\.now) == clocks.map(\.now).sorted())
        #expect(clocks.allSatisfy { $0.end == pipeline.run.end && $0.fraction >= 0 && $0.fraction <= 1 })
        #expect(clocks.last?.fraction == 1)
        // The finished run is reported last, as before, without a clock.
        #expect(log.reports.last == ExperimentProgress(phase: .replications, runsDone: 1, runsTotal: 1, pointsDone: 1, pointsTotal: 1))
    }

    @Test func runsOfAnExperimentOfManyRunsReportNoClock() throws {
        final class Log: @unchecked Sendable {
            var reports: [ExperimentProgress] = []
        }
        let log = Log()
        _ = try Experiment.run(Pipelines.single(duration: .s(30), replications: 2),
                               options: ExperimentOptions(jobs: 1, progress: { log.reports.append($0) }))
        #expect(log.reports.count == 2)
        #expect(log.reports.allSatisfy { $0.clock == nil })
    }

    @Test func badOptionsAreRefused() {
        #expect(throws: ExperimentError.self) { try Experiment.run(Pipelines.single(), options: ExperimentOptions(jobs: 0)) }
        #expect(throws: ExperimentError.self) {
            try Experiment.run(Pipelines.single(), options: ExperimentOptions(jobs: 1, replications: 0))
        }
    }

    @Test func aPipelineThatCannotBeBuiltIsAFailedRun() {
        var pipeline = Pipelines.single(duration: .s(10), replications: 1)
        pipeline.groups[0].queue = "nowhere"
        do {
            _ = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1))
            Issue.record("expected a failure")
        } catch {
            #expect(!error.isBadInput)
            if case .runFailed(let point, let replication, _) = error {
                #expect(point == 0 && replication == 0)
            } else {
                Issue.record("expected runFailed, got \(error)")
            }
        }
    }
}
