import ServerlessModel

/// One run of a sweep: a point and one of its replications, the unit that shards divide and
/// that a resumed sweep counts as done or not.
public struct SweepRun: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The point's index (the `point` column).
    public var point: Int
    /// The replication, from 0.
    public var replication: Int

    /// Creates a run.
    public init(point: Int, replication: Int) {
        self.point = point
        self.replication = replication
    }

    /// Point-major order, the order of every output file.
    public static func < (lhs: SweepRun, rhs: SweepRun) -> Bool {
        (lhs.point, lhs.replication) < (rhs.point, rhs.replication)
    }

    public var description: String { "point \(point), replication \(replication)" }
}

/// A finished run of a sweep: its result, and the automatic warm-up its point was measured
/// with (so that a resumed sweep or a merge need not run the point's pilot again).
public struct CompletedRun: Sendable {
    /// Which run.
    public var run: SweepRun
    /// The MSER-5 choice of the point, when its warm-up is automatic.
    public var warmup: WarmupChoice?
    /// What the run produced.
    public var result: RunResult

    /// Creates a finished run.
    public init(run: SweepRun, warmup: WarmupChoice?, result: RunResult) {
        self.run = run
        self.warmup = warmup
        self.result = result
    }
}
