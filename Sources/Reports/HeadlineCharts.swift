import Foundation
import ServerlessModel

/// The ``HeadlineMetrics`` of a single scenario (no sweep, no comparison) that are not 0: one
/// bar chart, a cluster per metric and a bar per task group and `all`, with 95% whiskers. A
/// sweep charts them against its parameters (``SweepCharts``), a comparison per variant
/// (``CompareCharts``).
enum HeadlineCharts {
    static func charts(_ data: ReportData) -> [BarChart] {
        guard data.parameterNames.isEmpty, data.comparison.isEmpty else { return [] }
        let rows = data.aggregates.filter { $0.kind == "group" || $0.kind == "all" || $0.kind == "function" }
        let metrics = HeadlineMetrics.shownWhenNonZero.map(\.rawValue).filter { metric in
            rows.contains { $0.metric == metric && $0.mean != 0 }
        }
        guard !metrics.isEmpty else { return [] }
        let scopes = LatencyCDFChart.unique(rows.filter { metrics.contains($0.metric) }.map { $0.kind == "all" ? "all" : "\($0.kind) \($0.scope)" })
        let bars = metrics.map { metric in
            scopes.map { scope -> BarChart.Bar? in
                guard let row = rows.first(where: { $0.metric == metric && ($0.kind == "all" ? "all" : "\($0.kind) \($0.scope)") == scope }) else {
                    return nil
                }
                var note = "\(scope), \(metric): \(ChartNumber.format(row.mean)) per run"
                if let low = row.ci95Low, let high = row.ci95High {
                    note += " (95% interval \(ChartNumber.format(low)) to \(ChartNumber.format(high)))"
                }
                return BarChart.Bar(value: row.mean, low: row.ci95Low, high: row.ci95High, note: note)
            }
        }
        return [BarChart(title: "What did not succeed, and what was refused", subtitle: "mean per run over the replications, with 95% intervals; only counts that are not 0",
                         categoryLabel: "metric", yLabel: "per run", yUnit: .count,
                         categories: metrics.map { $0.replacingOccurrences(of: "_", with: " ") }, groups: scopes, bars: bars)]
    }
}
