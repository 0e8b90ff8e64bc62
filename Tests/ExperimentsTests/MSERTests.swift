@testable import Experiments
import ServerlessModel
import SimCore
import Testing

/// MSER-5 truncation on synthetic series with a known transient, and on a pipeline.
@Suite struct MSERTests {
    /// Normal noise (sd 1) from a named stream.
    private func noise(_ count: Int, seed: UInt64 = 3) -> [Double] {
        let stream = RandomStream(name: "mser-noise", scenarioSeed: seed, replication: 0)
        let normal = Distribution.normal(mean: .s(100), stddev: .s(1))
        return (0..<count).map { _ in normal.sampleSeconds(stream) - 100 }
    }

    @Test func findsAKnownTransient() throws {
        // 1,000 observations: a linear transient from 40 down to the steady mean of 10 over
        // the first 150, then steady; noise sd 1. The transient is 150 observations long, so a
        // good truncation removes about 150 (no fewer than 120: the last biased stretch
        // is within the noise), and not much more.
        let series = noise(1_000).enumerated().map { i, e in (i < 150 ? 40 - 30 * Double(i) / 150 : 10) + e }
        let truncation = try #require(MSER.truncation(series))
        #expect(truncation.observations % 5 == 0)
        #expect(truncation.observations >= 120 && truncation.observations <= 250, "truncated \(truncation.observations)")
        #expect(!truncation.atLimit)
        #expect(truncation.batchCount == 200)
    }

    @Test func leavesAStationarySeriesAlmostWhole() throws {
        let truncation = try #require(MSER.truncation(noise(1_000, seed: 8).map { 10 + $0 }))
        #expect(truncation.observations <= 100, "truncated \(truncation.observations)")
    }

    @Test func flagsASeriesWithoutSteadyState() throws {
        // A backlog growing without bound: MSER's minimum sits at its limit, half the series.
        let series = noise(500).enumerated().map { i, e in Double(i) + e }
        let truncation = try #require(MSER.truncation(series))
        #expect(truncation.atLimit)
        #expect(truncation.batches == 50)
    }

    @Test func aConstantSeriesNeedsNoTruncationAndATinyOneCannotBeJudged() throws {
        #expect(try #require(MSER.truncation(Array(repeating: 4, count: 60))).observations == 0)
        #expect(MSER.truncation([1, 2, 3, 4, 5, 6, 7]) == nil)
    }

    @Test func automaticWarmupCutsTheInitialBacklogOfAPipeline() throws {
        // 400 messages at t = 0 on top of 2/s steady arrivals into 5 environments of 500 ms:
        // the backlog drains over the first two minutes or so, then the pipeline is steady.
        // The transient's end is read off the pilot itself (the first interval in which the
        // backlog is down to 5% of the burst), so the test does not depend on how fast the
        // model drains; MSER-5 must cut about there: not before, and not much after.
        var pipeline = Pipelines.single(rate: 2, duration: .minutes(5), replications: 1)
        pipeline.groups.append(TaskGroupSpec(name: "burst", queue: "tasks",
                                             arrivals: .batch(every: .hours(10), size: 400, start: .zero)))
        pipeline.functions[0].duration = .constant(.ms(500))
        pipeline.run.warmup = .auto
        let result = try Experiment.run(pipeline, options: ExperimentOptions(jobs: 2))
        let point = try #require(result.points.first)
        let choice = try #require(point.warmup)

        let pilot = try World.simulate(WarmupSelection.pilot(of: pipeline))
        let backlog = try #require(WarmupSelection.series(of: pilot, pipeline: pipeline, interval: choice.interval).first)
        #expect(backlog.name == "backlog")
        let drained = try #require(backlog.values.firstIndex { $0 <= 20 })
        let drainedAt = choice.interval * Int64(drained)
        #expect(drainedAt >= .s(30) && drainedAt <= .s(150), "drained at \(drainedAt)")
        #expect(choice.warmup >= drainedAt - .s(15) && choice.warmup <= drainedAt + .s(60),
                "warm-up \(choice.warmup), backlog drained at \(drainedAt)")

        #expect(choice.method == "MSER-5")
        #expect(!choice.unsettled)
        #expect(point.pipeline.run.warmup == .fixed(choice.warmup))
        #expect(point.runs.allSatisfy { $0.measuredFrom == choice.warmup })
        // The burst was sent before the warm-up, so none of it is measured.
        #expect(point.aggregate(.sent, scope: "burst")?.mean == 0)
    }

    @Test func aFixedWarmupNeedsNoPilot() throws {
        var pipeline = Pipelines.single(duration: .s(60), replications: 1)
        pipeline.run.warmup = .fixed(.s(10))
        let point = try #require(try Experiment.run(pipeline, options: ExperimentOptions(jobs: 1)).points.first)
        #expect(point.warmup == nil)
        #expect(point.runs.first?.measuredFrom == .s(10))
    }
}
