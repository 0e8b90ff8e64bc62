import Experiments
import ServerlessModel

/// The console summary of `sweep`: one row per point, its swept values and the whole
/// pipeline's key metrics (`mean ± half-width` with several replications).
public enum SweepConsole {
    /// The overall metrics shown, in order, with their headings.
    public static let keyMetrics: [(Metric, String)] = [
        (.succeeded, "succeeded"),
        (.latencyP50, "p50"),
        (.latencyP99, "p99"),
        (.throughput, "throughput"),
        (.throttleRate, "throttle rate"),
        (.retries, "retries"),
        (.deadLettered, "dead letters"),
        (.coldStarts, "cold starts"),
        (.concurrencyPeak, "conc. peak"),
        (.costUSD, "cost"),
    ]

    /// The table of a sweep.
    public static func render(_ result: ExperimentResult) -> String {
        let replications = Set(result.points.map(\.runs.count)).sorted()
        var text = "\(result.scenario): sweep of \(result.points.count) point\(result.points.count == 1 ? "" : "s")"
        text += ", \(replications.map(String.init).joined(separator: "/")) replication\(replications == [1] ? "" : "s") each\n"
        if replications.contains(where: { $0 > 1 }) { text += "values: overall mean ± half-width of the 95% confidence interval\n" }
        var table = TextTable(header: ["point"] + result.parameterNames + keyMetrics.map(\.1))
        for point in result.points {
            var row = [String(point.index)] + result.parameterNames.map { point.parameter($0) ?? "" }
            for (metric, _) in keyMetrics {
                row.append(SummaryConsole.cell(point.aggregate(metric, scope: "all", kind: .all), metric: metric))
            }
            table.rows.append(row)
        }
        text += "\n" + table.text
        let warmups = result.points.filter { $0.warmup != nil }
        if !warmups.isEmpty {
            text += "\n"
            for point in warmups { text += "point \(point.index): \(WarmupText.describe(point))\n" }
        }
        return text
    }
}
