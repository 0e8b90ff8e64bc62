/// End-to-end latency CDFs from latency.csv: the share of messages done within each latency,
/// on a logarithmic time axis, and the share still slower on a logarithmic axis of 1 − p, so
/// that p90, p99, p99.9 and p99.99 are a decade apart each: the tail, where latency
/// objectives live, takes most of the chart instead of a sliver at its top.
///
/// A single scenario gets one chart with a line per task group (and `all`); a comparison one
/// chart per scope with a line per variant; a sweep one chart of `all` with a line per point.
enum LatencyCDFChart {
    /// The most lines in one chart; a longer sweep shows points spread evenly over it.
    static let maximumLines = 8

    /// The charts of a report's latency curves.
    static func charts(_ data: ReportData) -> [XYChart] {
        let curves = data.latencyCurves.filter { $0.kind == "group" || $0.kind == "all" }
        guard !curves.isEmpty else { return [] }
        let labels = unique(curves.map(\.label))
        let variants = curves.contains { !$0.label.isEmpty } && data.parameterNames.isEmpty
        let replications = "mean over \(data.replications) replication\(data.replications == 1 ? "" : "s") of the latency at each percentile"
        if labels.count <= 1 {
            let groups = curves.filter { $0.kind == "group" }
            // With one group, its line and all's coincide.
            let shown = groups.count == 1 ? groups : curves
            return [chart("End-to-end latency CDF per group", subtitle: replications,
                          series: shown.map { ($0.scope == "all" && $0.kind == "all" ? "all groups" : "group \($0.scope)", $0) })]
        }
        if variants {
            let scopes = unique(curves.map { $0.kind == "all" ? "all" : $0.scope })
            return scopes.prefix(5).map { scope in
                let lines = curves.filter { ($0.kind == "all" ? "all" : $0.scope) == scope }
                return chart(scope == "all" ? "End-to-end latency CDF, all groups" : "End-to-end latency CDF, group \(scope)",
                             subtitle: replications + "; one line per variant", series: lines.map { ($0.label, $0) })
            }
        }
        let all = curves.filter { $0.kind == "all" }
        let picked = spread(all, count: maximumLines)
        let note = picked.count < all.count ? "; \(picked.count) of \(all.count) sweep points" : "; one line per sweep point"
        return [chart("End-to-end latency CDF per sweep point, all groups", subtitle: replications + note,
                      series: picked.map { ($0.label, $0) })]
    }

    /// One chart: latency on a log axis, the share of messages slower on a log axis (100 % at
    /// the top, p0; p99.99 at the bottom). The maximum (p100, none slower) has no place on it.
    static func chart(_ title: String, subtitle: String, series: [(String, LatencyCurve)]) -> XYChart {
        var chart = XYChart(
            title: title, subtitle: subtitle, xLabel: "end-to-end latency (log scale)", xUnit: .seconds,
            yLabel: "percentile (log scale of the share slower)", yUnit: .slowerShare,
            series: series.map { name, curve in
                XYChart.Series(name: name, points: curve.points.filter { $0.seconds > 0 && $0.percentile < 100 }.map { point in
                    XYChart.Point(x: point.seconds, y: 1 - point.percentile / 100,
                                  note: "\(name): \(ChartUnit.slowerShare.format(1 - point.percentile / 100)) \(ChartUnit.seconds.format(point.seconds)) (\(ChartNumber.format(100 - point.percentile))% of messages slower)")
                })
            })
        chart.xLogarithmic = true
        chart.yLogarithmic = true
        return chart
    }

    /// Distinct values in order of first appearance.
    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// At most `count` elements, spread evenly from the first to the last.
    static func spread<T>(_ values: [T], count: Int) -> [T] {
        guard values.count > count, count >= 2 else { return values }
        return (0..<count).map { values[$0 * (values.count - 1) / (count - 1)] }
    }
}
