import ServerlessModel
import SimCore

/// How an automatic warm-up (`warmup: auto`) was chosen, for the report.
public struct WarmupChoice: Sendable, Equatable {
    /// The chosen warm-up: messages sent before it are left out of the statistics.
    public var warmup: SimTime
    /// The method, `MSER-5`.
    public var method: String
    /// The width of the intervals MSER-5 looked at.
    public var interval: SimTime
    /// How many intervals of the production period it looked at.
    public var intervals: Int
    /// The series that asked for the latest truncation (see ``WarmupSelection``).
    public var decidingSeries: String
    /// Whether no steady state was found in the first half of the run (MSER's minimum sat at
    /// its limit, or the run was too short to judge): the warm-up is a lower bound, and the
    /// statistics are of a system that has not settled, often an overloaded one.
    public var unsettled: Bool

    /// Creates a choice.
    public init(warmup: SimTime, method: String = "MSER-5", interval: SimTime, intervals: Int, decidingSeries: String,
                unsettled: Bool) {
        self.warmup = warmup
        self.method = method
        self.interval = interval
        self.intervals = intervals
        self.decidingSeries = decidingSeries
        self.unsettled = unsettled
    }
}

/// Chooses the warm-up of `warmup: auto` from a pilot run with MSER-5.
///
/// The approach:
/// 1. A pilot replication (replication 0, with the warm-up at zero) is run, with the
///    time-series interval narrowed when the scenario's is too coarse to give MSER-5 at least
///    ``minimumIntervals`` intervals (sampling draws no random numbers, so this changes
///    nothing else in the run).
/// 2. Three per-interval series are taken over the production period only (the drain after
///    producers stop is a transient of its own, at the other end): the backlog (visible, in
///    flight and delayed messages of every queue that is not a dead-letter queue, whose
///    steady growth is no transient), the total concurrency of all functions (the warm pool
///    growing from zero: cold starts and poller scale-up), and the messages succeeded per
///    interval (throughput catching up with arrivals).
/// 3. MSER-5 picks a truncation for each; the latest of the three wins, since the statistics
///    of a run are only unbiased once every part of the pipeline has settled.
/// 4. The truncation, a whole number of intervals, becomes `.fixed(warm-up)` for every
///    measured replication, pilot excluded. The pilot costs one extra run per point.
public enum WarmupSelection {
    /// Fewer intervals than this and the pilot samples at duration / this instead.
    public static let minimumIntervals = 100

    /// The pilot's pipeline: the warm-up at zero, and fine enough time-series bins.
    public static func pilot(of pipeline: PipelineSpec) -> PipelineSpec {
        var pilot = pipeline
        pilot.run.warmup = .fixed(.zero)
        pilot.run.replications = 1
        pilot.run.timeseriesInterval = pilotInterval(for: pipeline.run)
        return pilot
    }

    /// The interval the pilot samples at.
    static func pilotInterval(for run: RunSettings) -> SimTime {
        let fine = SimTime(nanoseconds: max(1, run.duration.nanoseconds / Int64(minimumIntervals)))
        guard run.timeseriesInterval > .zero else { return fine }
        return run.timeseriesInterval > fine ? fine : run.timeseriesInterval
    }

    /// The warm-up chosen from a pilot run of `pipeline` (as made by ``pilot(of:)``).
    public static func choose(from pilot: RunResult, pipeline: PipelineSpec) -> WarmupChoice {
        let interval = pilotInterval(for: pipeline.run)
        let series = self.series(of: pilot, pipeline: pipeline, interval: interval)
        let count = series.first?.values.count ?? 0
        var choice = WarmupChoice(warmup: .zero, interval: interval, intervals: count, decidingSeries: "none",
                                  unsettled: true)
        var latest = -1
        var unsettled = false
        for (name, values) in series {
            guard let truncation = MSER.truncation(values) else { continue }
            unsettled = unsettled || truncation.atLimit
            if truncation.observations > latest {
                latest = truncation.observations
                choice.decidingSeries = name
            }
        }
        // No series long enough to judge leaves the warm-up at zero, flagged.
        guard latest >= 0 else { return choice }
        choice.warmup = interval * Int64(latest)
        choice.unsettled = unsettled
        return choice
    }

    /// The per-interval series MSER-5 judges, by name, over the production period.
    public static func series(of run: RunResult, pipeline: PipelineSpec, interval: SimTime) -> [(name: String, values: [Double])] {
        let deadLetterQueues = Set(pipeline.queues.compactMap(\.deadLetter))
        var backlog: [SimTime: Double] = [:]
        var concurrency: [SimTime: Double] = [:]
        var succeeded: [SimTime: Double] = [:]
        for row in run.timeseries where row.intervalStart + interval <= pipeline.run.duration {
            switch row.kind {
            case .queue where !deadLetterQueues.contains(row.entity):
                backlog[row.intervalStart, default: 0] += (row[.visible] ?? 0) + (row[.inFlight] ?? 0) + (row[.delayed] ?? 0)
            case .queue:
                continue
            case .function:
                concurrency[row.intervalStart, default: 0] += row[.concurrency] ?? 0
            case .group:
                succeeded[row.intervalStart, default: 0] += row[.succeeded] ?? 0
            }
        }
        let starts = Set(run.timeseries.map(\.intervalStart)).filter { $0 + interval <= pipeline.run.duration }.sorted()
        return [
            ("backlog", starts.map { backlog[$0] ?? 0 }),
            ("concurrency", starts.map { concurrency[$0] ?? 0 }),
            ("succeeded", starts.map { succeeded[$0] ?? 0 }),
        ]
    }
}
