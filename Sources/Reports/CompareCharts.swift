/// The variants of a comparison side by side, from compare.csv: a bar per variant in each
/// scope, with 95% interval whiskers; an asterisk and a dark outline mark a bar whose paired
/// difference to the first variant is significant.
enum CompareCharts {
    /// The metrics compared, with the scope kinds shown for each.
    static let measures = [
        SweepCharts.Measure(metric: "latency_p99_s", title: "p99 end-to-end latency", axis: "p99 latency", unit: .seconds, kinds: ["group", "all"]),
        SweepCharts.Measure(metric: "latency_p50_s", title: "Median end-to-end latency", axis: "median latency", unit: .seconds, kinds: ["group", "all"]),
        SweepCharts.Measure(metric: "throttle_rate", title: "Throttle rate", axis: "throttled attempts (%)", unit: .fraction, kinds: ["group", "all"]),
        SweepCharts.Measure(metric: "cost_usd", title: "Cost per run", axis: "cost per run (US$)", unit: .dollars, kinds: ["all"]),
    ] + SweepCharts.headlineMeasures

    /// A chart per metric that some variant has.
    static func charts(_ data: ReportData) -> [BarChart] {
        guard !data.comparison.isEmpty else { return [] }
        let variants = LatencyCDFChart.unique(data.comparison.map(\.variant))
        let baseline = variants.first ?? ""
        return measures.compactMap { measure in
            let rows = data.comparison.filter { $0.metric == measure.metric && measure.kinds.contains($0.kind) }
            guard !rows.isEmpty else { return nil }
            // A headline count that is zero everywhere (no dead letters) says nothing as a chart.
            if SweepCharts.isHeadline(measure), rows.allSatisfy({ $0.mean == 0 }) { return nil }
            let scopes = LatencyCDFChart.unique(rows.map { $0.kind == "all" ? "all" : $0.scope })
            let bars = scopes.map { scope in
                variants.map { variant -> BarChart.Bar? in
                    guard let row = rows.first(where: { $0.variant == variant && ($0.kind == "all" ? "all" : $0.scope) == scope }) else { return nil }
                    var note = "\(variant), \(scope): \(measure.unit.format(row.mean))"
                    if let low = row.ci95Low, let high = row.ci95High {
                        note += " (95% interval \(measure.unit.format(low)) to \(measure.unit.format(high)))"
                    }
                    if let difference = row.difference {
                        note += "; \(difference >= 0 ? "+" : "")\(measure.unit.format(difference)) vs \(baseline)"
                        if let significant = row.significant { note += significant ? ", significant" : ", not significant" }
                    }
                    return BarChart.Bar(value: row.mean, low: row.ci95Low, high: row.ci95High,
                                        significant: variant == baseline ? nil : row.significant, note: note)
                }
            }
            return BarChart(
                title: "\(measure.title) by variant",
                subtitle: "mean with 95% interval; * and outline: differs from \(baseline) (paired 95% interval excludes 0)",
                categoryLabel: "task group", yLabel: measure.axis, yUnit: measure.unit,
                categories: scopes.map { $0 == "all" ? "all groups" : $0 }, groups: variants, bars: bars)
        }
    }
}
