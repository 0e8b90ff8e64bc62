extension LatencyHistogram {
    /// The durations at several percentiles, each the same value as ``percentile(_:)``.
    ///
    /// `percents` must increase and lie between 0 and 100; the result is empty when the
    /// histogram is. This is what a CDF of many points (`latency.csv`) needs. Each
    /// percentile skips whole octaves by their totals, so twenty of them cost a few
    /// thousand steps at the end of a run, not a scan of every bucket per point.
    public func percentiles(_ percents: [Double]) -> [SimTime] {
        precondition(zip(percents, percents.dropFirst()).allSatisfy { $0 <= $1 }, "percentiles must increase")
        precondition(percents.allSatisfy { $0 >= 0 && $0 <= 100 }, "a percentile lies between 0 and 100")
        guard !isEmpty else { return [] }
        return percents.compactMap { percentile($0) }
    }
}
