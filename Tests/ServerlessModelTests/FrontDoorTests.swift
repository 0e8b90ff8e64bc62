import SimCore
@testable import ServerlessModel
import Testing

/// Front doors with an integration latency and usage plans per group.
@Suite struct FrontDoorPlanTests {
    func pipeline(sends: [SimTime], runFor: SimTime = .minutes(1), door: FrontDoorSpec) -> PipelineSpec {
        tinyPipeline(sends: sends, runFor: runFor) { spec in
            spec.frontDoors = [door]
            spec.groups[0].frontDoor = door.name
        }
    }

    @Test func theIntegrationLatencyDelaysTheMessageAndCountsInItsLatency() throws {
        let door = FrontDoorSpec(name: "api", rate: Rate(perSecond: 100), burst: 100, latency: .constant(.ms(500)))
        let result = try run(pipeline(sends: [.s(1), .s(2)], door: door))
        // Sent at 1 s and 2 s, in the queue half a second later, done after the 100 ms handler.
        #expect(result.times(.sent) == [.s(1), .s(2)])
        #expect(result.times(.received) == [.ms(1_500), .ms(2_500)])
        #expect(result.times(.succeeded) == [.ms(1_600), .ms(2_600)])
        #expect(result.value(.latencyMax, "A") == 0.6)
        // Queue wait runs from the request (the send) to the first receive: it includes the
        // front door's half second.
        #expect(result.value(.queueWaitMean, "A") == 0.5)
    }

    @Test func aGroupsUsagePlanThrottlesItWithinTheStagesLimit() throws {
        let door = FrontDoorSpec(name: "api", rate: Rate(perSecond: 100), burst: 100,
                                 usagePlans: ["A": UsagePlan(rate: Rate(perSecond: 1), burst: 1)])
        let result = try run(pipeline(sends: [.s(1), .ms(1_100), .ms(2_100), .ms(2_200)], door: door))
        // The plan's bucket holds one token, refilled at 1/s: 1.1 s and 2.2 s find it empty.
        #expect(result.times(.sent) == [.s(1), .ms(2_100)])
        #expect(result.value(.rejected, "A") == 2)
        #expect(result.value(.sent, "A") == 2)
    }

    @Test func aDailyQuotaRejectsTheRestOfTheDayAndRenewsAtMidnight() throws {
        let door = FrontDoorSpec(name: "api", rate: Rate(perSecond: 100), burst: 100,
                                 usagePlans: ["A": UsagePlan(quotaPerDay: 2)])
        let result = try run(pipeline(sends: [.s(1), .s(2), .s(3), .s(86_399), .s(86_401), .s(86_402)], runFor: .hours(25), door: door))
        #expect(result.times(.sent) == [.s(1), .s(2), .s(86_401), .s(86_402)])
        #expect(result.value(.rejected, "A") == 2)
    }
}
