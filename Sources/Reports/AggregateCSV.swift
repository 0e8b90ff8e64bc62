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
        var table = CSVTable(header: ["point"] + result.parameterNames + trailingColumns)
        for point in result.points {
            let values = result.parameterNames.map { point.parameter($0) ?? "" }
            for aggregate in point.aggregates {
                table.rows.append([String(point.index)] + values + [
                    aggregate.scope, aggregate.kind.rawValue, aggregate.metric.rawValue,
                    CSVNumber.format(aggregate.mean), CSVNumber.format(aggregate.stddev),
                    CSVNumber.format(aggregate.ci95Low), CSVNumber.format(aggregate.ci95High), String(aggregate.n),
                ])
            }
        }
        return table
    }
}
