import HeapModule

/// The future event list: pending events ordered by time, ties first-in-first-out.
///
/// Events are values of the model's own type (usually a small enum carrying integer ids), so
/// scheduling allocates no object and no closure per event. Each entry is keyed by
/// (time, sequence number); the sequence number grows with every `schedule`, which makes
/// simultaneous events run in the order they were scheduled and every run deterministic.
///
/// Cancelling is lazy: instead of searching the heap, a model bumps a generation counter on
/// the target (see ``Generations``) and ignores events whose generation is stale.
public struct EventList<Event> {
    @usableFromInline
    struct Entry: Comparable {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable init(time: Int64, sequence: UInt64, event: Event) {
            self.time = time
            self.sequence = sequence
            self.event = event
        }

        @inlinable static func < (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time < rhs.time || (lhs.time == rhs.time && lhs.sequence < rhs.sequence)
        }

        @inlinable static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var nextSequence: UInt64 = 0

    @usableFromInline var clock: SimTime = .zero

    /// The current virtual time: the time of the event being handled, or where a run stopped.
    @inlinable public var now: SimTime { clock }

    /// Creates an empty event list at time zero.
    public init() {}

    /// The number of pending events, cancelled ones included until they are popped.
    @inlinable public var count: Int { heap.count }

    /// Whether no event is pending.
    @inlinable public var isEmpty: Bool { heap.isEmpty }

    /// The time of the next pending event, if any.
    @inlinable public var nextTime: SimTime? { heap.min.map { SimTime(nanoseconds: $0.time) } }

    /// Schedules an event at an absolute time, which must not be in the past.
    @inlinable public mutating func schedule(_ event: Event, at time: SimTime) {
        precondition(time >= now, "an event cannot be scheduled in the past")
        heap.insert(Entry(time: time.nanoseconds, sequence: nextSequence, event: event))
        nextSequence &+= 1
    }

    /// Schedules an event a span of time after now.
    @inlinable public mutating func schedule(_ event: Event, after delay: SimTime) {
        schedule(event, at: now + delay)
    }

    /// Removes the next event and advances the clock to its time.
    @inlinable public mutating func popNext() -> Event? {
        guard let entry = heap.popMin() else { return nil }
        clock = SimTime(nanoseconds: entry.time)
        return entry.event
    }

    /// Moves the clock forward without an event (used when a run stops at a time limit).
    @inlinable mutating func advance(to time: SimTime) {
        if time > clock { clock = time }
    }
}
