import Experiments

/// `compare.csv`: one row per (variant, scope, metric), with the difference to the first
/// variant, paired across replications (common random numbers).
///
/// Columns: `variant, scope, scope_kind, metric, mean, ci95_low, ci95_high, diff_vs_first,
/// diff_ci95_low, diff_ci95_high, significant`. The first variant is the baseline: its
/// difference columns are blank, as they are where the baseline lacks the scope or metric.
/// `significant` is `true` when the difference's interval excludes 0, blank without an
/// interval (one replication).
public enum CompareCSV {
    /// The columns.
    public static let columns = [
        "variant", "scope", "scope_kind", "metric", "mean", "ci95_low", "ci95_high",
        "diff_vs_first", "diff_ci95_low", "diff_ci95_high", "significant",
    ]

    /// The table of a comparison.
    public static func table(_ comparison: ComparisonResult) -> CSVTable {
        var table = CSVTable(header: columns)
        for row in comparison.rows {
            let difference = row.difference
            table.rows.append([
                row.variant, row.value.scope, row.value.kind.rawValue, row.value.metric.rawValue,
                CSVNumber.format(row.value.mean), CSVNumber.format(row.value.ci95Low), CSVNumber.format(row.value.ci95High),
                CSVNumber.format(difference?.mean), CSVNumber.format(difference?.ci95Low),
                CSVNumber.format(difference?.ci95High), difference?.significant.map { $0 ? "true" : "false" } ?? "",
            ])
        }
        return table
    }
}
