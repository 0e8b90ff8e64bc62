import Experiments
import ServerlessModel
import SimCore

/// The console summary of `simulate`: task groups, functions and the whole pipeline, each
/// a table of the key metrics with one column per scope.
///
/// With more than one replication a cell is `mean ± half-width` of the 95% interval; with one,
/// the value alone. Rows that no scope of the table has are left out.
public enum SummaryConsole {
    /// The metrics shown, in order, with their labels.
    public static let keyMetrics: [(Metric, String)] = [
        (.sent, "sent"),
        (.succeeded, "succeeded"),
        (.latencyP50, "latency p50"),
        (.latencyP99, "latency p99"),
        (.throughput, "throughput"),
        (.throttleRate, "throttle rate"),
        (.downstreamViolations, "downstream violations"),
        (.retries, "retries"),
        (.deadLettered, "dead letters"),
        (.coldStarts, "cold starts"),
        (.concurrencyMean, "concurrency mean"),
        (.concurrencyPeak, "concurrency peak"),
        (.workersMean, "workers mean"),
        (.costUSD, "cost"),
    ]

    /// The summary of every point of an experiment.
    public static func render(_ result: ExperimentResult) -> String {
        var text = ""
        for point in result.points {
            if !text.isEmpty { text += "\n" }
            text += heading(result.scenario, point: point)
            text += tables(point)
        }
        return text
    }

    /// The heading: scenario, replications, seed, warm-up.
    static func heading(_ scenario: String, point: PointResult) -> String {
        let replications = point.runs.count
        var text = "\(scenario)"
        if !point.label.isEmpty { text += " [\(point.label)]" }
        text += ": \(replications) replication\(replications == 1 ? "" : "s"), seed \(point.pipeline.run.seed)"
        text += ", " + WarmupText.describe(point) + "\n"
        if replications > 1 { text += "values: mean ± half-width of the 95% confidence interval\n" }
        return text
    }

    /// The group, function and overall tables of a point.
    static func tables(_ point: PointResult) -> String {
        var text = ""
        let scopes = Aggregation.scopes(of: point.runs)
        for (kind, title) in [(ScopeSummary.Kind.group, "Task groups"), (.function, "Functions"),
                              (.container, "Container services"), (.all, "Overall")] {
            let columns = scopes.filter { $0.kind == kind }
            guard !columns.isEmpty else { continue }
            var table = TextTable(header: [title] + columns.map(\.name))
            for (metric, label) in keyMetrics {
                let cells = columns.map { scope in
                    cell(point.aggregate(metric, scope: scope.name, kind: scope.kind), metric: metric)
                }
                if cells.allSatisfy({ $0 == "-" }) { continue }
                table.rows.append([label] + cells)
            }
            text += "\n" + table.text
        }
        return text
    }

    /// One aggregate as a cell.
    static func cell(_ aggregate: MetricAggregate?, metric: Metric) -> String {
        ConsoleNumber.format(aggregate?.mean, halfWidth: aggregate?.halfWidth, style: ConsoleNumber.style(of: metric))
    }
}

/// How a point's warm-up reads in a heading.
enum WarmupText {
    static func describe(_ point: PointResult) -> String {
        guard case .fixed(let warmup) = point.pipeline.run.warmup else { return "warm-up auto" }
        guard let choice = point.warmup else { return "warm-up \(warmup)" }
        var text = "warm-up \(warmup) (\(choice.method), from \(choice.decidingSeries))"
        if choice.unsettled { text += " — no steady state found in the first half of the run" }
        return text
    }
}
