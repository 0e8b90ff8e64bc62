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
        #expect(list.isEmpty == true)
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
        #expect(list.isEmpty == true)
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
        #expect(list.isEmpty == true)
        #expect(nextID > 10_000)
    }

    @Test("the wheel's first bucket is found again after going round, in the clock's own word of buckets")
    func firstBucketAfterGoingRound() {
        // Buckets of 2^16 ns at the start: A in bucket 40, then B at the far end of the
        // wheel's reach (bucket 1,060, whose ring index 36 lies below the clock's 40 in the same
        // word of occupied bits) and C in bucket 41. Popping C leaves only B, which the pop
        // must find by going round all the words and back to the clock's.
        let width: Int64 = 1 << 16
        var list = EventList<String>()
        #expect(list.shift == 16)
        list.schedule("A", at: .ns(40 * width))
        #expect(list.popNext() == "A")
        list.schedule("B", at: .ns(1_060 * width + 5))
        list.schedule("C", at: .ns(41 * width))
        #expect(list.wheelCount == 2, "both must be on the wheel for this test to mean anything")
        #expect(list.popNext() == "C")
        #expect(list.firstBucket == 1_060)
        #expect(list.nextTime == .ns(1_060 * width + 5))
        #expect(list.popNext() == "B")
        #expect(list.now == .ns(1_060 * width + 5))
        #expect(list.firstBucket == .max)
        #expect(list.popNext() == nil)
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

    /// What a run against the reference saw.
    private struct ReferenceRun {
        var mismatches = 0
        var pops = 0
        var tiesBrokenBySequence = 0
        var reservedScheduled = 0
        var peak = 0
        /// The most events the wheel and the heap held at once, and the bucket widths used.
        var peakOnWheel = 0
        var peakInHeap = 0
        var shifts: Set<Int> = []
        /// Schedules due between a quarter of the wheel and all of it ahead, put in the heap
        /// (under the quarter reach) and on the wheel (under the whole).
        var heldBackByReach = 0
        var farOnWheel = 0
    }

    /// Random schedules (at `now` plus `delay(step)`), reserved sequences, pops and growth,
    /// checked against a sorted reference.
    ///
    /// The reference keeps (time, sequence, id) sorted latest first, so the next event is its
    /// last element; the list must agree on every pop, and on `count`, `isEmpty` and
    /// `nextTime` after every operation (also right after a pop, when the heap's root is left
    /// vacant). The list grows for the first half of the steps and shrinks in the second.
    /// The wheel's reach is set before every step, so that where each schedule goes does not
    /// depend on the list's timing of its own run (``WheelReach``): all of the wheel, or with
    /// `switchingReach` a quarter or all of it in turn every 700 steps.
    private func runAgainstReference(_ name: String, steps: Int, switchingReach: Bool = false,
                                     delay: (RandomStream, Int) -> Int64) -> ReferenceRun {
        typealias Pending = (time: Int64, sequence: UInt64, id: Int)
        let stream = RandomStream(name: name, scenarioSeed: 7, replication: 0)
        var list = EventList<Int>()
        var reference: [Pending] = []
        var reserved: [UInt64] = []
        var counter: UInt64 = 0   // the list's own counter: one number per schedule or reserve
        var nextID = 0
        var run = ReferenceRun()

        func add(_ pending: Pending) {
            var low = 0, high = reference.count
            while low < high {
                let mid = (low + high) / 2
                let other = reference[mid]
                if other.time > pending.time || (other.time == pending.time && other.sequence > pending.sequence) {
                    low = mid + 1
                } else {
                    high = mid
                }
            }
            reference.insert(pending, at: low)
        }
        func check(_ list: borrowing EventList<Int>) {
            if list.count != reference.count || list.isEmpty != reference.isEmpty { run.mismatches += 1 }
            if list.nextTime != reference.last.map({ SimTime.ns($0.time) }) { run.mismatches += 1 }
            run.peakOnWheel = max(run.peakOnWheel, list.wheelCount)
            run.peakInHeap = max(run.peakInHeap, list.storedCount)
            run.shifts.insert(list.shift)
        }
        func pop(_ list: inout EventList<Int>) {
            let expected = reference.removeLast()
            if let next = reference.last, next.time == expected.time { run.tiesBrokenBySequence += 1 }
            let id = list.popNext()
            if id != expected.id || list.now != .ns(expected.time) || list.sequence != expected.sequence { run.mismatches += 1 }
            run.pops += 1
        }

        for step in 0..<steps {
            let growing = step < steps / 2
            list.reach = switchingReach && step / 700 % 2 == 0 ? WheelReach.near : WheelReach.far
            let draw = stream.uniform()
            if !reference.isEmpty && draw < (growing ? 0.35 : 0.6) {
                pop(&list)
            } else if draw < 0.7 {
                let time = list.now.nanoseconds + delay(stream, step)
                add((time, counter, nextID))
                counter += 1
                let ahead = (time >> list.shift) - (list.now.nanoseconds >> list.shift)
                let onWheel = list.wheelCount
                list.schedule(nextID, at: .ns(time))
                if ahead >= WheelReach.near && ahead < WheelReach.far {
                    if list.wheelCount > onWheel { run.farOnWheel += 1 } else { run.heldBackByReach += 1 }
                }
                nextID += 1
            } else if draw < 0.8 {
                let sequence = list.reserveSequence()
                if sequence != counter { run.mismatches += 1 }
                counter += 1
                reserved.append(sequence)
            } else if !reserved.isEmpty {
                let sequence = reserved.remove(at: stream.integer(below: reserved.count))
                let time = list.now.nanoseconds + delay(stream, step)
                add((time, sequence, nextID))
                list.schedule(nextID, at: .ns(time), sequence: sequence)
                nextID += 1
                run.reservedScheduled += 1
            }
            check(list)
            run.peak = max(run.peak, reference.count)
            if step % 5_000 == 4_999 {
                // Room for more taken now (the root possibly vacant) moves every entry.
                list.reserveCapacity(list.count + 1_000)
                check(list)
            }
        }
        while !reference.isEmpty {
            pop(&list)
            check(list)
        }
        if list.popNext() != nil { run.mismatches += 1 }
        return run
    }

    @Test("random schedules, reserved sequences, pops and growth match a sorted reference, with many ties")
    func randomAgainstReference() {
        // Times are drawn from a few nanoseconds ahead, so most pops break a tie by sequence
        // number; the list grows to about a thousand entries (several 4-ary levels of the
        // heap, partly filled last ones, or long buckets on the wheel) and shrinks again.
        let run = runAgainstReference("eventlist/reference", steps: 30_000) { stream, _ in Int64(stream.integer(below: 6)) }
        #expect(run.mismatches == 0)
        #expect(run.pops > 10_000)
        #expect(run.peak > 500, "the list must reach several levels")
        #expect(run.tiesBrokenBySequence > 5_000, "ties must be common for this test to mean anything")
        #expect(run.reservedScheduled > 1_000)
    }

    @Test("events on the wheel and in the heap, at bucket widths that change, match a sorted reference")
    func wheelAndHeapAgainstReference() {
        // Each phase of 6,000 steps draws delays on another scale, so the wheel's bucket width
        // is changed several times (its events moving to the heap); within a phase most
        // delays fall within the wheel's reach and a fifth lie far beyond it, in the heap.
        // Delays are multiples of a coarse unit, so ties stay common on the wheel as well.
        let scales: [Int64] = [1_000, 1, 1_000_000, 50, 100_000_000, 3]
        let run = runAgainstReference("eventlist/wheel", steps: 36_000) { stream, step in
            let scale = scales[step / 6_000]
            if stream.uniform() < 0.2 { return scale * 100_000 + Int64(stream.integer(below: 1_000)) * scale }
            return Int64(stream.integer(below: 40)) * scale
        }
        #expect(run.mismatches == 0)
        #expect(run.pops > 10_000)
        #expect(run.peakOnWheel > 300 && run.peakInHeap > 300, "both the wheel and the heap must hold many events")
        #expect(run.shifts.count >= 4, "the bucket width must change several times: \(run.shifts.sorted())")
        #expect(run.tiesBrokenBySequence > 1_000, "ties must be common for this test to mean anything")
        #expect(run.reservedScheduled > 1_000)
    }

    @Test("events placed under either reach of the wheel, switched while they wait, match a sorted reference")
    func reachesAgainstReference() {
        // Delays of up to about 3,000 mean gaps between pops, so that many schedules fall
        // between a quarter of the wheel's reach and all of it, which the quarter sends to the
        // heap; the reach changes while they wait, as the list's own choice does.
        let run = runAgainstReference("eventlist/reach", steps: 36_000, switchingReach: true) { stream, _ in
            Int64(stream.integer(below: 3_000)) * 1_000
        }
        #expect(run.mismatches == 0)
        #expect(run.pops > 10_000)
        #expect(run.heldBackByReach > 500 && run.farOnWheel > 500,
                "both reaches must decide many schedules: \(run.heldBackByReach), \(run.farOnWheel)")
        #expect(run.reservedScheduled > 1_000)
    }

    @Test("events that are objects are released exactly once, by pops, growth and the list's end")
    func eventLifetimes() {
        final class Tracker { var alive = 0 }
        final class Token {
            let tracker: Tracker
            let id: Int
            init(_ id: Int, _ tracker: Tracker) { self.id = id; self.tracker = tracker; tracker.alive += 1 }
            deinit { tracker.alive -= 1 }
        }
        let tracker = Tracker()
        do {
            var list = EventList<Token>()
            for i in 0..<100 { list.schedule(Token(i, tracker), at: .ns(Int64((i * 37) % 100))) }
            for expected in 0..<30 {
                let token = list.popNext()
                #expect(token?.id == (0..<100).first { ($0 * 37) % 100 == expected })
            }
            #expect(tracker.alive == 70)
            // Growing with the root vacant moves the entries: none is released or retained.
            list.reserveCapacity(1_000)
            #expect(tracker.alive == 70 && list.count == 70)
            list.schedule(Token(100, tracker), after: .ns(1))
            #expect(tracker.alive == 71)
            for _ in 0..<10 { _ = list.popNext() }
            #expect(tracker.alive == 61)
            // A list that ends with its root vacant releases the rest, not the vacancy.
            var other = EventList<Token>()
            for i in 0..<40 { other.schedule(Token(200 + i, tracker), at: .ns(Int64(i))) }
            #expect(tracker.alive == 101)
            _ = other.popNext()
            #expect(tracker.alive == 100)
        }
        #expect(tracker.alive == 0)
    }
}
