import SimCore
@testable import ServerlessModel
import Testing

/// The time series covers the run exactly: its rows add up to the summary.
@Suite struct TimeSeriesTests {
    /// A 90-second Poisson run, one function, a one-minute interval.
    func ninetySeconds(interval: SimTime, drain: SimTime = .zero) -> PipelineSpec {
        var spec = PipelineSpec(
            name: "ninety",
            run: RunSettings(duration: .s(90), drain: drain, seed: 7, timeseriesInterval: interval),
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 50))),
                     TaskGroupSpec(name: "B", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 20)))],
            queues: [QueueSpec(name: "tasks")],
            functions: [FunctionSpec(name: "worker", timeout: .s(30), duration: .exponential(mean: .ms(300)),
                                     trigger: TriggerSpec(queue: "tasks", batchSize: 5))])
        spec.account.concurrency = 1_000
        return spec
    }

    func sum(_ column: TimeSeriesColumn, of entity: String, in result: RunResult) -> Double {
        result.timeseries.filter { $0.entity == entity && $0.kind == .group }.reduce(0) { $0 + ($1[column] ?? 0) }
    }

    @Test func aRunThatDoesNotEndOnABoundaryHasItsLastPartialIntervalWritten() throws {
        // Before: no row for 60-90 s, and the sums fell short of the summary.
        let result = try run(ninetySeconds(interval: .minutes(1)))
        let starts = result.timeseries.filter { $0.entity == "A" }.map(\.intervalStart)
        #expect(starts == [.zero, .s(60)])
        let lengths = result.timeseries.filter { $0.entity == "A" }.map(\.intervalLength)
        #expect(lengths == [.s(60), .s(30)])
        for group in ["A", "B"] {
            #expect(sum(.sent, of: group, in: result) == result.value(.sent, group))
            #expect(sum(.succeeded, of: group, in: result) == result.value(.succeeded, group))
            #expect(result.value(.succeeded, group) > 1_000)
        }
        // Function rows cover the run too: invocations add up to the summary's.
        let invocations = result.timeseries.filter { $0.kind == .function }.reduce(0) { $0 + ($1[.invocations] ?? 0) }
        #expect(invocations == result.value(.invocations, "worker"))
    }

    @Test func aRunEndingOnABoundaryHasWholeIntervalsOnlyAndEventsAtItsEndAreCounted() throws {
        let result = try run(ninetySeconds(interval: .s(10), drain: .s(30)))
        let rows = result.timeseries.filter { $0.entity == "A" }
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { $0.intervalLength == .s(10) })
        #expect(rows.last?.intervalStart == .s(110))
        for group in ["A", "B"] {
            #expect(sum(.sent, of: group, in: result) == result.value(.sent, group))
            #expect(sum(.succeeded, of: group, in: result) == result.value(.succeeded, group))
        }
    }

    @Test func theMeanConcurrencyOfThePartialIntervalIsOverItsOwnLength() throws {
        // One message sent at 95 s and handled for 2 s, in a run that ends at 96 s: the last
        // interval, [90 s, 96 s), has one execution for about 1 s of its 6 s.
        let spec = tinyPipeline(sends: [.s(95)], duration: .s(2), runFor: .s(96))
        let result = try run(spec)
        let last = try #require(result.timeseries.last { $0.kind == .function })
        #expect(last.intervalStart == .s(90))
        #expect(last.intervalLength == .s(6))
        let concurrency = try #require(last[.concurrency])
        #expect(concurrency > 0.1 && concurrency <= 1.0 / 6.0)
    }

    @Test func buildingTheResultsTwiceGivesTheSameTimeSeries() throws {
        let world = try World(spec: ninetySeconds(interval: .minutes(1)))
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: .s(90))
        let first = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        let second = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        #expect(first.timeseries == second.timeseries)
        #expect(first.timeseries.count == 2 * 4)
    }

    @Test func anIntervalOfZeroKeepsNoTimeSeries() throws {
        let result = try run(ninetySeconds(interval: .zero))
        #expect(result.timeseries.isEmpty)
        #expect(result.value(.succeeded, "A") > 1_000)
    }

    @Test func anEventExactlyOnABoundaryFallsInTheIntervalItStarts() throws {
        // Intervals are [start, end). Two messages sent at exactly 60 s and 180 s, each
        // handled for exactly 60 s; every one of these events was scheduled before the
        // boundary it falls on was (the first send at the start, the second at 60 s, the first
        // success at 60 s). Each falls in the interval it starts; before, each was in the
        // interval it ends. The last interval includes the run's end (240 s), where the second
        // message succeeds, as the summary does.
        let spec = tinyPipeline(sends: [.s(60), .s(180)], duration: .s(60), runFor: .s(240)) { spec in
            spec.run.timeseriesInterval = .minutes(1)
            spec.functions[0].timeout = .minutes(5)
            spec.queues[0].visibilityTimeout = .minutes(10)
        }
        let result = try run(spec)
        #expect(result.value(.succeeded, "A") == 2)
        let rows = result.timeseries.filter { $0.kind == .group }
        #expect(rows.map(\.intervalStart) == [.zero, .s(60), .s(120), .s(180)])
        #expect(rows.map { $0[.sent] } == [0, 1, 0, 1])
        #expect(rows.map { $0[.succeeded] } == [0, 0, 1, 1])
        let worker = result.timeseries.filter { $0.kind == .function }
        #expect(worker.map { $0[.invocations] } == [0, 1, 0, 1])
        #expect(worker.map { $0[.concurrency] } == [0, 1, 0, 1])
        #expect(worker.map { $0[.environmentsPeak] } == [0, 1, 1, 1])
        #expect(sum(.sent, of: "A", in: result) == result.value(.sent, "A"))
        #expect(sum(.succeeded, of: "A", in: result) == result.value(.succeeded, "A"))
    }
}
