import Foundation
import ServerlessModel

/// The pipelines of a sweep's points whose runs are under way: each is read when its point's
/// first run starts, on the worker that makes it, shared by the point's runs, and let go when
/// its last run ends.
///
/// Runs start in point-major order, so at most jobs + 1 points' pipelines are alive (a point
/// is alive while one of its runs is, or while the next run to start is its own). A plan that
/// held every point's pipeline took about 0.9 MiB a point of 3,000 entities (Benchmarks/PROFILE.md,
/// "Sweep files"). Two workers starting runs of the same point at once may both read it; the
/// first kept is shared.
///
/// `@unchecked Sendable`: `alive` and `remaining` are only touched while holding `lock`.
final class LivePipelines: @unchecked Sendable {
    private let plan: SweepPlan
    private let counts: PipelineCounts?
    private let lock = NSLock()
    /// Runs not yet ended, by point position.
    private var remaining: [Int: Int] = [:]
    private var alive: [Int: PipelineSpec] = [:]

    /// The pipelines of `tasks`' points, none read yet.
    init(_ plan: SweepPlan, tasks: [RunTask]) {
        self.plan = plan
        counts = PipelineCounts.current
        for task in tasks { remaining[task.point, default: 0] += 1 }
    }

    /// The pipeline of point `p` for a pilot run, read now and not kept (the pilots run
    /// before any measured run; keeping them would keep every automatic point's pipeline).
    func pilotPipeline(at p: Int) -> PipelineSpec {
        counts?.read(alive: 1)
        return plan.pipeline(at: p)
    }

    /// Runs `body` with point `p`'s pipeline, read if no run of `p` holds it; a run of `p`
    /// has ended when `body` returns.
    func using<Output, Failure: Error>(point p: Int, _ body: (PipelineSpec) throws(Failure) -> Output) throws(Failure) -> Output {
        let pipeline = acquire(p)
        defer { end(p) }
        return try body(pipeline)
    }

    private func acquire(_ p: Int) -> PipelineSpec {
        if let pipeline = lock.withLock({ alive[p] }) { return pipeline }
        let read = plan.pipeline(at: p)
        return lock.withLock {
            if let kept = alive[p] { return kept }
            alive[p] = read
            counts?.read(alive: alive.count)
            return read
        }
    }

    private func end(_ p: Int) {
        lock.withLock {
            remaining[p, default: 1] -= 1
            if remaining[p] == 0 { alive[p] = nil }
        }
    }
}

/// How many points' pipelines a sweep read for its runs, and the most alive at once, counted
/// for tests that bound them.
///
/// A sweep counts only while a test binds one with `PipelineCounts.$current.withValue(counts) { ... }`
/// around `SweepPlan.execute` (a task-local value, read once on the calling thread); otherwise
/// counting is a nil check.
///
/// `@unchecked Sendable`: the counts are only touched while holding `lock`.
public final class PipelineCounts: @unchecked Sendable {
    /// The counts of the sweeps run in the current task, if a test asked for them.
    @TaskLocal public static var current: PipelineCounts?

    private let lock = NSLock()
    private var reads = 0
    private var most = 0

    /// Creates zero counts.
    public init() {}

    /// Points' pipelines read for runs (a pilot's read included).
    public var pipelinesRead: Int { lock.withLock { reads } }
    /// The most points' pipelines alive at once for measured runs (a pilot's counts as one).
    public var mostAlive: Int { lock.withLock { most } }

    func read(alive: Int) {
        lock.withLock {
            reads += 1
            most = max(most, alive)
        }
    }
}
