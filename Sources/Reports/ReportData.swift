/// What a report shows, read from the CSV files of one output folder: plain values, no
/// simulation types, so that a report can be made from files written by an earlier run.
public struct ReportData: Sendable {
    /// The folder the files were read from.
    public var folder: String
    /// The report's name: the scenario's, or `compare-<first>-vs-<second>`.
    public var name: String
    /// The swept parameters, in file order; empty without a sweep.
    public var parameterNames: [String] = []
    /// Replications per point (the most any point has in summary.csv or latency.csv).
    public var replications = 0
    /// aggregate.csv.
    public var aggregates: [AggregateValue] = []
    /// latency.csv, averaged over replications: one curve per (variant or point, scope).
    public var latencyCurves: [LatencyCurve] = []
    /// timeseries.csv: the first point, each interval's mean over the replications.
    public var timeseries: [TimeSeriesSample] = []
    /// compare.csv.
    public var comparison: [ComparisonValue] = []
    /// plan.csv.
    public var plan: PlanTable?
    /// The files read, for the page's footer.
    public var files: [String] = []

    /// Creates empty data for a folder.
    public init(folder: String, name: String) {
        self.folder = folder
        self.name = name
    }
}

/// One row of aggregate.csv.
public struct AggregateValue: Sendable, Equatable {
    public var point: Int
    /// The swept values, in ``ReportData/parameterNames`` order.
    public var parameters: [String]
    public var scope: String
    public var kind: String
    public var metric: String
    public var mean: Double
    public var ci95Low: Double?
    public var ci95High: Double?
    public var n: Int
}

/// A latency CDF: the mean over replications of the latency at each percentile.
public struct LatencyCurve: Sendable, Equatable {
    /// The variant's name (compare), the point's parameters (sweep), or empty.
    public var label: String
    public var point: Int
    public var scope: String
    public var kind: String
    /// Replications averaged.
    public var replications: Int
    /// (percentile, latency in seconds), percentiles increasing.
    public var points: [(percentile: Double, seconds: Double)]

    public static func == (a: LatencyCurve, b: LatencyCurve) -> Bool {
        a.label == b.label && a.point == b.point && a.scope == b.scope && a.kind == b.kind && a.replications == b.replications
            && a.points.elementsEqual(b.points) { $0.percentile == $1.percentile && $0.seconds == $1.seconds }
    }
}

/// One entity in one interval of timeseries.csv, over the replications of a point.
public struct TimeSeriesSample: Sendable, Equatable {
    public var start: Double
    public var kind: String
    public var entity: String
    /// The non-blank value columns by name (`visible`, `in_flight`, `concurrency`,
    /// `throttles`): their mean over the replications.
    public var values: [String: Double]
    /// The lowest and highest value of each column among the replications; empty with one.
    public var ranges: [String: ClosedRange<Double>] = [:]
    /// The replications read.
    public var replications = 1

    public init(start: Double, kind: String, entity: String, values: [String: Double]) {
        self.start = start
        self.kind = kind
        self.entity = entity
        self.values = values
    }
}

/// One row of compare.csv.
public struct ComparisonValue: Sendable, Equatable {
    public var variant: String
    public var scope: String
    public var kind: String
    public var metric: String
    public var mean: Double
    public var ci95Low: Double?
    public var ci95High: Double?
    public var difference: Double?
    public var significant: Bool?
}

/// plan.csv.
public struct PlanTable: Sendable, Equatable {
    /// One evaluated configuration.
    public struct Evaluation: Sendable, Equatable {
        public var index: Int
        /// The values of ``PlanTable/paths``.
        public var values: [String]
        public var status: String
        public var recommended: Bool
        public var reason: String
        public var concurrency: Double?
        public var cost: Double?
        public var costLow: Double?
        public var costHigh: Double?
        /// The mean and 95% interval of each of ``PlanTable/constraints``, nil where blank.
        public var constraintValues: [(mean: Double?, low: Double?, high: Double?)] = []

        public static func == (a: Evaluation, b: Evaluation) -> Bool {
            a.index == b.index && a.values == b.values && a.status == b.status && a.recommended == b.recommended
                && a.reason == b.reason && a.concurrency == b.concurrency && a.cost == b.cost && a.costLow == b.costLow
                && a.costHigh == b.costHigh
                && a.constraintValues.elementsEqual(b.constraintValues) { $0.mean == $1.mean && $0.low == $1.low && $0.high == $1.high }
        }
    }

    public var scenario: String
    /// The varied key paths.
    public var paths: [String]
    /// The constrained metrics, `<scope>.<metric>` (`B.latency_p99_s`).
    public var constraints: [String] = []
    /// Each constraint's target, from its `_target` column; nil in a plan.csv written before
    /// the column was (targets are then not drawn).
    public var targets: [Double?] = []
    public var evaluations: [Evaluation]
}
