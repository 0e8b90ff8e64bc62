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
    /// The pipeline as run: overrides applied and an automatic warm-up fixed.
    public var pipeline: PipelineSpec
    /// How an automatic warm-up was chosen; nil when the scenario fixed it.
    public var warmup: WarmupChoice?
    /// Replication 0, 1, ... in order.
    public var runs: [RunResult]
    /// Per (scope, metric) across the runs: groups, functions, then `all`; metrics in
    /// `Metric.allCases` order.
    public var aggregates: [MetricAggregate]

    /// Creates a point result.
    public init(index: Int, label: String, parameters: [ParameterValue], pipeline: PipelineSpec, warmup: WarmupChoice?,
                runs: [RunResult], aggregates: [MetricAggregate]) {
        self.index = index
        self.label = label
        self.parameters = parameters
        self.pipeline = pipeline
        self.warmup = warmup
        self.runs = runs
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
