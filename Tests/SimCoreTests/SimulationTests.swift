import Testing
@testable import SimCore

/// A model that logs what it handles; an event may ask for a follow-up after a delay.
private struct Recorder: DiscreteEventModel {
    enum Event: Equatable {
        case tick(Int)
        case chain(Int, after: SimTime)
    }

    var log: [(SimTime, Int)] = []

    mutating func handle(_ event: Event, events: inout EventList<Event>) {
        switch event {
        case .tick(let id):
            log.append((events.now, id))
        case .chain(let id, let delay):
            log.append((events.now, id))
            events.schedule(.tick(id + 1), after: delay)
        }
    }

    var ids: [Int] { log.map(\.1) }
}

@Suite("Simulation run loop")
struct SimulationTests {
    @Test("events exactly at the limit run; the clock ends at the limit")
    func runUntil() {
        var sim = Simulation(model: Recorder())
        sim.events.schedule(.tick(1), at: .s(1))
        sim.events.schedule(.chain(5, after: .zero), at: .s(5))   // follow-up also at 5 s
        sim.events.schedule(.tick(7), at: .s(7))
        let reason = sim.run(until: .s(5))
        #expect(reason == .timeLimit)
        #expect(sim.model.ids == [1, 5, 6])
        #expect(sim.model.log.map(\.0) == [.s(1), .s(5), .s(5)])
        #expect(sim.now == .s(5))
        #expect(sim.handledEvents == 3)
        #expect(sim.events.count == 1)
    }

    @Test("a run in slices handles the same events in the same order and reports its clock after each slice")
    func slices() {
        func scheduled() -> Simulation<Recorder> {
            var sim = Simulation(model: Recorder())
            for id in 0..<50 { sim.events.schedule(.chain(id * 10, after: .ms(Int64(id % 7) * 300)), at: .ms(Int64(id) * 170)) }
            sim.events.schedule(.tick(999), at: .s(20))   // beyond the end: never handled
            return sim
        }
        var whole = scheduled()
        let wholeReason = whole.run(until: .s(9))
        var sliced = scheduled()
        var clocks: [SimTime] = []
        let slicedReason = sliced.run(until: .s(9), slices: 7) { clocks.append($0) }
        #expect(slicedReason == wholeReason)
        #expect(sliced.model.ids == whole.model.ids)
        #expect(sliced.model.log.map(\.0) == whole.model.log.map(\.0))
        #expect(sliced.handledEvents == whole.handledEvents)
        #expect(sliced.now == whole.now)
        #expect(clocks.count == 7)
        #expect(clocks == clocks.sorted())
        #expect(clocks.last == .s(9))
        #expect(clocks.first == .ns(9_000_000_000 / 7))
    }

    @Test("a run in slices that runs out of events still reports every slice, and ends at the limit")
    func slicesPastTheLastEvent() {
        var sim = Simulation(model: Recorder())
        sim.events.schedule(.tick(1), at: .s(1))
        var clocks: [SimTime] = []
        #expect(sim.run(until: .s(10), slices: 5) { clocks.append($0) } == .empty)
        #expect(clocks == [.s(2), .s(4), .s(6), .s(8), .s(10)])
        #expect(sim.model.ids == [1])
    }

    @Test("a run resumes where the last one stopped")
    func resume() {
        var sim = Simulation(model: Recorder())
        sim.events.schedule(.tick(1), at: .s(1))
        sim.events.schedule(.tick(2), at: .s(8))
        #expect(sim.run(until: .s(4)) == .timeLimit)
        #expect(sim.now == .s(4))
        // Scheduling after the stop is relative to the limit, where the clock stands.
        sim.events.schedule(.tick(3), after: .s(1))
        #expect(sim.run(until: .s(10)) == .empty)
        #expect(sim.model.ids == [1, 3, 2])
        #expect(sim.model.log.map(\.0) == [.s(1), .s(5), .s(8)])
        // Out of events before the limit: the clock still moves to the limit.
        #expect(sim.now == .s(10))
        #expect(sim.handledEvents == 3)
    }

    @Test("running out of events without a limit leaves the clock at the last event")
    func emptyWithoutLimit() {
        var sim = Simulation(model: Recorder())
        #expect(sim.run() == .empty)
        #expect(sim.now == .zero)
        sim.events.schedule(.chain(1, after: .ms(3)), at: .s(2))
        #expect(sim.run() == .empty)
        #expect(sim.now == .ms(2_003))
        #expect(sim.model.ids == [1, 2])
    }

    @Test("an empty list run to a limit moves the clock there")
    func emptyWithLimit() {
        var sim = Simulation(model: Recorder())
        #expect(sim.run(until: .s(3)) == .empty)
        #expect(sim.now == .s(3))
        #expect(sim.handledEvents == 0)
    }

    @Test("the stop condition ends the run right after the event that meets it")
    func stopCondition() {
        var sim = Simulation(model: Recorder())
        for i in 0..<10 { sim.events.schedule(.tick(i), at: .s(Int64(i))) }
        let reason = sim.run(until: .s(100), stopWhen: { $0.log.count == 4 })
        #expect(reason == .condition)
        #expect(sim.model.ids == [0, 1, 2, 3])
        #expect(sim.now == .s(3))
        #expect(sim.events.count == 6)
        #expect(sim.run(until: .s(100)) == .empty)
        #expect(sim.model.ids == Array(0..<10))
    }

    @Test("an event at 'never' is never handled")
    func neverHappens() {
        var sim = Simulation(model: Recorder())
        sim.events.schedule(.tick(1), at: .s(1))
        sim.events.schedule(.chain(2, after: .s(1)), at: .never)
        #expect(sim.run() == .empty)
        #expect(sim.model.ids == [1])
        #expect(sim.now == .s(1))
        #expect(sim.run(until: .s(50)) == .timeLimit)
        #expect(sim.now == .s(50))
        #expect(sim.model.ids == [1])
    }
}
