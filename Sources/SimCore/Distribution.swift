import CGSL
import Foundation

/// A probability distribution of a duration, sampled through GSL.
///
/// Every family of the scenario format is a case. Parameters are kept in the user's terms
/// (a mean, a median and p99) where that is how they were given, and converted once when the
/// distribution is made, never per sample.
///
/// Not `indirect`: a mixture's components are in an array, which is storage enough for the
/// recursion, and an indirect enum boxes every case, so that each sample of a plain
/// lognormal went through a heap box and its retain and release (Benchmarks/PROFILE.md).
public enum Distribution: Hashable, Sendable {
    /// Always the same value.
    case constant(SimTime)
    /// Exponential with the given mean.
    ///
    /// Sampled by inversion, `-mean * log(U)` with U uniform on (0, 1) from the stream
    /// (``RandomStream/Handle/uniform()``): the same distribution as `gsl_ran_exponential`
    /// (which computes `-mean * log1p(-U)`; U and 1 - U are equally distributed), at about
    /// two thirds of the cost, because glibc's `log1p` is much slower than its `log`. Arrivals
    /// are exponential in most scenarios, so this is the hottest sampler of all (see
    /// Benchmarks/README.md).
    case exponential(mean: SimTime)
    /// Uniform between `min` and `max`.
    case uniform(min: SimTime, max: SimTime)
    /// Normal with the given mean and standard deviation, truncated at zero (rejection).
    ///
    /// Sampled with GSL's ziggurat (`gsl_ran_gaussian_ziggurat`, Marsaglia and Tsang 2000).
    case normal(mean: SimTime, stddev: SimTime)
    /// Lognormal: the logarithm of the time in seconds is normal(`mu`, `sigma`).
    ///
    /// Sampled as `exp(mu + N)`, N normal(0, `sigma`) from GSL's ziggurat, like ``normal(mean:stddev:)``.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with the given shape and mean (scale = mean / shape).
    case gamma(shape: Double, mean: SimTime)
    /// Weibull with the given shape and scale.
    case weibull(shape: Double, scale: SimTime)
    /// Pareto (type I) with the given shape and minimum.
    case pareto(shape: Double, minimum: SimTime)
    /// Resampling, with replacement, of observed durations.
    case empirical(EmpiricalSamples)
    /// A weighted mixture: one component is chosen by weight, then sampled.
    case mixture([MixtureComponent])

    /// The 99th percentile of the standard normal, used to turn a lognormal's p99 into sigma.
    public static let standardNormalP99: Double = {
        _ = gslErrorsOff
        return gsl_cdf_ugaussian_Pinv(0.99)
    }()

    /// A lognormal given by its median and 99th percentile, as engineers read them off a
    /// dashboard: mu = ln(median), sigma = (ln(p99) - ln(median)) / z(0.99).
    public static func lognormal(median: SimTime, p99: SimTime) -> Distribution {
        let mu = log(median.seconds)
        let sigma = (log(p99.seconds) - mu) / standardNormalP99
        return .lognormal(mu: mu, sigma: sigma)
    }

    /// Draws one duration. Negative draws cannot happen: every family is supported on [0, ∞).
    ///
    /// The model's hot paths draw through a ``RandomStream/Handle`` instead (the overload
    /// below), which costs no reference counting.
    @inlinable public func sample(_ stream: RandomStream) -> SimTime {
        SimTime(seconds: sampleSeconds(stream.handle))
    }

    /// Draws one duration from a stream's handle.
    ///
    /// A lognormal, the family of most handler times and latencies, is drawn where this is
    /// called, without the call and the switch of ``sampleSeconds(_:)`` (Benchmarks/PROFILE.md,
    /// eighth round).
    @inlinable @inline(__always) public func sample(_ stream: RandomStream.Handle) -> SimTime {
        if case .lognormal(let mu, let sigma) = self {
            return SimTime(seconds: Self.lognormalSeconds(mu: mu, sigma: sigma, stream))
        }
        return SimTime(seconds: sampleSeconds(stream))
    }

    /// A lognormal draw: exp of a normal, the normal from GSL's ziggurat (Marsaglia and Tsang
    /// 2000). The same distribution as gsl_ran_lognormal, whose polar method draws 2.5
    /// uniforms, a log and a square root per normal; the ziggurat needs one 32-bit number
    /// nearly always, so a sample costs about half as much (Benchmarks/PROFILE.md, third round).
    @inlinable @inline(__always)
    static func lognormalSeconds(mu: Double, sigma: Double, _ stream: RandomStream.Handle) -> Double {
        exp(mu + gsl_ran_gaussian_ziggurat(stream.generator, sigma))
    }

    /// Draws one duration in seconds.
    @inlinable public func sampleSeconds(_ stream: RandomStream) -> Double {
        sampleSeconds(stream.handle)
    }

    /// Draws one duration in seconds from a stream's handle.
    ///
    /// Inlinable so that the sampler is specialised into the model's hot loop (the benchmark
    /// spends most of its time here). Uniform numbers come from the handle (GSL's formulas,
    /// drawn in Swift); the ziggurat, gamma, Weibull and Pareto samplers are GSL's own.
    @inlinable public func sampleSeconds(_ stream: RandomStream.Handle) -> Double {
        let r = stream.generator
        switch self {
        case .constant(let value):
            return value.seconds
        case .exponential(let mean):
            return -mean.seconds * log(stream.uniform())
        case .uniform(let lower, let upper):
            return stream.flat(lower.seconds, upper.seconds)
        case .normal(let mean, let stddev):
            let sigma = stddev.seconds
            guard sigma > 0 else { return max(0, mean.seconds) }
            // Rejection is exact for truncation; scenario validation requires mean > 0, so at
            // least half of the draws are accepted.
            while true {
                let x = mean.seconds + gsl_ran_gaussian_ziggurat(r, sigma)
                if x >= 0 { return x }
            }
        case .lognormal(let mu, let sigma):
            return Self.lognormalSeconds(mu: mu, sigma: sigma, stream)
        case .gamma(let shape, let mean):
            return gsl_ran_gamma(r, shape, mean.seconds / shape)
        case .weibull(let shape, let scale):
            return gsl_ran_weibull(r, scale.seconds, shape)
        case .pareto(let shape, let minimum):
            return gsl_ran_pareto(r, shape, minimum.seconds)
        case .empirical(let samples):
            return Self.sampleEmpirical(samples, stream)
        case .mixture(let components):
            return Self.sampleMixture(components, stream)
        }
    }

    /// Draws one of the observed durations, each equally likely.
    @usableFromInline @inline(never)
    static func sampleEmpirical(_ samples: EmpiricalSamples, _ stream: RandomStream.Handle) -> Double {
        // Never empty (EmpiricalSamples checks), as RandomStream.integer(below:) requires.
        samples.seconds[stream.integer(below: samples.seconds.count)]
    }

    /// Draws from one component of a mixture, chosen by weight.
    ///
    /// This and ``sampleEmpirical(_:_:)`` are kept out of ``sampleSeconds(_:)``: there, the
    /// recursion and the array made every sample, of any family, save and restore five
    /// registers (Benchmarks/PROFILE.md, third round).
    @usableFromInline @inline(never)
    static func sampleMixture(_ components: [MixtureComponent], _ stream: RandomStream.Handle) -> Double {
        let u = stream.uniformIncludingZero()
        for component in components where u < component.cumulativeWeight {
            return component.distribution.sampleSeconds(stream)
        }
        return components[components.count - 1].distribution.sampleSeconds(stream)
    }

    /// The theoretical mean in seconds, or nil where it is infinite (Pareto with shape <= 1).
    public var meanSeconds: Double? {
        // gsl_sf_gamma overflows for a Weibull shape below about 0.006; with GSL's default
        // handler that aborts the process, even when no stream (which turns it off) exists yet.
        _ = gslErrorsOff
        switch self {
        case .constant(let v): return v.seconds
        case .exponential(let mean): return mean.seconds
        case .uniform(let a, let b): return (a.seconds + b.seconds) / 2
        case .normal(let mean, let stddev):
            let (m, _) = Self.truncatedNormalMoments(mean: mean.seconds, stddev: stddev.seconds)
            return m
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .gamma(_, let mean): return mean.seconds
        case .weibull(let k, let scale): return scale.seconds * gsl_sf_gamma(1 + 1 / k)
        case .pareto(let a, let b): return a > 1 ? a * b.seconds / (a - 1) : nil
        case .empirical(let samples): return samples.mean
        case .mixture(let components):
            var total = 0.0
            for c in components {
                guard let m = c.distribution.meanSeconds else { return nil }
                total += c.weight * m
            }
            return total
        }
    }

    /// The theoretical variance in seconds², or nil where it is infinite.
    public var varianceSeconds: Double? {
        _ = gslErrorsOff
        switch self {
        case .constant: return 0
        case .exponential(let mean): return mean.seconds * mean.seconds
        case .uniform(let a, let b): return (b.seconds - a.seconds) * (b.seconds - a.seconds) / 12
        case .normal(let mean, let stddev):
            return Self.truncatedNormalMoments(mean: mean.seconds, stddev: stddev.seconds).variance
        case .lognormal(let mu, let sigma): return (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma)
        case .gamma(let k, let mean): let theta = mean.seconds / k; return k * theta * theta
        case .weibull(let k, let scale):
            let g1 = gsl_sf_gamma(1 + 1 / k)
            return scale.seconds * scale.seconds * (gsl_sf_gamma(1 + 2 / k) - g1 * g1)
        case .pareto(let a, let b):
            return a > 2 ? b.seconds * b.seconds * a / ((a - 1) * (a - 1) * (a - 2)) : nil
        case .empirical(let samples): return samples.variance
        case .mixture(let components):
            // Law of total variance: E[Var] + Var[E].
            guard let mean = meanSeconds else { return nil }
            var secondMoment = 0.0
            for c in components {
                guard let m = c.distribution.meanSeconds, let v = c.distribution.varianceSeconds else { return nil }
                secondMoment += c.weight * (v + m * m)
            }
            return secondMoment - mean * mean
        }
    }

    /// The distribution of `factor` × a draw of this one (factor > 0), in the same family: a
    /// scale of the parameters, so each sample takes the same random numbers as before.
    public func scaled(by factor: Double) -> Distribution {
        func time(_ t: SimTime) -> SimTime { SimTime(seconds: t.seconds * factor) }
        switch self {
        case .constant(let v): return .constant(time(v))
        case .exponential(let mean): return .exponential(mean: time(mean))
        case .uniform(let a, let b): return .uniform(min: time(a), max: time(b))
        case .normal(let mean, let stddev): return .normal(mean: time(mean), stddev: time(stddev))
        case .lognormal(let mu, let sigma): return .lognormal(mu: mu + log(factor), sigma: sigma)
        case .gamma(let shape, let mean): return .gamma(shape: shape, mean: time(mean))
        case .weibull(let shape, let scale): return .weibull(shape: shape, scale: time(scale))
        case .pareto(let shape, let minimum): return .pareto(shape: shape, minimum: time(minimum))
        case .empirical(let samples):
            // Scaled finite non-negative values stay so: the initialiser cannot fail.
            return EmpiricalSamples(seconds: samples.seconds.map { $0 * factor }, source: samples.source).map { .empirical($0) } ?? self
        case .mixture(let components):
            return .mixture(components.map { $0.scaled(by: factor) })
        }
    }

    /// Mean and variance of a normal(mean, stddev) truncated to [0, ∞).
    static func truncatedNormalMoments(mean: Double, stddev: Double) -> (mean: Double, variance: Double) {
        guard stddev > 0 else { return (max(0, mean), 0) }
        let alpha = -mean / stddev
        // The inverse Mills ratio phi(alpha) / Q(alpha), computed by GSL without the 0 / 0
        // that the plain quotient gives once alpha is beyond about 38.
        let lambda = gsl_sf_hazard(alpha)
        let m = mean + stddev * lambda
        let v = stddev * stddev * (1 + alpha * lambda - lambda * lambda)
        return (m, v)
    }
}

/// Observed durations for an empirical distribution, in seconds.
public struct EmpiricalSamples: Hashable, Sendable {
    /// The observations, in seconds, in file order.
    public let seconds: [Double]
    /// Where they came from, for messages and reports.
    public let source: String

    /// Creates a sample set; it must not be empty and every value must be finite and >= 0.
    public init?(seconds: [Double], source: String) {
        guard !seconds.isEmpty, seconds.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        self.seconds = seconds
        self.source = source
    }

    /// The sample mean.
    public var mean: Double { seconds.reduce(0, +) / Double(seconds.count) }

    /// The population variance of the samples (what resampling reproduces).
    public var variance: Double {
        let m = mean
        return seconds.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(seconds.count)
    }
}

/// One component of a mixture distribution.
public struct MixtureComponent: Hashable, Sendable {
    /// The normalised weight of this component.
    public let weight: Double
    /// The running sum of normalised weights up to and including this component.
    public let cumulativeWeight: Double
    /// The component's distribution.
    public let distribution: Distribution

    /// Builds normalised components from (weight, distribution) pairs; weights must be
    /// non-negative with a positive sum.
    public static func normalised(_ parts: [(weight: Double, distribution: Distribution)]) -> [MixtureComponent]? {
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0, total.isFinite, parts.allSatisfy({ $0.weight >= 0 }) else { return nil }
        var running = 0.0
        return parts.map { part in
            running += part.weight / total
            return MixtureComponent(weight: part.weight / total, cumulativeWeight: running, distribution: part.distribution)
        }
    }

    private init(weight: Double, cumulativeWeight: Double, distribution: Distribution) {
        self.weight = weight
        self.cumulativeWeight = cumulativeWeight
        self.distribution = distribution
    }

    /// The component with its distribution scaled (``Distribution/scaled(by:)``), its weight kept.
    func scaled(by factor: Double) -> MixtureComponent {
        MixtureComponent(weight: weight, cumulativeWeight: cumulativeWeight, distribution: distribution.scaled(by: factor))
    }
}
