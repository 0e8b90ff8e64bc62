import Foundation
import Scenario
import ServerlessModel
import SimCore

/// How an experiment is run: parallelism and overrides of the scenario's run settings.
///
/// None of these change a number in the results except `replications` and `seed`: the job
/// count only decides how many runs happen at once, and results are put back in (point,
/// replication) order, so output is byte-identical whatever it is.
public struct ExperimentOptions: Sendable {
    /// Worker threads running replications at once (at least 1).
    public var jobs: Int
    /// Replications per point, replacing the scenario's `run.replications`.
    public var replications: Int?
    /// The scenario seed, replacing the scenario's `run.seed`.
    public var seed: UInt64?
    /// Called after every finished run, on a worker thread, one call at a time.
    public var progress: (@Sendable (ExperimentProgress) -> Void)?
    /// The memory limit in bytes (`--max-memory`): the run-size estimate refuses an
    /// experiment beyond it (``RunEstimate``), and each run stops when its messages alive
    /// would pass it (``MemoryBudget``). It changes no number of a run that stays within it.
    public var maxMemory: Int = MemoryBudget.defaultBytes

    /// Creates options; by default one job per active processor and the scenario's settings.
    public init(jobs: Int = ExperimentOptions.defaultJobs, replications: Int? = nil, seed: UInt64? = nil,
                progress: (@Sendable (ExperimentProgress) -> Void)? = nil) {
        self.jobs = jobs
        self.replications = replications
        self.seed = seed
        self.progress = progress
    }

    /// One job per processor the system lets this process use.
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `pipeline` with these options' replications and seed in place of its own.
    func overriding(_ pipeline: PipelineSpec) -> PipelineSpec {
        var pipeline = pipeline
        if let replications { pipeline.run.replications = replications }
        if let seed { pipeline.run.seed = seed }
        return pipeline
    }

    /// Checks the values a user can get wrong.
    func validate() throws(ExperimentError) {
        guard jobs >= 1 else { throw .invalidOption("--jobs must be at least 1 (got \(jobs))") }
        if let replications, let problem = Scenario.replicationsProblem(replications) { throw .invalidOption(problem) }
    }
}

/// How far an experiment has come, for progress bars.
public struct ExperimentProgress: Sendable, Equatable {
    /// Which kind of run just finished.
    public enum Phase: String, Sendable {
        /// A pilot run that chooses an automatic warm-up (MSER-5).
        case pilot
        /// A measured replication.
        case replications
    }

    /// The phase of the run that just finished.
    public var phase: Phase
    /// Runs finished in this phase.
    public var runsDone: Int
    /// Runs in this phase.
    public var runsTotal: Int
    /// Points (sweep points or compare variants) whose runs of this phase have all finished.
    public var pointsDone: Int
    /// Points in this phase.
    public var pointsTotal: Int

    /// How far the one run in progress has come, when the experiment is one run (a long
    /// `simulate`): such a run reports its clock as it goes, not only when it finishes.
    public var clock: RunClock?

    /// Creates a progress report.
    public init(phase: Phase, runsDone: Int, runsTotal: Int, pointsDone: Int, pointsTotal: Int) {
        self.phase = phase
        self.runsDone = runsDone
        self.runsTotal = runsTotal
        self.pointsDone = pointsDone
        self.pointsTotal = pointsTotal
    }
}

/// The simulated time of a run in progress and the time it ends.
public struct RunClock: Sendable, Equatable {
    /// Where the run's clock stands.
    public var now: SimTime
    /// Where it stops (duration and drain).
    public var end: SimTime

    /// Creates a clock reading.
    public init(now: SimTime, end: SimTime) {
        self.now = now
        self.end = end
    }

    /// The share of the run done, from 0 to 1.
    public var fraction: Double {
        end.nanoseconds > 0 ? min(1, max(0, Double(now.nanoseconds) / Double(end.nanoseconds))) : 1
    }
}
