/// The future event list: pending events ordered by time, ties first-in-first-out.
///
/// Events are values of the model's own type (usually a small enum carrying integer ids), so
/// scheduling allocates no object and no closure per event. Each entry is keyed by
/// (time, sequence number); the sequence number grows with every `schedule`, which makes
/// simultaneous events run in the order they were scheduled and every run deterministic.
///
/// Cancelling is lazy: instead of searching the heap, a model bumps a generation counter on
/// the target (see ``Generations``) and ignores events whose generation is stale.
///
/// The heap is hand-written rather than swift-collections' `Heap`: that one is a min-max
/// heap (it pays for a `max` the engine never asks for). Measured with the benchmark's hold
/// model, this plain binary heap handles about 20 % more events per second from 10 to 10^5
/// pending events, and as many at 10^6, where memory latency dominates both (see
/// Benchmarks/README.md). Everything on the hot path is `@inlinable` so that it is
/// specialised for the model's concrete event type in the model's own module.
public struct EventList<Event> {
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

        /// Whether this entry runs before `other`: earlier time, or same time and scheduled
        /// first. Sequence numbers are unique, so no two entries are ever equal.
        @inlinable @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    /// An implicit binary min-heap in `slots[0..<count]`: the children of `i` are `2i + 1`
    /// and `2i + 2`. Slots at `count` and beyond are spare: popping does not shrink the array,
    /// so each operation makes one uniqueness check instead of two (they showed in profiles).
    /// A spare slot keeps its stale entry until it is reused, at most the peak number of
    /// pending events.
    @usableFromInline var slots: ContiguousArray<Entry> = []
    @usableFromInline var pending: Int = 0
    @usableFromInline var nextSequence: UInt64 = 0

    @usableFromInline var clock: SimTime = .zero
    @usableFromInline var currentSequence: UInt64 = 0

    /// The current virtual time: the time of the event being handled, or where a run stopped.
    @inlinable public var now: SimTime { clock }

    /// Creates an empty event list at time zero.
    public init() {}

    /// The sequence number of the event being handled (the last one popped): a model that
    /// schedules its own timers with ``schedule(_:at:sequence:)`` recognises them by it.
    @inlinable public var sequence: UInt64 { currentSequence }

    /// The number of pending events, cancelled ones included until they are popped.
    @inlinable public var count: Int { pending }

    /// Whether no event is pending.
    @inlinable public var isEmpty: Bool { pending == 0 }

    /// The time of the next pending event, if any.
    @inlinable public var nextTime: SimTime? {
        pending == 0 ? nil : SimTime(nanoseconds: slots[0].time)
    }

    /// Reserves room for `capacity` pending events, so that a model that knows its peak need
    /// not grow the heap while it runs.
    @inlinable public mutating func reserveCapacity(_ capacity: Int) {
        slots.reserveCapacity(capacity)
    }

    /// Schedules an event at an absolute time, which must not be in the past.
    @inlinable public mutating func schedule(_ event: Event, at time: SimTime) {
        precondition(time >= now, "an event cannot be scheduled in the past")
        let entry = Entry(time: time.nanoseconds, sequence: nextSequence, event: event)
        nextSequence &+= 1
        insert(entry)
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
    /// Each reserved number must be scheduled at most once, or runs lose their determinism.
    @inlinable public mutating func schedule(_ event: Event, at time: SimTime, sequence: UInt64) {
        precondition(time >= now, "an event cannot be scheduled in the past")
        precondition(sequence < nextSequence, "a sequence number must be reserved before it is used")
        insert(Entry(time: time.nanoseconds, sequence: sequence, event: event))
    }

    /// Puts an entry in the heap.
    @inlinable mutating func insert(_ entry: Entry) {
        if pending == slots.count {
            slots.append(entry)
        }
        let hole = pending
        pending &+= 1
        slots.withUnsafeMutableBufferPointer { slots in
            // Sift up with a hole: parents move down until the entry's place is found, then
            // the entry is written once (half the writes of swapping).
            var hole = hole
            while hole > 0 {
                let parent = (hole &- 1) >> 1
                guard entry.precedes(slots[parent]) else { break }
                slots[hole] = slots[parent]
                hole = parent
            }
            slots[hole] = entry
        }
    }

    /// Schedules an event a span of time after now.
    @inlinable public mutating func schedule(_ event: Event, after delay: SimTime) {
        schedule(event, at: now + delay)
    }

    /// Removes the next event and advances the clock to its time.
    @inlinable public mutating func popNext() -> Event? {
        guard pending > 0 else { return nil }
        pending &-= 1
        let count = pending
        let first = slots.withUnsafeMutableBufferPointer { slots -> Entry in
            let first = slots[0]
            guard count > 0 else { return first }
            let last = slots[count]
            // Bottom-up sift-down (Floyd): walk the hole from the root to a leaf along the
            // smaller children, then sift the old last entry up from there. Leaving the
            // entry out of the way down saves one comparison per level; it rarely climbs far
            // because it came from the bottom.
            var hole = 0
            var child = 1
            while child < count {
                let right = child &+ 1
                if right < count && slots[right].precedes(slots[child]) { child = right }
                slots[hole] = slots[child]
                hole = child
                child = 2 &* hole &+ 1
            }
            while hole > 0 {
                let parent = (hole &- 1) >> 1
                guard last.precedes(slots[parent]) else { break }
                slots[hole] = slots[parent]
                hole = parent
            }
            slots[hole] = last
            return first
        }
        clock = SimTime(nanoseconds: first.time)
        currentSequence = first.sequence
        return first.event
    }

    /// Moves the clock forward without an event (used when a run stops at a time limit).
    @inlinable mutating func advance(to time: SimTime) {
        if time > clock { clock = time }
    }
}

extension EventList: Sendable where Event: Sendable {}
extension EventList.Entry: Sendable where Event: Sendable {}
