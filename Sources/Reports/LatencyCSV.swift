import Experiments
import ServerlessModel

/// `latency.csv`: the end-to-end latency distribution of every scope in every run, as the
/// points of its cumulative distribution function (the report's latency CDF charts).
///
/// Columns: `scenario, variant, point, replication, seed, scope, scope_kind` and the swept
/// parameters as in `summary.csv`, then `percentile` (the cumulative share in percent, one of
/// ``ScopeSummary/latencyLevels``) and `latency_s` (the latency at it, HdrHistogram, relative
/// error at most 1/1024; 0 and 100 are the exact minimum and maximum). Rows are keyed like
/// `summary.csv`: per (point, replication, scope), in the same order, each with one row per
/// level; a scope without latency (no message finished) has no rows.
public enum LatencyCSV {
    /// The columns after the leading and parameter columns.
    public static let trailingColumns = ["percentile", "latency_s"]

    /// The table of one or more experiments (compare passes every variant).
    public static func table(_ results: [ExperimentResult]) -> CSVTable {
        let parameters = SummaryCSV.parameterColumns(results)
        var table = CSVTable(header: header(parameters: parameters))
        for result in results {
            for point in result.points {
                for run in point.runs { table.rows += rows(of: run, key: RunRowKey(result, point, parameters: parameters)) }
            }
        }
        return table
    }

    /// The header, with these parameter columns.
    public static func header(parameters: [String]) -> [String] {
        SummaryCSV.leadingColumns + parameters + trailingColumns
    }

    /// The rows of one run: a CDF per scope that has latency.
    public static func rows(of run: RunResult, key: RunRowKey) -> [[String]] {
        var rows: [[String]] = []
        for scope in run.scopes where scope.latencyQuantiles.count == levels.count {
            let lead = [key.scenario, key.variant ?? "", String(key.point), String(run.replication), String(run.seed),
                        scope.scope, scope.kind.rawValue] + key.parameterValues
            for (level, latency) in zip(levels, scope.latencyQuantiles) { rows.append(lead + [level, CSVNumber.format(latency)]) }
        }
        return rows
    }

    /// The `percentile` column's values.
    static let levels = ScopeSummary.latencyLevels.map { CSVNumber.format($0) }

    /// The table of one experiment.
    public static func table(_ result: ExperimentResult) -> CSVTable { table([result]) }
}
