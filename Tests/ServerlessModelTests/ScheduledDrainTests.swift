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
