import Testing
@testable import ServerlessModel

@Suite("EntityStore")
struct EntityStoreTests {
    /// Counts live instances, to see that the store releases what it holds.
    final class Tracked {
        nonisolated(unsafe) static var alive = 0
        let value: Int
        init(_ value: Int) { self.value = value; Tracked.alive += 1 }
        deinit { Tracked.alive -= 1 }
    }

    /// A non-copyable element, as ``SQSQueue`` is, that counts its live instances in a
    /// counter of its own test (tests run in parallel).
    struct Unique: ~Copyable {
        final class Counter { var alive = 0 }
        let counter: Counter
        var value: Int
        var history: [Int] = []
        init(_ value: Int, counter: Counter) {
            self.value = value
            self.counter = counter
            counter.alive += 1
        }
        deinit { counter.alive -= 1 }
    }

    @Test("a store of non-copyable elements keeps each one, in order, as it grows")
    func nonCopyableGrowth() {
        let counter = Unique.Counter()
        let store = EntityStore<Unique>()
        // 100 elements: the store starts with room for 8 and moves them several times.
        for i in 0..<100 { store.append(Unique(i * 3, counter: counter)) }
        #expect(store.count == 100)
        #expect(store.indices == 0..<100)
        #expect(store.indices.map { store[$0].value } == (0..<100).map { $0 * 3 })
        // Moving to a larger buffer neither copies nor destroys an element.
        #expect(counter.alive == 100)
    }

    @Test("a non-copyable element is changed in place through the subscript")
    func nonCopyableWritesInPlace() {
        let counter = Unique.Counter()
        let store = EntityStore<Unique>()
        for i in 0..<3 { store.append(Unique(i, counter: counter)) }
        store[1].value += 10
        store[1].history.append(7)
        store[1].history.append(8)
        store[2].value = -1
        #expect(store.indices.map { store[$0].value } == [0, 11, -1])
        #expect(store[1].history == [7, 8])
        #expect(store[0].history.isEmpty)
        // Still three elements: no write made a new one or destroyed an old one.
        #expect(counter.alive == 3)
        // Appending after the writes keeps them.
        for i in 3..<20 { store.append(Unique(i, counter: counter)) }
        #expect(store[1].value == 11)
        #expect(store[1].history == [7, 8])
        #expect(counter.alive == 20)
    }

    @Test("a store of non-copyable elements ends each of them when it goes away")
    func nonCopyableDeinit() {
        let counter = Unique.Counter()
        do {
            let store = EntityStore<Unique>()
            for i in 0..<50 { store.append(Unique(i, counter: counter)) }
            #expect(counter.alive == 50)
            #expect(store[49].value == 49)
        }
        #expect(counter.alive == 0)
    }

    @Test("appends keep every element, in order, as the store grows")
    func growth() {
        let store = EntityStore<Int>()
        for i in 0..<1_000 { store.append(i * 3) }
        #expect(store.count == 1_000)
        // Not `Array(store)`: in a release build (make validation) Swift 6's specialisation of
        // _copyCollectionToContiguousArray for EntityStore<Int> crashes the compiler with an
        // ownership verifier error. `map` reads the same elements in the same order.
        #expect(store.map { $0 } == (0..<1_000).map { $0 * 3 })
    }

    @Test("writes through the subscript change the element in place")
    func writesInPlace() {
        struct Counter { var hits = 0; var name = "" }
        let store = EntityStore(repeating: Counter(), count: 3)
        store[1].hits += 2
        store[1].hits += 5
        store[2].name = "b"
        #expect(store.map(\.hits) == [0, 7, 0])
        #expect(store.map(\.name) == ["", "", "b"])
    }

    @Test("elements start on a cache line, before and after the store grows")
    func cacheLineAligned() {
        let store = EntityStore<Message>()
        for size in 1...100 {
            store.append(Message())
            store[size - 1].size = Int32(size)
            #expect(UInt(bitPattern: store.baseAddress) % 64 == 0)
        }
        #expect(store.map(\.size) == (1...100).map { Int32($0) })
    }

    @Test("a message takes exactly one cache line")
    func messageIsOneCacheLine() {
        // Every message's fields are read and written on its way; at 72 bytes each slot
        // straddled two lines (Benchmarks/PROFILE.md, fifth round). A new field must fit.
        #expect(MemoryLayout<Message>.stride == 64)
    }

    @Test("a store releases its elements when it goes away")
    func releasesElements() {
        let before = Tracked.alive
        do {
            let store = EntityStore<Tracked>()
            for i in 0..<100 { store.append(Tracked(i)) }
            #expect(Tracked.alive == before + 100)
            #expect(store[99].value == 99)
        }
        #expect(Tracked.alive == before)
    }

    @Test("removeLast hands back the last element, and the store releases only what it still holds")
    func removeLastHandsBackTheLast() {
        let before = Tracked.alive
        do {
            let store = EntityStore<Tracked>()
            for i in 0..<20 { store.append(Tracked(i)) }
            let last = store.removeLast()
            #expect(last.value == 19)
            #expect(store.count == 19)
            #expect(store.removeLast().value == 18)
            store.append(Tracked(99))
            #expect(store.indices.map { store[$0].value } == Array(0..<18) + [99])
            #expect(Tracked.alive == before + 20)
        }
        #expect(Tracked.alive == before)
    }

    @Test("message slots are reused last freed first, so ids are what they were with a list of free slots")
    func messageSlotsAreReusedLastFreedFirst() {
        var pool = MessagePool()
        let ids = (0..<6).map { _ in pool.allocate(Message()) }
        #expect(ids.map(\.index) == [0, 1, 2, 3, 4, 5])
        for i in [1, 4, 2] { pool.release(ids[i]) }
        // Freed 1, 4, 2: taken again 2, 4, 1, then a new slot.
        let again = (0..<4).map { _ in pool.allocate(Message()) }
        #expect(again.map(\.index) == [2, 4, 1, 6])
        #expect(pool.alive == 7)
        // A reused slot's generation moves on, so events holding the old one are stale.
        #expect(pool[again[0]].generation == 2)
    }
}
