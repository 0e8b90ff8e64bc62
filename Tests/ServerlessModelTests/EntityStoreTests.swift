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
}
