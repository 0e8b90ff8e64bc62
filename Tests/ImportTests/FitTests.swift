import CGSL
import Foundation
@testable import Import
import Testing

/// Logs generated from known distributions are fitted back: the family chosen by AIC is the
/// one the sample was drawn from, and each parameter is within 4 standard errors of its true
/// value, the standard error being the asymptotic one of the maximum-likelihood estimate for
/// that sample size (the inverse Fisher information over n).
@Suite struct FitTests {
    static let n = 4_000

    /// |estimate - truth| within 4 standard errors.
    private func near(_ estimate: Double, _ truth: Double, standardError: Double, _ what: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(estimate - truth) <= 4 * standardError, "\(what): \(estimate) vs \(truth) (4 SE = \(4 * standardError))",
                sourceLocation: sourceLocation)
    }

    private func fit(_ values: [Double]) -> DistributionFit.Result {
        // Through REPORT lines, as a user's logs would come: durations rounded to 0.01 ms.
        let log = try? ReportLog.read(reportLines(values), file: "test.log")
        return DistributionFit.fit(log?.invocations.map(\.duration) ?? [])
    }

    @Test func lognormal() throws {
        let (mu, sigma) = (log(0.2), 0.6)
        let result = fit(Draws(seed: 11).sample(Self.n) { gsl_ran_lognormal($0, mu, sigma) })
        guard case .lognormal(let m, let s) = try #require(result.best).family else {
            Issue.record("chose \(String(describing: result.best?.family))"); return
        }
        near(m, mu, standardError: sigma / Double(Self.n).squareRoot(), "mu")
        near(s, sigma, standardError: sigma / (2 * Double(Self.n)).squareRoot(), "sigma")
        #expect(result.ksDistance < result.ksCritical)
        #expect(result.fallbackReason == nil)
    }

    @Test func gamma() throws {
        let (k, theta) = (2.0, 0.15)
        let result = fit(Draws(seed: 12).sample(Self.n) { gsl_ran_gamma($0, k, theta) })
        guard case .gamma(let shape, let scale) = try #require(result.best).family else {
            Issue.record("chose \(String(describing: result.best?.family))"); return
        }
        // Fisher information of (k, theta): [[psi'(k), 1/theta], [1/theta, k/theta^2]].
        let determinant = (k * gsl_sf_psi_1(k) - 1) / (theta * theta)
        near(shape, k, standardError: ((k / (theta * theta)) / determinant / Double(Self.n)).squareRoot(), "shape")
        near(scale, theta, standardError: (gsl_sf_psi_1(k) / determinant / Double(Self.n)).squareRoot(), "scale")
        #expect(result.ksDistance < result.ksCritical)
    }

    @Test func weibull() throws {
        let (k, lambda) = (3.5, 0.4)
        let result = fit(Draws(seed: 13).sample(Self.n) { gsl_ran_weibull($0, lambda, k) })
        guard case .weibull(let shape, let scale) = try #require(result.best).family else {
            Issue.record("chose \(String(describing: result.best?.family))"); return
        }
        // Asymptotic variances of the Weibull MLE: 0.608 k^2 / n and 1.109 lambda^2 / (k^2 n).
        near(shape, k, standardError: (0.608 * k * k / Double(Self.n)).squareRoot(), "shape")
        near(scale, lambda, standardError: (1.109 * lambda * lambda / (k * k * Double(Self.n))).squareRoot(), "scale")
        #expect(result.ksDistance < result.ksCritical)
    }

    @Test func exponential() throws {
        let mean = 0.25
        let result = fit(Draws(seed: 14).sample(Self.n) { gsl_ran_exponential($0, mean) })
        // Gamma and Weibull contain the exponential (shape 1): AIC's penalty of one more
        // parameter must pick the exponential.
        guard case .exponential(let m) = try #require(result.best).family else {
            Issue.record("chose \(String(describing: result.best?.family))"); return
        }
        near(m, mean, standardError: mean / Double(Self.n).squareRoot(), "mean")
    }

    @Test func aBimodalSampleFallsBackToEmpiricalWithTheReason() throws {
        let draws = Draws(seed: 15)
        let values = draws.sample(Self.n / 2) { gsl_ran_lognormal($0, log(0.05), 0.1) }
            + draws.sample(Self.n / 2) { gsl_ran_lognormal($0, log(2), 0.1) }
        let result = fit(values)
        let reason = try #require(result.fallbackReason)
        #expect(result.ksDistance > result.ksCritical)
        #expect(reason.contains("above the 5 % critical value"))
    }

    @Test func aSmallSampleIsUsedAsItIs() {
        let result = DistributionFit.fit([0.1, 0.2, 0.3])
        #expect(result.fallbackReason == "only 3 values (a parametric fit needs at least 30)")
        #expect(result.candidates.isEmpty)
    }

    @Test func theKolmogorovSmirnovDistanceOfAKnownCase() {
        // Uniform(0, 1) against the sample {0.5}: the step at 0.5 is 0.5 away from the CDF.
        #expect(DistributionFit.ksDistance([0.5], .uniform(minimum: 0, maximum: 1)) == 0.5)
        #expect(abs(DistributionFit.ksDistance([0.25, 0.75], .uniform(minimum: 0, maximum: 1)) - 0.25) < 1e-12)
    }
}
