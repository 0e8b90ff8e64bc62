import Scenario
import ServerlessModel

/// A sweep as a list of runs that can be done apart and put back together: in slices on
/// several machines (``Shard``), or some now and the rest after an interruption.
///
/// Every run is `World.simulate(point's pipeline, replication: r)`, a function of the
/// scenario, the seed and r alone, so a run made anywhere is the run an unsharded sweep makes,
/// and ``result(_:)`` builds from any collection of them the same ``ExperimentResult`` (and
/// so the same files, byte for byte) as ``Experiment/sweep(_:options:)``.
public struct SweepPlan: Sendable {
    /// The scenario's name.
    public var scenario: String
    /// The swept parameters' names in file order.
    public var parameterNames: [String]
    /// The points, with their run settings after the options' seed and replications (an
    /// automatic warm-up is still `.auto`). A plan made from a scenario keeps no entities in
    /// them: each run reads its point's pipeline when it starts (``execute(_:knownWarmups:options:keep:finished:)``),
    /// since a point's pipeline of 3,000 entities is about 0.9 MiB (Benchmarks/PROFILE.md, "Sweep files").
    public var points: [ExperimentPoint]
    /// What the run-size estimate reads of each point's pipeline, read when the plan was made.
    public var sizes: [RunEstimate.Point]
    /// Point p's whole pipeline with the options' seed and replications; nil when `points`
    /// hold their whole pipelines (a plan made of points already described).
    private let reader: (@Sendable (Int) -> PipelineSpec)?

    /// A plan of runs already described, as a merge reads them from partial files.
    public init(scenario: String, parameterNames: [String], points: [ExperimentPoint]) {
        self.scenario = scenario
        self.parameterNames = parameterNames
        self.points = points
        sizes = points.map { RunEstimate.Point($0.pipeline) }
        reader = nil
    }

    /// The plan of a scenario's sweep with the options' overrides.
    ///
    /// Every point is read here once (its errors are the loader's, found before any run),
    /// and only its label, swept values, run settings and counts are kept.
    public init(_ scenario: Scenario, options: ExperimentOptions) throws(ExperimentError) {
        guard let sweep = scenario.sweep, !sweep.points.isEmpty else { throw .noSweep(scenario: scenario.name) }
        try options.validate()
        let names = sweep.parameters.map(\.path)
        var points: [ExperimentPoint] = [], sizes: [RunEstimate.Point] = []
        for position in sweep.points.indices {
            let point = sweep.points[position]
            let pipeline = options.overriding(point.scenario.pipeline)
            try Replications.checkReplications(pipeline.run, point: point.index)
            sizes.append(RunEstimate.Point(pipeline))
            points.append(ExperimentPoint(
                index: point.index, label: point.label,
                parameters: names.map { name in
                    ParameterValue(name: name, value: point.assignments.first { $0.path == name }?.value ?? "")
                },
                pipeline: PipelineSpec(name: pipeline.name, run: pipeline.run, groups: [], queues: [], functions: [])))
        }
        self.scenario = scenario.name
        parameterNames = names
        self.points = points
        self.sizes = sizes
        let overrides = options
        reader = { position in overrides.overriding(sweep.points[position].scenario.pipeline) }
    }

    /// The pipeline of the point at position `p`, whole: read now for a plan made from a scenario.
    func pipeline(at p: Int) -> PipelineSpec {
        reader?(p) ?? points[p].pipeline
    }

    /// The run-size estimate of the plan's runs with `jobs` at once (a sweep: its finished
    /// runs saved, each run reading its point's pipeline); `keepsRunMetrics` for `--format json`.
    public func estimate(jobs: Int, keepsRunMetrics: Bool = false) -> RunEstimate {
        RunEstimate(points: sizes, jobs: jobs, savesRuns: true, keepsRunMetrics: keepsRunMetrics,
                    sweptParameters: parameterNames.count, pipelinesPerRun: true)
    }

    /// Every run, in point-major order.
    public var runs: [SweepRun] {
        points.flatMap { point in (0..<point.pipeline.run.replications).map { SweepRun(point: point.index, replication: $0) } }
    }

    /// Whether some point chooses its warm-up with MSER-5 from a pilot run.
    public var hasAutomaticWarmup: Bool { points.contains { $0.pipeline.run.warmup == .auto } }

    /// The runs of one shard (see ``Shard`` for how they are dealt).
    public func runs(in shard: Shard) -> [SweepRun] {
        shard.slice(of: runs, wholePoints: hasAutomaticWarmup)
    }

    /// Makes `runs`, spread over the jobs, and returns them in the order given (none when not
    /// `keep`: then each is only handed to `finished`, and let go).
    ///
    /// A point with `warmup: auto` whose choice is not in `knownWarmups` (by point index)
    /// first runs its pilot. `finished` is called with each run in the order given, as soon
    /// as it and every run before it are made, so that it can be saved; an error it throws
    /// stops the sweep.
    @discardableResult
    public func execute(
        _ runs: [SweepRun], knownWarmups: [Int: WarmupChoice] = [:], options: ExperimentOptions, keep: Bool = true,
        finished: (@Sendable (CompletedRun) throws(ExperimentError) -> Void)? = nil
    ) throws(ExperimentError) -> [CompletedRun] {
        try options.validate()
        let position = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.index, $0) })
        var warmups: [WarmupChoice?] = points.map { knownWarmups[$0.index] }

        var needed: [Int] = []
        var seen: Set<Int> = []
        for run in runs {
            guard let p = position[run.point], run.replication >= 0, run.replication < points[p].pipeline.run.replications else {
                throw .invalidOption("the sweep has no run at \(run)")
            }
            if seen.insert(p).inserted { needed.append(p) }
        }
        let tasks = runs.compactMap { run in position[run.point].map { RunTask(point: $0, replication: run.replication) } }
        let live = LivePipelines(self, tasks: tasks)
        let pilots = needed.filter { points[$0].pipeline.run.warmup == .auto && warmups[$0] == nil }
        let chosen = try Replications.chooseWarmups(
            pilots.map { points[$0].pipeline.run }, indices: pilots.map { points[$0].index },
            pipeline: { live.pilotPipeline(at: pilots[$0]) }, options: options, shared: false)
        for (p, choice) in zip(pilots, chosen) { warmups[p] = choice }

        let tracker = ProgressTracker(phase: .replications, pointOfTask: tasks.map(\.point), callback: options.progress)
        let indices = points.map(\.index)
        let choices = warmups
        let budget = options.maxMemory
        let made = MadeRuns(keep: keep, finished: finished)
        try ParallelRunner.forEach(tasks, jobs: options.jobs, finished: { tracker.finished($0) }, {
            (task: RunTask) throws(ExperimentError) -> CompletedRun in
            let result: RunResult
            do throws(WorldError) {
                result = try live.using(point: task.point) { pipeline throws(WorldError) in
                    var pipeline = pipeline
                    if let choice = choices[task.point] { pipeline.run.warmup = .fixed(choice.warmup) }
                    return try World.simulate(pipeline, replication: task.replication, memoryBudget: budget)
                }
            } catch {
                throw .runFailed(point: indices[task.point], replication: task.replication, error)
            }
            return CompletedRun(run: SweepRun(point: indices[task.point], replication: task.replication),
                                warmup: choices[task.point], result: result)
        }, consume: { (_: Int, run: CompletedRun) throws(ExperimentError) in try made.add(run) })
        return made.runs
    }

    /// The runs that `completed` lacks, in point-major order.
    public func missing(from completed: [CompletedRun]) -> [SweepRun] {
        let done = Set(completed.map(\.run))
        return runs.filter { !done.contains($0) }
    }

    /// The sweep's result from every one of its runs, in any order (extra or repeated runs
    /// are the caller's mistake: the first of a repeat is kept, a missing run is left out).
    public func result(_ completed: [CompletedRun]) -> ExperimentResult {
        var byRun: [SweepRun: CompletedRun] = [:]
        for run in completed where byRun[run.run] == nil { byRun[run.run] = run }
        return result(retention: .whole, fetch: { run in byRun[run] }, each: { _, _ in })
    }

    /// The sweep's result from its runs fetched one at a time in point-major order by `fetch`
    /// (nil: the run is left out), each handed to `each` with its point's position as it is
    /// folded in, and kept as `retention` says: a sweep's files are made from saved runs
    /// without holding them.
    public func result<Failure: Error>(
        retention: RunRetention, fetch: (SweepRun) throws(Failure) -> CompletedRun?,
        each: (_ point: Int, CompletedRun) throws(Failure) -> Void
    ) throws(Failure) -> ExperimentResult {
        var folding = Folding(self, retention: retention)
        for run in runs {
            guard let completed = try fetch(run), let p = folding.position(of: completed) else { continue }
            try each(p, completed)
            folding.add(completed, at: p)
        }
        return folding.result
    }

    /// A sweep's result built from its runs handed over one at a time in point-major order:
    /// each is folded into its point's aggregates and kept as `retention` says.
    public struct Folding: Sendable {
        private let plan: SweepPlan
        private let retention: RunRetention
        private let position: [Int: Int]
        private var folds: [RunFold]
        private var kept: [[RunResult]]
        private var warmups: [WarmupChoice?]

        /// An empty result of `plan`.
        public init(_ plan: SweepPlan, retention: RunRetention) {
            self.plan = plan
            self.retention = retention
            position = Dictionary(plan.points.enumerated().map { ($1.index, $0) }, uniquingKeysWith: { a, _ in a })
            folds = Array(repeating: RunFold(), count: plan.points.count)
            kept = Array(repeating: [], count: plan.points.count)
            warmups = Array(repeating: nil, count: plan.points.count)
        }

        /// The position in the plan's points of a run's point; nil when the plan has no such point.
        public func position(of run: CompletedRun) -> Int? { position[run.run.point] }

        /// Folds in the next run, of the point at position `p`.
        public mutating func add(_ run: CompletedRun, at p: Int) {
            if warmups[p] == nil { warmups[p] = run.warmup }
            folds[p].add(run.result)
            if let result = retention.kept(run.result) { kept[p].append(result) }
        }

        /// The result of the runs added.
        public var result: ExperimentResult {
            let points = plan.points.enumerated().map { p, point in
                var pipeline = point.pipeline
                if let warmup = warmups[p] { pipeline.run.warmup = .fixed(warmup.warmup) }
                return PointResult(index: point.index, label: point.label, parameters: point.parameters, pipeline: pipeline,
                                   warmup: warmups[p], fold: folds[p], kept: kept[p])
            }
            return ExperimentResult(scenario: plan.scenario, parameterNames: plan.parameterNames, points: points)
        }
    }
}

/// The runs a sweep makes, kept or only handed on.
///
/// `@unchecked Sendable`: only touched from ``ParallelRunner``'s `consume`, serialised.
private final class MadeRuns: @unchecked Sendable {
    private(set) var runs: [CompletedRun] = []
    private let keep: Bool
    private let finished: (@Sendable (CompletedRun) throws(ExperimentError) -> Void)?

    init(keep: Bool, finished: (@Sendable (CompletedRun) throws(ExperimentError) -> Void)?) {
        self.keep = keep
        self.finished = finished
    }

    func add(_ run: CompletedRun) throws(ExperimentError) {
        try finished?(run)
        if keep { runs.append(run) }
    }
}
