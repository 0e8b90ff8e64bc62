import Histogram

/// A streaming distribution of durations (latencies, message ages) with percentiles, in
/// bounded memory: an HdrHistogram with 3 significant digits over nanoseconds.
///
/// ## Resolution and precision
///
/// Durations are recorded in whole nanoseconds, the resolution of ``SimTime`` itself, so no
/// conversion rounds them first. With 3 significant digits HdrHistogram keeps 2048 buckets
/// of one unit, then for each further power of two 1024 buckets of width 2^k. So:
///
/// - below 2048 ns every duration is kept exactly;
/// - above, a duration `x` falls into a bucket of width at most `x / 1024`.
///
/// ``percentile(_:)`` reports the top of the bucket holding the exact order statistic `x`
/// (clamped to the largest value recorded), so the reported value `r` satisfies
/// `x <= r < x * (1 + relativeError)`, with ``relativeError`` = 2^−10 ≈ 0.098 %: never
/// below the truth, never more than a tenth of a percent above. The order statistic is the
/// one of rank `max(1, ceil(n · percent / 100))` among the `n` recorded values (the inverse
/// of the empirical distribution function).
///
/// ``count``, ``mean``, ``min`` and ``max`` are exact: they are kept beside the histogram.
///
/// ## Memory
///
/// The histogram starts sized for an hour (about 270 KiB) and grows beyond it as needed
/// (`autoResize`), 8 KiB per doubling of the range.
public struct LatencyHistogram: Equatable, Sendable {
    /// The bound on the relative error of a percentile: 2^−10, for 3 significant digits.
    public static let relativeError: Double = 1.0 / 1024

    @usableFromInline var histogram = LatencyHistogram.presized()
    /// Sum of the recorded durations in nanoseconds, for the exact mean. A Double: an Int64
    /// would overflow after 292 years of summed latency, and the rounding is far below 1 ns
    /// per value for any realistic count.
    @usableFromInline var sumNanoseconds: Double = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0

    /// Creates an empty histogram.
    public init() {}

    /// A histogram already sized for durations up to an hour (about 270 KiB), still growing
    /// beyond. Growing one doubling at a time runs HdrHistogram's unspecialised generic resize
    /// code some forty times per histogram, which profiling showed to dominate whole runs.
    @usableFromInline static func presized() -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000,
                                          numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    /// A coarser histogram for plots, such as a time series' per-interval p99: 2 significant
    /// digits (relative error at most 1/128) above a resolution of 1 ms. It is about 20 KiB
    /// instead of 270, which makes resetting and reading it every interval cheap.
    public static func forPlotting() -> LatencyHistogram {
        var plotting = LatencyHistogram()
        plotting.histogram = Histogram<UInt64>(lowestDiscernibleValue: 1_000_000, highestTrackableValue: 3_600_000_000_000,
                                               numberOfSignificantValueDigits: .two)
        plotting.histogram.autoResize = true
        return plotting
    }

    /// Forgets every recorded duration but keeps the memory, for per-interval statistics.
    public mutating func reset() {
        guard !isEmpty else { return }
        histogram.reset()
        sumNanoseconds = 0
        minimum = .max
        maximum = 0
    }

    /// Records one duration, which must not be negative.
    @inlinable public mutating func record(_ duration: SimTime) {
        let ns = duration.nanoseconds
        precondition(ns >= 0, "a latency cannot be negative")
        histogram.record(UInt64(ns))
        sumNanoseconds += Double(ns)
        if ns < minimum { minimum = ns }
        if ns > maximum { maximum = ns }
    }

    /// The number of durations recorded.
    public var count: Int { Int(histogram.totalCount) }

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { histogram.totalCount == 0 }

    /// The exact mean in seconds, or nil when empty.
    public var meanSeconds: Double? {
        isEmpty ? nil : sumNanoseconds / Double(histogram.totalCount) / 1e9
    }

    /// The exact mean, rounded to the nanosecond, or nil when empty.
    public var mean: SimTime? {
        isEmpty ? nil : SimTime(nanoseconds: Int64((sumNanoseconds / Double(histogram.totalCount)).rounded()))
    }

    /// The shortest duration recorded, exactly, or nil when empty.
    public var min: SimTime? { isEmpty ? nil : SimTime(nanoseconds: minimum) }

    /// The longest duration recorded, exactly, or nil when empty.
    public var max: SimTime? { isEmpty ? nil : SimTime(nanoseconds: maximum) }

    /// The duration at `percent` (0 to 100: 50 for the median, 99.9 for p99.9), within
    /// ``relativeError`` above the exact order statistic; nil when empty.
    ///
    /// 0 gives the minimum and 100 the maximum, both exact.
    public func percentile(_ percent: Double) -> SimTime? {
        precondition(percent >= 0 && percent <= 100, "a percentile lies between 0 and 100")
        guard !isEmpty else { return nil }
        if percent == 0 { return min }
        if percent == 100 { return max }
        return SimTime(nanoseconds: Int64(histogram.valueAtPercentile(percent)))
    }

    /// The median.
    public var p50: SimTime? { percentile(50) }
    /// The 90th percentile.
    public var p90: SimTime? { percentile(90) }
    /// The 99th percentile.
    public var p99: SimTime? { percentile(99) }
    /// The 99.9th percentile.
    public var p999: SimTime? { percentile(99.9) }

    /// Adds every duration recorded in another histogram, as if recorded here: percentiles
    /// of the merge are those of the combined recordings, with the same precision.
    public mutating func merge(_ other: LatencyHistogram) {
        guard !other.isEmpty else { return }
        histogram.add(other.histogram)
        sumNanoseconds += other.sumNanoseconds
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// This histogram merged with another; see ``merge(_:)``.
    public func merged(with other: LatencyHistogram) -> LatencyHistogram {
        var result = self
        result.merge(other)
        return result
    }
}
