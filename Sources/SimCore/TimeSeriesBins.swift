/// Counts and sums per fixed interval of virtual time: messages sent per minute, throttles
/// per second, cost per hour.
///
/// Bin `i` covers [origin + i·interval, origin + (i+1)·interval): an observation exactly on a
/// boundary belongs to the later bin. Each bin keeps the number of observations and the sum
/// of their amounts, so one series serves as a counter (`add(at:)`, read ``sum(inBin:)``) and
/// as a per-bin mean of values (`add(latency, at:)`, read ``mean(inBin:)``).
///
/// Recording is O(1) and allocates nothing except when the arrays grow to a new bin
/// (amortised doubling; ``init(interval:origin:expectedEnd:)`` can reserve the room up front).
public struct TimeSeriesBins: Equatable, Sendable {
    /// The length of every bin.
    public let interval: SimTime
    /// The start of bin 0.
    public let origin: SimTime
    /// The sum of the amounts added in each bin.
    @inlinable public var sums: [Double] { binSums }
    /// The number of observations added in each bin.
    @inlinable public var counts: [Int] { binCounts }

    // Stored apart from the read-only public arrays because `add` is inlinable.
    @usableFromInline var binSums: [Double] = []
    @usableFromInline var binCounts: [Int] = []

    /// Creates empty bins of `interval` (which must be positive) from `origin` on; with
    /// `expectedEnd`, reserves the bins up to it so that recording never allocates.
    public init(interval: SimTime, origin: SimTime = .zero, expectedEnd: SimTime? = nil) {
        precondition(interval > .zero, "a bin interval must be positive")
        self.interval = interval
        self.origin = origin
        if let expectedEnd, expectedEnd > origin, expectedEnd < .never {
            let bins = Self.binsCovering(length: expectedEnd.nanoseconds - origin.nanoseconds, interval: interval)
            binSums.reserveCapacity(bins)
            binCounts.reserveCapacity(bins)
        }
    }

    /// The number of bins so far: up to the latest observation or ``extend(through:)``.
    @inlinable public var binCount: Int { binSums.count }

    /// The index of the bin that holds `time`, which must not be before the origin.
    @inlinable public func bin(containing time: SimTime) -> Int {
        precondition(time >= origin, "a time series starts at its origin")
        return Int((time.nanoseconds &- origin.nanoseconds) / interval.nanoseconds)
    }

    /// The start of bin `index`.
    @inlinable public func start(ofBin index: Int) -> SimTime {
        origin + interval * Int64(index)
    }

    /// Adds `amount` (1 by default: a counter) to the bin holding `time`.
    @inlinable public mutating func add(_ amount: Double = 1, at time: SimTime) {
        let index = bin(containing: time)
        if index >= binSums.count { grow(toHold: index) }
        binSums[index] += amount
        binCounts[index] += 1
    }

    /// Makes the series cover [origin, end) with bins, empty ones included, so that a quiet
    /// end of the run still shows as zeros. Adds nothing when it already does.
    public mutating func extend(through end: SimTime) {
        guard end > origin, end < .never else { return }
        let bins = Self.binsCovering(length: end.nanoseconds - origin.nanoseconds, interval: interval)
        if bins > binSums.count { grow(toHold: bins - 1) }
    }

    /// The sum of the amounts in bin `index` (0 for a bin beyond the series).
    public func sum(inBin index: Int) -> Double { index < binSums.count ? binSums[index] : 0 }

    /// The number of observations in bin `index` (0 for a bin beyond the series).
    public func count(inBin index: Int) -> Int { index < binCounts.count ? binCounts[index] : 0 }

    /// The mean amount per observation in bin `index`, or nil if it has none.
    public func mean(inBin index: Int) -> Double? {
        let n = count(inBin: index)
        return n > 0 ? binSums[index] / Double(n) : nil
    }

    /// The sum in bin `index` per second of the interval: a counter's rate.
    public func ratePerSecond(inBin index: Int) -> Double { sum(inBin: index) / interval.seconds }

    /// Adds another series bin by bin (the same interval and origin are required): the
    /// traffic of several queues, say, on one chart.
    public mutating func merge(_ other: TimeSeriesBins) {
        precondition(interval == other.interval && origin == other.origin,
                     "only series with the same bins can be merged")
        if other.binSums.count > binSums.count { grow(toHold: other.binSums.count - 1) }
        for index in 0..<other.binSums.count {
            binSums[index] += other.binSums[index]
            binCounts[index] += other.binCounts[index]
        }
    }

    /// Appends empty bins up to and including `index`.
    @usableFromInline mutating func grow(toHold index: Int) {
        let missing = index + 1 - binSums.count
        binSums.append(contentsOf: repeatElement(0, count: missing))
        binCounts.append(contentsOf: repeatElement(0, count: missing))
    }

    /// How many bins cover a span of `length` nanoseconds: ceil(length / interval), without
    /// the overflow of `(length + interval − 1) / interval` near the end of time.
    static func binsCovering(length: Int64, interval: SimTime) -> Int {
        let (whole, rest) = length.quotientAndRemainder(dividingBy: interval.nanoseconds)
        return Int(whole) + (rest > 0 ? 1 : 0)
    }
}
