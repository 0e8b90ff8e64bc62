import CGSL
import Foundation

/// A Student t confidence interval for a mean, from independent replications of a run.
///
/// Each replication yields one value (its mean wait, its p99); the values are independent
/// and, by the central limit theorem, close to normal, so with `n` of them the mean lies in
/// `mean ± t(1 − (1 − level)/2, n − 1) · s / √n` with the chosen confidence, `s` being the
/// sample standard deviation. The t quantile comes from GSL (`gsl_cdf_tdist_Pinv`).
///
/// One replication gives a mean but no spread, and so no interval: ``standardDeviation``,
/// ``halfWidth``, ``low`` and ``high`` are nil then, never NaN or infinity, so a report
/// must say "n/a" explicitly instead of printing a number that looks like one.
///
/// A mean of counts, latencies or rates has a range (at least 0; a rate at most 1). Where the
/// symmetric t interval would leave it, which happens when a few replications are far apart
/// near the bound, the interval is taken on the log scale (or the logit scale for a rate) by
/// the delta method and transformed back, so both ends stay inside the range
/// (`docs/experiments.md`, "Confidence intervals"). Inside the range it is the t interval.
public struct ConfidenceInterval: Equatable, Sendable {
    /// The values a mean can take.
    public enum Range: Sendable, Equatable {
        /// Any real number (a paired difference).
        case unbounded
        /// Zero or more (a count, a duration, a cost).
        case nonNegative
        /// From 0 to 1 (a share such as a throttle rate).
        case unitInterval
    }

    /// The number of values.
    public let n: Int
    /// Their mean.
    public let mean: Double
    /// Their sample standard deviation (divided by n − 1), or nil for a single value.
    public let standardDeviation: Double?
    /// The confidence level, such as 0.95.
    public let level: Double
    /// The Student t quantile used, or nil for a single value.
    public let tQuantile: Double?
    /// The range of the mean, which the interval's ends respect.
    public let range: Range
    /// The smallest value.
    public let minimum: Double
    /// The largest value.
    public let maximum: Double

    /// The standard error of the mean, s / √n, or nil for a single value.
    public var standardError: Double? { standardDeviation.map { $0 / Double(n).squareRoot() } }

    /// Half the width of the symmetric t interval, t · s / √n, or nil for a single value.
    public var halfWidth: Double? {
        guard let t = tQuantile, let se = standardError else { return nil }
        return t * se
    }

    /// The lower end of the interval, or nil for a single value.
    public var low: Double? { ends?.low }

    /// The upper end of the interval, or nil for a single value.
    public var high: Double? { ends?.high }

    /// Whether the interval is the symmetric t interval (false: transformed to stay in its range).
    public var isSymmetric: Bool {
        guard let halfWidth else { return true }
        return Self.withinRange(mean - halfWidth, mean + halfWidth, range)
    }

    /// Whether the replications disagree so much that their mean hides it: the standard
    /// deviation exceeds the mean's size (a coefficient of variation above 1), as when two
    /// runs give a p99 of 4 s and a third 120 s.
    public var replicationsDisagree: Bool {
        guard let standardDeviation else { return false }
        return standardDeviation > abs(mean)
    }

    /// Both ends: the t interval where it lies in the range, else the delta-method interval on
    /// the log (or logit) scale, mapped back.
    private var ends: (low: Double, high: Double)? {
        guard let halfWidth, let se = standardError, let t = tQuantile else { return nil }
        let low = mean - halfWidth, high = mean + halfWidth
        if Self.withinRange(low, high, range) { return (low, high) }
        switch range {
        case .unbounded:
            return (low, high)
        case .nonNegative:
            // A mean of non-negative values at 0 has no spread; below 0 is not a mean of them.
            guard mean > 0 else { return (0, Swift.max(0, high)) }
            let factor = exp(t * se / mean)
            return (mean / factor, mean * factor)
        case .unitInterval:
            guard mean > 0, mean < 1 else { return (Swift.min(Swift.max(low, 0), 1), Swift.min(Swift.max(high, 0), 1)) }
            let center = log(mean / (1 - mean))
            let width = t * se / (mean * (1 - mean))
            return (Self.logistic(center - width), Self.logistic(center + width))
        }
    }

    private static func withinRange(_ low: Double, _ high: Double, _ range: Range) -> Bool {
        switch range {
        case .unbounded: true
        case .nonNegative: low >= 0
        case .unitInterval: low >= 0 && high <= 1
        }
    }

    private static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// The interval of a sample of replication values; nil when there is none. `level` lies
    /// strictly between 0 and 1.
    public init?<Values: Collection>(_ values: Values, level: Double = 0.95, range: Range = .unbounded)
    where Values.Element == Double {
        self.init(Tally(values), level: level, range: range)
    }

    /// The interval of the values summarised by a tally; nil when it is empty.
    public init?(_ tally: Tally, level: Double = 0.95, range: Range = .unbounded) {
        precondition(level > 0 && level < 1, "a confidence level lies strictly between 0 and 1")
        guard let mean = tally.mean, let minimum = tally.min, let maximum = tally.max else { return nil }
        self.n = tally.count
        self.range = range
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        self.level = level
        self.standardDeviation = tally.standardDeviation
        self.tQuantile = n > 1 ? Self.studentT(probability: 1 - (1 - level) / 2, degreesOfFreedom: n - 1) : nil
    }

    /// Whether the interval contains `value`, or nil for a single value.
    public func contains(_ value: Double) -> Bool? {
        guard let low, let high else { return nil }
        return low <= value && value <= high
    }

    /// The quantile of Student's t distribution: the `t` with P(T <= t) = `probability` for
    /// `degreesOfFreedom` (at least 1) degrees of freedom.
    public static func studentT(probability: Double, degreesOfFreedom: Int) -> Double {
        studentT(probability: probability, degreesOfFreedom: Double(degreesOfFreedom))
    }

    /// The quantile of Student's t for a real number of degrees of freedom (at least 1), as
    /// Welch–Satterthwaite gives.
    public static func studentT(probability: Double, degreesOfFreedom: Double) -> Double {
        precondition(degreesOfFreedom >= 1, "Student's t needs at least one degree of freedom")
        // GSL reports a bad argument through its error handler, which aborts by default.
        _ = gslErrorsOff
        return gsl_cdf_tdist_Pinv(probability, degreesOfFreedom)
    }
}
