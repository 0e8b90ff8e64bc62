/// A streaming summary of a series of numbers: count, mean, variance, minimum and maximum.
///
/// Welford's update keeps the running mean and the sum of squared deviations from it (`m2`),
/// so the variance stays accurate when the mean is large against the spread (latencies in
/// nanoseconds, timestamps); the textbook `Σx² − n·mean²` cancels away every significant
/// digit there. Two tallies combine exactly with ``merge(_:)`` (Chan, Golub and LeVeque's
/// pairwise update), so replications or parts of a run can be summarised apart and joined.
///
/// Statistics that do not exist yet are `nil`, not 0 or NaN: an empty tally has no mean, and
/// a tally of one value has no sample variance. A NaN added poisons the mean and variance,
/// as it should: it is a bug upstream.
public struct Tally: Equatable, Sendable {
    @usableFromInline var n: Int = 0
    @usableFromInline var runningMean: Double = 0
    @usableFromInline var m2: Double = 0
    @usableFromInline var minimum: Double = .infinity
    @usableFromInline var maximum: Double = -.infinity

    /// Creates an empty tally.
    public init() {}

    /// Creates a tally of a sequence of values.
    public init<Values: Sequence>(_ values: Values) where Values.Element == Double {
        for value in values { add(value) }
    }

    /// Adds one observation.
    @inlinable public mutating func add(_ value: Double) {
        n += 1
        let delta = value - runningMean
        runningMean += delta / Double(n)
        // (value − old mean) · (value − new mean): Welford's increment of the sum of squares.
        m2 += delta * (value - runningMean)
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    /// The number of observations.
    @inlinable public var count: Int { n }

    /// Whether nothing has been added.
    @inlinable public var isEmpty: Bool { n == 0 }

    /// The mean, or nil when empty.
    @inlinable public var mean: Double? { n > 0 ? runningMean : nil }

    /// The sum of the observations (count × mean), or 0 when empty.
    @inlinable public var sum: Double { runningMean * Double(n) }

    /// The sample variance (divided by n − 1, unbiased), or nil with fewer than two values.
    @inlinable public var variance: Double? { n > 1 ? m2 / Double(n - 1) : nil }

    /// The sample standard deviation, or nil with fewer than two values.
    @inlinable public var standardDeviation: Double? { variance.map { $0.squareRoot() } }

    /// The population variance (divided by n), or nil when empty.
    @inlinable public var populationVariance: Double? { n > 0 ? m2 / Double(n) : nil }

    /// The smallest observation, or nil when empty.
    @inlinable public var min: Double? { n > 0 ? minimum : nil }

    /// The largest observation, or nil when empty.
    @inlinable public var max: Double? { n > 0 ? maximum : nil }

    /// Adds every observation of another tally, as if they had been added one by one.
    ///
    /// The result equals the tally of the concatenated series up to rounding; the order of
    /// merging does not matter beyond rounding either.
    public mutating func merge(_ other: Tally) {
        guard other.n > 0 else { return }
        guard n > 0 else {
            self = other
            return
        }
        let total = n + other.n
        let delta = other.runningMean - runningMean
        let weightOfOther = Double(other.n) / Double(total)
        runningMean += delta * weightOfOther
        m2 += other.m2 + delta * delta * Double(n) * weightOfOther
        n = total
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// This tally merged with another; see ``merge(_:)``.
    public func merged(with other: Tally) -> Tally {
        var result = self
        result.merge(other)
        return result
    }
}
