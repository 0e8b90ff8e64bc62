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
