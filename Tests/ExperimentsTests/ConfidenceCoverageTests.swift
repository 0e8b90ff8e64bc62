import Foundation
@testable import Experiments
import ServerlessModel
import SimCore
import Testing

/// The 95% intervals that `aggregate.csv` reports cover the true mean 95% of the time.
@Suite struct ConfidenceCoverageTests {
    @Test func theNinetyFivePercentIntervalCoversAKnownMeanInNinetyFivePercentOfTrials() throws {
        // 400 independent trials, each the aggregate of 10 "replications" drawn from a
        // normal distribution with a known mean of 10 s (sd 2 s; truncation at 0 is 5 sd
        // away, so the mean is 10 s to within 1e-6). The count of covering intervals is
        // binomial(400, 0.95): its sd is sqrt(0.95 × 0.05 / 400) ≈ 1.1%, so the accepted band
        // of 95% ± 3% is about ±2.75 sd, which a correct interval leaves only about 0.6% of
        // the time, while an interval that is too narrow or too wide by a sizeable factor (a
        // normal quantile for t, n for n − 1, a missing √n) falls outside it.
        let trials = 400
        let trueMean = 10.0
        let distribution = Distribution.normal(mean: .s(10), stddev: .s(2))
        var covered = 0
        for trial in 0..<trials {
            let stream = RandomStream(name: "coverage", scenarioSeed: 2_024, replication: trial)
            let values = (0..<10).map { _ in distribution.sampleSeconds(stream) }
            let aggregate = try #require(Aggregation.aggregate(values, scope: ScopeKey(name: "all", kind: .all), metric: .latencyMean))
            let low = try #require(aggregate.ci95Low)
            let high = try #require(aggregate.ci95High)
            if low <= trueMean && trueMean <= high { covered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(coverage >= 0.92 && coverage <= 0.98, "coverage \(coverage)")
    }

    @Test func aSingleReplicationHasAMeanButNoInterval() throws {
        let aggregate = try #require(Aggregation.aggregate([3.5], scope: ScopeKey(name: "A", kind: .group), metric: .sent))
        #expect(aggregate.n == 1)
        #expect(aggregate.mean == 3.5)
        #expect(aggregate.stddev == nil && aggregate.ci95Low == nil && aggregate.ci95High == nil)
    }

    @Test func theIntervalIsTheStudentTInterval() throws {
        // 1..5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445105.
        let aggregate = try #require(Aggregation.aggregate([1, 2, 3, 4, 5], scope: ScopeKey(name: "A", kind: .group), metric: .sent))
        let halfWidth = 2.776445105 * 2.5.squareRoot() / 5.0.squareRoot()
        #expect(aggregate.n == 5)
        #expect(abs((aggregate.stddev ?? 0) - 2.5.squareRoot()) < 1e-12)
        #expect(abs((aggregate.ci95Low ?? 0) - (3 - halfWidth)) < 1e-6)
        #expect(abs((aggregate.ci95High ?? 0) - (3 + halfWidth)) < 1e-6)
    }

    /// Counts near 0 (Poisson, mean 2, three replications) and shares near 0 (a binomial
    /// rate of 2 % out of 100, three and five replications): the symmetric t interval often
    /// reaches below 0 there; the interval reported must stay in the metric's range every
    /// time, and still cover the true mean about 95 % of the time. 1,000 trials each: the
    /// coverage's sd is about 0.7 %, so 92-99 % is a band of about ±4 sd around 95.5 %
    /// (measured with an independent script: 96.7 %, 96.5 %, 95.8 %). An interval clipped at the
    /// bound, or the t interval, would also cover; what fails before the change is the range.
    @Test(arguments: [
        (Metric.deadLettered, 3, "poisson"),
        (Metric.throttleRate, 3, "binomial"),
        (Metric.throttleRate, 5, "binomial"),
    ])
    func boundedIntervalsStayInTheirRangeAndCover(metric: Metric, replications: Int, family: String) throws {
        let trials = 1_000
        let trueMean = family == "poisson" ? 2.0 : 0.02
        var covered = 0
        var leftTheRange = 0
        var transformed = 0
        for trial in 0..<trials {
            let stream = RandomStream(name: "bounded-coverage", scenarioSeed: 7, replication: trial)
            let values = (0..<replications).map { _ in
                family == "poisson" ? Self.poisson(mean: trueMean, stream) : Self.binomialShare(trials: 100, p: trueMean, stream)
            }
            let aggregate = try #require(Aggregation.aggregate(values, scope: ScopeKey(name: "all", kind: .all), metric: metric))
            guard let low = aggregate.ci95Low, let high = aggregate.ci95High else { continue }
            if low < 0 || (metric == .throttleRate && high > 1) { leftTheRange += 1 }
            if !aggregate.isSymmetric { transformed += 1 }
            if low <= trueMean && trueMean <= high { covered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(leftTheRange == 0)
        #expect(transformed > trials / 4, "the case must exercise the transformed interval: \(transformed)")
        #expect(coverage >= 0.92 && coverage <= 0.99, "coverage \(coverage)")
    }

    @Test func replicationsThatDisagreeAreFlagged() throws {
        // crash-recovery's p99 of three replications: 5.1, 120 and 4.0 s.
        let p99 = try #require(Aggregation.aggregate([5.1, 120, 4.0], scope: ScopeKey(name: "all", kind: .all), metric: .latencyP99))
        #expect(p99.replicationsDisagree)
        #expect(p99.range == 4.0...120)
        #expect(try #require(p99.ci95Low) > 0)
        let steady = try #require(Aggregation.aggregate([5.1, 5.3, 4.9], scope: ScopeKey(name: "all", kind: .all), metric: .latencyP99))
        #expect(!steady.replicationsDisagree)
        #expect(steady.isSymmetric)
    }

    /// A Poisson count by Knuth's product of uniforms (fine for a small mean).
    static func poisson(mean: Double, _ stream: RandomStream) -> Double {
        let limit = exp(-mean)
        var product = stream.uniform()
        var count = 0.0
        while product > limit {
            count += 1
            product *= stream.uniform()
        }
        return count
    }

    /// The share of `trials` Bernoulli trials that succeed.
    static func binomialShare(trials: Int, p: Double, _ stream: RandomStream) -> Double {
        Double((0..<trials).filter { _ in stream.bernoulli(p) }.count) / Double(trials)
    }
}
