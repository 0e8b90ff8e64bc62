/// A piecewise-constant quantity (concurrency, queue depth) summarised per fixed interval of
/// virtual time: for each bin its time-weighted mean, its peak and its value at the bin's end.
///
/// This is the per-bin counterpart of ``TimeWeightedAverage``, for charts: "concurrency per
/// minute" should be the average over the minute (what capacity was used) with the peak
/// beside it (what a limit must allow), not whatever the value was at the instant a sample
/// happened to be taken. The value at each bin's end is kept too, as the snapshot a
/// CloudWatch-style gauge would show.
///
/// Bin `i` covers [origin + i·interval, origin + (i+1)·interval). A change exactly on a
/// boundary belongs to the later bin. The series covers time up to the latest update or
/// ``close(at:)``; call `close(at: end)` at the end of a run so the last stretch is counted.
/// Updates are O(1) amortised, plus one step per bin boundary crossed, and allocate only when
/// the arrays grow.
public struct TimeSeriesGauge: Equatable, Sendable {
    /// The length of every bin.
    public let interval: SimTime
    /// The start of bin 0.
    public let origin: SimTime
    /// The value now, held since ``lastChange``.
    @inlinable public var value: Double { current }
    /// The time up to which the series is accounted: the latest update or close.
    public var lastChange: SimTime { accountedUntil }

    // Stored apart from the read-only public properties because `update` is inlinable.
    @usableFromInline var current: Double
    @usableFromInline var accountedUntil: SimTime

    // Invariant: the last element of each array is the bin holding `lastChange`.
    /// Value × nanoseconds accumulated in each bin.
    @usableFromInline var areas: [Double]
    /// The largest value set in or carried into each bin.
    @usableFromInline var maxima: [Double]
    /// The value at each bin's end (for the last bin: the value now).
    @usableFromInline var lasts: [Double]

    /// Creates a gauge at `initialValue` from `origin` on, with bins of `interval` (which must
    /// be positive); with `expectedEnd`, reserves the bins up to it.
    public init(interval: SimTime, origin: SimTime = .zero, initialValue: Double = 0, expectedEnd: SimTime? = nil) {
        precondition(interval > .zero, "a bin interval must be positive")
        self.interval = interval
        self.origin = origin
        self.current = initialValue
        self.accountedUntil = origin
        areas = [0]
        maxima = [initialValue]
        lasts = [initialValue]
        if let expectedEnd, expectedEnd > origin, expectedEnd < .never {
            let bins = TimeSeriesBins.binsCovering(length: expectedEnd.nanoseconds - origin.nanoseconds, interval: interval)
            areas.reserveCapacity(bins)
            maxima.reserveCapacity(bins)
            lasts.reserveCapacity(bins)
        }
    }

    /// Sets the value from `time` on; `time` must not be before the previous update.
    @inlinable public mutating func update(to newValue: Double, at time: SimTime) {
        advance(to: time)
        current = newValue
        let index = areas.count - 1
        if newValue > maxima[index] { maxima[index] = newValue }
        lasts[index] = newValue
    }

    /// Changes the value by `delta` at `time`.
    @inlinable public mutating func add(_ delta: Double, at time: SimTime) {
        update(to: current + delta, at: time)
    }

    /// Accounts the current value up to `end` (the end of the run), creating the bins between.
    public mutating func close(at end: SimTime) {
        advance(to: end)
    }

    /// Spreads the current value over [lastChange, time] into the bins it crosses.
    @usableFromInline mutating func advance(to time: SimTime) {
        precondition(time >= accountedUntil, "a gauge cannot go back in time")
        let width = interval.nanoseconds
        var from = accountedUntil.nanoseconds &- origin.nanoseconds
        let to = time.nanoseconds &- origin.nanoseconds
        var index = areas.count - 1
        let target = Int(to / width)
        while index < target {
            let boundary = Int64(index + 1) * width
            areas[index] += current * Double(boundary - from)
            from = boundary
            index += 1
            // The value carries into the new bin: it is its first level and its peak so far.
            areas.append(0)
            maxima.append(current)
            lasts.append(current)
        }
        areas[index] += current * Double(to - from)
        accountedUntil = time
    }

    /// The number of bins with some time accounted: ceil((lastChange − origin) / interval).
    public var binCount: Int {
        TimeSeriesBins.binsCovering(length: lastChange.nanoseconds &- origin.nanoseconds, interval: interval)
    }

    /// The time-weighted mean of bin `index` over the part of it accounted so far (all of it
    /// but for the last bin), or nil for a bin without accounted time.
    public func mean(ofBin index: Int) -> Double? {
        guard index >= 0, index < binCount else { return nil }
        let binStart = Int64(index) * interval.nanoseconds
        let binEnd = Swift.min(binStart + interval.nanoseconds, lastChange.nanoseconds &- origin.nanoseconds)
        return areas[index] / Double(binEnd - binStart)
    }

    /// The largest value the quantity took in bin `index`, or nil for a bin without
    /// accounted time.
    public func max(ofBin index: Int) -> Double? {
        guard index >= 0, index < binCount else { return nil }
        return maxima[index]
    }

    /// The value at the end of bin `index` (for the last bin, at ``lastChange``), or nil for
    /// a bin without accounted time.
    public func last(ofBin index: Int) -> Double? {
        guard index >= 0, index < binCount else { return nil }
        return lasts[index]
    }

    /// The start of bin `index`.
    public func start(ofBin index: Int) -> SimTime {
        origin + interval * Int64(index)
    }
}
