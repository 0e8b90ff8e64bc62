import CGSL
import Foundation

/// Maximum-likelihood fits of durations (seconds) over the scenario format's distribution
/// families, the choice among them by AIC, and the Kolmogorov-Smirnov distance of the choice.
///
/// Closed forms where they exist (exponential, normal, lognormal, uniform, Pareto); gamma
/// and Weibull by minimising the negative log-likelihood with GSL's Nelder-Mead simplex
/// (`gsl_multimin_fminimizer_nmsimplex2`) over the logarithms of their parameters.
enum DistributionFit {
    /// A fitted family and its parameters (seconds for durations).
    enum Family: Sendable, Equatable {
        case exponential(mean: Double)
        case normal(mean: Double, stddev: Double)
        case lognormal(mu: Double, sigma: Double)
        case gamma(shape: Double, scale: Double)
        case weibull(shape: Double, scale: Double)
        case pareto(shape: Double, minimum: Double)
        case uniform(minimum: Double, maximum: Double)

        var name: String {
            switch self {
            case .exponential: "exponential"
            case .normal: "normal"
            case .lognormal: "lognormal"
            case .gamma: "gamma"
            case .weibull: "weibull"
            case .pareto: "pareto"
            case .uniform: "uniform"
            }
        }

        var parameterCount: Int {
            if case .exponential = self { return 1 }
            return 2
        }

        /// The distribution in the scenario format.
        var yaml: String {
            let d = ScenarioValues.duration(_:), n = ScenarioValues.number
            switch self {
            case .exponential(let mean): return "{exponential: {mean: \(d(mean))}}"
            case .normal(let mean, let stddev): return "{normal: {mean: \(d(mean)), stddev: \(d(stddev))}}"
            case .lognormal(let mu, let sigma): return "{lognormal: {mu: \(n(mu)), sigma: \(n(sigma))}}"
            case .gamma(let shape, let scale): return "{gamma: {shape: \(n(shape)), mean: \(d(shape * scale))}}"
            case .weibull(let shape, let scale): return "{weibull: {shape: \(n(shape)), scale: \(d(scale))}}"
            case .pareto(let shape, let minimum): return "{pareto: {shape: \(n(shape)), min: \(d(minimum))}}"
            case .uniform(let minimum, let maximum): return "{uniform: {min: \(d(minimum)), max: \(d(maximum))}}"
            }
        }

        /// The log-density at x.
        func logDensity(_ x: Double) -> Double {
            switch self {
            case .exponential(let mean):
                return x < 0 ? -.infinity : -log(mean) - x / mean
            case .normal(let mean, let stddev):
                let z = (x - mean) / stddev
                return -0.5 * z * z - log(stddev) - 0.5 * log(2 * .pi)
            case .lognormal(let mu, let sigma):
                guard x > 0 else { return -.infinity }
                let z = (log(x) - mu) / sigma
                return -0.5 * z * z - log(sigma) - log(x) - 0.5 * log(2 * .pi)
            case .gamma(let k, let theta):
                guard x > 0 else { return -.infinity }
                return (k - 1) * log(x) - x / theta - k * log(theta) - gsl_sf_lngamma(k)
            case .weibull(let k, let lambda):
                guard x >= 0 else { return -.infinity }
                return log(k / lambda) + (k - 1) * log(x / lambda) - pow(x / lambda, k)
            case .pareto(let alpha, let xm):
                guard x >= xm else { return -.infinity }
                return log(alpha) + alpha * log(xm) - (alpha + 1) * log(x)
            case .uniform(let a, let b):
                return x < a || x > b ? -.infinity : -log(b - a)
            }
        }

        /// The cumulative distribution function at x (GSL's).
        func cdf(_ x: Double) -> Double {
            switch self {
            case .exponential(let mean): return gsl_cdf_exponential_P(x, mean)
            case .normal(let mean, let stddev): return gsl_cdf_gaussian_P(x - mean, stddev)
            case .lognormal(let mu, let sigma): return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, mu, sigma)
            case .gamma(let k, let theta): return gsl_cdf_gamma_P(x, k, theta)
            case .weibull(let k, let lambda): return gsl_cdf_weibull_P(x, lambda, k)
            case .pareto(let alpha, let xm): return x < xm ? 0 : gsl_cdf_pareto_P(x, alpha, xm)
            case .uniform(let a, let b): return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a)
            }
        }
    }

    /// One family's fit.
    struct Candidate: Sendable {
        var family: Family
        var logLikelihood: Double
        /// Akaike's information criterion, 2k - 2 ln L.
        var aic: Double { 2 * Double(family.parameterCount) - 2 * logLikelihood }
    }

    /// The outcome for one sample.
    struct Result: Sendable {
        /// Every family that could be fitted, best AIC first.
        var candidates: [Candidate]
        /// The KS distance of the best candidate.
        var ksDistance: Double
        /// The 5 % critical value of the KS distance for this sample size, 1.358 / √n.
        var ksCritical: Double
        var count: Int
        /// Why the best candidate is not used (the sample is written as `empirical`), or nil.
        var fallbackReason: String?
        var best: Candidate? { candidates.first }
    }

    /// The fewest values for a parametric fit; below it the sample is used as it is.
    static let minimumCount = 30

    /// Fits every family to `values` (seconds, all ≥ 0) and picks the best by AIC.
    static func fit(_ values: [Double]) -> Result {
        let sorted = values.sorted()
        let n = sorted.count
        let critical = n > 0 ? 1.358 / Double(n).squareRoot() : .infinity
        guard n >= minimumCount else {
            return Result(candidates: [], ksDistance: .nan, ksCritical: critical, count: n,
                          fallbackReason: "only \(n) values (a parametric fit needs at least \(minimumCount))")
        }
        var candidates: [Candidate] = []
        for family in families(sorted) {
            let logL = sorted.reduce(0) { $0 + family.logDensity($1) }
            if logL.isFinite { candidates.append(Candidate(family: family, logLikelihood: logL)) }
        }
        candidates.sort { $0.aic < $1.aic }
        guard let best = candidates.first else {
            return Result(candidates: [], ksDistance: .nan, ksCritical: critical, count: n,
                          fallbackReason: "no family could be fitted")
        }
        let distance = ksDistance(sorted, best.family)
        let reason = distance > critical
            ? "the best fit, \(best.family.name), is \(ScenarioValues.number(distance)) from the data in KS distance, above the 5 % critical value \(ScenarioValues.number(critical)) for \(n) values"
            : nil
        return Result(candidates: candidates, ksDistance: distance, ksCritical: critical, count: n, fallbackReason: reason)
    }

    /// The Kolmogorov-Smirnov distance between the sample (sorted) and a distribution.
    static func ksDistance(_ sorted: [Double], _ family: Family) -> Double {
        let n = Double(sorted.count)
        var distance = 0.0
        for (i, x) in sorted.enumerated() {
            let f = family.cdf(x)
            distance = max(distance, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return distance
    }

    /// The maximum-likelihood estimate of each family that applies to the sample.
    private static func families(_ sorted: [Double]) -> [Family] {
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let variance = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        var result: [Family] = []
        guard variance > 0 else { return result }
        result.append(.normal(mean: mean, stddev: variance.squareRoot()))
        result.append(.uniform(minimum: sorted[0], maximum: sorted[sorted.count - 1]))
        guard sorted[0] > 0 else {
            if mean > 0 { result.append(.exponential(mean: mean)) }
            return result
        }
        result.append(.exponential(mean: mean))
        let logs = sorted.map { log($0) }
        let mu = logs.reduce(0, +) / n
        let sigma = (logs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / n).squareRoot()
        if sigma > 0 { result.append(.lognormal(mu: mu, sigma: sigma)) }
        let xm = sorted[0]
        let sumLog = logs.reduce(0) { $0 + $1 - log(xm) }
        if sumLog > 0 { result.append(.pareto(shape: n / sumLog, minimum: xm)) }
        // Starting points: the method of moments (gamma) and shape 1 (Weibull = exponential).
        // The gamma likelihood depends on the sample only through n, the sum and the sum of
        // logarithms, so each step of the simplex costs O(1) rather than O(n).
        let gammaShape = mean * mean / variance
        let sum = mean * n, sumOfLogs = mu * n
        if let (k, theta) = minimise(start: (log(gammaShape), log(mean / gammaShape)), { p in
            let (k, theta) = (exp(p.0), exp(p.1))
            return -((k - 1) * sumOfLogs - sum / theta - n * k * log(theta) - n * gsl_sf_lngamma(k))
        }) {
            result.append(.gamma(shape: exp(k), scale: exp(theta)))
        }
        if let (k, lambda) = minimise(start: (0, log(mean)), { p in
            -sorted.reduce(0) { $0 + Family.weibull(shape: exp(p.0), scale: exp(p.1)).logDensity($1) }
        }) {
            result.append(.weibull(shape: exp(k), scale: exp(lambda)))
        }
        return result
    }

    /// The objective the C callback evaluates.
    private final class Objective {
        let f: ((Double, Double)) -> Double
        init(_ f: @escaping ((Double, Double)) -> Double) { self.f = f }
    }

    /// Minimises a function of two parameters with GSL's simplex; nil if it does not converge.
    private static func minimise(start: (Double, Double), _ f: @escaping ((Double, Double)) -> Double) -> (Double, Double)? {
        guard start.0.isFinite, start.1.isFinite, let minimiser = queuesim_multimin_nmsimplex2_alloc(2) else { return nil }
        defer { gsl_multimin_fminimizer_free(minimiser) }
        let objective = Objective(f)
        let context = Unmanaged.passUnretained(objective).toOpaque()
        var function = gsl_multimin_function(
            f: { vector, params in
                guard let vector, let params else { return .nan }
                let objective = Unmanaged<Objective>.fromOpaque(params).takeUnretainedValue()
                let value = objective.f((gsl_vector_get(vector, 0), gsl_vector_get(vector, 1)))
                return value.isFinite ? value : .greatestFiniteMagnitude
            }, n: 2, params: context)
        let x = gsl_vector_alloc(2), step = gsl_vector_alloc(2)
        defer { gsl_vector_free(x); gsl_vector_free(step) }
        gsl_vector_set(x, 0, start.0); gsl_vector_set(x, 1, start.1)
        gsl_vector_set_all(step, 0.5)
        let status = withExtendedLifetime(objective) { () -> Int32 in
            guard gsl_multimin_fminimizer_set(minimiser, &function, x, step) == Int32(GSL_SUCCESS) else { return Int32(GSL_EFAILED) }
            for _ in 0..<2_000 {
                guard gsl_multimin_fminimizer_iterate(minimiser) == Int32(GSL_SUCCESS) else { return Int32(GSL_EFAILED) }
                if gsl_multimin_test_size(gsl_multimin_fminimizer_size(minimiser), 1e-9) == Int32(GSL_SUCCESS) { return Int32(GSL_SUCCESS) }
            }
            return Int32(GSL_EMAXITER)
        }
        guard status == Int32(GSL_SUCCESS), let best = minimiser.pointee.x else { return nil }
        return (gsl_vector_get(best, 0), gsl_vector_get(best, 1))
    }
}
