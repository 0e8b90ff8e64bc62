import Experiments
import ServerlessModel

/// The console summary of `sweep`: one row per point, its swept values and the whole
/// pipeline's key metrics (`mean ± half-width` with several replications). The
/// ``HeadlineMetrics`` get a column when some point's value is not 0.
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
        (.expired, "expired"),
        (.dropped, "dropped"),
        (.backlogEnd, "backlog end"),
        (.rejected, "rejected"),
        (.functionErrors, "fn errors"),
        (.downstreamViolations, "ds violations"),
        (.coldStarts, "cold starts"),
        (.concurrencyPeak, "conc. peak"),
        (.costUSD, "cost"),
        (.costPerMonth, "cost/month"),
    ]

    /// The table of a sweep.
    public static func render(_ result: ExperimentResult) -> String {
        let replications = Set(result.points.map(\.replications)).sorted()
        var text = "\(result.scenario): sweep of \(result.points.count) point\(result.points.count == 1 ? "" : "s")"
        text += ", \(replications.map(String.init).joined(separator: "/")) replication\(replications == [1] ? "" : "s") each\n"
        if replications.contains(where: { $0 > 1 }) { text += "values: overall mean ± half-width of the 95% confidence interval\n" }
        let shown = keyMetrics.filter { metric, _ in
            !SummaryConsole.isHidden(metric, result.points.map { $0.aggregate(metric, scope: "all", kind: .all) })
        }
        var table = TextTable(header: ["point"] + result.parameterNames + shown.map(\.1))
        var anyDisagreement = false
        for point in result.points {
            var row = [String(point.index)] + result.parameterNames.map { point.parameter($0) ?? "" }
            for (metric, _) in shown {
                let aggregate = point.aggregate(metric, scope: "all", kind: .all)
                anyDisagreement = anyDisagreement || aggregate?.replicationsDisagree == true
                row.append(SummaryConsole.cell(aggregate, metric: metric))
            }
            table.rows.append(row)
        }
        text += "\n" + table.text
        if anyDisagreement { text += SummaryConsole.disagreementLegend + "\n" }
        let warmups = result.points.filter { $0.warmup != nil }
        if !warmups.isEmpty {
            text += "\n"
            for point in warmups { text += "point \(point.index): \(WarmupText.describe(point))\n" }
        }
        return text
    }
}
