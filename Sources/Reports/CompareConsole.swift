import Experiments
import ServerlessModel

/// The console view of `compare`: for every task group and the whole pipeline, the variants
/// side by side and each one's paired difference to the first, with significant differences
/// marked and listed.
public enum CompareConsole {
    /// The metrics shown, in order, with their labels.
    ///
    /// The summary's, and where variants differ in who waits (fair queues, tenants): the queue
    /// wait p99 after the latency p99, the noisy tenants and the p99 across tenants (rows no
    /// scope has are left out, as in the summary).
    public static let keyMetrics: [(Metric, String)] = {
        var metrics = SummaryConsole.keyMetrics
        let afterLatency = (metrics.firstIndex { $0.0 == .latencyP99 } ?? metrics.count - 1) + 1
        metrics.insert((.queueWaitP99, "queue wait p99"), at: afterLatency)
        metrics += [(.noisyGroupsMean, "noisy groups mean"), (.tenantLatencyP99, "tenant p99 (p99)")]
        return metrics
    }()

    /// The comparison as text.
    public static func render(_ comparison: ComparisonResult) -> String {
        let names = comparison.variantNames
        var text = "compare: \(names.joined(separator: " vs ")): \(comparison.replications) replication"
        text += comparison.replications == 1 ? "" : "s"
        text += ", seed \(comparison.seed)"
        text += comparison.commonRandomNumbers ? ", common random numbers\n" : ", independent seeds\n"
        if let point = comparison.variants.first?.points.first { text += WarmupText.describe(point) + "\n" }
        text += "values: mean ± half-width; Δ: difference to \(names.first ?? "the first"), "
            + (comparison.paired ? "paired by replication;" : "UNPAIRED (Welch's interval: the workloads differ);")
        text += " * = significant at 95% (interval excludes 0)\n"

        let index = Dictionary(comparison.rows.map { (RowKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let scopes = comparedScopes(comparison)
        var anyDisagreement = false
        for scope in scopes {
            var header = [scope.kind == .all ? "Overall" : "\(scope.kind.rawValue) \(scope.name)"]
            for (v, name) in names.enumerated() { header += v == 0 ? [name] : [name, "Δ"] }
            var table = TextTable(header: header)
            for (metric, label) in keyMetrics {
                let entries = names.map { index[RowKey(variant: $0, scope: scope, metric: metric)] }
                if SummaryConsole.isHidden(metric, entries.map { $0?.value }) { continue }
                var row = [label]
                for (v, entry) in entries.enumerated() {
                    anyDisagreement = anyDisagreement || entry?.value.replicationsDisagree == true
                    row.append(SummaryConsole.cell(entry?.value, metric: metric))
                    if v > 0 { row.append(differenceCell(entry?.difference, metric: metric)) }
                }
                table.rows.append(row)
            }
            text += "\n" + table.text
        }
        if anyDisagreement { text += SummaryConsole.disagreementLegend + "\n" }

        let significant = comparison.rows.filter { $0.difference?.significant == true && isShown($0, scopes: scopes) }
        text += "\n"
        if significant.isEmpty {
            text += "No significant differences at 95% among the metrics shown.\n"
        } else {
            text += "Significant differences (95%, vs \(names.first ?? "the first")):\n"
            for row in significant {
                guard let difference = row.difference else { continue }
                let style = ConsoleNumber.style(of: row.value.metric)
                let where_ = row.value.kind == .all ? "overall" : "\(row.value.kind.rawValue) \(row.value.scope)"
                text += "  \(row.variant): \(where_) \(row.value.metric.rawValue) \(signed(difference.mean, style: style))"
                text += " [\(ConsoleNumber.format(difference.ci95Low, style: style)), \(ConsoleNumber.format(difference.ci95High, style: style))]\n"
            }
        }
        return text
    }

    /// The groups every variant has, then `all`: the scopes a comparison can line up.
    static func comparedScopes(_ comparison: ComparisonResult) -> [ScopeKey] {
        let perVariant = comparison.variants.map { Aggregation.scopes(of: $0.points) }
        guard let first = perVariant.first else { return [] }
        return first.filter { scope in
            scope.kind != .function && perVariant.allSatisfy { $0.contains(scope) }
        }
    }

    private static func isShown(_ row: ComparisonRow, scopes: [ScopeKey]) -> Bool {
        scopes.contains(row.scope) && keyMetrics.contains { $0.0 == row.value.metric }
    }

    /// `+1.23 ± 0.45 s *` style cell of a difference.
    static func differenceCell(_ difference: PairedDifference?, metric: Metric) -> String {
        guard let difference else { return "-" }
        let style = ConsoleNumber.style(of: metric)
        let halfWidth = difference.ci95High.flatMap { high in difference.ci95Low.map { (high - $0) / 2 } }
        var text = ConsoleNumber.format(difference.mean, halfWidth: halfWidth, style: style)
        if difference.mean > 0 { text = "+" + text }
        if difference.significant == true { text += " *" }
        return text
    }

    private static func signed(_ value: Double, style: ConsoleNumber.Style) -> String {
        (value > 0 ? "+" : "") + ConsoleNumber.format(value, style: style)
    }

    private struct RowKey: Hashable {
        var variant: String
        var scope: ScopeKey
        var metric: Metric

        init(variant: String, scope: ScopeKey, metric: Metric) {
            self.variant = variant
            self.scope = scope
            self.metric = metric
        }

        init(_ row: ComparisonRow) {
            self.init(variant: row.variant, scope: row.scope, metric: row.value.metric)
        }
    }
}
