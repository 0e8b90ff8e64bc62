import Experiments
import ServerlessModel

/// `timeseries.csv`: one row per (replication, interval, entity).
///
/// Columns: `replication, interval_start_s, interval_s, entity_kind, entity`, then one column
/// per ``TimeSeriesColumn`` (queue columns a snapshot at the interval's end, function and
/// group columns what happened in it); columns of another entity kind are blank. A sweep adds
/// `point` and the swept parameters in front.
public enum TimeSeriesCSV {
    /// The columns of every time-series file, after the identifying ones.
    public static let valueColumns = TimeSeriesColumn.allCases.map(\.rawValue)

    /// The columns that say which run, interval and entity a row is of (after a sweep's).
    public static let identifyingColumns = ["replication", "interval_start_s", "interval_s", "entity_kind", "entity"]

    /// The table of an experiment; `point` and parameter columns only for a sweep.
    public static func table(_ result: ExperimentResult) -> CSVTable {
        var table = CSVTable(header: header(sweepParameters: result.isSweep ? result.parameterNames : nil))
        for point in result.points {
            let key = RunRowKey(result, point, parameters: result.parameterNames)
            for run in point.runs { table.rows += rows(of: run, key: key, sweep: result.isSweep) }
        }
        return table
    }

    /// The header; a sweep's (with its parameter names) starts with `point` and them.
    public static func header(sweepParameters: [String]?) -> [String] {
        (sweepParameters.map { ["point"] + $0 } ?? []) + identifyingColumns + valueColumns
    }

    /// The rows of one run; a sweep's start with the point and its parameter values.
    public static func rows(of run: RunResult, key: RunRowKey, sweep: Bool) -> [[String]] {
        let prefix = sweep ? [String(key.point)] + key.parameterValues : []
        return run.timeseries.map { prefix + fields(of: $0, replication: run.replication) }
    }

    /// A row's fields after the sweep's.
    static func fields(of row: TimeSeriesRow, replication: Int) -> [String] {
        [String(replication), CSVNumber.format(row.intervalStart.seconds), CSVNumber.format(row.intervalLength.seconds),
         row.kind.rawValue, row.entity]
            + TimeSeriesColumn.allCases.map { CSVNumber.format(row[$0]) }
    }
}
