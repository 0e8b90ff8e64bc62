import Testing
@testable import SimCore

@Suite("Generations (lazy cancellation)")
struct GenerationsTests {
    @Test("targets start at generation 0, even before the table has seen them")
    func fresh() {
        var generations = Generations()
        #expect(generations.isCurrent(12, 0))
        #expect(!generations.isCurrent(12, 1))
        #expect(generations.current(3) == 0)
        #expect(generations.isCurrent(3, 0))
        #expect(generations.isCurrent(100, 0))
    }

    @Test("cancelling makes earlier generations stale and leaves other targets alone")
    func cancel() {
        var generations = Generations()
        let first = generations.current(4)
        #expect(generations.cancel(4) == first + 1)
        #expect(!generations.isCurrent(4, first))
        #expect(generations.isCurrent(4, first + 1))
        #expect(generations.current(4) == first + 1)
        #expect(generations.isCurrent(3, 0))
        #expect(generations.isCurrent(5, 0))
        generations.cancel(4)
        #expect(!generations.isCurrent(4, first + 1))
    }

    @Test("stale events are popped and ignored, not searched for")
    func withEventList() {
        struct Timeout { var message: Int; var generation: UInt32 }
        var generations = Generations()
        var events = EventList<Timeout>()
        for message in 0..<6 {
            events.schedule(Timeout(message: message, generation: generations.current(message)), at: .s(Int64(10 + message)))
        }
        // Messages 1 and 4 are deleted before their visibility timeout: cancel.
        generations.cancel(1)
        generations.cancel(4)
        // Message 2 is received again: cancel the old timeout and schedule a new one.
        let renewed = generations.cancel(2)
        events.schedule(Timeout(message: 2, generation: renewed), at: .s(30))
        #expect(events.count == 7)
        var fired: [Int] = []
        while let timeout = events.popNext() {
            if generations.isCurrent(timeout.message, timeout.generation) { fired.append(timeout.message) }
        }
        #expect(fired == [0, 3, 5, 2])
    }
}
