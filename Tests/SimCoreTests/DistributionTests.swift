import CGSL
import Foundation
import Testing
@testable import SimCore

/// What theory says about a distribution, from closed forms written here independently of
/// Distribution.swift: raw moments E[X^k] for k = 0...4 (seconds^k), the median and the
/// density at the median.
private struct Theory {
    var raw: [Double]
    var median: Double
    var densityAtMedian: Double

    var mean: Double { raw[1] }
    var variance: Double { raw[2] - raw[1] * raw[1] }
    /// E[(X − mean)^4], from the raw moments.
    var fourthCentral: Double {
        let m = raw[1]
        return raw[4] - 4 * m * raw[3] + 6 * m * m * raw[2] - 3 * m * m * m * m
    }
}

private let sqrt2pi = (2 * Double.pi).squareRoot()
private func phi(_ z: Double) -> Double { exp(-z * z / 2) / sqrt2pi }

private func exponential(mean m: Double) -> Theory {
    Theory(raw: [1, m, 2 * m * m, 6 * m * m * m, 24 * m * m * m * m], median: m * log(2), densityAtMedian: 0.5 / m)
}

private func uniform(_ a: Double, _ b: Double) -> Theory {
    let raw = (0...4).map { (k: Int) -> Double in
        let power = Double(k + 1)
        return (pow(b, power) - pow(a, power)) / (power * (b - a))
    }
    return Theory(raw: raw, median: (a + b) / 2, densityAtMedian: 1 / (b - a))
}

/// Normal(mu, sigma) truncated to [0, ∞): E[X^k] = (k−1)σ²E[X^(k−2)] + μE[X^(k−1)] + σ·0^(k−1)·φ(α)/Z
/// with α = −μ/σ and Z = P(N > α) (integration by parts of the truncated density).
private func truncatedNormal(mu: Double, sigma: Double) -> Theory {
    let alpha = -mu / sigma
    let z = 0.5 * erfc(alpha / 2.squareRoot())
    var raw = [1.0, mu + sigma * phi(alpha) / z]
    for k in 2...4 { raw.append(Double(k - 1) * sigma * sigma * raw[k - 2] + mu * raw[k - 1]) }
    let median = mu + sigma * gsl_cdf_ugaussian_Pinv(1 - z / 2)
    return Theory(raw: raw, median: median, densityAtMedian: phi((median - mu) / sigma) / (sigma * z))
}

private func lognormal(mu: Double, sigma: Double) -> Theory {
    let raw = (0...4).map { (k: Int) -> Double in
        let order = Double(k)
        return exp(order * mu + order * order * sigma * sigma / 2)
    }
    return Theory(raw: raw, median: exp(mu), densityAtMedian: 1 / (exp(mu) * sigma * sqrt2pi))
}

private func gamma(shape a: Double, mean: Double) -> Theory {
    let theta = mean / a
    var raw = [1.0]
    for k in 1...4 { raw.append(raw[k - 1] * theta * (a + Double(k - 1))) }
    let median = gsl_cdf_gamma_Pinv(0.5, a, theta)
    return Theory(raw: raw, median: median, densityAtMedian: gsl_ran_gamma_pdf(median, a, theta))
}

private func weibull(shape k: Double, scale lambda: Double) -> Theory {
    let raw = (0...4).map { (j: Int) -> Double in pow(lambda, Double(j)) * tgamma(1 + Double(j) / k) }
    let median = lambda * pow(log(2), 1 / k)
    let density = (k / lambda) * pow(median / lambda, k - 1) * exp(-pow(median / lambda, k))
    return Theory(raw: raw, median: median, densityAtMedian: density)
}

private func pareto(shape a: Double, minimum b: Double) -> Theory {
    let raw = (0...4).map { (j: Int) -> Double in
        let order = Double(j)
        return a > order ? a * pow(b, order) / (a - order) : .infinity
    }
    let median = b * pow(2, 1 / a)
    return Theory(raw: raw, median: median, densityAtMedian: a * pow(b, a) / pow(median, a + 1))
}

/// A two-part mixture; its median is found by bisection on the mixed distribution function.
private func mixture(_ w: Double, _ first: Theory, cdf firstCDF: @escaping (Double) -> Double, pdf firstPDF: @escaping (Double) -> Double,
                     _ second: Theory, cdf secondCDF: @escaping (Double) -> Double, pdf secondPDF: @escaping (Double) -> Double) -> Theory {
    let raw = (0...4).map { (k: Int) -> Double in w * first.raw[k] + (1 - w) * second.raw[k] }
    var low = 0.0
    var high = 1e3
    for _ in 0..<200 {
        let mid = (low + high) / 2
        if w * firstCDF(mid) + (1 - w) * secondCDF(mid) < 0.5 { low = mid } else { high = mid }
    }
    let median = (low + high) / 2
    return Theory(raw: raw, median: median, densityAtMedian: w * firstPDF(median) + (1 - w) * secondPDF(median))
}

@Suite("Distributions")
struct DistributionTests {
    /// Draws per family: the tolerances below shrink as 1/√n, so this sets how sharp the
    /// checks are (about 1.6 % of a standard deviation for the mean) against the time taken.
    static let n = 100_000

    /// Compares a sample with theory, each tolerance 5 standard errors *derived* from n:
    /// - mean: σ/√n;
    /// - variance: √((μ4 − σ⁴)/n), the asymptotic standard error of the sample variance
    ///   (μ4 the fourth central moment), only where μ4 is finite;
    /// - median: 1/(2 f(m) √n), the asymptotic standard error of the sample median.
    /// Five standard errors leave a chance below 10^−6 of a false alarm per check; the seeds
    /// are fixed, so a check either always passes or always fails.
    private func check(_ distribution: Distribution, _ theory: Theory, stream name: String, checkVariance: Bool = true,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let stream = RandomStream(name: name, scenarioSeed: 2_024, replication: 0)
        let sorted = Sample.sortedSeconds(distribution, count: Self.n, stream: stream)
        let n = Double(Self.n)
        let mean = Sample.mean(sorted)
        let meanTolerance = 5 * (theory.variance / n).squareRoot()
        #expect(abs(mean - theory.mean) <= meanTolerance, "mean \(mean) vs \(theory.mean) ± \(meanTolerance)", sourceLocation: sourceLocation)

        if checkVariance {
            let variance = Sample.variance(sorted)
            let tolerance = 5 * ((theory.fourthCentral - theory.variance * theory.variance) / n).squareRoot()
            #expect(tolerance.isFinite, sourceLocation: sourceLocation)
            #expect(abs(variance - theory.variance) <= tolerance, "variance \(variance) vs \(theory.variance) ± \(tolerance)",
                    sourceLocation: sourceLocation)
        }

        let median = Sample.quantile(sorted: sorted, 0.5)
        let medianTolerance = 5 / (2 * theory.densityAtMedian * n.squareRoot())
        #expect(abs(median - theory.median) <= medianTolerance, "median \(median) vs \(theory.median) ± \(medianTolerance)",
                sourceLocation: sourceLocation)

        // The library's own closed forms agree with the ones written here.
        if let libraryMean = distribution.meanSeconds {
            #expect(abs(libraryMean - theory.mean) <= 1e-9 * theory.mean, "meanSeconds", sourceLocation: sourceLocation)
        } else {
            Issue.record("meanSeconds is nil for a finite mean", sourceLocation: sourceLocation)
        }
        if theory.variance.isFinite, let libraryVariance = distribution.varianceSeconds {
            #expect(abs(libraryVariance - theory.variance) <= 1e-9 * theory.variance, "varianceSeconds", sourceLocation: sourceLocation)
        }
        #expect(sorted.first! >= 0, sourceLocation: sourceLocation)
    }

    @Test("constant always gives its value")
    func constant() {
        let stream = RandomStream(seed: 1)
        let d = Distribution.constant(.ms(1_250))
        for _ in 0..<100 { #expect(d.sample(stream) == .ms(1_250)) }
        #expect(d.meanSeconds == 1.25)
        #expect(d.varianceSeconds == 0)
    }

    @Test("exponential")
    func exponentialFamily() {
        check(.exponential(mean: .ms(200)), exponential(mean: 0.2), stream: "exponential")
    }

    @Test("uniform")
    func uniformFamily() {
        check(.uniform(min: .ms(100), max: .ms(500)), uniform(0.1, 0.5), stream: "uniform")
    }

    @Test("normal, hardly truncated")
    func normalFamily() {
        check(.normal(mean: .s(1), stddev: .ms(100)), truncatedNormal(mu: 1, sigma: 0.1), stream: "normal")
    }

    @Test("normal truncated at zero (mean below one standard deviation)")
    func truncatedNormalFamily() {
        let theory = truncatedNormal(mu: 0.1, sigma: 0.2)
        // The truncation matters here: the untruncated mean would be 0.1.
        #expect(theory.mean > 0.2)
        check(.normal(mean: .ms(100), stddev: .ms(200)), theory, stream: "normal/truncated")
    }

    @Test("normal without spread is its mean, never negative")
    func degenerateNormal() {
        let stream = RandomStream(seed: 2)
        #expect(Distribution.normal(mean: .ms(30), stddev: .zero).sample(stream) == .ms(30))
        #expect(Distribution.normal(mean: .ms(30), stddev: .zero).varianceSeconds == 0)
    }

    @Test("lognormal given by mu and sigma")
    func lognormalFamily() {
        check(.lognormal(mu: log(0.1), sigma: 0.5), lognormal(mu: log(0.1), sigma: 0.5), stream: "lognormal")
    }

    @Test("lognormal given by median and p99 has that median and p99")
    func lognormalMedianP99() throws {
        let d = Distribution.lognormal(median: .ms(100), p99: .s(1))
        guard case .lognormal(let mu, let sigma) = d else {
            Issue.record("not a lognormal: \(d)")
            return
        }
        // z(0.99), the 99th percentile of the standard normal, written out.
        let z99 = 2.3263478740408408
        #expect(abs(Distribution.standardNormalP99 - z99) < 1e-12)
        #expect(abs(exp(mu) - 0.1) < 1e-12)
        #expect(abs(exp(mu + sigma * z99) - 1.0) < 1e-12)

        // And a sample bears it out: the sample quantile's standard error is
        // √(p(1−p)) / (f(q) √n).
        let theory = lognormal(mu: mu, sigma: sigma)
        check(d, theory, stream: "lognormal/median-p99")
        let stream = RandomStream(name: "lognormal/p99", scenarioSeed: 2_024, replication: 0)
        let sorted = Sample.sortedSeconds(d, count: Self.n, stream: stream)
        let density = phi(z99) / (1.0 * sigma)
        let tolerance = 5 * (0.99 * 0.01).squareRoot() / (density * Double(Self.n).squareRoot())
        let p99 = Sample.quantile(sorted: sorted, 0.99)
        #expect(abs(p99 - 1.0) <= tolerance, "p99 \(p99) ± \(tolerance)")
    }

    @Test("gamma")
    func gammaFamily() {
        check(.gamma(shape: 2.5, mean: .ms(400)), gamma(shape: 2.5, mean: 0.4), stream: "gamma")
    }

    @Test("gamma with shape below one")
    func gammaSmallShape() {
        check(.gamma(shape: 0.6, mean: .ms(50)), gamma(shape: 0.6, mean: 0.05), stream: "gamma/small")
    }

    @Test("weibull")
    func weibullFamily() {
        check(.weibull(shape: 1.5, scale: .ms(300)), weibull(shape: 1.5, scale: 0.3), stream: "weibull")
    }

    @Test("pareto with a finite fourth moment (shape 5)")
    func paretoFamily() {
        check(.pareto(shape: 5, minimum: .ms(100)), pareto(shape: 5, minimum: 0.1), stream: "pareto")
    }

    @Test("pareto with finite variance only (shape 2.5): mean and median")
    func paretoHeavy() {
        // The fourth moment is infinite, so the sample variance has no standard error to
        // derive a tolerance from; the mean (finite variance) and the median still do.
        check(.pareto(shape: 2.5, minimum: .ms(100)), pareto(shape: 2.5, minimum: 0.1), stream: "pareto/heavy", checkVariance: false)
    }

    @Test("infinite moments are nil")
    func infiniteMoments() {
        #expect(Distribution.pareto(shape: 1, minimum: .s(1)).meanSeconds == nil)
        #expect(Distribution.pareto(shape: 1.5, minimum: .s(1)).meanSeconds != nil)
        #expect(Distribution.pareto(shape: 2, minimum: .s(1)).varianceSeconds == nil)
        let parts = MixtureComponent.normalised([(1, .exponential(mean: .s(1))), (1, .pareto(shape: 0.9, minimum: .s(1)))])!
        #expect(Distribution.mixture(parts).meanSeconds == nil)
        #expect(Distribution.mixture(parts).varianceSeconds == nil)
    }

    @Test("a Weibull shape whose moments overflow does not abort the process")
    func gslOverflowDoesNotAbort() async {
        // In a fresh process no stream has turned GSL's abort-on-error handler off yet.
        await #expect(processExitsWith: .success) {
            let mean = Distribution.weibull(shape: 0.001, scale: .s(1)).meanSeconds
            precondition(mean.map { !$0.isFinite } ?? false)
        }
    }

    @Test("empirical resamples the observations with equal weight")
    func empiricalFamily() throws {
        let values = [0.1, 0.2, 0.2, 0.5, 1.0, 3.0]
        let samples = try #require(EmpiricalSamples(seconds: values, source: "test.csv"))
        let d = Distribution.empirical(samples)
        let stream = RandomStream(name: "empirical", scenarioSeed: 2_024, replication: 0)
        var counts: [Double: Int] = [:]
        let n = 60_000
        for _ in 0..<n { counts[d.sampleSeconds(stream), default: 0] += 1 }
        #expect(Set(counts.keys) == Set(values))
        for (value, count) in counts {
            // Binomial(n, p) with p the share of the observations equal to `value`.
            let p = Double(values.filter { $0 == value }.count) / Double(values.count)
            let tolerance = 5 * (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(count) - Double(n) * p) <= tolerance, "value \(value)")
        }
        let mean = values.reduce(0, +) / 6
        #expect(abs(d.meanSeconds! - mean) < 1e-12)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
        #expect(abs(d.varianceSeconds! - variance) < 1e-12)
    }

    @Test("empirical samples refuse empty, negative and non-finite data")
    func empiricalValidation() {
        #expect(EmpiricalSamples(seconds: [], source: "x") == nil)
        #expect(EmpiricalSamples(seconds: [1, -0.5], source: "x") == nil)
        #expect(EmpiricalSamples(seconds: [1, .nan], source: "x") == nil)
        #expect(EmpiricalSamples(seconds: [1, .infinity], source: "x") == nil)
        #expect(EmpiricalSamples(seconds: [0, 2], source: "x")?.mean == 1)
    }

    @Test("mixture of exponential and lognormal")
    func mixtureFamily() throws {
        let parts = try #require(MixtureComponent.normalised([
            (7, .exponential(mean: .ms(100))),
            (3, .lognormal(mu: log(0.5), sigma: 0.3)),
        ]))
        let mu = log(0.5)
        let theory = mixture(
            0.7, exponential(mean: 0.1),
            cdf: { 1 - exp(-$0 / 0.1) }, pdf: { exp(-$0 / 0.1) / 0.1 },
            lognormal(mu: mu, sigma: 0.3),
            cdf: { $0 > 0 ? 0.5 * erfc(-(log($0) - mu) / (0.3 * 2.squareRoot())) : 0 },
            pdf: { $0 > 0 ? phi((log($0) - mu) / 0.3) / ($0 * 0.3) : 0 })
        check(.mixture(parts), theory, stream: "mixture")
    }

    @Test("a mixture picks components in proportion to their weights")
    func mixtureWeights() throws {
        let shares: [(weight: Double, value: SimTime)] = [(0, .s(99)), (2, .s(1)), (5, .s(2)), (3, .s(3))]
        let parts = try #require(MixtureComponent.normalised(shares.map { ($0.weight, Distribution.constant($0.value)) }))
        let d = Distribution.mixture(parts)
        let stream = RandomStream(name: "mixture/weights", scenarioSeed: 2_024, replication: 0)
        let n = 50_000
        var counts: [SimTime: Int] = [:]
        for _ in 0..<n { counts[d.sample(stream), default: 0] += 1 }
        #expect(counts[.s(99)] == nil, "a zero-weight component was chosen")
        for share in shares where share.weight > 0 {
            // Binomial(n, p) for each component.
            let p = share.weight / 10
            let tolerance = 5 * (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[share.value, default: 0]) - Double(n) * p) <= tolerance, "component \(share.value)")
        }
    }

    @Test("mixture weights are normalised and validated")
    func mixtureNormalisation() throws {
        let parts = try #require(MixtureComponent.normalised([(2, .constant(.s(1))), (6, .constant(.s(2)))]))
        #expect(parts.map(\.weight) == [0.25, 0.75])
        #expect(parts.map(\.cumulativeWeight) == [0.25, 1.0])
        #expect(MixtureComponent.normalised([(-1, .constant(.s(1))), (2, .constant(.s(2)))]) == nil)
        #expect(MixtureComponent.normalised([(0, .constant(.s(1)))]) == nil)
        #expect(MixtureComponent.normalised([(.infinity, .constant(.s(1)))]) == nil)
        #expect(MixtureComponent.normalised([]) == nil)
    }
}
