extension LatencyHistogram {
    /// The durations at several percentiles, each the same value as ``percentile(_:)``.
    ///
    /// `percents` must not decrease and must lie between 0 and 100; the result is empty when
    /// the histogram is. This is what a CDF of many points (`latency.csv`) needs. The counts
    /// are walked once for all the percentiles, skipping whole octaves by their totals: at the
    /// end of a run with thousands of scopes, one walk per percentile (about 5,000 steps
    /// each) was most of the time spent summarising (Benchmarks/PROFILE.md).
    public func percentiles(_ percents: [Double]) -> [SimTime] {
        precondition(zip(percents, percents.dropFirst()).allSatisfy { $0 <= $1 }, "percentiles must increase")
        precondition(percents.allSatisfy { $0 >= 0 && $0 <= 100 }, "a percentile lies between 0 and 100")
        guard !isEmpty, let min, let max else { return [] }
        var result: [SimTime] = []
        result.reserveCapacity(percents.count)
        var next = 0
        while next < percents.count, percents[next] == 0 {
            result.append(min)
            next += 1
        }
        // The rank of the percentile `percents[next]`, as ``percentile(_:)`` computes it; nil
        // for 100 (the maximum) or when every percentile has been found.
        func nextRank() -> UInt64? {
            guard next < percents.count, percents[next] < 100 else { return nil }
            return rank(ofPercent: percents[next])
        }
        var below: UInt64 = 0
        walk: for octave in octaveStart.indices where octaveStart[octave] >= 0 {
            guard var rank = nextRank() else { break }
            let block = Int(octaveStart[octave])
            let octaveEnd = below + counts[block]
            guard octaveEnd >= rank else {
                below = octaveEnd
                continue
            }
            // Walk this octave only as far as its last percentile, then skip the rest by its
            // total; within it, runs of 16 counts are skipped by their sum.
            var offset = 0
            var running = below
            let octaveCounts = 1 << halfCountMagnitude
            while offset < octaveCounts {
                if offset & 15 == 0, offset + 16 <= octaveCounts {
                    var run: UInt64 = 0
                    for k in 0..<16 { run += counts[block + 1 + offset + k] }
                    if running + run < rank {
                        running += run
                        offset += 16
                        continue
                    }
                }
                running += counts[block + 1 + offset]
                while running >= rank {
                    result.append(reportedValue(at: (octave << halfCountMagnitude) + offset))
                    next += 1
                    guard let following = nextRank() else { break walk }
                    rank = following
                }
                if rank > octaveEnd { break }
                offset += 1
            }
            below = octaveEnd
        }
        // 100 is the maximum, as is anything the walk did not reach (as in percentile(_:)).
        while next < percents.count {
            result.append(max)
            next += 1
        }
        return result
    }
}
