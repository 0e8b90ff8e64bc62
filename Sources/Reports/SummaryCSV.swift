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
        var table = CSVTable(header: header(parameters: parameters))
        for result in results {
            for point in result.points {
                for run in point.runs {
                    table.rows += rows(of: run, key: RunRowKey(result, point, parameters: parameters))
                }
            }
        }
        return table
    }

    /// The header, with these parameter columns.
    public static func header(parameters: [String]) -> [String] {
        leadingColumns + parameters + Metric.allCases.map(\.rawValue)
    }

    /// The rows of one run: one per scope.
    public static func rows(of run: RunResult, key: RunRowKey) -> [[String]] {
        run.scopes.map { scope in
            [key.scenario, key.variant ?? "", String(key.point), String(run.replication), String(run.seed), scope.scope,
             scope.kind.rawValue] + key.parameterValues + Metric.allCases.map { CSVNumber.format(scope[$0]) }
        }
    }

    /// The table of one experiment.
    public static func table(_ result: ExperimentResult) -> CSVTable { table([result]) }

    /// Swept parameter names of several results, in order of first appearance.
    static func parameterColumns(_ results: [ExperimentResult]) -> [String] {
        var seen: Set<String> = []
        return results.flatMap(\.parameterNames).filter { seen.insert($0).inserted }
    }
}

/// Which experiment, variant and point a run's rows belong to, as the per-run files
/// (`summary.csv`, `latency.csv`, `timeseries.csv`) name it.
public struct RunRowKey: Sendable {
    public var scenario: String
    /// The variant in `compare`; nil elsewhere.
    public var variant: String?
    /// The `point` column.
    public var point: Int
    /// The point's value of every parameter column, in column order (blank where not swept).
    public var parameterValues: [String]

    /// Creates a key.
    public init(scenario: String, variant: String?, point: Int, parameterValues: [String]) {
        self.scenario = scenario
        self.variant = variant
        self.point = point
        self.parameterValues = parameterValues
    }

    /// The key of a point of an experiment, with these parameter columns.
    public init(_ result: ExperimentResult, _ point: PointResult, parameters: [String]) {
        self.init(scenario: result.scenario, variant: result.variant, point: point.index,
                  parameterValues: parameters.map { point.parameter($0) ?? "" })
    }
}
