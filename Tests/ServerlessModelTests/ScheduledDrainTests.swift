import SimCore
@testable import ServerlessModel
import Testing

/// The scheduled drain: a schedule starts downstream jobs only while job slots are free.
@Suite struct ScheduledDrainTests {
    /// Five messages at once; a drain every minute; a job service with 2 slots and 90 s jobs.
    func drainPipeline() -> PipelineSpec {
        tinyPipeline(sends: Array(repeating: .s(1), count: 5), runFor: .minutes(10)) { spec in
            spec.functions[0].trigger = nil
            spec.functions[0].duration = .constant(.ms(100))
            spec.functions[0].perMessage = .constant(.ms(10))
            spec.functions[0].timeout = .s(60)
            spec.downstreams = [DownstreamSpec(name: "jobs", latency: .constant(.s(90)),
                                               limits: ["all": DownstreamLimit(concurrency: 2)])]
            spec.schedules = [ScheduleSpec(name: "drain", every: .minutes(1), function: "worker", queue: "tasks",
                                           untilDownstreamBusy: "jobs")]
        }
    }

    @Test func eachTickStartsJobsUntilTheSlotsAreFullAndNeverExceedsThem() throws {
        let result = try run(drainPipeline())
        // Tick at 60 s: handler 100 ms, then jobs start at 60.1 s and 60.11 s; the third
        // message is given back at 60.12 s. Jobs end at 150.1 s and 150.11 s. The tick at 120 s
        // finds both slots busy; the tick at 180 s starts two more, the tick at 240 s none
        // (busy until 270.1 s), the tick at 300 s the last one.
        #expect(result.times(.deleted) == [.ms(60_100), .ms(60_110), .ms(180_100), .ms(180_110), .ms(300_100)])
        #expect(result.value(.succeeded, "A") == 5)
        #expect(result.value(.downstreamViolations, "A") == 0)
        #expect(result.value(.latencyMax, "A") >= 389 && result.value(.latencyMax, "A") <= 389.2)
    }

    @Test func aGivenBackMessageIsVisibleAgainAtOnceWithItsReceiveCountRaised() throws {
        let result = try run(drainPipeline())
        let returned = result.records(.returned)
        #expect(returned.first?.time == .ms(60_120))
        #expect(returned.first?.count == 1)
    }
}

/// Schedules as EventBridge runs them: retries of throttled and failed invocations, cron.
@Suite struct ScheduleRetryTests {
    /// Two schedules fire at the same minute on a function of reserved concurrency 1 whose
    /// drain takes 1.5 s: the second is throttled and retried by its rule's policy.
    @Test func aThrottledFiringIsRetriedWithDoublingBackOffUntilItRuns() throws {
        var spec = ScheduledDrainTests().drainPipeline()
        spec.run.duration = .s(100)
        spec.functions[0].duration = .constant(.ms(1_500))
        spec.functions[0].reservedConcurrency = 1
        let cron = ScheduleExpression.cron(Self.cron(minutes: Array(0...59), hours: Array(0...23), weekdays: Array(1...7)))
        spec.schedules.append(ScheduleSpec(name: "second", expression: cron, function: "worker", queue: "tasks",
                                           untilDownstreamBusy: "jobs"))
        let result = try run(spec)
        // 60 s: the first runs (until 61.5 s + per-message work), the second is throttled;
        // its retries come 1 s, then 2 s later: 61 s (still busy), 63 s (runs).
        #expect(result.times(.throttled) == [.s(60), .s(61)])
        #expect(result.times(.invoked) == [.s(63)])
        #expect(result.times(.coldStart) == [.s(60)])
        #expect(result.value(.throttles, "worker") == 2)
    }

    /// A function that always fails: the event is retried 1 s, 2 s, 4 s later and dropped when
    /// its 3 retries are spent.
    @Test func aFailedFiringIsRetriedUntilItsRetriesAreSpentThenDropped() throws {
        var spec = ScheduledDrainTests().drainPipeline()
        spec.run.duration = .s(100)
        spec.functions[0].errorRate = 1
        spec.schedules[0].retryPolicy = ScheduleRetryPolicy(maximumRetryAttempts: 3)
        let result = try run(spec)
        // Each invocation runs 100 ms of handler, then drains (10 ms a message, 2 job slots).
        let starts = result.times(.coldStart) + result.times(.invoked)
        #expect(starts.sorted() == [.s(60), .ms(61_120), .ms(63_220), .ms(67_320)])
        #expect(result.records(.failed).count == 4)
        #expect(result.records(.dropped).map(\.count) == [3])
        #expect(result.value(.functionErrors, "worker") == 4)
    }

    /// The event's maximum age bounds the retries too: 60 s of age allows back-offs summing
    /// to at most 60 s (1 + 2 + ... + 32 = 63 s is over).
    @Test func theMaximumEventAgeEndsTheRetries() throws {
        var spec = ScheduledDrainTests().drainPipeline()
        spec.run.duration = .s(119)
        spec.functions[0].reservedConcurrency = 0
        spec.schedules[0].retryPolicy = ScheduleRetryPolicy(maximumEventAge: .s(60))
        let result = try run(spec)
        #expect(result.times(.throttled) == [60, 61, 63, 67, 75, 91].map { SimTime.s($0) })
        #expect(result.records(.dropped).map(\.time) == [.s(91)])
    }

    @Test func cronFiresOnTheCalendarFromTheRunStart() throws {
        var spec = ScheduledDrainTests().drainPipeline()
        spec.run.duration = .hours(3)
        // 10:15 and 11:15 UTC on weekdays; the run starts at 09:00 UTC on Monday.
        spec.schedules[0].expression = .cron(Self.cron(minutes: [15], hours: [10, 11], weekdays: Array(2...6)))
        spec.schedules[0].runStartsAt = ScheduleSpec.defaultRunStart + 9 * 3_600
        let result = try run(spec)
        #expect((result.times(.coldStart) + result.times(.invoked)).sorted() == [.s(4_500), .s(8_100)])
    }

    /// `cron(M H ? * D *)`: minutes, hours and days of the week (1 = Sunday), any day of month.
    static func cron(minutes: [Int], hours: [Int], weekdays: [Int]) -> CronExpression {
        CronExpression(minutes: minutes.reduce(0) { $0 | 1 << UInt64($1) }, hours: hours.reduce(0) { $0 | 1 << UInt32($1) },
                       dayOfMonth: .any, months: (1...12).reduce(0) { $0 | 1 << UInt16($1) },
                       dayOfWeek: .days(weekdays.reduce(0) { $0 | 1 << UInt8($1) }), years: Set(1970...2199))
    }
}
