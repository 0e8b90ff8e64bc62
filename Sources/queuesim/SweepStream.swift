import Experiments
import Reports

/// The files of an unsharded sweep, made as its runs finish: a run made now comes from the
/// reorder buffer in run order (``SweepPlan/execute(_:knownWarmups:options:keep:finished:)``)
/// and its rows are written at once; a run that an interrupted sweep saved is read back from
/// `.partial/` when its turn comes. So a sweep holds no finished run, and reads back only the
/// runs it did not make.
///
/// `@unchecked Sendable`: ``made(_:)`` is called from the sweep's `finished`, which the runner
/// serialises, and ``finish()`` after the last run.
final class SweepStream: @unchecked Sendable {
    /// The files the rows go to.
    let files: ExperimentFiles
    private let plan: SweepPlan
    private let order: [SweepRun]
    private let saved: Set<SweepRun>
    private let store: RunStore
    private var folding: SweepPlan.Folding
    /// The next run of `order` to add.
    private var next = 0

    init(_ plan: SweepPlan, saved: Set<SweepRun>, store: RunStore, files: ExperimentFiles, retention: RunRetention) {
        self.plan = plan
        order = plan.runs
        self.saved = saved
        self.store = store
        self.files = files
        folding = SweepPlan.Folding(plan, retention: retention)
    }

    /// Adds a run just made, after the saved runs before it.
    func made(_ run: CompletedRun) throws(ExperimentError) {
        try catchUp(before: run.run)
        if next < order.count, order[next] == run.run { next += 1 }
        try add(run)
    }

    /// Adds the saved runs after the last one made, and returns the sweep's result.
    func finish() throws(ExperimentError) -> ExperimentResult {
        try catchUp(before: nil)
        return folding.result
    }

    /// Reads back and adds every saved run before `run` (every one left, for nil).
    private func catchUp(before run: SweepRun?) throws(ExperimentError) {
        while next < order.count, run.map({ order[next] < $0 }) ?? true {
            let savedRun = order[next]
            next += 1
            guard saved.contains(savedRun) else { continue }
            let completed: CompletedRun
            do throws(PartialError) {
                completed = try store.read(savedRun)
            } catch {
                throw .saveFailed("cannot read back a finished run: \(error)")
            }
            try add(completed)
        }
    }

    private func add(_ run: CompletedRun) throws(ExperimentError) {
        guard let p = folding.position(of: run) else { return }
        try ExperimentOutput.written { () throws(ReportError) in
            try files.add(run.result, scenario: plan.scenario, point: run.run.point, parameters: plan.points[p].parameters)
        }
        folding.add(run, at: p)
    }
}

extension Optional where Wrapped == SweepStream {
    /// Runs `body`; when it fails, the stream's files written so far are removed.
    func abandoningOnFailure<Result>(_ body: () throws -> Result) rethrows -> Result {
        do {
            return try body()
        } catch {
            self?.files.abandon()
            throw error
        }
    }
}
