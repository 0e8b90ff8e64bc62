import ServerlessModel
import SimCore

/// What an experiment will cost before it runs: runs, simulated messages, peak memory and
/// disk, from the scenario alone (not to be confused with ``CapacityEstimate``, the planner's
/// estimate of the concurrency a function needs).
///
/// Peak memory follows the formula of the README's "Memory and disk" section:
///
///     memory ≈ process + min(2 × jobs, runs) × (run + rows × row)
///              + Σ over points (scopes × point scope) + pipelines held × entities × entity
///              [+ points × (plan point + swept settings × swept value) + rows × saved row, a sweep]
///              [+ Σ over runs (scopes × scope), compare and --format json]
///
/// Finished runs are handed on in run order through a reorder buffer of at most 2 × jobs
/// runs (made or being made), their rows written at once and their metrics folded into their
/// point's aggregates, so that memory does not grow with the runs: `rows` is the largest
/// run's time-series rows (intervals × its queues, functions and groups; none with
/// `timeseries_interval: off`) and `scopes` a point's groups, functions, container services
/// and `all`. A sweep's files are made from its saved runs read back one at a time (one more
/// run's rows, as decoded). `compare` pairs every run's metrics, and `--format json` lists
/// them, so those keep each run's scopes' values. `simulate` and `compare` hold every
/// variant's pipeline; a sweep's plan keeps each point's label, swept values and counts, and
/// each run reads its point's pipeline when the point's first run starts: at most jobs + 1
/// points' pipelines (of the largest point's entities) are alive. `aggregate.csv` is written
/// a row at a time from the points' aggregates. The messages alive in a run are bounded
/// apart, by the backlog budget (``MemoryBudget``). The constants are named assumptions
/// measured by hand (Benchmarks/PROFILE.md, "Memory of a run").
public struct RunEstimate: Sendable, Equatable {
    /// Runs to make: every replication of every point, and the pilots of automatic warm-ups.
    public var runs: Int
    /// Messages the producers send across all runs (from the arrivals' mean rates).
    public var messages: Double
    /// Time-series rows across all measured runs.
    public var timeSeriesRows: Double
    /// Scopes (summary rows) across all measured runs.
    public var scopes: Double
    /// Peak memory, bytes.
    public var memoryBytes: Double
    /// The CSV files (and a sweep's saved runs, which live until the files are written), bytes.
    public var diskBytes: Double

    /// The process itself: code, libraries, the scenario (measured: 25-30 MB resident for a
    /// tiny run, rounded up).
    public static let processBytes = 32.0 * 1_048_576
    /// A run in progress without its messages and time series: its world, event list and
    /// histograms (a named assumption, 2 MiB: a 20-entity pipeline's world measured at under
    /// 1 MiB, with histograms growing to a few hundred KB).
    public static let runBytes = 2.0 * 1_048_576
    /// A time-series row of a run held (being made, or waiting for its turn): the row and
    /// its values, one Double per column (about 190 bytes), and its fields while the run's
    /// rows are written (about 320). Measured: a run of 3 million rows peaked at 1.55 GB
    /// resident, 512 bytes a row above the process (Benchmarks/PROFILE.md).
    public static let rowBytes = 512.0
    /// A time-series row of a saved run read back (`.partial/` or a shard file's line): its
    /// JSON text and the record decoded from it, column names and values as strings (a named
    /// assumption, 2 KiB; Benchmarks/PROFILE.md, "Memory of many runs").
    public static let savedRowBytes = 2_048.0
    /// A scope of a point: its aggregates and its fold's tallies, one each per metric (about
    /// 60 metrics of a 100-byte aggregate and a 41-byte tally, rounded up).
    public static let pointScopeBytes = 8_192.0
    /// A scope's metric values kept per run (compare, `--format json`): its metrics' dictionary.
    public static let scopeBytes = 2_048.0
    /// A time-series row in timeseries.csv (measured: 40-70 bytes; names count).
    public static let rowCSVBytes = 64.0
    /// A scope's rows in summary.csv and latency.csv (one summary row of about 400 bytes,
    /// 20 CDF points of about 50).
    public static let scopeCSVBytes = 1_400.0
    /// A pipeline's group, queue, function or container service held (measured: planning the
    /// 558 KB sweep of 1,000 points of 3,000 entities peaked at 969 MiB when its plan held every
    /// point's pipeline and at 51 MiB since it holds none, 321 B an entity; Benchmarks/PROFILE.md,
    /// "Sweep files"; rounded up for the tree a pipeline is read from).
    public static let pipelineEntityBytes = 384.0
    /// A sweep point as its plan keeps it without its swept values: index, run settings,
    /// counts (a named assumption, 512 B).
    public static let planPointBytes = 512.0
    /// A swept value of a point as its plan keeps it: its name and value and its part of the
    /// label (a named assumption, 256 B: about 50 characters of `path=value` three times over).
    public static let sweptValueBytes = 256.0
    /// A sweep's saved run (`.partial/`, JSON): per row and per scope, about 4 times the CSV.
    public static let savedFactor = 4.0

    /// What the estimate reads of one point's or variant's pipeline (overrides applied): its
    /// run settings and its counts, so that a sweep's plan need not keep the pipeline.
    public struct Point: Sendable, Equatable {
        /// Replications to make.
        public var replications: Int
        /// Whether a pilot run chooses the warm-up first.
        public var automaticWarmup: Bool
        /// Messages the producers send in one run (from the arrivals' mean rates).
        public var messagesPerRun: Double
        /// Time-series rows of one run.
        public var rowsPerRun: Double
        /// Scopes of one run: groups, functions, container services and `all`.
        public var scopes: Double
        /// Groups, queues, functions and container services: what the pipeline holds.
        public var entities: Double

        /// The counts of `pipeline`.
        public init(_ pipeline: PipelineSpec) {
            replications = max(0, pipeline.run.replications)
            automaticWarmup = pipeline.run.warmup == .auto
            messagesPerRun = pipeline.groups.reduce(0.0) {
                $0 + CapacityModel.meanRate($1.arrivals, over: pipeline.run.duration) * pipeline.run.duration.seconds
            }
            rowsPerRun = RunEstimate.intervals(pipeline.run)
                * Double(pipeline.queues.count + pipeline.functions.count + pipeline.groups.count)
            scopes = Double(pipeline.groups.count + pipeline.functions.count + pipeline.containers.count + 1)
            entities = Double(pipeline.groups.count + pipeline.queues.count + pipeline.functions.count + pipeline.containers.count)
        }
    }

    /// The estimate of running `pipelines` (one per point or variant, overrides applied)
    /// with `jobs` at once; `savesRuns` for a sweep, which keeps every finished run on disk
    /// until the files are written and makes them from it; `keepsRunMetrics` for compare
    /// and `--format json`, which keep every run's metrics.
    public init(pipelines: [PipelineSpec], jobs: Int, savesRuns: Bool = false, keepsRunMetrics: Bool = false) {
        self.init(points: pipelines.map(Point.init), jobs: jobs, savesRuns: savesRuns, keepsRunMetrics: keepsRunMetrics)
    }

    /// The estimate of running `points` with `jobs` at once (see ``init(pipelines:jobs:savesRuns:keepsRunMetrics:)``).
    /// `sweptParameters` and `pipelinesPerRun` for a sweep: its plan keeps each point's label
    /// and swept values, and each run reads its point's pipeline when it starts and lets it go
    /// when its point's last run ends, so at most jobs + 1 points' pipelines are alive (the
    /// others hold every point's or variant's pipeline).
    public init(points: [Point], jobs: Int, savesRuns: Bool = false, keepsRunMetrics: Bool = false,
                sweptParameters: Int = 0, pipelinesPerRun: Bool = false) {
        var runs = 0, messages = 0.0, rows = 0.0, scopes = 0.0, largestRun = 0.0, pointScopes = 0.0
        var largestPipeline = 0.0, allPipelines = 0.0
        for point in points {
            let pilots = point.automaticWarmup ? 1 : 0
            runs += point.replications + pilots
            messages += point.messagesPerRun * Double(point.replications + pilots)
            rows += point.rowsPerRun * Double(point.replications)
            scopes += point.scopes * Double(point.replications)
            largestRun = max(largestRun, point.rowsPerRun)
            pointScopes += point.scopes
            largestPipeline = max(largestPipeline, point.entities)
            allPipelines += point.entities
        }
        self.runs = runs
        self.messages = messages
        timeSeriesRows = rows
        self.scopes = scopes
        let held = Double(min(2 * max(1, jobs), max(1, runs))) * (Self.runBytes + largestRun * Self.rowBytes)
        let pipelines = pipelinesPerRun
            ? Double(min(max(1, jobs) + 1, points.count)) * largestPipeline : allPipelines
        let plan = pipelinesPerRun ? Double(points.count) * (Self.planPointBytes + Double(sweptParameters) * Self.sweptValueBytes) : 0
        memoryBytes = Self.processBytes + held + pointScopes * Self.pointScopeBytes + pipelines * Self.pipelineEntityBytes + plan
            + (savesRuns ? largestRun * Self.savedRowBytes : 0) + (keepsRunMetrics ? scopes * Self.scopeBytes : 0)
        let csv = rows * Self.rowCSVBytes + scopes * Self.scopeCSVBytes
        diskBytes = csv * (savesRuns ? 1 + Self.savedFactor : 1)
    }

    /// A run's time-series intervals: the last, partial one included.
    static func intervals(_ run: RunSettings) -> Double {
        guard run.timeseriesInterval > .zero else { return 0 }
        return (run.end.seconds / run.timeseriesInterval.seconds).rounded(.up)
    }

    /// Runs from this size on are announced with their estimate before they start.
    public var isLong: Bool { messages >= 1e8 || runs >= 10_000 || memoryBytes >= 1_073_741_824 || diskBytes >= 1_073_741_824 }

    /// One line for standard error: `estimate: 2,000,000 runs, 1.2e10 simulated messages, ...`.
    public var text: String {
        "estimate: \(MemoryBudget.grouped(runs)) run\(runs == 1 ? "" : "s"), \(Self.count(messages)) simulated messages, "
            + "memory about \(MemoryBudget.text(bytes: memoryBytes)), disk about \(MemoryBudget.text(bytes: diskBytes))"
    }

    /// Why the experiment is refused, if it is: its memory beyond `maxMemory`, or its files
    /// beyond the disk space free (`availableDisk`, when known).
    public func refusal(maxMemory: Int, availableDisk: Int?) -> String? {
        if memoryBytes > Double(maxMemory) {
            var hints = ["fewer replications or points"]
            if timeSeriesRows > 0 { hints.append("timeseries_interval: off or a longer interval (the time series holds \(Self.count(timeSeriesRows)) rows)") }
            hints.append("or a larger --max-memory")
            return "this experiment needs about \(MemoryBudget.text(bytes: memoryBytes)) of memory, above --max-memory "
                + "\(MemoryBudget.text(bytes: maxMemory)) (\(text); expected \(hints.joined(separator: ", ")))"
        }
        if let availableDisk, diskBytes > Double(availableDisk) {
            return "this experiment writes about \(MemoryBudget.text(bytes: diskBytes)) of files, and the output folder's disk has "
                + "\(MemoryBudget.text(bytes: availableDisk)) free (\(text); expected fewer replications or points, "
                + "timeseries_interval: off or a longer interval, or another --output)"
        }
        return nil
    }

    /// A count for people: `12,480` below a million, `3.2 million`, `14.4 billion`.
    static func count(_ value: Double) -> String {
        if value < 1e6 { return MemoryBudget.grouped(Int(value.rounded())) }
        for (word, size) in [("trillion", 1e12), ("billion", 1e9), ("million", 1e6)] where value >= size {
            let scaled = (value / size * 10).rounded() / 10
            return (scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)) + " " + word
        }
        return String(value)
    }
}
