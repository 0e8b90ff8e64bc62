/// Generation counters for lazy cancellation of scheduled events.
///
/// An event that may become obsolete (a visibility timeout after the message was deleted,
/// an idle reclaim after the environment was reused) carries the generation of its target
/// at the time it was scheduled. Cancelling bumps the target's generation; when the stale
/// event is popped, ``isCurrent(_:_:)`` says false and the model ignores it. No heap search.
public struct Generations: Sendable {
    @usableFromInline var counters: [UInt32] = []

    /// Creates an empty table.
    public init() {}

    /// The current generation of a target, growing the table as needed.
    @inlinable public mutating func current(_ target: Int) -> UInt32 {
        ensure(target)
        return counters[target]
    }

    /// Invalidates every event scheduled for `target` so far and returns the new generation.
    @inlinable @discardableResult public mutating func cancel(_ target: Int) -> UInt32 {
        ensure(target)
        counters[target] &+= 1
        return counters[target]
    }

    /// Whether an event scheduled with `generation` for `target` is still valid.
    ///
    /// A target the table has never seen is at generation 0, as ``current(_:)`` would say.
    /// Generations wrap after 2^32 cancellations of one target; a stale event could only pass
    /// for current if exactly that many happened while it was pending.
    @inlinable public func isCurrent(_ target: Int, _ generation: UInt32) -> Bool {
        target < counters.count ? counters[target] == generation : generation == 0
    }

    @inlinable mutating func ensure(_ target: Int) {
        if target >= counters.count {
            counters.append(contentsOf: repeatElement(0, count: target - counters.count + 1))
        }
    }
}
