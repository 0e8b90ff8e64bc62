import Experiments
import ServerlessModel

/// `timeseries.csv`: one row per (replication, interval start, entity).
///
/// Columns: `replication, interval_start_s, entity_kind, entity`, then the queue columns
/// (`visible, in_flight, delayed, oldest_age_s`, a snapshot at the interval's end), the
/// function columns (`concurrency, invocations, throttles, cold_starts, errors`) and the
/// group columns (`sent, succeeded, latency_p99_s`) of that interval; columns of another
/// entity kind are blank. A sweep adds `point` and the swept parameters in front.
public enum TimeSeriesCSV {
    /// The columns of every time-series file, after the identifying ones.
    public static let valueColumns = [
        "visible", "in_flight", "delayed", "oldest_age_s",
        "concurrency", "invocations", "throttles", "cold_starts", "errors",
        "sent", "succeeded", "latency_p99_s",
    ]

    /// The table of an experiment; `point` and parameter columns only for a sweep.
    public static func table(_ result: ExperimentResult) -> CSVTable {
        let sweep = result.isSweep
        let leading = (sweep ? ["point"] + result.parameterNames : [])
            + ["replication", "interval_start_s", "entity_kind", "entity"]
        var table = CSVTable(header: leading + valueColumns)
        for point in result.points {
            let prefix = sweep ? [String(point.index)] + result.parameterNames.map { point.parameter($0) ?? "" } : []
            for run in point.runs {
                for row in run.timeseries {
                    table.rows.append(prefix + [
                        String(run.replication), CSVNumber.format(row.intervalStart.seconds), row.kind.rawValue, row.entity,
                        CSVNumber.format(row.visible), CSVNumber.format(row.inFlight), CSVNumber.format(row.delayed),
                        CSVNumber.format(row.oldestAgeSeconds),
                        CSVNumber.format(row.concurrency), CSVNumber.format(row.invocations),
                        CSVNumber.format(row.throttles), CSVNumber.format(row.coldStarts), CSVNumber.format(row.errors),
                        CSVNumber.format(row.sent), CSVNumber.format(row.succeeded), CSVNumber.format(row.latencyP99Seconds),
                    ])
                }
            }
        }
        return table
    }
}
