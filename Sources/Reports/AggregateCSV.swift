import Experiments

/// `aggregate.csv`: one row per (point, scope, metric) across replications.
///
/// Columns: `point`, one column per swept parameter, `scope, scope_kind, metric, mean, stddev,
/// ci95_low, ci95_high, n`. `n` counts the replications that have the metric; with one,
/// `stddev` and the interval are blank. Metrics no replication has (cold starts of a group)
/// have no row.
public enum AggregateCSV {
    /// The columns after the swept parameters.
    public static let trailingColumns = ["scope", "scope_kind", "metric", "mean", "stddev", "ci95_low", "ci95_high", "n"]

    /// The table of an experiment.
    public static func table(_ result: ExperimentResult) -> CSVTable {
        var table = CSVTable(header: header(result))
        forEachRow(of: result) { table.rows.append($0) }
        return table
    }

    /// The rows of an experiment made as they are written: the table held whole took 16.8 GiB
    /// for a sweep of 100 points of 2,001 scopes and 100 swept settings (Benchmarks/PROFILE.md).
    public static func rows(_ result: ExperimentResult) -> CSVRows {
        CSVRows(header: header(result)) { (row: ([String]) throws(ReportError) -> Void) throws(ReportError) in
            try forEachRow(of: result, row)
        }
    }

    private static func header(_ result: ExperimentResult) -> [String] {
        ["point"] + result.parameterNames + trailingColumns
    }

    private static func forEachRow<Failure: Error>(of result: ExperimentResult,
                                                   _ body: ([String]) throws(Failure) -> Void) throws(Failure) {
        for point in result.points {
            let values = result.parameterNames.map { point.parameter($0) ?? "" }
            for aggregate in point.aggregates {
                try body([String(point.index)] + values + [
                    aggregate.scope, aggregate.kind.rawValue, aggregate.metric.rawValue,
                    CSVNumber.format(aggregate.mean), CSVNumber.format(aggregate.stddev),
                    CSVNumber.format(aggregate.ci95Low), CSVNumber.format(aggregate.ci95High), String(aggregate.n),
                ])
            }
        }
    }
}
