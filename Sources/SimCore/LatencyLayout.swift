/// The bucket layout of a kind of ``LatencyHistogram`` as numbers known when compiling, for
/// ``LatencyRecorders``: a record's index arithmetic is then on constants, not on numbers
/// loaded from memory (about 7 instructions of 40, Benchmarks/PROFILE.md, fifth round).
///
/// The numbers are HdrHistogram's for the histogram's resolution and precision (see
/// ``LatencyHistogram``); recorders check them against ``emptyHistogram()`` when made.
public protocol LatencyLayout {
    /// An empty histogram of this layout, which every read-out starts from.
    static func emptyHistogram() -> LatencyHistogram
    /// log2 of the smallest distinguishable unit.
    static var unitMagnitude: Int { get }
    /// log2 of the counts of one octave.
    static var halfCountMagnitude: Int { get }
    /// HdrHistogram's shortcut from a value's leading zeros to its bucket.
    static var leadingZeroCountBase: Int { get }
    /// The values of the first, full-resolution bucket, shifted into place.
    static var subBucketMask: UInt64 { get }
    /// Every octave a value can fall into.
    static var octaves: Int { get }
}

extension LatencyHistogram {
    /// The layout of `LatencyHistogram()`: 1 ns, 3 significant digits.
    public enum Standard: LatencyLayout {
        public static func emptyHistogram() -> LatencyHistogram { LatencyHistogram() }
        @inlinable public static var unitMagnitude: Int { 0 }
        @inlinable public static var halfCountMagnitude: Int { 10 }
        @inlinable public static var leadingZeroCountBase: Int { 53 }
        @inlinable public static var subBucketMask: UInt64 { 2_047 }
        @inlinable public static var octaves: Int { 55 }
    }

    /// The layout of `LatencyHistogram.forPlotting()`: 1 ms (2^19 ns), 2 significant digits.
    public enum Plotting: LatencyLayout {
        public static func emptyHistogram() -> LatencyHistogram { LatencyHistogram.forPlotting() }
        @inlinable public static var unitMagnitude: Int { 19 }
        @inlinable public static var halfCountMagnitude: Int { 7 }
        @inlinable public static var leadingZeroCountBase: Int { 37 }
        @inlinable public static var subBucketMask: UInt64 { 255 << 19 }
        @inlinable public static var octaves: Int { 39 }
    }
}
