import Experiments
import ServerlessModel

/// `plan.csv`, in long form: one row per evaluated configuration and constraint (a scope's
/// SLO metric), configurations in the order evaluated, constraints in the plan's order.
///
/// Columns: `scenario`, `evaluation`, one column per plan path with the configuration's
/// value, `status` (pass, fail, undecided, infeasible), `pass`, `recommended`, `reason` (the
/// failing constraint or broken limit), `replications`, `concurrency` (the sum of the varied
/// concurrency limits), `cost_usd` with its 95% interval, `concurrency_peak` (the
/// configuration's, repeated on each of its rows), then the constraint's `scope`, `metric`
/// (`latency_p99_s`, `dead_lettered`, `unfinished_share`), `target`, `mean`, `ci95_low`,
/// `ci95_high` and `outcome` (met, violated, undecided). A configuration rejected without
/// simulating has one row, its constraint columns blank. Blank where a value does not apply
/// (an interval from one replication). `report` also reads the wide form of earlier versions
/// (one row per configuration, `<scope>.<metric>` columns).
public enum PlanCSV {
    /// The columns of a constraint in the long form, after `concurrency_peak`.
    public static let constraintColumns = ["scope", "metric", "target", "mean", "ci95_low", "ci95_high", "outcome"]

    /// The table of a plan.
    public static func table(_ result: PlanResult) -> CSVTable {
        var header = ["scenario", "evaluation"] + result.paths
        header += ["status", "pass", "recommended", "reason", "replications", "concurrency",
                   "cost_usd", "cost_usd_ci95_low", "cost_usd_ci95_high", "concurrency_peak"]
        var table = CSVTable(header: header + constraintColumns)
        for evaluation in result.evaluations {
            var row = [result.scenario, String(evaluation.index)] + evaluation.configuration.values
            row += [evaluation.verdict.rawValue, evaluation.verdict.passes ? "true" : "false",
                    evaluation.index == result.recommended ? "true" : "false", evaluation.reason,
                    evaluation.simulated ? String(evaluation.replications) : "", CSVNumber.format(evaluation.concurrency),
                    CSVNumber.format(evaluation.cost?.mean), CSVNumber.format(evaluation.cost?.ci95Low),
                    CSVNumber.format(evaluation.cost?.ci95High), CSVNumber.format(evaluation.concurrencyPeak?.mean)]
            guard evaluation.simulated else {
                table.rows.append(row + constraintColumns.map { _ in "" })
                continue
            }
            for constraint in result.constraints {
                let check = evaluation.check(constraint)
                let estimate = check?.estimate
                table.rows.append(row + [constraint.scope, constraint.column, CSVNumber.format(constraint.target),
                                         CSVNumber.format(estimate?.mean), CSVNumber.format(estimate?.ci95Low),
                                         CSVNumber.format(estimate?.ci95High), check?.outcome.rawValue ?? ""])
            }
        }
        return table
    }
}
