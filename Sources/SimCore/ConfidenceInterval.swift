import CGSL

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
public struct ConfidenceInterval: Equatable, Sendable {
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

    /// The standard error of the mean, s / √n, or nil for a single value.
    public var standardError: Double? { standardDeviation.map { $0 / Double(n).squareRoot() } }

    /// Half the width of the interval, t · s / √n, or nil for a single value.
    public var halfWidth: Double? {
        guard let t = tQuantile, let se = standardError else { return nil }
        return t * se
    }

    /// The lower end of the interval, or nil for a single value.
    public var low: Double? { halfWidth.map { mean - $0 } }

    /// The upper end of the interval, or nil for a single value.
    public var high: Double? { halfWidth.map { mean + $0 } }

    /// The interval of a sample of replication values; nil when there is none. `level` lies
    /// strictly between 0 and 1.
    public init?<Values: Collection>(_ values: Values, level: Double = 0.95) where Values.Element == Double {
        self.init(Tally(values), level: level)
    }

    /// The interval of the values summarised by a tally; nil when it is empty.
    public init?(_ tally: Tally, level: Double = 0.95) {
        precondition(level > 0 && level < 1, "a confidence level lies strictly between 0 and 1")
        guard let mean = tally.mean else { return nil }
        self.n = tally.count
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
