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
}
