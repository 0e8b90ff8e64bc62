/// The future event list: pending events ordered by time, ties first-in-first-out.
///
/// Events are values of the model's own type (usually a small enum carrying integer ids), so
/// scheduling allocates no object and no closure per event. Each entry is keyed by
/// (time, sequence number); the sequence number grows with every `schedule`, which makes
/// simultaneous events run in the order they were scheduled and every run deterministic.
///
/// Cancelling is lazy: instead of searching for an event, a model bumps a generation counter
/// on the target (see ``Generations``) and ignores events whose generation is stale.
///
/// Two structures hold the events. Most events of a simulation are due soon after they are
/// scheduled: those within about a thousand (or, as ``WheelReach`` finds faster, about 250)
/// mean gaps between events go on a wheel of 1,024 buckets (a calendar queue), each bucket a
/// short list sorted by (time, sequence), where scheduling and popping take a few dozen
/// instructions whatever the number pending. The buckets' width follows the mean gap between
/// recent events, so a bucket holds about one event. Events beyond the wheel's reach (timers
/// seconds or minutes ahead, or most events when hundreds of thousands are pending) go to a
/// heap. The next event is the earlier of the wheel's first and the heap's, by the full key,
/// so the order is exactly the heap's alone.
/// On the pipeline benchmark (about 200 pending events) the event list and run loop went from
/// about 290 to about 150 instructions per event. The hold model takes about 100 fewer
/// instructions per event with 200 pending events, 15 and 4 fewer with 10,000 and 100,000
/// (where the heap does nearly all the work), and about 1 % more with 1,000,000; its CPU
/// time with 100,000 and 1,000,000 pending events was unchanged within the machine's noise
/// (Benchmarks/PROFILE.md, fourth round).
///
/// The heap is hand-written rather than swift-collections' `Heap`, a min-max heap that pays
/// for a `max` the engine never asks for (the binary heap this one replaced handled about
/// 20 % more events per second than it; see Benchmarks/README.md). It is 4-ary: half the
/// levels of a binary heap, each picking the earliest of four children with conditional
/// moves rather than branches whose outcome is a coin toss. In the hold model with 200
/// pending events (before the wheel), callgrind's branch simulator counted 2.6 mispredicted
/// branches per event instead of 7.2, and it ran about 30 % more events per second; at
/// 100,000 pending events both heaps were as fast, at 10^6 the binary one about 10 % faster
/// (memory latency; Benchmarks/PROFILE.md, third round).
///
/// The list owns its memory alone and cannot be copied (`~Copyable`, as is the
/// ``Simulation`` that holds it): no model copied one (only the tests of copying did), and a
/// copy-on-write list paid a uniqueness check, a call into the runtime, on every schedule
/// and every pop (about 35 instructions per event). Everything on the hot path is
/// `@inlinable` so that it is specialised for the model's concrete event type in the
/// model's own module.
public struct EventList<Event>: ~Copyable {
    /// One pending event with its ordering key.
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable init(time: Int64, sequence: UInt64, event: Event) {
            self.time = time
            self.sequence = sequence
            self.event = event
        }
    }

    /// An implicit 4-ary min-heap in `entries[0..<storedCount]`: the children of `i` are
    /// `4i + 1` to `4i + 4`. Popping leaves the root vacant (see `rootIsVacant`) rather than
    /// filling it at once: most handlers schedule an event, and the first one scheduled fills
    /// the root with a single sift from the top, where filling it with the last entry and then
    /// adding the new one at the bottom would take two.
    ///
    /// `capacity` slots; `entries[0..<storedCount]` are initialised, except the root when
    /// `rootIsVacant`; the rest are not. The list owns this memory alone (it cannot be
    /// copied), so it writes it without asking whether another list shares it.
    @usableFromInline var entries: UnsafeMutablePointer<Entry>
    @usableFromInline var capacity: Int
    @usableFromInline var storedCount: Int
    @usableFromInline var rootIsVacant: Bool
    @usableFromInline var nextSequence: UInt64 = 0

    @usableFromInline var clock: SimTime = .zero
    @usableFromInline var currentSequence: UInt64 = 0

    /// One event on the wheel: its key, the next node of its bucket (the `sentinel` after the
    /// last), the event.
    ///
    /// Node numbers (`next`, the buckets' heads, the free list) are 32-bit: with a model's
    /// event of up to 12 bytes and 4-byte alignment (the pipeline's is 9), a node is then 32
    /// bytes and, the nodes starting on a cache line, never straddles two; the 1,024 heads
    /// take 4 KiB instead of 8. Scheduling and popping each read a head and a node that have
    /// often left the first-level cache: this cut the simulated first-level misses of the
    /// pipeline benchmark by 4.6 % (Benchmarks/PROFILE.md, fifth round).
    @usableFromInline
    struct Node {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var next: Int32
        @usableFromInline var event: Event

        @inlinable init(time: Int64, sequence: UInt64, next: Int32, event: Event) {
            self.time = time
            self.sequence = sequence
            self.next = next
            self.event = event
        }
    }

    /// The wheel's number of buckets (a power of two, a multiple of 64).
    @inlinable static var bucketCount: Int { 1024 }

    /// Node 0, which ends every bucket's list and heads every empty bucket: its time and
    /// sequence number are the largest there are, so every event precedes it and a schedule
    /// finds its place with one test whether the bucket is empty or not (the emptiness of a
    /// bucket is close to a coin toss). Only its time and sequence are ever read (and they and
    /// its `next` written); its event is never initialised (see `writeSentinel`).
    @inlinable static var sentinel: Int32 { 0 }

    /// The wheel: events due within `reach` (at most `bucketCount`) buckets of `2^shift`
    /// nanoseconds from the bucket of `now` are kept in `heads[time >> shift & (bucketCount - 1)]`, each bucket a
    /// list of nodes sorted by (time, sequence); later ones go to the heap. Every wheel event
    /// lies in `[now >> shift, (now >> shift) + bucketCount)` in units of buckets (it did when
    /// it was scheduled, and `now` only grows), so the buckets in ring order from the bucket of
    /// `now` are in time order. A set bit of `occupied` marks a non-empty bucket; an empty
    /// bucket's head is the `sentinel`, which also follows every list's last node.
    @usableFromInline var nodes: UnsafeMutablePointer<Node>
    @usableFromInline var nodeCapacity: Int
    /// Slots `0..<nodesUsed` have been used (slot 0 by the `sentinel`); the free ones among
    /// them are in `freeNodes`.
    @usableFromInline var nodesUsed: Int
    @usableFromInline var freeNodes: UnsafeMutablePointer<Int32>
    @usableFromInline var freeCount: Int
    @usableFromInline var heads: UnsafeMutablePointer<Int32>
    @usableFromInline var occupied: UnsafeMutablePointer<UInt64>
    @usableFromInline var shift: Int
    @usableFromInline var wheelCount: Int
    /// The first non-empty bucket, as a bucket number `time >> shift` (not a ring index), or
    /// `Int64.max` if the wheel is empty. Kept true as events come and go: a schedule takes
    /// the earlier of it and its own bucket, and a pop from the wheel looks for it again (see
    /// `removeFromWheel`), so finding the next event needs no scan.
    @usableFromInline var firstBucket: Int64
    /// How many buckets ahead of the bucket of `now` an event may be to go on the wheel (at
    /// most `bucketCount`), chosen by `reachChooser` at each tuning.
    @usableFromInline var reach: Int64
    @usableFromInline var reachChooser: WheelReach
    /// Pops since `shift` was last reconsidered, and the clock then.
    @usableFromInline var popsSinceTuning: Int
    @usableFromInline var tuningStart: Int64

    /// The current virtual time: the time of the event being handled, or where a run stopped.
    @inlinable public var now: SimTime { clock }

    /// Creates an empty event list at time zero.
    public init() {
        capacity = 16
        entries = .allocate(capacity: capacity)
        storedCount = 0
        rootIsVacant = false
        nodeCapacity = 16
        nodes = Self.allocateNodes(capacity: nodeCapacity)
        Self.writeSentinel(in: nodes)
        nodesUsed = 1
        freeNodes = .allocate(capacity: nodeCapacity)
        freeCount = 0
        heads = .allocate(capacity: Self.bucketCount)
        heads.initialize(repeating: Self.sentinel, count: Self.bucketCount)
        occupied = .allocate(capacity: Self.bucketCount / 64)
        occupied.initialize(repeating: 0, count: Self.bucketCount / 64)
        shift = 16
        wheelCount = 0
        firstBucket = .max
        reachChooser = WheelReach()
        reach = reachChooser.reach
        popsSinceTuning = 0
        tuningStart = 0
    }

    deinit {
        let first = rootIsVacant ? 1 : 0
        (entries + first).deinitialize(count: storedCount - first)
        entries.deallocate()
        for bucket in 0..<Self.bucketCount {
            var node = Int(heads[bucket])
            while node != Self.sentinel {
                let next = Int(nodes[node].next)
                (nodes + node).deinitialize(count: 1)
                node = next
            }
        }
        nodes.deallocate()
        freeNodes.deallocate()
        heads.deallocate()
        occupied.deallocate()
    }

    /// The sequence number of the event being handled (the last one popped): a model that
    /// schedules its own timers with ``schedule(_:at:sequence:)`` recognises them by it.
    @inlinable public var sequence: UInt64 { currentSequence }

    /// The number of pending events, cancelled ones included until they are popped.
    @inlinable public var count: Int { storedCount &- (rootIsVacant ? 1 : 0) &+ wheelCount }

    /// Whether no event is pending.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The time of the next pending event, if any.
    @inlinable public var nextTime: SimTime? {
        // Through `firstBucket`, as the run loop finds the next event (the tests of the list
        // against a sorted reference read this after every operation).
        let first = Int(truncatingIfNeeded: firstBucket) & (Self.bucketCount &- 1)
        let wheelTime = wheelCount > 0 ? nodes[Int(heads[first])].time : nil
        guard let heapTime = heapNextTime else { return wheelTime.map { SimTime(nanoseconds: $0) } }
        return SimTime(nanoseconds: Swift.min(heapTime, wheelTime ?? heapTime))
    }

    /// The time of the heap's next event, if any.
    @inlinable var heapNextTime: Int64? {
        let count = storedCount
        guard rootIsVacant else {
            return count == 0 ? nil : entries[0].time
        }
        // The next event is one of the vacant root's children.
        guard count > 1 else { return nil }
        var time = entries[1].time
        var child = 2
        while child < Swift.min(count, 5) {
            time = Swift.min(time, entries[child].time)
            child &+= 1
        }
        return time
    }

    /// The first non-empty bucket in ring order from the bucket of `now`; the wheel must not
    /// be empty.
    @inlinable @inline(__always) func firstOccupiedBucket() -> Int {
        let start = Int(truncatingIfNeeded: clock.nanoseconds &>> shift) & (Self.bucketCount &- 1)
        var word = start &>> 6
        var bits = occupied[word] & (~0 &<< UInt64(start & 63))
        // Back at the first word after going round, its bits below `start` are the last buckets.
        while bits == 0 {
            word = (word &+ 1) & (Self.bucketCount / 64 &- 1)
            bits = occupied[word]
        }
        return word &<< 6 | bits.trailingZeroBitCount
    }

    /// Where the next event is: a wheel bucket, -1 for the heap's root (then filled), or -2
    /// if no event is pending.
    @inlinable @inline(__always) mutating func locateNext() -> Int {
        fillRoot()
        guard wheelCount > 0 else { return storedCount > 0 ? -1 : -2 }
        let bucket = Int(truncatingIfNeeded: firstBucket) & (Self.bucketCount &- 1)
        if storedCount > 0 {
            let node = nodes + Int(heads[bucket])
            let time = entries[0].time
            if time < node.pointee.time || (time == node.pointee.time && entries[0].sequence < node.pointee.sequence) {
                return -1
            }
        }
        return bucket
    }

    /// The time of the next event, found by ``locateNext()``, in nanoseconds.
    @inlinable @inline(__always) func time(at location: Int) -> Int64 {
        location < 0 ? entries[0].time : nodes[Int(heads[location])].time
    }

    /// Takes the next event, found by ``locateNext()``, and advances the clock to its time.
    @inlinable @inline(__always) mutating func remove(at location: Int) -> Event {
        let event = location < 0 ? removeFirst() : removeFromWheel(location)
        popsSinceTuning &+= 1
        if popsSinceTuning == 1024 { tuneWheel() }
        return event
    }

    /// Takes the first event of the wheel's first bucket and advances the clock to its time.
    ///
    /// Whether the node was its bucket's last is close to a coin toss (a bucket holds about
    /// one event), so nothing branches on it: the bucket's bit is cleared by a mask that is
    /// zero unless it was, and the first bucket is looked for again either way (a bucket
    /// still occupied is found at once, as the clock is now in it).
    @inlinable @inline(__always) mutating func removeFromWheel(_ location: Int) -> Event {
        let index = heads[location]
        let node = (nodes + Int(index)).move()
        heads[location] = node.next
        // All ones if `next` is the sentinel, 0 (the last node), else zero.
        let wasLast = UInt64(bitPattern: Int64((node.next &- 1) &>> 31))
        occupied[location &>> 6] &= ~(wasLast & (1 &<< UInt64(location & 63)))
        freeNodes[freeCount] = index
        freeCount &+= 1
        wheelCount &-= 1
        clock = SimTime(nanoseconds: node.time)
        currentSequence = node.sequence
        firstBucket = wheelCount > 0 ? firstOccupiedBucketNumber() : .max
        return node.event
    }

    /// The bucket number (`time >> shift`) of ``firstOccupiedBucket()``; the wheel must not
    /// be empty.
    @inlinable @inline(__always) func firstOccupiedBucketNumber() -> Int64 {
        let now = clock.nanoseconds &>> shift
        let start = Int(truncatingIfNeeded: now) & (Self.bucketCount &- 1)
        return now &+ Int64((firstOccupiedBucket() &- start) & (Self.bucketCount &- 1))
    }

    /// Sets the buckets' width to about the mean time between the last 1,024 events, so that
    /// a bucket holds about one event and the wheel reaches up to a thousand events ahead;
    /// when the width changes, the wheel's events move to the heap. The reach may change too
    /// (see ``WheelReach``): events already placed stay, as every one is within `bucketCount`.
    @inline(never) @usableFromInline mutating func tuneWheel() {
        reach = reachChooser.tuned(cpu: WheelReach.threadCPUNanoseconds)
        let gap = (clock.nanoseconds &- tuningStart) / Int64(popsSinceTuning)
        popsSinceTuning = 0
        tuningStart = clock.nanoseconds
        let wanted = gap > 1 ? Int(63 &- UInt64(gap).leadingZeroBitCount) : 0
        // Small changes are not worth moving the wheel for.
        guard abs(wanted - shift) > 1 else { return }
        for bucket in 0..<Self.bucketCount where heads[bucket] != Self.sentinel {
            var index = heads[bucket]
            while index != Self.sentinel {
                let node = (nodes + Int(index)).move()
                heapInsert(Entry(time: node.time, sequence: node.sequence, event: node.event))
                freeNodes[freeCount] = index
                freeCount &+= 1
                index = node.next
            }
            heads[bucket] = Self.sentinel
        }
        occupied.update(repeating: 0, count: Self.bucketCount / 64)
        wheelCount = 0
        firstBucket = .max
        shift = wanted
    }

    /// Reserves room in the heap for `capacity` pending events, so that a model that knows its
    /// peak need not grow the heap while it runs (the wheel's room for events grows as
    /// needed).
    @inlinable public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > self.capacity { resize(to: capacity) }
    }

    /// Schedules an event at an absolute time, which must not be in the past.
    @inlinable public mutating func schedule(_ event: Event, at time: SimTime) {
        precondition(time >= now, "an event cannot be scheduled in the past")
        let sequence = nextSequence
        nextSequence &+= 1
        insert(Entry(time: time.nanoseconds, sequence: sequence, event: event))
    }

    /// Takes the sequence number that scheduling an event now would give it, without
    /// scheduling anything: for a model that keeps a time-ordered list of its own timers (one
    /// per message, say) and puts only the earliest on the event list, with
    /// ``schedule(_:at:sequence:)``. Each timer then runs exactly where it would have run had
    /// it been scheduled now, ties included, while the event list stays small.
    @inlinable public mutating func reserveSequence() -> UInt64 {
        defer { nextSequence &+= 1 }
        return nextSequence
    }

    /// Schedules an event with a sequence number taken earlier by ``reserveSequence()``.
    /// A reserved number may be scheduled again only at another time (a periodic event that
    /// must run first at its instant): two pending events with the same time and number
    /// would run in an order that depends on the list's layout, and runs lose their
    /// determinism.
    @inlinable public mutating func schedule(_ event: Event, at time: SimTime, sequence: UInt64) {
        precondition(time >= now, "an event cannot be scheduled in the past")
        precondition(sequence < nextSequence, "a sequence number must be reserved before it is used")
        insert(Entry(time: time.nanoseconds, sequence: sequence, event: event))
    }

    /// Schedules an event a span of time after now.
    @inlinable public mutating func schedule(_ event: Event, after delay: SimTime) {
        schedule(event, at: now + delay)
    }

    /// Moves the entries to new memory with room for `capacity` of them (at least as many as
    /// are stored), the root vacant if it is here.
    @inline(never) @usableFromInline mutating func resize(to capacity: Int) {
        let capacity = Swift.max(capacity, storedCount)
        let moved = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        let first = rootIsVacant ? 1 : 0
        (moved + first).moveInitialize(from: entries + first, count: storedCount - first)
        entries.deallocate()
        entries = moved
        self.capacity = capacity
    }

    /// Puts an entry on the wheel if it is due within its reach, else in the heap.
    @inlinable @inline(__always) mutating func insert(_ entry: Entry) {
        let bucketTime = entry.time &>> shift
        guard UInt64(bitPattern: bucketTime &- clock.nanoseconds &>> shift) < UInt64(bitPattern: reach) else {
            heapInsert(entry)
            return
        }
        let index: Int32
        if freeCount > 0 {
            freeCount &-= 1
            index = freeNodes[freeCount]
        } else {
            if nodesUsed == nodeCapacity { growNodes() }
            index = Int32(truncatingIfNeeded: nodesUsed)
            nodesUsed &+= 1
        }
        wheelCount &+= 1
        firstBucket = Swift.min(firstBucket, bucketTime)
        let bucket = Int(truncatingIfNeeded: bucketTime) & (Self.bucketCount &- 1)
        let head = heads[bucket]
        let headNode = nodes + Int(head)
        let second = headNode.pointee.next
        // Whether it goes first (always in an empty bucket, whose head is the sentinel) is
        // close to a coin toss, so both places it may take, first or second, are written
        // without a branch; only a third place or later (rare) takes the walk. An empty
        // bucket's second is the sentinel's own `next`, the sentinel again.
        // (The compiler turns `? :` on it back into branches; masks it leaves alone.)
        let first = Self.runsBeforeMask(entry, headNode)
        if first | Self.runsBeforeMask(entry, nodes + Int(second)) != 0 {
            (nodes + Int(index)).initialize(to: Node(time: entry.time, sequence: entry.sequence,
                                                     next: Self.choose(first, head, second), event: entry.event))
            heads[bucket] = Self.choose(first, index, head)
            headNode.pointee.next = Self.choose(first, second, index)
            occupied[bucket &>> 6] |= 1 &<< UInt64(bucket & 63)
            return
        }
        // The sentinel ends the walk if nothing else does.
        var previous = Int(second)
        while true {
            let next = nodes[previous].next
            if Self.precedes(entry, nodes + Int(next)) { break }
            previous = Int(next)
        }
        (nodes + Int(index)).initialize(to: Node(time: entry.time, sequence: entry.sequence, next: nodes[previous].next, event: entry.event))
        nodes[previous].next = index
    }

    /// Doubles the wheel's room for nodes.
    @inline(never) @usableFromInline mutating func growNodes() {
        let capacity = 2 &* nodeCapacity
        // Node numbers are 32-bit (see `Node`): 2^31 nodes would take 64 GiB first.
        precondition(capacity <= Int(Int32.max), "more events on the wheel than it can number")
        let moved = Self.allocateNodes(capacity: capacity)
        Self.writeSentinel(in: moved)
        for bucket in 0..<Self.bucketCount {
            var index = Int(heads[bucket])
            while index != Self.sentinel {
                (moved + index).initialize(to: (nodes + index).move())
                index = Int(moved[index].next)
            }
        }
        nodes.deallocate()
        nodes = moved
        let free = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        free.initialize(from: freeNodes, count: freeCount)
        freeNodes.deallocate()
        freeNodes = free
        nodeCapacity = capacity
    }

    /// Memory for `capacity` wheel nodes, starting on a cache line, so that no node straddles
    /// two (a node is 32 bytes for events of up to 12 bytes, see `Node`).
    @usableFromInline static func allocateNodes(capacity: Int) -> UnsafeMutablePointer<Node> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity &* MemoryLayout<Node>.stride,
                                         alignment: Swift.max(64, MemoryLayout<Node>.alignment))
            .bindMemory(to: Node.self, capacity: capacity)
    }

    /// Writes the `sentinel`'s time and sequence number, and nothing of its event, into
    /// `nodes[0]`.
    @usableFromInline static func writeSentinel(in nodes: UnsafeMutablePointer<Node>) {
        let raw = UnsafeMutableRawPointer(nodes + Int(sentinel))
        raw.storeBytes(of: Int64.max, toByteOffset: MemoryLayout<Node>.offset(of: \.time)!, as: Int64.self)
        raw.storeBytes(of: UInt64.max, toByteOffset: MemoryLayout<Node>.offset(of: \.sequence)!, as: UInt64.self)
        raw.storeBytes(of: sentinel, toByteOffset: MemoryLayout<Node>.offset(of: \.next)!, as: Int32.self)
    }

    /// Puts an entry in the heap: in the vacant root if there is one, else at the bottom.
    @inlinable @inline(__always) mutating func heapInsert(_ entry: Entry) {
        if rootIsVacant {
            rootIsVacant = false
            Self.place(entry, fromRootOf: entries, count: storedCount)
            return
        }
        if storedCount == capacity { resize(to: 2 &* capacity) }
        let entries = self.entries
        // Sift up with a hole: parents move down until the entry's place is found, then the
        // entry is written once (half the writes of swapping).
        var hole = storedCount
        storedCount = hole &+ 1
        while hole > 0 {
            let parent = (hole &- 1) &>> 2
            guard Self.precedes(entry, entries + parent) else { break }
            (entries + hole).initialize(to: (entries + parent).move())
            hole = parent
        }
        (entries + hole).initialize(to: entry)
    }

    /// Removes the next event and advances the clock to its time.
    @inlinable public mutating func popNext() -> Event? {
        let location = locateNext()
        guard location > -2 else { return nil }
        return remove(at: location)
    }

    /// Fills a vacant root with the last entry, so that the first entry is the next event.
    @inlinable @inline(__always) mutating func fillRoot() {
        guard rootIsVacant else { return }
        rootIsVacant = false
        let count = storedCount &- 1
        storedCount = count
        // With no entry but the vacant root, the heap is now empty.
        guard count > 0 else { return }
        Self.place((entries + count).move(), fromRootOf: entries, count: count)
    }

    /// Takes the next event, leaving the root vacant, and advances the clock to its time;
    /// the list must not be empty and its root not vacant (see ``fillRoot()``).
    @inlinable @inline(__always) mutating func removeFirst() -> Event {
        let first = entries.move()
        rootIsVacant = true
        clock = SimTime(nanoseconds: first.time)
        currentSequence = first.sequence
        return first.event
    }

    /// Whether `entry` runs before the entry at `other`: earlier time, or same time and
    /// scheduled first. Sequence numbers are unique, so no two entries are ever equal.
    @inlinable @inline(__always)
    static func precedes(_ entry: Entry, _ other: UnsafeMutablePointer<Entry>) -> Bool {
        let time = other.pointee.time
        return entry.time < time || (entry.time == time && entry.sequence < other.pointee.sequence)
    }

    /// All ones if `entry` runs before the wheel's node at `other`, else zero, without a
    /// branch: the sequence numbers' borrow is carried into the difference of the times,
    /// whose sign then says (times are never negative, so it cannot overflow; the sentinel's
    /// time is the largest there is).
    @inlinable @inline(__always)
    static func runsBeforeMask(_ entry: Entry, _ other: UnsafeMutablePointer<Node>) -> Int32 {
        let borrow: Int64 = entry.sequence < other.pointee.sequence ? 1 : 0
        return Int32(truncatingIfNeeded: (entry.time &- other.pointee.time &- borrow) &>> 63)
    }

    /// `a` where `mask` is all ones, `b` where it is zero.
    @inlinable @inline(__always)
    static func choose(_ mask: Int32, _ a: Int32, _ b: Int32) -> Int32 { b ^ ((a ^ b) & mask) }

    /// Whether `entry` runs before the wheel's node at `other`.
    @inlinable @inline(__always)
    static func precedes(_ entry: Entry, _ other: UnsafeMutablePointer<Node>) -> Bool {
        let time = other.pointee.time
        return entry.time < time || (entry.time == time && entry.sequence < other.pointee.sequence)
    }

    /// Puts `entry` into the heap `entries[0..<count]` whose root is vacant (uninitialised).
    ///
    /// Bottom-up (Floyd): the vacancy walks from the root to a leaf along the earliest
    /// children, then the entry climbs from there to its place. Leaving the entry out of the
    /// way down saves one comparison per level; it rarely climbs far, since it is the old
    /// last entry or a new event, most of which lie further ahead than most pending ones.
    @inlinable @inline(__always)
    static func place(_ entry: Entry, fromRootOf entries: UnsafeMutablePointer<Entry>, count: Int) {
        var hole = 0
        while true {
            let child = 4 &* hole &+ 1
            guard child &+ 3 < count else {
                // The last parent may have fewer than four children.
                if child < count {
                    var best = child
                    var other = child &+ 1
                    while other < count {
                        if precedes(entries[other], entries + best) { best = other }
                        other &+= 1
                    }
                    (entries + hole).initialize(to: (entries + best).move())
                    hole = best
                }
                break
            }
            // A tournament: two independent comparisons, then the final. Each time is
            // loaded once. Which child is earlier is a coin toss the processor cannot
            // predict, so it is computed with masks and conditional moves rather than
            // branches (a quarter fewer mispredicted branches per event in the hold model);
            // the branches on a tie, where sequence numbers decide, are rarely taken.
            let children = entries + child
            let t0 = children[0].time, t1 = children[1].time
            let t2 = children[2].time, t3 = children[3].time
            // Times are never negative, so a difference cannot overflow and its sign bit
            // says which of the two is earlier.
            var first = Int((t1 &- t0) &>> 63 & 1)
            let firstTime = Swift.min(t0, t1)
            if _slowPath(t1 == t0) && children[1].sequence < children[0].sequence { first = 1 }
            var second = 2 &+ Int((t3 &- t2) &>> 63 & 1)
            let secondTime = Swift.min(t2, t3)
            if _slowPath(t3 == t2) && children[3].sequence < children[2].sequence { second = 3 }
            first ^= (first ^ second) & Int((secondTime &- firstTime) &>> 63)
            if _slowPath(secondTime == firstTime) && children[second].sequence < children[first].sequence {
                first = second
            }
            let best = child &+ first
            (entries + hole).initialize(to: (entries + best).move())
            hole = best
        }
        while hole > 0 {
            let parent = (hole &- 1) &>> 2
            guard precedes(entry, entries + parent) else { break }
            (entries + hole).initialize(to: (entries + parent).move())
            hole = parent
        }
        (entries + hole).initialize(to: entry)
    }

    /// Moves the clock forward without an event (used when a run stops at a time limit).
    @inlinable mutating func advance(to time: SimTime) {
        if time > clock { clock = time }
    }
}

// Unchecked because of the pointer to the entries, which the list owns alone: it cannot be
// copied, so the memory is never shared.
extension EventList: @unchecked Sendable where Event: Sendable {}
extension EventList.Entry: Sendable where Event: Sendable {}
