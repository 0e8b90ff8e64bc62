import ServerlessModel

/// Everything an experiment produced: every run of every point, and their aggregates.
public struct ExperimentResult: Sendable {
    /// The scenario's name (the `scenario` column).
    public var scenario: String
    /// The variant's name in a comparison (the `variant` column); nil outside `compare`.
    public var variant: String?
    /// The swept parameters' names in file order (one column each); empty without a sweep.
    public var parameterNames: [String]
    /// The points in order.
    public var points: [PointResult]

    /// Creates a result.
    public init(scenario: String, variant: String? = nil, parameterNames: [String] = [], points: [PointResult]) {
        self.scenario = scenario
        self.variant = variant
        self.parameterNames = parameterNames
        self.points = points
    }

    /// Whether the result comes from a sweep (its outputs carry point parameter columns).
    public var isSweep: Bool { !parameterNames.isEmpty }
}

/// The runs of one point and their aggregates.
public struct PointResult: Sendable {
    /// The point's index (the `point` column).
    public var index: Int
    /// `path=value, ...`; empty for a single point.
    public var label: String
    /// The swept values, in parameter order.
    public var parameters: [ParameterValue]
    /// The pipeline as run: overrides applied and an automatic warm-up fixed. A sweep's point
    /// keeps its run settings alone (no entities: its runs read the pipeline, ``SweepPlan``).
    public var pipeline: PipelineSpec
    /// How an automatic warm-up was chosen; nil when the scenario fixed it.
    public var warmup: WarmupChoice?
    /// Replication 0, 1, ... in order, as the experiment kept them (``RunRetention``): whole,
    /// their metrics alone, or none (their rows already written).
    public var runs: [RunResult]
    /// The replications made (and aggregated), whether kept or not.
    public var replications: Int
    /// The scopes of the runs, in output order (``Aggregation/scopes(of:)``).
    public var scopes: [ScopeKey]
    /// Per (scope, metric) across the runs: groups, functions, then `all`; metrics in
    /// `Metric.allCases` order.
    public var aggregates: [MetricAggregate]

    /// Creates a point result of runs all kept whole.
    public init(index: Int, label: String, parameters: [ParameterValue], pipeline: PipelineSpec, warmup: WarmupChoice?,
                runs: [RunResult], aggregates: [MetricAggregate]) {
        self.init(index: index, label: label, parameters: parameters, pipeline: pipeline, warmup: warmup, runs: runs,
                  replications: runs.count, scopes: Aggregation.scopes(of: runs), aggregates: aggregates)
    }

    /// Creates a point result from its runs' fold and the runs kept.
    public init(index: Int, label: String, parameters: [ParameterValue], pipeline: PipelineSpec, warmup: WarmupChoice?,
                fold: RunFold, kept runs: [RunResult]) {
        self.init(index: index, label: label, parameters: parameters, pipeline: pipeline, warmup: warmup, runs: runs,
                  replications: fold.runs, scopes: fold.scopes, aggregates: fold.aggregates)
    }

    private init(index: Int, label: String, parameters: [ParameterValue], pipeline: PipelineSpec, warmup: WarmupChoice?,
                 runs: [RunResult], replications: Int, scopes: [ScopeKey], aggregates: [MetricAggregate]) {
        self.index = index
        self.label = label
        self.parameters = parameters
        self.pipeline = pipeline
        self.warmup = warmup
        self.runs = runs
        self.replications = replications
        self.scopes = scopes
        self.aggregates = aggregates
    }

    /// The value of a swept parameter at this point, if it is swept.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// The aggregate of a metric in a scope, if any replication has it.
    public func aggregate(_ metric: Metric, scope: String, kind: ScopeSummary.Kind? = nil) -> MetricAggregate? {
        aggregates.first { $0.metric == metric && $0.scope == scope && (kind == nil || $0.kind == kind) }
    }
}

/// What an experiment keeps of each finished run once it is folded into its point's
/// aggregates (``RunFold``) and handed to the caller's `consume`.
public enum RunRetention: Sendable, Equatable {
    /// The whole run: time series, latency CDF, tenants (code and tests that read them).
    case whole
    /// Its scopes' metric values alone: what `compare`'s paired differences and
    /// `--format json`'s run list read (about 2 KiB per scope).
    case metrics
    /// Nothing: its rows are written as it finishes, and the aggregates are folded.
    case none

    /// What is kept of `run`; nil for nothing.
    public func kept(_ run: RunResult) -> RunResult? {
        switch self {
        case .whole:
            return run
        case .metrics:
            var kept = run
            kept.timeseries = []
            kept.tenants = []
            kept.trace = []
            for s in kept.scopes.indices { kept.scopes[s].latencyQuantiles = [] }
            return kept
        case .none:
            return nil
        }
    }
}

/// What an experiment does with its finished runs: hands each to `consume` in (point,
/// replication) order the moment every earlier run has been handed on (so its rows can be
/// written and the run let go), and keeps what `retention` says in the result.
public struct RunHandling: Sendable {
    /// What the result keeps of each run.
    public var retention: RunRetention
    /// Called with the point's position in the experiment's list and the run, serialised.
    public var consume: (@Sendable (_ point: Int, _ run: RunResult) throws(ExperimentError) -> Void)?

    /// Creates a handling.
    public init(retention: RunRetention, consume: (@Sendable (_ point: Int, _ run: RunResult) throws(ExperimentError) -> Void)? = nil) {
        self.retention = retention
        self.consume = consume
    }

    /// Every run kept whole in the result, nothing else done with it.
    public static let keepWhole = RunHandling(retention: .whole)
}
