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
        let sweep = result.isSweep
        let leading = (sweep ? ["point"] + result.parameterNames : []) + identifyingColumns
        var table = CSVTable(header: leading + valueColumns)
        for point in result.points {
            let prefix = sweep ? [String(point.index)] + result.parameterNames.map { point.parameter($0) ?? "" } : []
            for run in point.runs {
                for row in run.timeseries {
                    table.rows.append(prefix + fields(of: row, replication: run.replication))
                }
            }
        }
        return table
    }

    /// A row's fields after the sweep's.
    static func fields(of row: TimeSeriesRow, replication: Int) -> [String] {
        [String(replication), CSVNumber.format(row.intervalStart.seconds), CSVNumber.format(row.intervalLength.seconds),
         row.kind.rawValue, row.entity]
            + TimeSeriesColumn.allCases.map { CSVNumber.format(row[$0]) }
    }
}
