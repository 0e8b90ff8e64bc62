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
/// The bucket layout, and so every percentile, is exactly that of HdrHistogram
/// (hdrhistogram-swift's `Histogram`, against which the tests check it), but the counts are
/// kept per power of two ("octave", 1024 counts, 8 KiB) and an octave is allocated only when a
/// duration first falls into it. Latencies of one pipeline span a few octaves, so a histogram
/// takes tens of KiB instead of the 270 KiB of a dense array sized for an hour: with
/// thousands of task groups and functions, each with its own histograms, that is the
/// difference between megabytes and gigabytes (Benchmarks/PROFILE.md). Each octave also
/// keeps its total, so a percentile skips whole octaves instead of scanning every count.
public struct LatencyHistogram: Sendable {
    /// The bound on the relative error of a percentile: 2^−10, for 3 significant digits.
    public static let relativeError: Double = 1.0 / 1024

    /// log2 of the smallest distinguishable unit (0 for nanoseconds).
    @usableFromInline let unitMagnitude: Int
    /// log2 of half the number of sub-buckets per bucket: the counts of one octave.
    @usableFromInline let halfCountMagnitude: Int
    /// HdrHistogram's shortcut from a value's leading zeros to its bucket.
    @usableFromInline let leadingZeroCountBase: Int
    /// The values of the first, full-resolution bucket, shifted into place.
    @usableFromInline let subBucketMask: UInt64

    /// Where each octave's block starts in `counts`, or -1 while nothing fell into it. It has
    /// an entry for every octave a value can fall into (a few dozen), so that a record needs
    /// no length check before it looks its octave up.
    @usableFromInline var octaveStart: [Int32]
    /// The allocated octaves in order of first use, each a block of its total followed by its
    /// `1 << halfCountMagnitude` counts (one array, so a record makes one uniqueness check).
    @usableFromInline var counts: [UInt64] = []
    @usableFromInline var total: UInt64 = 0

    /// Sum of the recorded durations in nanoseconds, for the exact mean. A Double: an Int64
    /// would overflow after 292 years of summed latency, and the rounding is far below 1 ns
    /// per value for any realistic count.
    @usableFromInline var sumNanoseconds: Double = 0
    @usableFromInline var minimum: Int64 = .max
    @usableFromInline var maximum: Int64 = 0

    /// Creates an empty histogram: 3 significant digits, 1 ns resolution.
    public init() {
        self.init(lowestDiscernible: 1, significantDigits: 3)
    }

    /// The layout of HdrHistogram's `Histogram(lowestDiscernibleValue:highestTrackableValue:
    /// numberOfSignificantValueDigits:)`; the highest trackable value does not matter here, as
    /// octaves are added as needed.
    init(lowestDiscernible: UInt64, significantDigits: Int) {
        var largestWithUnitResolution: UInt64 = 2
        for _ in 0..<significantDigits { largestWithUnitResolution *= 10 }
        unitMagnitude = Int(UInt64.bitWidth - 1 - lowestDiscernible.leadingZeroBitCount)
        // ceil(log2(largestWithUnitResolution)), as HdrHistogram rounds it.
        let subBucketCountMagnitude = UInt64.bitWidth - (largestWithUnitResolution - 1).leadingZeroBitCount
        halfCountMagnitude = Swift.max(subBucketCountMagnitude, 1) - 1
        subBucketMask = UInt64((1 << subBucketCountMagnitude) - 1) << UInt64(unitMagnitude)
        leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude
        // A value's bucket is at most leadingZeroCountBase, and its octave (index(of:) shifted
        // right by halfCountMagnitude) at most one more.
        octaveStart = Array(repeating: -1, count: leadingZeroCountBase + 2)
    }

    /// A coarser histogram for plots, such as a time series' per-interval p99: 2 significant
    /// digits (relative error at most 1/128) above a resolution of 1 ms. Its octaves are 128
    /// counts, which makes resetting and reading it every interval cheap.
    public static func forPlotting() -> LatencyHistogram {
        LatencyHistogram(lowestDiscernible: 1_000_000, significantDigits: 2)
    }

    /// Forgets every recorded duration but keeps the memory, for per-interval statistics.
    public mutating func reset() {
        guard !isEmpty else { return }
        for i in counts.indices { counts[i] = 0 }
        total = 0
        sumNanoseconds = 0
        minimum = .max
        maximum = 0
    }

    /// Records one duration, which must not be negative.
    @inlinable public mutating func record(_ duration: SimTime) {
        let ns = duration.nanoseconds
        precondition(ns >= 0, "a latency cannot be negative")
        add(count: 1, at: index(of: UInt64(bitPattern: ns)))
        sumNanoseconds += Double(ns)
        if ns < minimum { minimum = ns }
        if ns > maximum { maximum = ns }
    }

    /// HdrHistogram's counts index of a value.
    ///
    /// Masking shifts and wrapping arithmetic: every shift amount is below 64 and no sum can
    /// overflow (a bucket is at most 63, a sub-bucket below 2^(halfCountMagnitude + 1)), so
    /// they give the same index without the range checks of `<<` and `+`, which were about a
    /// fifth of a record's instructions (Benchmarks/PROFILE.md).
    @inlinable @inline(__always) func index(of value: UInt64) -> Int {
        let bucket = leadingZeroCountBase &- (value | subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: bucket &+ unitMagnitude))
        return ((bucket &+ 1) &<< halfCountMagnitude) &+ subBucket &- (1 &<< halfCountMagnitude)
    }

    /// The lowest value counted at an index (HdrHistogram's `valueFromIndex`).
    func lowestValue(at index: Int) -> UInt64 {
        let half = 1 << halfCountMagnitude
        var bucket = (index >> halfCountMagnitude) - 1
        var subBucket = (index & (half - 1)) + half
        if bucket < 0 {
            subBucket -= half
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
    }

    /// The highest value counted at an index (HdrHistogram's `highestEquivalentForValue`).
    func highestValue(at index: Int) -> UInt64 {
        let low = lowestValue(at: index)
        let bucket = leadingZeroCountBase - (low | subBucketMask).leadingZeroBitCount
        let subBucket = low >> UInt64(bucket + unitMagnitude)
        let adjustedBucket = subBucket >= UInt64(2 << halfCountMagnitude) ? bucket + 1 : bucket
        return low + (UInt64(1) << UInt64(unitMagnitude + adjustedBucket)) - 1
    }

    /// Adds `count` at a counts index, allocating its octave on first use.
    ///
    /// The octave is looked up without a bounds check: `octaveStart` has an entry for every
    /// octave an index can fall into (see ``init(lowestDiscernible:significantDigits:)``).
    @inlinable @inline(__always) mutating func add(count: UInt64, at index: Int) {
        let octave = index &>> halfCountMagnitude
        var block = octaveStart.withUnsafeBufferPointer { Int($0[octave]) }
        if block < 0 { block = allocateOctave(octave) }
        let position = block &+ 1 &+ (index & ((1 &<< halfCountMagnitude) &- 1))
        counts.withUnsafeMutableBufferPointer {
            $0[block] &+= count
            $0[position] &+= count
        }
        total &+= count
    }

    /// Makes room for an octave's counts and returns where its block starts (not inlined: it
    /// happens a few times per histogram).
    @usableFromInline mutating func allocateOctave(_ octave: Int) -> Int {
        let block = counts.count
        octaveStart[octave] = Int32(block)
        counts.append(contentsOf: repeatElement(0, count: 1 + (1 << halfCountMagnitude)))
        return block
    }

    /// The number of durations recorded.
    public var count: Int { Int(total) }

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { total == 0 }

    /// The exact mean in seconds, or nil when empty.
    public var meanSeconds: Double? {
        isEmpty ? nil : sumNanoseconds / Double(total) / 1e9
    }

    /// The exact mean, rounded to the nanosecond, or nil when empty.
    public var mean: SimTime? {
        isEmpty ? nil : SimTime(nanoseconds: Int64((sumNanoseconds / Double(total)).rounded()))
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
        // HdrHistogram's valueAtPercentile: one ulp off the percentile so that rounding up
        // cannot overrun into the next bucket, then the first index whose running count
        // reaches the rank.
        let rank = rank(ofPercent: percent)
        var below: UInt64 = 0
        for octave in octaveStart.indices where octaveStart[octave] >= 0 {
            let block = Int(octaveStart[octave])
            guard below + counts[block] >= rank else {
                below += counts[block]
                continue
            }
            let start = block + 1
            for offset in 0..<(1 << halfCountMagnitude) {
                below += counts[start + offset]
                guard below >= rank else { continue }
                return reportedValue(at: (octave << halfCountMagnitude) + offset)
            }
        }
        return max
    }

    /// What a percentile falling at a counts index reports: the top of its bucket, clamped to
    /// the recorded range.
    func reportedValue(at index: Int) -> SimTime {
        let clamped = Swift.max(Swift.min(highestValue(at: index), UInt64(maximum)), UInt64(minimum))
        return SimTime(nanoseconds: Int64(clamped))
    }

    /// The rank of the order statistic at `percent` (strictly between 0 and 100), as
    /// HdrHistogram's valueAtPercentile takes it: one ulp off the percentile so that rounding
    /// up cannot overrun into the next bucket.
    func rank(ofPercent percent: Double) -> UInt64 {
        let requested = Swift.min(Swift.max(percent.nextDown, 0), 100)
        return Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up)))
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
    ///
    /// Octave by octave, block onto block (its total and counts, laid out alike): a count at a
    /// time was about 11 instructions per count, and a run's summary merges dozens of
    /// histograms of thousands of counts (Benchmarks/PROFILE.md, fourth round).
    public mutating func merge(_ other: LatencyHistogram) {
        precondition(unitMagnitude == other.unitMagnitude && halfCountMagnitude == other.halfCountMagnitude,
                     "only histograms of the same resolution and precision can be merged")
        guard !other.isEmpty else { return }
        let blockSize = 1 + (1 << halfCountMagnitude)
        for octave in other.octaveStart.indices where other.octaveStart[octave] >= 0 {
            let from = Int(other.octaveStart[octave])
            guard other.counts[from] > 0 else { continue }
            var to = Int(octaveStart[octave])
            if to < 0 { to = allocateOctave(octave) }
            counts.withUnsafeMutableBufferPointer { mine in
                other.counts.withUnsafeBufferPointer { theirs in
                    for k in 0..<blockSize { mine[to + k] &+= theirs[from + k] }
                }
            }
        }
        total &+= other.total
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

    /// The count at every index that holds one, in index order (for equality and tests).
    func nonZeroCounts() -> [(index: Int, count: UInt64)] {
        var result: [(index: Int, count: UInt64)] = []
        for octave in octaveStart.indices where octaveStart[octave] >= 0 {
            let start = Int(octaveStart[octave]) + 1
            for offset in 0..<(1 << halfCountMagnitude) where counts[start + offset] > 0 {
                result.append(((octave << halfCountMagnitude) + offset, counts[start + offset]))
            }
        }
        return result
    }
}

extension LatencyHistogram: Equatable {
    /// Two histograms are equal when they hold the same recordings at the same resolution,
    /// however their octaves happen to be laid out in memory.
    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.unitMagnitude == rhs.unitMagnitude && lhs.halfCountMagnitude == rhs.halfCountMagnitude
            && lhs.total == rhs.total && lhs.sumNanoseconds == rhs.sumNanoseconds
            && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum
            && lhs.nonZeroCounts().elementsEqual(rhs.nonZeroCounts()) { $0.index == $1.index && $0.count == $1.count }
    }
}
