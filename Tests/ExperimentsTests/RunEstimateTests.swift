@testable import Experiments
import ServerlessModel
import SimCore
import Testing

/// The run-size estimate counts what a run will hold and refuses what cannot fit.
@Suite struct RunEstimateTests {
    @Test func theEstimateCountsRunsMessagesAndRowsOfTheScenario() {
        // 2 messages/s for 2 minutes, 3 replications; 12 intervals of 3 entities each.
        let estimate = RunEstimate(pipelines: [Pipelines.single()], jobs: 2)
        #expect(estimate.runs == 3)
        #expect(estimate.messages == 3 * 240)
        #expect(estimate.timeSeriesRows == 3 * 12 * 3)
        #expect(estimate.scopes == 3 * 3)
        // Three runs held at most (2 × jobs, but only 3 runs), each with its 36 rows; one
        // point's aggregates of 3 scopes; its pipeline of 3 entities.
        let expected = RunEstimate.processBytes + 3 * (RunEstimate.runBytes + 12 * 3 * RunEstimate.rowBytes)
            + 3 * RunEstimate.pointScopeBytes + 3 * RunEstimate.pipelineEntityBytes
        #expect(estimate.memoryBytes == expected)
        #expect(estimate.diskBytes == 3 * 12 * 3 * RunEstimate.rowCSVBytes + 9 * RunEstimate.scopeCSVBytes)
        #expect(!estimate.isLong)
        #expect(estimate.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: nil) == nil)
    }

    @Test func aPartialLastIntervalAndAWarmUpPilotAreCounted() {
        var pipeline = Pipelines.single(duration: .s(95), replications: 2)
        pipeline.run.warmup = .auto
        let estimate = RunEstimate(pipelines: [pipeline], jobs: 8)
        #expect(estimate.runs == 3)
        #expect(estimate.timeSeriesRows == 2 * 10 * 3)
        // Three runs at once at most, however many jobs.
        #expect(estimate.memoryBytes == RunEstimate.processBytes + 3 * (RunEstimate.runBytes + 30 * RunEstimate.rowBytes)
            + 3 * RunEstimate.pointScopeBytes + 3 * RunEstimate.pipelineEntityBytes)
    }

    @Test func memoryDoesNotGrowWithTheRunsOnlyWithThePointsAndWhatCompareKeeps() {
        // Before: every finished run was held with its time series, 10 runs against 1,000.
        let few = RunEstimate(pipelines: [Pipelines.single(replications: 10)], jobs: 2)
        let many = RunEstimate(pipelines: [Pipelines.single(replications: 1_000)], jobs: 2)
        #expect(many.memoryBytes == few.memoryBytes)
        #expect(few.memoryBytes == RunEstimate.processBytes + 4 * (RunEstimate.runBytes + 36 * RunEstimate.rowBytes)
            + 3 * RunEstimate.pointScopeBytes + 3 * RunEstimate.pipelineEntityBytes)
        // Points held whole each hold their aggregates and pipeline; a sweep reads one saved run back at a time.
        let shapes = Array(repeating: RunEstimate.Point(Pipelines.single(replications: 10)), count: 50)
        let points = RunEstimate(points: shapes, jobs: 2, savesRuns: true)
        #expect(points.memoryBytes == few.memoryBytes + 49 * 3 * (RunEstimate.pointScopeBytes + RunEstimate.pipelineEntityBytes)
            + 36 * RunEstimate.savedRowBytes)
        // A sweep's plan keeps each point's label and values, and its runs hold jobs + 1 points' pipelines.
        let sweep = RunEstimate(points: shapes, jobs: 2, savesRuns: true, sweptParameters: 2, pipelinesPerRun: true)
        #expect(sweep.memoryBytes == points.memoryBytes - 47 * 3 * RunEstimate.pipelineEntityBytes
            + 50 * (RunEstimate.planPointBytes + 2 * RunEstimate.sweptValueBytes))
        // Compare and --format json keep each run's metrics: a few KiB per run.
        let kept = RunEstimate(pipelines: [Pipelines.single(replications: 1_000)], jobs: 2, keepsRunMetrics: true)
        #expect(kept.memoryBytes == many.memoryBytes + 1_000 * 3 * RunEstimate.scopeBytes)
    }

    @Test func aSweepOfManyScopesIsEstimatedAboveWhatItWasMeasuredAt() throws {
        // Measured: 100 points of 1,000 pipelines (2,001 scopes, 100 swept settings, 3,000
        // entities) peaked at 1,084,824 KiB since aggregate.csv is written a row at a time
        // (17,587,880 KiB when it was held whole, against an estimate of 1.6 GiB).
        var point = RunEstimate.Point(Pipelines.single(replications: 1))
        point.scopes = 2_001
        point.entities = 3_000
        let estimate = RunEstimate(points: Array(repeating: point, count: 100), jobs: 2, savesRuns: true,
                                   sweptParameters: 100, pipelinesPerRun: true)
        let measured = 1_084_824.0 * 1_024
        #expect(estimate.memoryBytes >= measured && estimate.memoryBytes <= 2 * measured)
        #expect(estimate.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: nil) == nil)
    }

    @Test func aHundredYearRunIsRefusedForItsTimeSeriesAndAcceptedWithoutOne() throws {
        // Before: it passed validate and grew by 120 MB/s, the time series held in memory.
        var pipeline = Pipelines.single(duration: .s(100 * 365 * 86_400), replications: 1)
        let estimate = RunEstimate(pipelines: [pipeline], jobs: 1)
        #expect(estimate.timeSeriesRows == 100 * 365 * 8_640 * 3)
        let refusal = try #require(estimate.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: nil))
        #expect(refusal.contains("above --max-memory 4 GiB"))
        #expect(refusal.contains("timeseries_interval: off"))
        #expect(estimate.isLong)

        pipeline.run.timeseriesInterval = .zero
        let off = RunEstimate(pipelines: [pipeline], jobs: 1)
        #expect(off.timeSeriesRows == 0)
        #expect(off.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: nil) == nil)
        #expect(off.messages == 2 * 100 * 365 * 86_400)
        #expect(off.isLong)
    }

    @Test func aSweepIsRefusedWhenItsFilesExceedTheDiskAndTheSavedRunsCount() throws {
        let points = Array(repeating: Pipelines.single(duration: .hours(1), replications: 10), count: 100)
        let plain = RunEstimate(pipelines: points, jobs: 2)
        let sweep = RunEstimate(pipelines: points, jobs: 2, savesRuns: true)
        #expect(sweep.diskBytes == plain.diskBytes * (1 + RunEstimate.savedFactor))
        let refusal = try #require(sweep.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: 1 << 20))
        #expect(refusal.contains("of files, and the output folder's disk has 1 MiB free"))
        #expect(sweep.refusal(maxMemory: MemoryBudget.defaultBytes, availableDisk: 1 << 40) == nil)
    }

    @Test func countsAndSizesReadForPeople() {
        #expect(RunEstimate.count(12_480) == "12,480")
        #expect(RunEstimate.count(14_400_000_000) == "14.4 billion")
        #expect(RunEstimate.count(3_000_000) == "3 million")
        #expect(MemoryBudget.text(bytes: 4 << 30) == "4 GiB")
        #expect(MemoryBudget.text(bytes: 1_572_864) == "1.5 MiB")
        #expect(MemoryBudget.text(bytes: 512) == "512 B")
    }
}

@Suite struct MemoryBudgetTextTests {
    @Test func timesOfTheRunReadForPeople() {
        #expect(MemoryBudget.clock(.ms(4_198_250)) == "1h9m58.25s")
        #expect(MemoryBudget.clock(.ms(41_300)) == "41.3s")
        #expect(MemoryBudget.clock(.s(120)) == "2m0s")
        #expect(MemoryBudget.messages(within: 1 << 30) == 8_388_608)
    }
}
