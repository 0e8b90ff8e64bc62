import SimCore
@testable import ServerlessModel
import Testing

/// Producers and their arrival processes.
@Suite struct ProducerTests {
    @Test func poissonAndBurstProcessesAreKeptAsTheirNumbersAndTheOthersReadFromTheSpec() {
        let bursts = ArrivalProcess.bursts(rate: Rate(perSecond: 1_000), on: .s(30), off: .s(90),
                                           baseRate: Rate(perSecond: 100))
        if case .bursts(let perSecond, let on, let off, let basePerSecond) = ArrivalClock(bursts) {
            #expect(perSecond == 1_000 && on == .s(30) && off == .s(90) && basePerSecond == 100)
        } else {
            Issue.record("a burst process is kept as its numbers")
        }
        if case .poisson(let perSecond) = ArrivalClock(.poisson(rate: Rate(perSecond: 400))) {
            #expect(perSecond == 400)
        } else {
            Issue.record("a Poisson process is kept as its rate")
        }
        let others: [ArrivalProcess] = [
            .constant(rate: Rate(perSecond: 2)), .schedule([RateStep(at: .zero, rate: Rate(perSecond: 1))]),
            .batch(every: .s(10), size: 5, start: .zero), .trace([.s(1)]),
        ]
        for process in others {
            guard case .fromSpec = ArrivalClock(process) else {
                Issue.record("\(process) is read from the spec")
                continue
            }
        }
    }
}

/// `arrivals:` as a list: processes superposed, each on its own random stream.
@Suite struct SuperposedArrivalTests {
    /// Constant 1/s (1 s, 2 s, 3 s ...), a trace at 1.5 s and 3 s, and a batch of 3 at 2.5 s.
    @Test func theProcessesSendSideBySideTiesInListOrder() throws {
        let spec = tinyPipeline(sends: [], runFor: .ms(3_500)) { spec in
            spec.groups[0].arrivals = .superposed([
                .constant(rate: Rate(perSecond: 1)), .trace([.ms(1_500), .s(3)]),
                .batch(every: .s(10), size: 3, start: .ms(2_500)),
            ])
        }
        let result = try run(spec)
        #expect(result.times(.sent) == [.s(1), .ms(1_500), .s(2), .ms(2_500), .ms(2_500), .ms(2_500), .s(3), .s(3)])
        #expect(result.value(.sent, "A") == 8)
    }

    /// The first process keeps the group's `arrivals/<group>` stream, so adding a process
    /// leaves the first one's send times as they were; the second draws from its own stream.
    @Test func theFirstProcessKeepsTheGroupsStreamAndTheOthersHaveTheirOwn() throws {
        let poisson = ArrivalProcess.poisson(rate: Rate(perSecond: 5))
        let alone = try run(tinyPipeline(sends: [], runFor: .s(20)) { $0.groups[0].arrivals = poisson })
        let withTrace = try run(tinyPipeline(sends: [], runFor: .s(20)) {
            $0.groups[0].arrivals = .superposed([poisson, .trace([.ms(7_777)])])
        })
        var expected = alone.times(.sent)
        expected.append(.ms(7_777))
        #expect(withTrace.times(.sent) == expected.sorted())
        let twoPoisson = try run(tinyPipeline(sends: [], runFor: .s(20)) { $0.groups[0].arrivals = .superposed([poisson, poisson]) })
        let sends = twoPoisson.times(.sent)
        #expect(Set(alone.times(.sent)).isSubset(of: Set(sends)))
        // The second Poisson process is not a copy of the first.
        #expect(sends.count > alone.times(.sent).count + 50)
        #expect(Set(sends).count == sends.count)
    }
}
