/// A point or span of virtual time, counted in integer nanoseconds.
///
/// Integer time never drifts and makes ties exact: two events scheduled for the same instant
/// compare equal, so their order is decided by the event list's sequence numbers alone.
/// One type serves for instants and durations, as in most simulators: an instant is the
/// duration since the start of the run.
public struct SimTime: Hashable, Comparable, Sendable {
    /// Nanoseconds since the start of the run (or the length of a span).
    public var nanoseconds: Int64

    /// Creates a time from a count of nanoseconds.
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    // `zero` and `never` are computed rather than `static let`: another module reads a
    // stored global through a call to its lazy-initialisation accessor (about 900,000 calls
    // in the two-minute pipeline benchmark), while an inlinable computed constant costs
    // nothing.
    /// The start of every run, and the empty span.
    @inlinable public static var zero: SimTime { SimTime(nanoseconds: 0) }
    /// A time later than any a run reaches; used for "never".
    @inlinable public static var never: SimTime { SimTime(nanoseconds: .max) }

    /// A span of whole nanoseconds.
    @inlinable public static func ns(_ value: Int64) -> SimTime { SimTime(nanoseconds: value) }
    /// A span of whole microseconds.
    @inlinable public static func us(_ value: Int64) -> SimTime { SimTime(nanoseconds: value * 1_000) }
    /// A span of whole milliseconds.
    @inlinable public static func ms(_ value: Int64) -> SimTime { SimTime(nanoseconds: value * 1_000_000) }
    /// A span of whole seconds.
    @inlinable public static func s(_ value: Int64) -> SimTime { SimTime(nanoseconds: value * 1_000_000_000) }
    /// A span of whole minutes.
    @inlinable public static func minutes(_ value: Int64) -> SimTime { .s(value * 60) }
    /// A span of whole hours.
    @inlinable public static func hours(_ value: Int64) -> SimTime { .s(value * 3_600) }

    /// A span given in (fractional) seconds, rounded to the nearest nanosecond.
    ///
    /// Values beyond the representable range (about 292 years) saturate rather than trap,
    /// so a heavy-tailed sample can never crash a run.
    /// NaN becomes zero. Halves round away from zero, as `Double.rounded()` does.
    @inlinable public init(seconds: Double) {
        let ns = seconds * 1e9
        // One comparison keeps NaN, both overflows and the last factor of two of the range
        // off the common path (NaN compares false).
        guard ns.magnitude < 4.6e18 else {
            nanoseconds = Self.nanoseconds(farOff: ns)
            return
        }
        // Every sampled duration passes here, so the rounding avoids `rounded()`, which is a
        // call into libm on baseline x86-64. Truncating twice the count adds 1 to twice the
        // truncated count exactly when the fraction is at least a half (away from zero on
        // both sides), so the difference is the count rounded, halves away from zero.
        // `seconds * 2e9` is exactly `ns * 2` (a power of two scales the rounding too), and
        // the two conversions do not wait for each other (Benchmarks/PROFILE.md).
        nanoseconds = Int64(seconds * 2e9) &- Int64(ns)
    }

    /// ``init(seconds:)`` for counts of 4.6e18 or more (about 146 years), infinity and NaN:
    /// the count saturates beyond Int64, NaN is zero; between, it is rounded as in
    /// ``init(seconds:)`` without the doubling, which would overflow.
    @usableFromInline @inline(never)
    static func nanoseconds(farOff ns: Double) -> Int64 {
        guard ns.magnitude < 9.2e18 else { return ns.isNaN ? 0 : (ns > 0 ? .max : .min) }
        // `truncated` is within 1 of `ns`, so the remainder is exact, and doubling it too.
        let truncated = Int64(ns)
        return truncated &+ Int64((ns - Double(truncated)) * 2)
    }

    /// The time in seconds, for statistics and output.
    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The sum of two times, saturating at ``never`` instead of overflowing.
    @inlinable public static func + (lhs: SimTime, rhs: SimTime) -> SimTime {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return overflow ? (rhs.nanoseconds > 0 ? .never : SimTime(nanoseconds: .min)) : SimTime(nanoseconds: sum)
    }

    /// The difference of two times.
    @inlinable public static func - (lhs: SimTime, rhs: SimTime) -> SimTime {
        SimTime(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    @inlinable public static func += (lhs: inout SimTime, rhs: SimTime) { lhs = lhs + rhs }

    /// A span multiplied by a whole number.
    /// Saturates at ``never`` (or at the most negative time for a negative product) instead
    /// of overflowing.
    @inlinable public static func * (lhs: SimTime, rhs: Int64) -> SimTime {
        let (product, overflow) = lhs.nanoseconds.multipliedReportingOverflow(by: rhs)
        guard overflow else { return SimTime(nanoseconds: product) }
        return (lhs.nanoseconds < 0) == (rhs < 0) ? .never : SimTime(nanoseconds: .min)
    }
}

extension SimTime: CustomStringConvertible {
    /// The time in the scenario format's notation, using the largest unit that is exact:
    /// `250ms`, `30s`, `5m`, `2h`, `4d`, `1500us`, `7ns`; fractional seconds otherwise.
    public var description: String { DurationFormat.format(self) }
}
