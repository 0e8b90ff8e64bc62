import Foundation
import Experiments
import ServerlessModel
import SimCore

/// The console summary of `simulate`: task groups, functions and the whole pipeline, each
/// a table of the key metrics with one column per scope.
///
/// With more than one replication a cell is `mean ± half-width` of the 95% interval (or
/// `mean [low, high]` where the interval was kept inside the metric's range and is
/// lopsided); with one, the value alone. Rows that no scope of the table has are left out, and
/// so are the ``HeadlineMetrics`` rows where every scope's value is 0: so every term of
/// conservation that is not 0 is on the table, and the table adds up.
public enum SummaryConsole {
    /// The metrics shown, in order, with their labels: the terms of conservation first, then
    /// latency and the rest; a ``HeadlineMetrics`` metric missing here is shown at the end under
    /// its column name.
    public static let keyMetrics: [(Metric, String)] = {
        let listed: [(Metric, String)] = [
            (.sent, "sent"),
            (.succeeded, "succeeded"),
            (.deadLettered, "dead letters"),
            (.expired, "expired"),
            (.dropped, "dropped"),
            (.backlogEnd, "backlog at end"),
            (.rejected, "rejected"),
            (.latencyP50, "latency p50"),
            (.latencyP99, "latency p99"),
            (.throughput, "throughput"),
            (.throttleRate, "throttle rate"),
            (.functionErrors, "function errors"),
            (.downstreamViolations, "downstream violations"),
            (.retries, "retries"),
            (.coldStarts, "cold starts"),
            (.concurrencyMean, "concurrency mean"),
            (.concurrencyPeak, "concurrency peak"),
            (.workersMean, "workers mean"),
            (.instancesMean, "instances mean"),
            (.costUSD, "cost"),
            (.costPerMonth, "cost per month"),
        ]
        let missing = HeadlineMetrics.shownWhenNonZero.filter { metric in !listed.contains { $0.0 == metric } }
        return listed + missing.map { ($0, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }
    }()

    /// The summary of every point of an experiment.
    public static func render(_ result: ExperimentResult) -> String {
        var text = ""
        for point in result.points {
            if !text.isEmpty { text += "\n" }
            text += heading(result.scenario, point: point)
            text += tables(point)
            text += disagreements(point)
        }
        return text
    }

    /// The heading: scenario, replications, seed, warm-up.
    static func heading(_ scenario: String, point: PointResult) -> String {
        let replications = point.replications
        var text = "\(scenario)"
        if !point.label.isEmpty { text += " [\(point.label)]" }
        text += ": \(replications) replication\(replications == 1 ? "" : "s"), seed \(point.pipeline.run.seed)"
        text += ", " + WarmupText.describe(point) + "\n"
        if replications > 1 {
            text += "values: mean ± half-width of the 95% confidence interval ([low, high] where it is kept in range)\n"
        }
        return text
    }

    /// The group, function and overall tables of a point.
    static func tables(_ point: PointResult) -> String {
        var text = ""
        let scopes = point.scopes
        for (kind, title) in [(ScopeSummary.Kind.group, "Task groups"), (.function, "Functions"),
                              (.container, "Container services"), (.all, "Overall")] {
            let columns = scopes.filter { $0.kind == kind }
            guard !columns.isEmpty else { continue }
            var table = TextTable(header: [title] + columns.map(\.name))
            for (metric, label) in keyMetrics {
                let aggregates = columns.map { point.aggregate(metric, scope: $0.name, kind: $0.kind) }
                if isHidden(metric, aggregates) { continue }
                table.rows.append([label] + aggregates.map { cell($0, metric: metric) })
            }
            text += "\n" + table.text
        }
        return text
    }

    /// Whether a row of these values is left out: no scope has the metric, or it is one of the
    /// ``HeadlineMetrics`` and 0 everywhere.
    static func isHidden(_ metric: Metric, _ aggregates: [MetricAggregate?]) -> Bool {
        if aggregates.allSatisfy({ $0 == nil }) { return true }
        return HeadlineMetrics.shownWhenNonZero.contains(metric) && aggregates.allSatisfy { ($0?.mean ?? 0) == 0 }
    }

    /// The mark of a cell whose replications disagree (see ``disagreements(_:)``).
    static let disagreementMark = "!"

    /// The legend of ``disagreementMark``.
    static let disagreementLegend = "\(disagreementMark) = replications disagree (standard deviation above the mean, which hides it)"

    /// One aggregate as a cell; ``disagreementMark`` marks replications that disagree.
    static func cell(_ aggregate: MetricAggregate?, metric: Metric) -> String {
        let text = ConsoleNumber.format(aggregate, style: ConsoleNumber.style(of: metric))
        return aggregate?.replicationsDisagree == true ? text + " " + disagreementMark : text
    }

    /// The note under the tables naming every shown value whose replications disagree so much
    /// that a mean hides it, with their range; empty when there is none.
    static func disagreements(_ point: PointResult) -> String {
        let shown = Set(keyMetrics.map(\.0.rawValue))
        let labels = Dictionary(keyMetrics.map { ($0.0.rawValue, $0.1) }, uniquingKeysWith: { first, _ in first })
        var lines: [String] = []
        for aggregate in point.aggregates where shown.contains(aggregate.metric.rawValue) && aggregate.replicationsDisagree {
            guard let range = aggregate.range else { continue }
            let style = ConsoleNumber.style(of: aggregate.metric)
            lines.append("  \(aggregate.scope) \(labels[aggregate.metric.rawValue] ?? aggregate.metric.rawValue): "
                         + "\(ConsoleNumber.format(range.lowerBound, style: style)) to \(ConsoleNumber.format(range.upperBound, style: style))"
                         + " over \(aggregate.n) replications")
        }
        guard !lines.isEmpty else { return "" }
        return "\n" + disagreementLegend + ":\n" + lines.joined(separator: "\n") + "\n"
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
