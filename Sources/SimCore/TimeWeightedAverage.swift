/// The time-weighted average and peak of a piecewise-constant quantity: concurrency, queue
/// length, environments alive.
///
/// The quantity keeps its value from one update to the next, so its mean over [start, end]
/// is the area under the step function divided by (end − start). The plain average of the
/// updates would be wrong: it would weigh a burst of changes within a millisecond as heavily
/// as an hour spent at one level.
///
/// Nothing is stored per update. The area is kept in value × nanoseconds as a `Double`, whose
/// relative rounding error after n updates is at most about n · 1.1e−16: 1e−8 after 10^8
/// updates, far below what any report prints.
public struct TimeWeightedAverage: Equatable, Sendable {
    /// Where the averaging window begins.
    public let start: SimTime
    /// The value now, held since ``lastChange``.
    @inlinable public var value: Double { current }
    /// The time of the latest update (or the start).
    @inlinable public var lastChange: SimTime { changed }
    /// The largest value set since the start, even one held for no time at all (a peak that
    /// rose and fell within one instant still happened).
    @inlinable public var max: Double { maximum }
    /// The smallest value set since the start.
    @inlinable public var min: Double { minimum }

    // Stored apart from the read-only public properties because `update` is inlinable (it is
    // on the hot path of every model) and inlinable code may only write such storage.
    @usableFromInline var current: Double
    @usableFromInline var changed: SimTime
    @usableFromInline var maximum: Double
    @usableFromInline var minimum: Double
    /// Value × nanoseconds over [start, lastChange].
    @usableFromInline var area: Double = 0

    /// Starts averaging at `start` with `initialValue`.
    public init(initialValue: Double = 0, at start: SimTime = .zero) {
        self.start = start
        self.current = initialValue
        self.changed = start
        self.maximum = initialValue
        self.minimum = initialValue
    }

    /// Sets the value from `time` on; `time` must not be before the previous update.
    ///
    /// Always inlined: a pipeline run makes several updates per message, and the call cost
    /// about as much as the update (Benchmarks/PROFILE.md).
    @inlinable @inline(__always) public mutating func update(to newValue: Double, at time: SimTime) {
        precondition(time >= changed, "a time-weighted average cannot go back in time")
        area += current * Double(time.nanoseconds &- changed.nanoseconds)
        changed = time
        current = newValue
        if newValue > maximum { maximum = newValue }
        if newValue < minimum { minimum = newValue }
    }

    /// Changes the value by `delta` at `time` (+1 when an invocation starts, −1 when it ends).
    ///
    /// Always inlined, as ``update(to:at:)`` is: a message's send and its release each make
    /// one, and the call was a third of the cost.
    @inlinable @inline(__always) public mutating func add(_ delta: Double, at time: SimTime) {
        update(to: current + delta, at: time)
    }

    /// The area under the step function over [start, end], in value × seconds (for a
    /// concurrency: the busy seconds, which cost is charged by).
    ///
    /// The current value is taken to hold from the last update until `end`, which must not
    /// be before it. Nothing is changed, so a running average can be read at any time.
    public func integral(until end: SimTime) -> Double {
        area(until: end) / 1e9
    }

    /// The area under the step function over [start, end] in value × nanoseconds, as kept.
    ///
    /// For a whole-number quantity (a concurrency, a count) every term is a whole number, so
    /// the area is exact while it stays below 2^53 (9 · 10^15: a concurrency of 1,000 for two
    /// and a half hours), and so is the difference of two such readings: the area over a part
    /// of the window, without an average of its own (see ``mean(ofArea:from:until:)``).
    public func area(until end: SimTime) -> Double {
        precondition(end >= lastChange, "the end of the window must not be before the last update")
        let open = value * Double(end.nanoseconds &- lastChange.nanoseconds)
        return area + open
    }

    /// The time-weighted mean over [start, end], or nil for an empty window (end == start).
    ///
    /// Closing at `end` counts the current value from the last update until `end`, so the
    /// mean at the end of a run includes the final stretch, which a mean of the updates
    /// would miss.
    public func mean(until end: SimTime) -> Double? {
        Self.mean(ofArea: area(until: end), from: start, until: end)
    }

    /// The mean over [start, end] of a quantity whose area over that window (in value ×
    /// nanoseconds, see ``area(until:)``) is `area`, or nil for an empty window; computed as
    /// ``mean(until:)`` computes it, so that a mean from a difference of areas is the same
    /// Double as one from an average over just that window.
    public static func mean(ofArea area: Double, from start: SimTime, until end: SimTime) -> Double? {
        let length = end.nanoseconds &- start.nanoseconds
        guard length > 0 else { return nil }
        // Not simplified to `area / Double(length)`: dividing by 1e9 and multiplying back is how
        // the mean was computed (through the integral in seconds), and it rounds differently,
        // so the simpler form would change the last digit of reported means.
        return area / 1e9 * 1e9 / Double(length)
    }
}
