import Experiments
import ServerlessModel

/// `plan.csv`: one row per evaluated configuration, in the order evaluated.
///
/// Columns: `scenario`, `evaluation`, one column per plan path with the configuration's
/// value, `status` (pass, fail, undecided, infeasible), `pass`, `recommended`, `reason` (the
/// failing constraint or broken limit), `replications`, `concurrency` (the sum of the varied
/// concurrency limits), `cost_usd` with its 95% interval, `concurrency_peak`, then for every
/// constraint `<scope>.<metric>` with `_ci95_low`, `_ci95_high` and `_target` (`all.latency_p99_s`,
/// `B.dead_lettered`, `B.unfinished_share`). Blank where a value does not apply (a
/// configuration rejected without simulating, an interval from one replication).
public enum PlanCSV {
    /// The table of a plan.
    public static func table(_ result: PlanResult) -> CSVTable {
        var header = ["scenario", "evaluation"] + result.paths
        header += ["status", "pass", "recommended", "reason", "replications", "concurrency",
                   "cost_usd", "cost_usd_ci95_low", "cost_usd_ci95_high", "concurrency_peak"]
        for constraint in result.constraints {
            let stem = "\(constraint.scope).\(constraint.column)"
            header += [stem, stem + "_ci95_low", stem + "_ci95_high", stem + "_target"]
        }
        var table = CSVTable(header: header)
        for evaluation in result.evaluations {
            var row = [result.scenario, String(evaluation.index)] + evaluation.configuration.values
            row += [evaluation.verdict.rawValue, evaluation.verdict.passes ? "true" : "false",
                    evaluation.index == result.recommended ? "true" : "false", evaluation.reason,
                    evaluation.simulated ? String(evaluation.replications) : "", CSVNumber.format(evaluation.concurrency),
                    CSVNumber.format(evaluation.cost?.mean), CSVNumber.format(evaluation.cost?.ci95Low),
                    CSVNumber.format(evaluation.cost?.ci95High), CSVNumber.format(evaluation.concurrencyPeak?.mean)]
            for constraint in result.constraints {
                let estimate = evaluation.check(constraint)?.estimate
                row += [CSVNumber.format(estimate?.mean), CSVNumber.format(estimate?.ci95Low), CSVNumber.format(estimate?.ci95High),
                        CSVNumber.format(constraint.target)]
            }
            table.rows.append(row)
        }
        return table
    }
}
