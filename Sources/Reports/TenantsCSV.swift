import Experiments
import ServerlessModel

/// `tenants.csv`: one row per tenant and run of the groups that stand for many tenants
/// (`tenants:`), written by `simulate` when there are any.
public enum TenantsCSV {
    /// The columns, in file order.
    public static let columns = ["scenario", "replication", "seed", "group", "tenant", "sent", "succeeded",
                                 "latency_p50_s", "latency_p99_s", "queue_wait_p50_s", "queue_wait_p99_s",
                                 "dead_lettered", "expired", "dropped", "downstream_violations", "backlog_end"]

    /// The table of an experiment's runs; nil when no run has tenants.
    public static func table(_ result: ExperimentResult) -> CSVTable? {
        var table = CSVTable(header: columns)
        for point in result.points {
            for run in point.runs { table.rows += rows(of: run, scenario: result.scenario) }
        }
        return table.rows.isEmpty ? nil : table
    }

    /// The rows of one run: one per tenant.
    public static func rows(of run: RunResult, scenario: String) -> [[String]] {
        run.tenants.map { row in
            let optional = { (value: Double?) in value.map(CSVNumber.format) ?? "" }
            return [
                scenario, String(run.replication), String(run.seed), row.group, row.tenant,
                String(row.sent), String(row.succeeded), optional(row.latencyP50), optional(row.latencyP99),
                optional(row.queueWaitP50), optional(row.queueWaitP99), String(row.deadLettered),
                String(row.expired), String(row.dropped), String(row.downstreamViolations), String(row.backlogEnd),
            ]
        }
    }
}
