/// MSER-5, the Marginal Standard Error Rule on batch means of five: where to cut the
/// initial transient off an output series.
///
/// White (1997), "An effective truncation heuristic for bias reduction in simulation
/// output"; White, Cobb and Spratt (2000). The series is cut into batches of `b` = 5
/// consecutive observations and replaced by their means Z₁ … Z_k (a trailing partial batch is
/// dropped). For each candidate truncation d (batches deleted from the front) the rule
/// computes
///
/// ```
/// MSER(d) = 1/(k − d)² · Σ_{j=d+1..k} (Z_j − Z̄(d))²
/// ```
///
/// which is, up to a constant, the squared standard error of the mean of what is left. Cutting
/// biased early batches lowers the sum faster than the shrinking count raises it; cutting
/// good data does the opposite. The chosen d minimises MSER(d). Candidates are limited to the
/// first half of the batches, because near the end the statistic becomes erratic (few batches
/// left) and a minimum there means the series has no steady state in the run (it is too
/// short, or the system is overloaded and the backlog grows). That case is flagged as
/// ``Truncation/atLimit``.
public enum MSER {
    /// The chosen truncation.
    public struct Truncation: Sendable, Equatable {
        /// Batches deleted from the front.
        public var batches: Int
        /// Observations deleted from the front: `batches × batchSize`.
        public var observations: Int
        /// The number of whole batches in the series.
        public var batchCount: Int
        /// The MSER statistic at the chosen truncation.
        public var statistic: Double
        /// Whether the minimum lies at the last candidate (half the series): no steady state
        /// was found, and the truncation is a lower bound at best.
        public var atLimit: Bool
    }

    /// The batch size of MSER-5.
    public static let defaultBatchSize = 5

    /// The truncation of a series; nil when it has fewer than two whole batches (nothing to
    /// compare). Ties go to the smaller truncation.
    public static func truncation(_ series: [Double], batchSize: Int = defaultBatchSize) -> Truncation? {
        guard batchSize >= 1 else { return nil }
        let k = series.count / batchSize
        guard k >= 2 else { return nil }
        let means = (0..<k).map { j in
            series[(j * batchSize)..<((j + 1) * batchSize)].reduce(0, +) / Double(batchSize)
        }
        let limit = k / 2
        var best = Truncation(batches: 0, observations: 0, batchCount: k, statistic: .infinity, atLimit: false)
        for d in 0...limit {
            let rest = means[d...]
            let count = Double(rest.count)
            let mean = rest.reduce(0, +) / count
            // Two passes (mean, then squared deviations) rather than Σz² − n·z̄²: batch means of
            // a backlog are large against their spread, where the one-pass form cancels.
            let squares = rest.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let statistic = squares / (count * count)
            if statistic < best.statistic {
                best = Truncation(batches: d, observations: d * batchSize, batchCount: k, statistic: statistic,
                                  atLimit: d == limit && d > 0)
            }
        }
        return best
    }
}
