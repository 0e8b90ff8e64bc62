import Histogram

extension LatencyHistogram {
    /// The durations at several percentiles, in one pass over the histogram: for each the
    /// same value as ``percentile(_:)``, which scans the histogram from its start every time.
    ///
    /// `percents` must increase and lie between 0 and 100; the result is empty when the
    /// histogram is. This is what a CDF of many points (`latency.csv`) needs without making
    /// the end of every run scan the buckets once per point.
    public func percentiles(_ percents: [Double]) -> [SimTime] {
        precondition(zip(percents, percents.dropFirst()).allSatisfy { $0 <= $1 }, "percentiles must increase")
        precondition(percents.allSatisfy { $0 >= 0 && $0 <= 100 }, "a percentile lies between 0 and 100")
        guard !isEmpty else { return [] }
        let total = histogram.totalCount
        var values = histogram.recordedValues()
        var reached: UInt64 = 0
        var bucket: UInt64?
        var result: [SimTime] = []
        result.reserveCapacity(percents.count)
        for percent in percents {
            if percent == 0 {
                result.append(SimTime(nanoseconds: minimum))
                continue
            }
            if percent == 100 {
                result.append(SimTime(nanoseconds: maximum))
                continue
            }
            // The count at the percentile exactly as Histogram.valueAtPercentile computes it.
            let requested = Swift.min(Swift.max(percent.nextDown, 0), 100)
            let target = Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up)))
            while reached < target, let next = values.next() {
                reached += UInt64(next.count)
                bucket = next.value
            }
            let value = Swift.max(Swift.min(bucket ?? histogram.maxRecorded, histogram.maxRecorded), histogram.min)
            result.append(SimTime(nanoseconds: Int64(value)))
        }
        return result
    }
}
