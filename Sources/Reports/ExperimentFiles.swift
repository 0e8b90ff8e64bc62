import Experiments
import ServerlessModel

/// The CSV files of an experiment, written as its runs finish: the per-run files (summary,
/// time series, latency, tenants) get a run's rows the moment it is handed on, in (point,
/// replication) order, so that the run can be let go; the files made of the whole result
/// (aggregate.csv, compare.csv) are added at the end, and the set is committed as one
/// (``StreamedSet``, `manifest.json`). The files are byte for byte those made from the whole
/// result at once (``SummaryCSV/table(_:)`` and the others).
///
/// `@unchecked Sendable`: rows are added from ``ParallelRunner``'s `consume`, serialised, and
/// the set committed after the last run.
public final class ExperimentFiles: @unchecked Sendable {
    /// A file whose rows come a run at a time.
    public enum PerRun: Sendable {
        case summary, timeseries, latency, tenants
    }

    /// A file of the set, in the set's order: its rows per run, or made at the end.
    public enum File: Sendable {
        case perRun(String, PerRun)
        case atEnd(String)

        var name: String {
            switch self {
            case .perRun(let name, _), .atEnd(let name): name
            }
        }
    }

    /// The set of `simulate`, `sweep` and `merge`, in order: every one of them writes each
    /// file (a new per-run file is one more entry here); tenants.csv only from `simulate`
    /// (shard files and saved runs do not keep tenants, so a merged sweep could not write it),
    /// and only when some run has tenants.
    public static func experimentSet(tenants: Bool) -> [File] {
        [.perRun("summary.csv", .summary), .atEnd("aggregate.csv"), .perRun("timeseries.csv", .timeseries),
         .perRun("latency.csv", .latency)] + (tenants ? [.perRun("tenants.csv", .tenants)] : [])
    }

    private let set: StreamedSet
    private let files: [File]
    private let parameterNames: [String]

    /// Opens the per-run files of `files` in `output`, for an experiment whose points have
    /// `parameterNames` (a sweep's; time-series rows then name their point).
    public init(in output: OutputFolder, command: String, files: [File], parameterNames: [String]) throws(ReportError) {
        self.files = files
        self.parameterNames = parameterNames
        var headers: [String: [String]] = [:]
        for case .perRun(let name, let kind) in files {
            switch kind {
            case .summary: headers[name] = SummaryCSV.header(parameters: parameterNames)
            case .timeseries: headers[name] = TimeSeriesCSV.header(sweepParameters: parameterNames.isEmpty ? nil : parameterNames)
            case .latency: headers[name] = LatencyCSV.header(parameters: parameterNames)
            case .tenants: headers[name] = TenantsCSV.columns
            }
        }
        set = try StreamedSet(in: output, command: command, order: files.map(\.name), streamed: headers)
    }

    /// Writes a run's rows; `parameters` are its point's swept values.
    public func add(_ run: RunResult, scenario: String, variant: String? = nil, point: Int,
                    parameters: [ParameterValue]) throws(ReportError) {
        let key = RunRowKey(scenario: scenario, variant: variant, point: point, parameterValues: parameterNames.map { name in
            parameters.first { $0.name == name }?.value ?? ""
        })
        for case .perRun(let name, let kind) in files {
            switch kind {
            case .summary: try set.append(SummaryCSV.rows(of: run, key: key), to: name)
            case .timeseries: try set.append(TimeSeriesCSV.rows(of: run, key: key, sweep: !parameterNames.isEmpty), to: name)
            case .latency: try set.append(LatencyCSV.rows(of: run, key: key), to: name)
            case .tenants: try set.append(TenantsCSV.rows(of: run, scenario: scenario), to: name)
            }
        }
    }

    /// Adds the files made at the end and puts the set in place; returns the files' paths.
    public func commit(_ tables: [String: CSVRows]) throws(ReportError) -> [String] {
        var perRunTenants: Set<String> = []
        for case .perRun(let name, .tenants) in files { perRunTenants.insert(name) }
        return try set.commit(tables, droppedWhenEmpty: perRunTenants)
    }

    /// Removes the files written so far (the experiment failed). Done explicitly, not left
    /// to the set's deinit: a worker thread may still hold the set when the process exits.
    public func abandon() { set.abandon() }

    /// Runs `body`, the experiment; when it fails, the files written so far are removed.
    public func abandoningOnFailure<Result>(_ body: () throws -> Result) rethrows -> Result {
        do {
            return try body()
        } catch {
            abandon()
            throw error
        }
    }
}
