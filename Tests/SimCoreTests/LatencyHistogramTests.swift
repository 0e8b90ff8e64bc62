import Foundation
import Histogram
import Testing
@testable import SimCore

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    /// Lognormal latencies around 100 ms with a long tail, in whole nanoseconds.
    private static func latencies(count: Int) -> [Int64] {
        let stream = RandomStream(name: "histogram", scenarioSeed: 1, replication: 0)
        let d = Distribution.lognormal(median: .ms(100), p99: .s(2))
        return (0..<count).map { _ in d.sample(stream).nanoseconds }
    }

    /// A large sample, sorted (as Doubles, exact below 2^53 ns), and its histogram, made once
    /// for the percentile tests. The count is chosen so that n·p/100 is never an integer for
    /// the percentiles tested, which keeps the rank of the order statistic free of rounding
    /// questions.
    private static let large: (sorted: [Double], histogram: LatencyHistogram) = {
        let data = latencies(count: 200_003)
        var histogram = LatencyHistogram()
        for ns in data { histogram.record(.ns(ns)) }
        return (Sample.sorted(data.map(Double.init)), histogram)
    }()

    @Test("an empty histogram has no statistics")
    func empty() {
        let h = LatencyHistogram()
        #expect(h.isEmpty)
        #expect(h.count == 0)
        #expect(h.mean == nil)
        #expect(h.meanSeconds == nil)
        #expect(h.min == nil)
        #expect(h.max == nil)
        #expect(h.p50 == nil)
        #expect(h.percentile(99.9) == nil)
    }

    @Test("the stated precision is 2^-10")
    func statedPrecision() {
        #expect(LatencyHistogram.relativeError == 1.0 / 1024)
    }

    @Test("below 2048 ns every duration is exact")
    func exactSmallValues() {
        var h = LatencyHistogram()
        for ns in 1...1_000 { h.record(.ns(Int64(ns))) }
        #expect(h.count == 1_000)
        // The order statistic of rank ceil(n·p/100).
        #expect(h.p50 == .ns(500))
        #expect(h.p90 == .ns(900))
        #expect(h.p99 == .ns(990))
        #expect(h.p999 == .ns(999))
        #expect(h.percentile(0) == .ns(1))
        #expect(h.percentile(100) == .ns(1_000))
        #expect(h.percentile(0.05) == .ns(1))
        #expect(h.mean == .ns(501))   // 500.5 rounds away from zero
        #expect(h.meanSeconds == 500.5e-9)
    }

    @Test("percentiles lie within the stated precision of the exact order statistic")
    func percentilesAgainstOrderStatistics() {
        let (sorted, h) = Self.large
        let n = Double(sorted.count)
        for percent in [50.0, 90.0, 99.0, 99.9, 99.99] {
            let rank = max(1, Int((n * percent / 100).rounded(.up)))
            let exact = sorted[rank - 1]
            let reported = Double(h.percentile(percent)!.nanoseconds)
            // Never below, and less than one part in 1024 above (bucket width).
            #expect(reported >= exact, "p\(percent): \(reported) < \(exact)")
            #expect(reported < exact * (1 + LatencyHistogram.relativeError), "p\(percent): \(reported) vs \(exact)")
        }
    }

    @Test("percentiles agree with GSL's quantiles of the sorted sample")
    func percentilesAgainstGSL() {
        let (sorted, h) = Self.large
        let n = Double(sorted.count)
        for percent in [50.0, 90.0, 99.0, 99.9] {
            let fraction = percent / 100
            let gsl = Sample.quantile(sorted: sorted, fraction)
            // GSL interpolates between the order statistics around (n−1)·p + 1, the histogram
            // reports the one of rank ceil(n·p): both lie in [x(floor(np)), x(ceil(np) + 1)],
            // so they may differ by that gap plus the histogram's precision.
            let low = sorted[Int((n * fraction).rounded(.down)) - 1]
            let high = sorted[Int((n * fraction).rounded(.up))]
            let tolerance = (high - low) + LatencyHistogram.relativeError * high
            let reported = Double(h.percentile(percent)!.nanoseconds)
            #expect(abs(reported - gsl) <= tolerance, "p\(percent): \(reported) vs GSL \(gsl) ± \(tolerance)")
            // Up to p99 the gap is smaller than the precision for this sample size, so the
            // check is about as sharp as the stated precision itself.
            if percent <= 99 { #expect(high - low < LatencyHistogram.relativeError * high) }
        }
    }

    @Test("count, mean, min and max are exact")
    func exactSummaries() {
        let data = Self.latencies(count: 50_001)
        var h = LatencyHistogram()
        for ns in data { h.record(.ns(ns)) }
        #expect(h.count == data.count)
        #expect(h.min == .ns(data.min()!))
        #expect(h.max == .ns(data.max()!))
        #expect(h.percentile(100) == h.max)
        let mean = Sample.mean(data.map { Double($0) / 1e9 })
        #expect(abs(h.meanSeconds! - mean) <= 1e-12 * mean)
    }

    @Test("a merge equals recording everything in one histogram")
    func merge() {
        let data = Self.latencies(count: 30_001)
        var whole = LatencyHistogram()
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        for (i, ns) in data.enumerated() {
            whole.record(.ns(ns))
            if i % 3 == 0 { first.record(.ns(ns)) } else { second.record(.ns(ns)) }
        }
        let merged = first.merged(with: second)
        #expect(merged.count == whole.count)
        for percent in [1.0, 50, 90, 99, 99.9] {
            #expect(merged.percentile(percent) == whole.percentile(percent))
        }
        #expect(merged.min == whole.min)
        #expect(merged.max == whole.max)
        #expect(abs(merged.meanSeconds! - whole.meanSeconds!) <= 1e-12 * whole.meanSeconds!)
        // Every count in its bucket, and (the sums of whole nanoseconds being exact this far
        // below 2^53) the same sum.
        #expect(merged == whole)
        #expect(first.count == 10_001)

        var empty = LatencyHistogram()
        empty.merge(whole)
        #expect(empty.p99 == whole.p99)
        var unchanged = whole
        unchanged.merge(LatencyHistogram())
        #expect(unchanged == whole)
    }

    @Test("long durations grow the histogram and keep their precision")
    func longDurations() {
        var h = LatencyHistogram()
        h.record(.ms(5))
        h.record(.hours(24 * 14))   // a message kept for the whole retention period
        h.record(.s(30))
        #expect(h.max == .hours(24 * 14))
        let p50 = Double(h.p50!.nanoseconds)
        #expect(p50 >= 30e9 && p50 < 30e9 * (1 + LatencyHistogram.relativeError))
        // Rank ceil(3 · 0.99) = 3: the largest value, reported exactly since it is clamped to it.
        #expect(h.percentile(99) == h.max)
    }

    /// HdrHistogram's own percentile at `percent`, clamped as LatencyHistogram documents.
    private static func reference(_ h: Histogram<UInt64>, _ percent: Double) -> UInt64 {
        h.valueAtPercentile(percent)
    }

    @Test("every percentile is HdrHistogram's, at 1 ns and 3 digits, over many octaves")
    func sameAsHdrHistogram() {
        // Lognormal latencies plus exact small values, zeros and a few very long ones: the
        // octaves are allocated out of order, which must not change any answer.
        var data = Self.latencies(count: 20_011)
        data += [0, 0, 1, 7, 2_047, 2_048, 2_049, 4_095, 4_096, 86_400_000_000_000, 3_600_000_000_001]
        let stream = RandomStream(name: "histogram-order", scenarioSeed: 2, replication: 0)
        for i in stride(from: data.count - 1, to: 0, by: -1) { data.swapAt(i, stream.integer(below: i + 1)) }
        var ours = LatencyHistogram()
        var theirs = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 2_048, numberOfSignificantValueDigits: .three)
        theirs.autoResize = true
        for ns in data {
            ours.record(.ns(ns))
            theirs.record(UInt64(ns))
        }
        for percent in [0.001, 0.01, 0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999] {
            #expect(ours.percentile(percent)?.nanoseconds == Int64(Self.reference(theirs, percent)), "p\(percent)")
        }
        #expect(ours.count == Int(theirs.totalCount))
        // Every count sits at HdrHistogram's index for its value.
        for (index, count) in ours.nonZeroCounts() {
            #expect(theirs.countForValue(ours.lowestValue(at: index)) == count, "index \(index)")
            #expect(theirs.highestEquivalentForValue(ours.lowestValue(at: index)) == ours.highestValue(at: index))
        }
    }

    @Test("the plotting histogram's percentiles are HdrHistogram's at 1 ms and 2 digits")
    func plottingSameAsHdrHistogram() {
        var data = Self.latencies(count: 5_003)
        data += [0, 1, 999_999, 1_000_000, 524_287, 524_288, 7_200_000_000_000]
        var ours = LatencyHistogram.forPlotting()
        var theirs = Histogram<UInt64>(lowestDiscernibleValue: 1_000_000, highestTrackableValue: 3_600_000_000_000,
                                       numberOfSignificantValueDigits: .two)
        theirs.autoResize = true
        for ns in data {
            ours.record(.ns(ns))
            theirs.record(UInt64(ns))
        }
        for percent in [0.01, 1, 10, 50, 90, 99, 99.9, 99.99] {
            #expect(ours.percentile(percent)?.nanoseconds == Int64(Self.reference(theirs, percent)), "p\(percent)")
        }
        // Reset keeps the memory and forgets the recordings, as per interval.
        ours.reset()
        #expect(ours.isEmpty && ours.p99 == nil)
        ours.record(.ms(250))
        #expect(ours.count == 1 && ours.p99 == .ms(250))
    }

    @Test("a histogram allocates only the octaves its durations fall into")
    func sparseOctaves() {
        var h = LatencyHistogram()
        for ms in 100...900 { h.record(.ms(Int64(ms))) }
        // 100 ms to 900 ms spans 4 powers of two: 4 octaves of 1,025 counts (total + 1,024),
        // where a dense array up to 900 ms would need 20.
        #expect(h.counts.count == 4 * 1_025)
        #expect(h.octaveStart.filter { $0 >= 0 }.count == 4)
    }

    @Test("equality compares recordings, not memory layout")
    func equalityIgnoresLayout() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        a.record(.s(1))
        a.record(.ms(1))
        b.record(.ms(1))
        b.record(.s(1))
        #expect(a == b)
        #expect(a.counts != b.counts)   // the octaves were allocated in a different order
        b.record(.s(1))
        #expect(a != b)
    }
}
