import CPrefetch

/// The world's entities of one kind (queues, functions, pollers, ...), changed in place one
/// field at a time.
///
/// An `Array` of structs held by a class checks that its buffer is uniquely referenced on
/// every write (`pollers[p].generation &+= 1` is a call to
/// `swift_isUniquelyReferenced_nonNull_native` before the store), and the model writes a
/// few dozen fields per message: those checks were about 6 % of a pipeline run's
/// instructions in callgrind (Benchmarks/PROFILE.md). A store is a class that owns its
/// elements' memory, so there is nothing to copy on write and nothing to check; its
/// subscript hands out the element's address.
///
/// Indexes are checked with `assert`, not `precondition`: they are the model's own ids, never
/// user input, and the checks (a compare and a branch on every field read or written) were
/// about 6 % of a pipeline run's instructions. Debug builds, which run the test suites, still
/// check every access.
///
/// It is a reference: `let copy = store` shares the elements. The world owns its stores and
/// never copies one. As with the arrays it replaces, no access to an element may be held
/// across an `append` to the same store (an append may move the elements); the world's
/// methods reach one element at a time (see ``World``).
///
/// Elements may be non-copyable: a queue (``SQSQueue``) holds its messages in deques without
/// copy-on-write, which cannot be copied, so neither can the queue. Such a store is not a
/// `Collection` (a collection hands out copies of its elements); it is walked by `indices`,
/// and its elements are read and changed where they are, through the subscript.
final class EntityStore<Element: ~Copyable> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 8
        base = Self.allocate(capacity: capacity)
    }

    /// Memory for `capacity` elements, starting on a cache line: an element whose stride is
    /// 64 bytes (a message) then lies on exactly one line instead of straddling two.
    private static func allocate(capacity: Int) -> UnsafeMutablePointer<Element> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Element>.stride,
                                         alignment: Swift.max(64, MemoryLayout<Element>.alignment))
            .bindMemory(to: Element.self, capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    var indices: Range<Int> { 0..<count }

    subscript(position: Int) -> Element {
        unsafeAddress {
            assert(position >= 0 && position < count, "entity index out of range")
            return UnsafePointer(base + position)
        }
        unsafeMutableAddress {
            assert(position >= 0 && position < count, "entity index out of range")
            return base + position
        }
    }

    /// Where the elements start (the tests check its alignment).
    var baseAddress: UnsafeRawPointer { UnsafeRawPointer(base) }

    /// Starts loading an element into the cache, for an access that comes a little later.
    ///
    /// For slots whose last use lies far back: a message received after seconds in a backlog,
    /// or a message slot freed while a backlog drained and reused much later. Waiting for
    /// such slots was two thirds of `receive`'s and three quarters of `MessagePool.allocate`'s
    /// cycles in `perf` (Benchmarks/PROFILE.md). Both ends of the element are asked for when
    /// it may straddle two cache lines (not when its stride divides a line: the store starts
    /// on one). A hint: it changes nothing.
    func prefetch(_ position: Int) { Self.prefetch(at: address(of: position)) }

    /// Where an element lives, for ``prefetch(at:)`` by a caller that reaches the store
    /// through a class's stored property.
    ///
    /// Such a caller (`World.receive`, through `World.messages`) retains and releases the
    /// store around a call of ``prefetch(_:)``: the C hint is a call Swift cannot see into,
    /// which might replace the property and free the store in the middle. Taking the address
    /// first and asking for it once the access has ended needs neither: 6.1 M instructions
    /// fewer in a pipeline run, 1.3 % (Benchmarks/PROFILE.md, fifth round).
    func address(of position: Int) -> UnsafeRawPointer {
        assert(position >= 0 && position < count, "entity index out of range")
        return UnsafeRawPointer(base + position)
    }

    /// Starts loading the element at `address` (from ``address(of:)``) into the cache; see
    /// ``prefetch(_:)``. The element may have moved or gone since: a hint never faults.
    static func prefetch(at address: UnsafeRawPointer) {
        queuesim_prefetch(address)
        let stride = MemoryLayout<Element>.stride
        if stride > 64 || 64 % stride != 0 { queuesim_prefetch(address + (stride - 1)) }
    }

    /// Adds an element at the end, moving the elements to twice the room when full.
    ///
    /// Inlined, the growth out of line: a delete frees a message slot onto a store (the
    /// ``MessagePool``'s free slots), and the call was about as long as the append.
    @inline(__always)
    func append(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(never)
    private func grow() {
        let larger = Self.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// Removes the last element and returns it; the store must not be empty.
    func removeLast() -> Element {
        assert(count > 0, "removeLast of an empty store")
        count -= 1
        return (base + count).move()
    }
}

extension EntityStore: RandomAccessCollection where Element: Copyable {
    /// A store of `count` copies of `element`.
    convenience init(repeating element: Element, count: Int) {
        self.init()
        for _ in 0..<count { append(element) }
    }
}
