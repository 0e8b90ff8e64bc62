import ServerlessModel
import SimCore

/// One metric of one scope summarised across replications (a row of `aggregate.csv`).
public struct MetricAggregate: Sendable, Equatable {
    /// The scope's name: a group, a function or `all`.
    public var scope: String
    /// What the scope is.
    public var kind: ScopeSummary.Kind
    /// The metric.
    public var metric: Metric
    /// Replications that have the metric (it is nil in a run where it does not apply, such as
    /// latency when nothing succeeded).
    public var n: Int
    /// The mean over those replications.
    public var mean: Double
    /// The sample standard deviation; nil for a single replication.
    public var stddev: Double?
    /// The lower end of the 95% Student t interval; nil for a single replication.
    public var ci95Low: Double?
    /// The upper end of the 95% Student t interval; nil for a single replication.
    public var ci95High: Double?
    /// The smallest and largest value of a replication; nil where they are not known (an
    /// aggregate read back from `aggregate.csv`).
    public var range: ClosedRange<Double>?

    /// Creates an aggregate.
    public init(scope: String, kind: ScopeSummary.Kind, metric: Metric, n: Int, mean: Double, stddev: Double?,
                ci95Low: Double?, ci95High: Double?, range: ClosedRange<Double>? = nil) {
        self.range = range
        self.scope = scope
        self.kind = kind
        self.metric = metric
        self.n = n
        self.mean = mean
        self.stddev = stddev
        self.ci95Low = ci95Low
        self.ci95High = ci95High
    }

    /// Half the interval's width; nil for a single replication.
    public var halfWidth: Double? {
        guard let ci95Low, let ci95High else { return nil }
        return (ci95High - ci95Low) / 2
    }

    /// Whether the interval is `mean ± halfWidth` (false where it was taken on the log or
    /// logit scale to stay within the metric's range, and is lopsided).
    public var isSymmetric: Bool {
        guard let ci95Low, let ci95High else { return true }
        let scale = Swift.max(abs(mean), abs(ci95High), abs(ci95Low), .leastNormalMagnitude)
        return abs((ci95High - mean) - (mean - ci95Low)) <= 1e-9 * scale
    }

    /// Whether the replications disagree so much that the mean hides it: their standard
    /// deviation exceeds the mean (see ``ConfidenceInterval/replicationsDisagree``).
    public var replicationsDisagree: Bool {
        guard let stddev else { return false }
        return stddev > abs(mean)
    }
}

/// A scope's identity across runs: a group and a function may share a name.
public struct ScopeKey: Hashable, Sendable {
    /// The scope's name.
    public var name: String
    /// What it is.
    public var kind: ScopeSummary.Kind

    /// Creates a key.
    public init(name: String, kind: ScopeSummary.Kind) {
        self.name = name
        self.kind = kind
    }
}

/// Means, standard deviations and Student t intervals across independent replications.
///
/// Replications are independent (their streams are seeded apart), so one value per
/// replication is an i.i.d. sample, and the t interval of its mean is the textbook one;
/// where it would leave the metric's range (a count below 0) it is taken on the log or logit
/// scale instead (``ConfidenceInterval``). The
/// interval is only as good as that independence: values *within* a run (per-message
/// latencies) are correlated, which is why nothing here pools them.
public enum Aggregation {
    /// The confidence level of every interval queuesim reports.
    public static let level = 0.95

    /// Every (scope, metric) of the runs that at least one run has, in output order.
    public static func aggregate(_ runs: [RunResult]) -> [MetricAggregate] {
        var fold = RunFold()
        for run in runs { fold.add(run) }
        return fold.aggregates
    }

    /// The aggregate of one metric's per-replication values; nil when there is none.
    public static func aggregate(_ values: [Double], scope: ScopeKey, metric: Metric) -> MetricAggregate? {
        aggregate(Tally(values), scope: scope, metric: metric)
    }

    /// The aggregate of one metric's per-replication values as a tally (added in replication
    /// order); nil when it is empty.
    static func aggregate(_ tally: Tally, scope: ScopeKey, metric: Metric) -> MetricAggregate? {
        guard let interval = ConfidenceInterval(tally, level: level, range: range(of: metric)) else { return nil }
        return MetricAggregate(
            scope: scope.name, kind: scope.kind, metric: metric, n: interval.n, mean: interval.mean,
            stddev: interval.standardDeviation, ci95Low: interval.low, ci95High: interval.high,
            range: interval.minimum...interval.maximum)
    }

    /// The values a metric's mean can take: every metric is a count, a duration, a rate per
    /// second or money, none below 0; the shares (`_rate` columns) are at most 1 as well.
    /// Read from the column's name, so that metrics added later get their range without a
    /// change here.
    public static func range(of metric: Metric) -> ConfidenceInterval.Range {
        metric.rawValue.hasSuffix("_rate") ? .unitInterval : .nonNegative
    }

    /// The scopes of the runs: groups, then functions, then container services, then `all`, each kind in order of
    /// first appearance (runs of one pipeline all have the same scopes; this also covers
    /// runs that differ).
    public static func scopes(of runs: [RunResult]) -> [ScopeKey] {
        ordered(runs.lazy.flatMap(\.scopes).map { ScopeKey(name: $0.scope, kind: $0.kind) })
    }

    /// The scopes of several points (their ``PointResult/scopes``), as ``scopes(of:)`` orders
    /// those of all their runs.
    public static func scopes(of points: [PointResult]) -> [ScopeKey] {
        ordered(points.lazy.flatMap(\.scopes))
    }

    /// Keys in order of first appearance, then by kind: groups, functions, container
    /// services, `all`.
    static func ordered<Keys: Sequence>(_ keys: Keys) -> [ScopeKey] where Keys.Element == ScopeKey {
        var seen: Set<ScopeKey> = []
        var ordered: [ScopeKey] = []
        for key in keys where seen.insert(key).inserted { ordered.append(key) }
        let rank: [ScopeSummary.Kind: Int] = [.group: 0, .function: 1, .container: 2, .all: 3]
        return ordered.enumerated()
            .sorted { (rank[$0.element.kind] ?? 3, $0.offset) < (rank[$1.element.kind] ?? 3, $1.offset) }
            .map(\.element)
    }
}

/// The runs of one point folded into its aggregates as they come, one run at a time and in
/// replication order, so that a finished run need not be kept to be aggregated.
///
/// What it holds does not grow with the runs: per scope, one ``Tally`` per metric (count,
/// Welford mean and sum of squares, minimum, maximum). A tally adds values in the order
/// given, so folding runs 0, 1, 2 ... gives the same numbers, bit for bit, as the tally of
/// all their values at once.
public struct RunFold: Sendable {
    /// Scopes in order of first appearance.
    private var keys: [ScopeKey] = []
    /// Per scope (by its position in `keys`), a tally per metric in `Metric.allCases` order.
    private var tallies: [[Tally]] = []
    private var position: [ScopeKey: Int] = [:]
    /// Runs folded in.
    public private(set) var runs = 0

    /// An empty fold.
    public init() {}

    /// Folds in the next run (a scope that a run lists twice counts once, its first entry).
    public mutating func add(_ run: RunResult) {
        runs += 1
        var seen: Set<Int> = []
        for scope in run.scopes {
            let key = ScopeKey(name: scope.scope, kind: scope.kind)
            let p: Int
            if let known = position[key] {
                p = known
            } else {
                p = keys.count
                position[key] = p
                keys.append(key)
                tallies.append(Array(repeating: Tally(), count: Metric.allCases.count))
            }
            guard seen.insert(p).inserted else { continue }
            for (m, metric) in Metric.allCases.enumerated() {
                if let value = scope[metric] { tallies[p][m].add(value) }
            }
        }
    }

    /// The scopes seen, in output order (``Aggregation/scopes(of:)``).
    public var scopes: [ScopeKey] { Aggregation.ordered(keys) }

    /// Every (scope, metric) that at least one run has, in output order.
    public var aggregates: [MetricAggregate] {
        var aggregates: [MetricAggregate] = []
        for key in scopes {
            guard let p = position[key] else { continue }
            for (m, metric) in Metric.allCases.enumerated() {
                if let aggregate = Aggregation.aggregate(tallies[p][m], scope: key, metric: metric) { aggregates.append(aggregate) }
            }
        }
        return aggregates
    }

    /// Tallies held: scopes × metrics, whatever the number of runs (for tests of what a
    /// fold retains).
    public var talliesHeld: Int { tallies.reduce(0) { $0 + $1.count } }
}
