import Testing
@testable import SimCore

@Suite("EventList")
struct EventListTests {
    /// Pops every event, returning (time, event) pairs.
    private func drain<Event>(_ list: inout EventList<Event>) -> [(SimTime, Event)] {
        var popped: [(SimTime, Event)] = []
        while let event = list.popNext() { popped.append((list.now, event)) }
        return popped
    }

    @Test("a new list is empty at time zero")
    func empty() {
        var list = EventList<Int>()
        #expect(list.isEmpty)
        #expect(list.count == 0)
        #expect(list.nextTime == nil)
        #expect(list.now == .zero)
        #expect(list.popNext() == nil)
        #expect(list.now == .zero)
    }

    @Test("events come out in time order and move the clock")
    func ordering() {
        var list = EventList<String>()
        list.schedule("c", at: .s(3))
        list.schedule("a", at: .s(1))
        list.schedule("d", at: .s(4))
        list.schedule("b", at: .s(2))
        #expect(list.count == 4)
        #expect(list.nextTime == .s(1))
        let popped = drain(&list)
        #expect(popped.map(\.1) == ["a", "b", "c", "d"])
        #expect(popped.map(\.0) == [.s(1), .s(2), .s(3), .s(4)])
        #expect(list.now == .s(4))
        #expect(list.isEmpty)
    }

    @Test("simultaneous events run first-in-first-out")
    func fifoTies() {
        var list = EventList<Int>()
        for i in 0..<50 { list.schedule(i, at: .s(Int64(i % 3))) }
        let popped = drain(&list).map(\.1)
        let expected = (0..<50).filter { $0 % 3 == 0 } + (0..<50).filter { $0 % 3 == 1 } + (0..<50).filter { $0 % 3 == 2 }
        #expect(popped == expected)
    }

    @Test("schedule(after:) is relative to now")
    func relative() {
        var list = EventList<Int>()
        list.schedule(1, at: .s(10))
        _ = list.popNext()
        list.schedule(2, after: .ms(500))
        #expect(list.nextTime == .ms(10_500))
        list.schedule(3, after: .zero)
        #expect(list.popNext() == 3)
        #expect(list.now == .s(10))
    }

    @Test("many random times come out as a stable sort of them")
    func randomAgainstSort() {
        let stream = RandomStream(name: "eventlist", scenarioSeed: 1, replication: 0)
        var list = EventList<Int>()
        list.reserveCapacity(20_000)
        var times: [Int64] = []
        for i in 0..<20_000 {
            // Few distinct times, so that ties are common and FIFO order is exercised.
            let time = Int64(stream.integer(below: 2_000))
            times.append(time)
            list.schedule(i, at: .ns(time))
        }
        let expected = times.indices.sorted { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
        #expect(drain(&list).map(\.1) == expected)
    }

    @Test("interleaved schedules and pops match a sorted reference")
    func interleaved() {
        // A reference kept sorted by (time, schedule order) with plain insertion; the heap
        // must agree with it after every operation.
        let stream = RandomStream(name: "eventlist/interleaved", scenarioSeed: 1, replication: 0)
        var list = EventList<Int>()
        var reference: [(time: Int64, id: Int)] = []
        var head = 0   // reference[..<head] has been popped
        var nextID = 0
        var mismatches = 0
        for _ in 0..<20_000 {
            if head == reference.count || stream.uniform() < 0.55 {
                let time = list.now.nanoseconds + Int64(stream.integer(below: 100))
                list.schedule(nextID, at: .ns(time))
                var index = reference.count
                while index > head && reference[index - 1].time > time { index -= 1 }
                reference.insert((time, nextID), at: index)
                nextID += 1
            } else {
                let expected = reference[head]
                head += 1
                if list.popNext() != expected.id || list.now != .ns(expected.time) { mismatches += 1 }
            }
            if list.count != reference.count - head { mismatches += 1 }
        }
        while head < reference.count {
            if list.popNext() != reference[head].id { mismatches += 1 }
            head += 1
        }
        #expect(mismatches == 0)
        #expect(list.isEmpty)
        #expect(nextID > 10_000)
    }

    @Test("a copy is independent of the original (value semantics)")
    func valueSemantics() {
        var list = EventList<Int>()
        for i in 0..<10 { list.schedule(i, at: .s(Int64(10 - i))) }
        var copy = list
        #expect(copy.popNext() == 9)
        #expect(list.count == 10)
        #expect(copy.count == 9)
        #expect(list.popNext() == 9)
        list.schedule(100, at: .s(100))
        #expect(drain(&copy).map(\.1) == [8, 7, 6, 5, 4, 3, 2, 1, 0])
        #expect(drain(&list).map(\.1) == [8, 7, 6, 5, 4, 3, 2, 1, 0, 100])
    }

    @Test("scheduling in the past stops the program")
    func pastIsRefused() async {
        await #expect(processExitsWith: .failure) {
            var list = EventList<Int>()
            list.schedule(1, at: .s(5))
            _ = list.popNext()
            list.schedule(2, at: .s(4))
        }
    }

    @Test("an event scheduled later with a reserved sequence number runs where it would have run")
    func reservedSequenceKeepsTheTieOrder() {
        // Three events at 5 s: "early" takes its place first but is scheduled last.
        var list = EventList<String>()
        let early = list.reserveSequence()
        list.schedule("middle", at: .s(5))
        list.schedule("before", at: .s(1))
        list.schedule("late", at: .s(5))
        #expect(list.count == 3)
        #expect(list.popNext() == "before")
        let beforeSequence = list.sequence
        list.schedule("early", at: .s(5), sequence: early)
        #expect(drain(&list).map(\.1) == ["early", "middle", "late"])
        #expect(early < beforeSequence, "a reserved number is taken from the same counter")
    }

    @Test("the sequence number of the event being handled identifies it")
    func currentSequence() {
        var list = EventList<Int>()
        list.schedule(1, at: .s(2))
        let reserved = list.reserveSequence()
        list.schedule(2, at: .s(2), sequence: reserved)
        list.schedule(3, at: .s(1))
        #expect(list.popNext() == 3)
        #expect(list.popNext() == 1)
        #expect(list.popNext() == 2)
        #expect(list.sequence == reserved)
    }
}
