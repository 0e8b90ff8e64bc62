import Testing
@testable import SimCore

/// Many percentiles in one pass give exactly what one percentile at a time gives.
@Suite("LatencyHistogram percentiles")
struct LatencyHistogramPercentilesTests {
    private static let levels: [Double] = [0, 0.001, 1, 5, 10, 33.3, 50, 50, 90, 99, 99.5, 99.9, 99.99, 99.999, 100]

    @Test("one pass agrees with percentile(_:) on lognormal, constant and two-valued samples")
    func agreesWithPercentile() {
        let stream = RandomStream(name: "percentiles", scenarioSeed: 3, replication: 0)
        let lognormal = Distribution.lognormal(median: .ms(100), p99: .s(20))
        var samples: [[SimTime]] = [
            (0..<50_001).map { _ in lognormal.sample(stream) },
            Array(repeating: .ms(250), count: 7),
            [.ms(1)] + Array(repeating: .s(3), count: 999),
            [.ns(0), .ns(1)],
            [.s(3_700)],  // beyond the presized hour
        ]
        samples.append((1...1_000).map { .ms(Int64($0)) })
        for sample in samples {
            var histogram = LatencyHistogram()
            for duration in sample { histogram.record(duration) }
            let each = Self.levels.compactMap { histogram.percentile($0) }
            #expect(histogram.percentiles(Self.levels) == each, "\(sample.count) durations from \(sample.first ?? .zero)")
        }
    }

    @Test("one pass agrees with percentile(_:) at hundreds of random levels, ties included")
    func agreesAtRandomLevels() {
        let stream = RandomStream(name: "percentile-levels", scenarioSeed: 5, replication: 0)
        let mixture = Distribution.lognormal(median: .ms(5), p99: .s(2))
        var histogram = LatencyHistogram()
        for _ in 0..<20_000 { histogram.record(mixture.sample(stream)) }
        for round in 0..<20 {
            var levels = (0..<200).map { _ in (stream.uniform() * 100 * 1_000).rounded() / 1_000 }
            levels += [levels[round], 0, 100]
            levels.sort()
            let each = levels.compactMap { histogram.percentile($0) }
            #expect(histogram.percentiles(levels) == each, "round \(round)")
        }
    }

    @Test("an empty histogram has none")
    func empty() {
        #expect(LatencyHistogram().percentiles([0, 50, 100]).isEmpty)
    }
}
