import Foundation
import ServerlessModel
import SimCore

/// Runs every replication of every point of an experiment, in parallel, in a fixed order.
///
/// Replication r of a pipeline is `World.simulate(pipeline, replication: r)`: the World
/// derives every random stream's seed from (scenario seed, r, stream name), so a replication
/// is the same run whichever thread runs it and whenever. Runs are spread over
/// `options.jobs` worker threads point by point and replication by replication, and put back
/// in (point, replication) order, so results, and every file made from them, are
/// byte-identical for any job count.
///
/// Points with `warmup: auto` first get a pilot run each (all pilots in parallel too), from
/// which ``WarmupSelection`` fixes the warm-up; their replications then run with it.
public enum Replications {
    /// Runs the points and aggregates each; `sharedWarmup` gives every automatic point the
    /// latest warm-up chosen among them (compare: variants are measured over the same window).
    /// Each finished run is folded into its point's aggregates and handed to `handling`'s
    /// `consume` in (point, replication) order, and kept as its retention says; besides what
    /// is kept, at most 2 × jobs runs are held at once (``ParallelRunner``).
    public static func run(_ points: [ExperimentPoint], options: ExperimentOptions, sharedWarmup: Bool = false,
                           handling: RunHandling = .keepWhole) throws(ExperimentError) -> [PointResult] {
        var pipelines = try overridden(points, options: options)
        let warmups = try chooseWarmups(pipelines, points: points, options: options, shared: sharedWarmup)
        for (p, choice) in warmups.enumerated() {
            if let choice { pipelines[p].run.warmup = .fixed(choice.warmup) }
        }

        let tasks = pipelines.enumerated().flatMap { p, pipeline in
            (0..<pipeline.run.replications).map { RunTask(point: p, replication: $0) }
        }
        let chosen = pipelines
        let tracker = ProgressTracker(phase: .replications, pointOfTask: tasks.map(\.point), callback: options.progress)
        let budget = options.maxMemory
        let clock = tasks.count == 1 ? options.progress.map(Self.clockReports) : nil
        let folds = PointFolds(points: points.count, handling: handling)
        try ParallelRunner.forEach(tasks, jobs: options.jobs, finished: { tracker.finished($0) }, {
            (task: RunTask) throws(ExperimentError) -> RunResult in
            do throws(WorldError) {
                let pipeline = chosen[task.point]
                return try World.simulate(pipeline, replication: task.replication, memoryBudget: budget,
                                          progress: clock.map { report in { report(RunClock(now: $0, end: pipeline.run.end)) } })
            } catch {
                throw .runFailed(point: points[task.point].index, replication: task.replication, error)
            }
        }, consume: { (index: Int, result: RunResult) throws(ExperimentError) in
            try folds.add(result, point: tasks[index].point)
        })
        return points.indices.map { p in
            PointResult(index: points[p].index, label: points[p].label, parameters: points[p].parameters,
                        pipeline: pipelines[p], warmup: warmups[p], fold: folds.folds[p], kept: folds.kept[p])
        }
    }

    /// Reports the clock of an experiment's only run, as a run of no replication finished.
    static func clockReports(_ callback: @escaping @Sendable (ExperimentProgress) -> Void) -> @Sendable (RunClock) -> Void {
        { clock in
            var progress = ExperimentProgress(phase: .replications, runsDone: 0, runsTotal: 1, pointsDone: 0, pointsTotal: 1)
            progress.clock = clock
            callback(progress)
        }
    }

    /// The points' pipelines with the options' seed and replications applied, checked.
    static func overridden(_ points: [ExperimentPoint], options: ExperimentOptions) throws(ExperimentError) -> [PipelineSpec] {
        try options.validate()
        let pipelines = points.map { options.overriding($0.pipeline) }
        for (p, pipeline) in pipelines.enumerated() { try checkReplications(pipeline.run, point: points[p].index) }
        return pipelines
    }

    /// Refuses a point of no replication.
    static func checkReplications(_ run: RunSettings, point index: Int) throws(ExperimentError) {
        if run.replications < 1 {
            throw .invalidOption("point \(index): replications must be at least 1 (got \(run.replications))")
        }
    }

    /// The MSER-5 choice of every point with `warmup: auto` (nil for the others).
    static func chooseWarmups(_ pipelines: [PipelineSpec], points: [ExperimentPoint], options: ExperimentOptions,
                              shared: Bool) throws(ExperimentError) -> [WarmupChoice?] {
        try chooseWarmups(pipelines.map(\.run), indices: points.map(\.index), pipeline: { pipelines[$0] },
                          options: options, shared: shared)
    }

    /// The MSER-5 choice of every point whose run settings (`runs`, the points' indices
    /// `indices`) say `warmup: auto`; `pipeline(p)` gives point p's pipeline on the worker
    /// that runs its pilot (a sweep reads it then, and lets it go after).
    static func chooseWarmups(_ runs: [RunSettings], indices: [Int], pipeline: @escaping @Sendable (Int) -> PipelineSpec,
                              options: ExperimentOptions, shared: Bool) throws(ExperimentError) -> [WarmupChoice?] {
        let automatic = runs.indices.filter { runs[$0].warmup == .auto }
        guard !automatic.isEmpty else { return Array(repeating: nil, count: runs.count) }
        let tasks = automatic.map { RunTask(point: $0, replication: 0) }
        let tracker = ProgressTracker(phase: .pilot, pointOfTask: tasks.map(\.point), callback: options.progress)
        let budget = options.maxMemory
        let choices = try ParallelRunner.map(tasks, jobs: options.jobs, finished: { tracker.finished($0) }) {
            (task: RunTask) throws(ExperimentError) -> WarmupChoice in
            let measured = pipeline(task.point)
            do throws(WorldError) {
                let pilot = try World.simulate(WarmupSelection.pilot(of: measured), replication: task.replication, memoryBudget: budget)
                return WarmupSelection.choose(from: pilot, pipeline: measured)
            } catch {
                throw .runFailed(point: indices[task.point], replication: task.replication, error)
            }
        }
        var result: [WarmupChoice?] = Array(repeating: nil, count: runs.count)
        for (p, choice) in zip(automatic, choices) { result[p] = choice }
        if shared, let latest = choices.max(by: { $0.warmup < $1.warmup }) {
            for p in automatic {
                result[p]?.warmup = latest.warmup
                result[p]?.unsettled = choices.contains { $0.unsettled }
                result[p]?.decidingSeries = latest.decidingSeries
            }
        }
        return result
    }
}

/// The folds of an experiment's points and the runs they keep, filled in run order.
///
/// `@unchecked Sendable`: only touched from ``ParallelRunner``'s `consume`, which it calls
/// under its own lock, one call at a time, and read after the runner returns.
final class PointFolds: @unchecked Sendable {
    private(set) var folds: [RunFold]
    private(set) var kept: [[RunResult]]
    private let handling: RunHandling

    init(points: Int, handling: RunHandling) {
        folds = Array(repeating: RunFold(), count: points)
        kept = Array(repeating: [], count: points)
        self.handling = handling
    }

    /// Hands a finished run on, folds it into point `p` and keeps what the retention says.
    func add(_ run: RunResult, point p: Int) throws(ExperimentError) {
        try handling.consume?(p, run)
        folds[p].add(run)
        if let run = handling.retention.kept(run) { kept[p].append(run) }
    }
}

/// One run to make: a point and a replication number. The pipeline is the worker's to get
/// when the run starts (a sweep reads it then: ``SweepPlan``).
struct RunTask: Sendable {
    /// The point's position in the experiment's list.
    var point: Int
    var replication: Int
}

/// Counts finished runs and points and reports them.
///
/// `@unchecked Sendable`: the counts are only touched from ``ParallelRunner``'s `finished`
/// callback, which it calls under its own lock, one call at a time.
final class ProgressTracker: @unchecked Sendable {
    private let phase: ExperimentProgress.Phase
    private let pointOfTask: [Int]
    private let callback: (@Sendable (ExperimentProgress) -> Void)?
    private var remainingInPoint: [Int: Int] = [:]
    private let pointsTotal: Int
    private var runsDone = 0
    private var pointsDone = 0

    init(phase: ExperimentProgress.Phase, pointOfTask: [Int], callback: (@Sendable (ExperimentProgress) -> Void)?) {
        self.phase = phase
        self.pointOfTask = pointOfTask
        self.callback = callback
        for point in pointOfTask { remainingInPoint[point, default: 0] += 1 }
        pointsTotal = remainingInPoint.count
    }

    /// Records the task at `index` as finished.
    func finished(_ index: Int) {
        guard let callback else { return }
        runsDone += 1
        let point = pointOfTask[index]
        remainingInPoint[point, default: 1] -= 1
        if remainingInPoint[point] == 0 { pointsDone += 1 }
        callback(ExperimentProgress(phase: phase, runsDone: runsDone, runsTotal: pointOfTask.count,
                                    pointsDone: pointsDone, pointsTotal: pointsTotal))
    }
}
