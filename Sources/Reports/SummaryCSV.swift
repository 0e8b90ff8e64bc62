import Experiments
import ServerlessModel

/// `summary.csv`: one row per (point, replication, scope) with every metric.
///
/// Columns: `scenario, variant, point, replication, seed, scope, scope_kind`, one column per
/// swept parameter (named by its dotted path), then every ``Metric`` in `Metric.allCases`
/// order. `scope_kind` (group, function, container, all) tells a group from a function of the same name.
/// `variant` is blank outside `compare`; a metric that does not apply to a scope is blank.
public enum SummaryCSV {
    /// The columns before the swept parameters.
    public static let leadingColumns = ["scenario", "variant", "point", "replication", "seed", "scope", "scope_kind"]

    /// The table of one or more experiments (compare passes every variant); the parameter
    /// columns are the union of theirs, in order of first appearance.
    public static func table(_ results: [ExperimentResult]) -> CSVTable {
        let parameters = parameterColumns(results)
        var table = CSVTable(header: leadingColumns + parameters + Metric.allCases.map(\.rawValue))
        for result in results {
            for point in result.points {
                let values = parameters.map { point.parameter($0) ?? "" }
                for run in point.runs {
                    for scope in run.scopes {
                        var row = [result.scenario, result.variant ?? "", String(point.index), String(run.replication),
                                   String(run.seed), scope.scope, scope.kind.rawValue]
                        row += values
                        row += Metric.allCases.map { CSVNumber.format(scope[$0]) }
                        table.rows.append(row)
                    }
                }
            }
        }
        return table
    }

    /// The table of one experiment.
    public static func table(_ result: ExperimentResult) -> CSVTable { table([result]) }

    /// Swept parameter names of several results, in order of first appearance.
    static func parameterColumns(_ results: [ExperimentResult]) -> [String] {
        var seen: Set<String> = []
        return results.flatMap(\.parameterNames).filter { seen.insert($0).inserted }
    }
}
