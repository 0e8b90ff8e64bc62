import Foundation
import CGSL
import Testing
@testable import SimCore

@Suite("ConfidenceInterval")
struct ConfidenceIntervalTests {
    @Test("Student t quantiles match the tables", arguments: [
        (0.975, 9, 2.262157),
        (0.975, 1, 12.706205),
        (0.975, 4, 2.776445),
        (0.975, 29, 2.045230),
        (0.95, 9, 1.833113),
        (0.995, 4, 4.604095),
    ])
    func tTable(probability: Double, degreesOfFreedom: Int, expected: Double) {
        let t = ConfidenceInterval.studentT(probability: probability, degreesOfFreedom: degreesOfFreedom)
        #expect(abs(t - expected) < 1e-6)
    }

    @Test("an interval computed by hand")
    func byHand() throws {
        // 1...10: mean 5.5, s² = 82.5 / 9, s = 3.0276503540974917, s/√10 = 0.9574271077563381,
        // half-width = 2.262157 · 0.9574271 = 2.165851 (t(0.975, 9) from the table).
        let ci = try #require(ConfidenceInterval((1...10).map(Double.init)))
        #expect(ci.n == 10)
        #expect(ci.mean == 5.5)
        #expect(abs(ci.standardDeviation! - 3.0276503540974917) < 1e-12)
        #expect(abs(ci.standardError! - 0.9574271077563381) < 1e-12)
        #expect(abs(ci.halfWidth! - 2.165851) < 1e-6)
        #expect(abs(ci.low! - 3.334149) < 1e-6)
        #expect(abs(ci.high! - 7.665851) < 1e-6)
        #expect(ci.level == 0.95)
        #expect(ci.contains(5.5) == true)
        #expect(ci.contains(3.3) == false)
        #expect(ci.contains(7.7) == false)
    }

    @Test("the level widens or narrows the interval")
    func level() throws {
        let values = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let ninety = try #require(ConfidenceInterval(values, level: 0.90))
        #expect(abs(ninety.halfWidth! - 1.833113 * 0.9574271077563381) < 1e-6)
        let ninetyNine = try #require(ConfidenceInterval(values, level: 0.99))
        #expect(ninetyNine.halfWidth! > ConfidenceInterval(values)!.halfWidth!)
    }

    @Test("one replication has a mean but no interval; none has nothing")
    func degenerate() throws {
        let single = try #require(ConfidenceInterval([4.2]))
        #expect(single.n == 1)
        #expect(single.mean == 4.2)
        #expect(single.standardDeviation == nil)
        #expect(single.standardError == nil)
        #expect(single.tQuantile == nil)
        #expect(single.halfWidth == nil)
        #expect(single.low == nil)
        #expect(single.high == nil)
        #expect(single.contains(4.2) == nil)
        #expect(ConfidenceInterval([Double]()) == nil)
        #expect(ConfidenceInterval(Tally()) == nil)
    }

    @Test("identical values give a zero-width interval")
    func noSpread() throws {
        let ci = try #require(ConfidenceInterval([3, 3, 3, 3]))
        #expect(ci.halfWidth == 0)
        #expect(ci.low == 3)
        #expect(ci.high == 3)
    }

    @Test("from a tally equals from the values")
    func fromTally() {
        let values = [0.3, 1.7, 2.2, 0.9, 1.1]
        #expect(ConfidenceInterval(Tally(values)) == ConfidenceInterval(values))
    }

    @Test("95% intervals of normal samples cover the true mean about 95% of the time")
    func coverage() {
        let stream = RandomStream(name: "coverage", scenarioSeed: 3, replication: 0)
        let trials = 2_000
        var covered = 0
        for _ in 0..<trials {
            let values = (0..<5).map { _ in 10 + gsl_ran_gaussian(stream.gsl, 2) }
            if ConfidenceInterval(values)!.contains(10)! { covered += 1 }
        }
        // Binomial(2000, 0.95): allow 5 standard deviations (about ±24 intervals). With a
        // normal quantile instead of t (1.96 for 2.776) coverage would drop to about 88%.
        let tolerance = 5 * (Double(trials) * 0.95 * 0.05).squareRoot()
        #expect(abs(Double(covered) - 0.95 * Double(trials)) <= tolerance, "covered \(covered) of \(trials)")
    }

    @Test("a count's interval stays at or above 0, on the log scale")
    func nonNegative() throws {
        // 0, 0, 1.5: mean 0.5, s = 0.866, se = 0.5, t(0.975, 2) = 4.302653: the t interval
        // is 0.5 ± 2.151 (below 0); on the log scale 0.5 / e^4.3027 to 0.5 · e^4.3027.
        let ci = try #require(ConfidenceInterval([0, 0, 1.5], range: .nonNegative))
        let factor = exp(4.302653 * 0.5 / 0.5)
        #expect(abs(try #require(ci.low) - 0.5 / factor) < 1e-6)
        #expect(abs(try #require(ci.high) - 0.5 * factor) < 1e-3)
        #expect(!ci.isSymmetric)
        #expect(ci.replicationsDisagree)
        // Inside the range it is the t interval.
        let inside = try #require(ConfidenceInterval((1...10).map(Double.init), range: .nonNegative))
        #expect(abs(try #require(inside.low) - 3.334149) < 1e-6)
        #expect(inside.isSymmetric)
        // All zeros: no spread, the interval is 0.
        let zeros = try #require(ConfidenceInterval([0, 0, 0], range: .nonNegative))
        #expect(zeros.low == 0 && zeros.high == 0)
    }

    @Test("a share's interval stays within 0 and 1, on the logit scale")
    func unitInterval() throws {
        for values in [[0.01, 0.5, 0.02], [0.99, 0.5, 0.98], [0.0, 0.0, 0.3]] {
            let ci = try #require(ConfidenceInterval(values, range: .unitInterval))
            let low = try #require(ci.low), high = try #require(ci.high)
            #expect(low >= 0 && high <= 1 && low <= ci.mean && ci.mean <= high, "\(values): \(low)...\(high)")
        }
        let plain = try #require(ConfidenceInterval([0.01, 0.5, 0.02]))
        #expect(try #require(plain.low) < 0)
    }
}
