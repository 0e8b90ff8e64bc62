import Testing
@testable import SimCore

@Suite("LatencyRecorders")
struct LatencyRecordersTests {
    /// Lognormal latencies around 100 ms with a long tail, plus zeros, exact small values,
    /// the edges of the first octaves and durations of days, in an order that allocates the
    /// octaves out of order.
    private static func durations(count: Int, seed: UInt64) -> [Int64] {
        let stream = RandomStream(name: "recorders", scenarioSeed: seed, replication: 0)
        let d = Distribution.lognormal(median: .ms(100), p99: .s(2))
        var data = (0..<count).map { _ in d.sample(stream).nanoseconds }
        data += [0, 0, 1, 7, 999_999, 1_000_000, 2_047, 2_048, 2_049, 4_095, 4_096, 86_400_000_000_000, 3_600_000_000_001]
        for i in stride(from: data.count - 1, to: 0, by: -1) { data.swapAt(i, stream.integer(below: i + 1)) }
        return data
    }

    @Test("each recorder holds what a histogram fed the same durations holds")
    func sameAsHistogram() {
        let data = Self.durations(count: 20_011, seed: 1)
        var recorders = LatencyRecorders<LatencyHistogram.Standard>(count: 3)
        var histograms = Array(repeating: LatencyHistogram(), count: 3)
        for (i, ns) in data.enumerated() {
            // Unevenly, so that the recorders differ and one is left empty.
            let r = i % 5 == 0 ? 0 : 1
            recorders.record(.ns(ns), in: r)
            histograms[r].record(.ns(ns))
        }
        for r in 0..<3 {
            let h = recorders.histogram(r)
            // Counts at every index, count, sum (the same additions in the same order),
            // minimum and maximum.
            #expect(h == histograms[r], "recorder \(r)")
            #expect(h.percentiles(ScopeLevels.all) == histograms[r].percentiles(ScopeLevels.all))
            #expect(h.meanSeconds == histograms[r].meanSeconds)
        }
        #expect(recorders.histogram(2).isEmpty)
        // The zeros and the days are among them.
        #expect(Swift.min(recorders.histogram(0).min!, recorders.histogram(1).min!) == .zero)
        #expect(Swift.max(recorders.histogram(0).max!, recorders.histogram(1).max!) == .hours(24))
    }

    @Test("plotting recorders hold what a plotting histogram holds")
    func plottingLayout() {
        let data = Self.durations(count: 5_003, seed: 2)
        var recorders = LatencyRecorders<LatencyHistogram.Plotting>(count: 1)
        var histogram = LatencyHistogram.forPlotting()
        for ns in data {
            recorders.record(.ns(ns), in: 0)
            histogram.record(.ns(ns))
        }
        #expect(recorders.histogram(0) == histogram)
        #expect(recorders.histogram(0).p99 == histogram.p99)
        // A histogram of the other layout holds the same values in other buckets.
        var fine = LatencyHistogram()
        for ns in data { fine.record(.ns(ns)) }
        #expect(recorders.histogram(0) != fine)
    }

    @Test("recorders appended later, past the first room, keep the earlier ones' counts")
    func appendGrows() {
        var recorders = LatencyRecorders<LatencyHistogram.Standard>(count: 0)
        var histograms: [LatencyHistogram] = []
        for round in 0..<40 {
            #expect(recorders.append() == round)
            histograms.append(LatencyHistogram())
            // Every recorder so far gets durations in a few octaves of its own.
            for r in 0...round {
                let ns = Int64(r + 1) * 1_000_003 * Int64(round + 1)
                recorders.record(.ns(ns), in: r)
                histograms[r].record(.ns(ns))
            }
        }
        #expect(recorders.count == 40)
        for r in 0..<40 { #expect(recorders.histogram(r) == histograms[r], "recorder \(r)") }
    }

    @Test("a reset recorder starts again from nothing")
    func reset() {
        var recorders = LatencyRecorders<LatencyHistogram.Plotting>(count: 2)
        for ms in 1...500 { recorders.record(.ms(Int64(ms)), in: 0) }
        recorders.record(.s(3), in: 1)
        recorders.reset(0)
        #expect(recorders.histogram(0).isEmpty && recorders.histogram(0).p99 == nil)
        var again = LatencyHistogram.forPlotting()
        for ms in [250, 7, 90_000] {
            recorders.record(.ms(Int64(ms)), in: 0)
            again.record(.ms(Int64(ms)))
        }
        #expect(recorders.histogram(0) == again)
        // The other recorder is untouched.
        #expect(recorders.histogram(1).count == 1 && recorders.histogram(1).max == .s(3))
    }
}

/// The percentile levels of a latency CDF, as a run's summary takes them.
private enum ScopeLevels {
    static let all: [Double] = [0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9, 99.95, 99.99, 100]
}
