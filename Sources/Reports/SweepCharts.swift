import Foundation
import ServerlessModel

/// p99 latency, throttle rate, cost and every ``HeadlineMetrics`` count that is not 0 against
/// each swept parameter, from aggregate.csv: the mean over replications with its 95% interval
/// as a band.
enum SweepCharts {
    /// A metric a sweep is charted by.
    struct Measure {
        var metric: String
        var title: String
        var axis: String
        var unit: ChartUnit
        /// The scope kinds shown, in legend order.
        var kinds: [String]
    }

    static let measures = [
        Measure(metric: "latency_p99_s", title: "p99 end-to-end latency", axis: "p99 latency", unit: .seconds, kinds: ["group", "all"]),
        Measure(metric: "throttle_rate", title: "Throttle rate", axis: "throttled attempts (%)", unit: .fraction, kinds: ["group", "all"]),
        Measure(metric: "cost_usd", title: "Cost per run", axis: "cost per run (US$)", unit: .dollars, kinds: ["function", "container", "all"]),
    ] + headlineMeasures

    /// The ``HeadlineMetrics`` as measures: counts per run, charted only where not 0.
    static let headlineMeasures = HeadlineMetrics.shownWhenNonZero.map { metric in
        let words = metric.rawValue.replacingOccurrences(of: "_", with: " ")
        let title = words.prefix(1).uppercased() + words.dropFirst()
        return Measure(metric: metric.rawValue, title: title + " per run", axis: words + " per run", unit: .count,
                       kinds: metric == .functionErrors ? ["function", "all"] : ["group", "function", "all"])
    }

    /// Whether a measure is one of the headline counts, charted only where not 0.
    static func isHeadline(_ measure: Measure) -> Bool {
        HeadlineMetrics.shownWhenNonZero.contains { $0.rawValue == measure.metric }
    }

    /// A chart per (swept parameter, measure); none without a sweep. A sweep of a function's
    /// memory alone starts with AWS Lambda Power Tuning's charts (``powerTuning(_:)``).
    static func charts(_ data: ReportData) -> [XYChart] {
        guard !data.parameterNames.isEmpty, !data.aggregates.isEmpty else { return [] }
        var charts = powerTuning(data)
        for (p, parameter) in data.parameterNames.enumerated() {
            let values = LatencyCDFChart.unique(data.aggregates.map { $0.parameters.indices.contains(p) ? $0.parameters[p] : "" })
            let numbers = values.compactMap(Double.init)
            let numeric = numbers.count == values.count
            for measure in measures {
                if let chart = chart(data, parameter: p, name: parameter, values: values, numeric: numeric, measure: measure) {
                    charts.append(chart)
                }
            }
        }
        return charts
    }

    /// What AWS Lambda Power Tuning shows for a function's memory (`functions.<name>.memory`
    /// the only swept parameter): the monthly bill and the p99 latency of `all` against memory,
    /// the cheapest and the fastest setting marked on both.
    static func powerTuning(_ data: ReportData) -> [XYChart] {
        guard data.parameterNames.count == 1, let name = data.parameterNames.first, name.hasPrefix("functions."),
              name.hasSuffix(".memory") else { return [] }
        let cost = data.aggregates.filter { $0.metric == Metric.costPerMonth.rawValue && $0.kind == "all" && !$0.parameters.isEmpty }
        let p99 = data.aggregates.filter { $0.metric == Metric.latencyP99.rawValue && $0.kind == "all" && !$0.parameters.isEmpty }
        guard !cost.isEmpty, !p99.isEmpty else { return [] }
        let values = LatencyCDFChart.unique(cost.map(\.parameters[0]))
        let cheapest = cost.min { $0.mean < $1.mean }?.parameters[0]
        let fastest = p99.min { $0.mean < $1.mean }?.parameters[0]
        func mark(_ value: String) -> String? {
            switch (value == cheapest, value == fastest) {
            case (true, true): "cheapest, fastest"
            case (true, false): "cheapest"
            case (false, true): "fastest"
            case (false, false): nil
            }
        }
        func chart(_ rows: [AggregateValue], title: String, axis: String, unit: ChartUnit) -> XYChart {
            let points = rows.map { row -> XYChart.Point in
                let value = row.parameters[0]
                var point = XYChart.Point(x: Double(values.firstIndex(of: value) ?? 0), y: row.mean, low: row.ci95Low, high: row.ci95High,
                                          note: "\(name)=\(value): \(unit.format(row.mean))" + (mark(value).map { " (\($0))" } ?? ""),
                                          highlighted: mark(value) != nil)
                point.label = mark(value) ?? ""
                return point
            }.sorted { $0.x < $1.x }
            var chart = XYChart(title: "Power tuning: \(title) against \(name)",
                                subtitle: "all; mean over replications, band: 95% confidence interval; the cheapest and the fastest marked",
                                xLabel: name, xUnit: .count, yLabel: axis, yUnit: unit, series: [XYChart.Series(name: "all", points: points)])
            chart.xCategories = values
            chart.yIncludesZero = false
            return chart
        }
        return [chart(cost, title: "cost per month", axis: "cost per month (US$)", unit: .dollars),
                chart(p99, title: "p99 latency", axis: "p99 latency", unit: .seconds)]
    }

    /// One chart, or nil when no scope has the metric.
    static func chart(_ data: ReportData, parameter p: Int, name: String, values: [String], numeric: Bool,
                      measure: Measure) -> XYChart? {
        var rows = data.aggregates.filter { $0.metric == measure.metric && measure.kinds.contains($0.kind) && $0.parameters.count > p }
        guard !rows.isEmpty else { return nil }
        if isHeadline(measure), rows.allSatisfy({ $0.mean == 0 }) { return nil }
        // With a single group, all's latency repeats its line (its throttle rate does not: it
        // counts invocation attempts, a group's count deliveries).
        let groups = Set(rows.filter { $0.kind == "group" }.map(\.scope))
        if measure.metric.hasPrefix("latency") && groups.count == 1 { rows.removeAll { $0.kind == "all" } }
        // A line per scope and per setting of the other swept parameters.
        func key(_ row: AggregateValue) -> String {
            let others = data.parameterNames.enumerated().filter { $0.offset != p && $0.offset < row.parameters.count }
                .map { "\($0.element)=\(row.parameters[$0.offset])" }
            let scope = row.kind == "all" ? "all" : "\(row.kind) \(row.scope)"
            return ([scope] + others).joined(separator: ", ")
        }
        let ordered = rows.sorted { a, b in
            let ka = measure.kinds.firstIndex(of: a.kind) ?? 0, kb = measure.kinds.firstIndex(of: b.kind) ?? 0
            return ka != kb ? ka < kb : a.point < b.point
        }
        let keys = LatencyCDFChart.unique(ordered.map(key))
        let series = keys.prefix(LatencyCDFChart.maximumLines).map { name in
            let points = ordered.filter { key($0) == name }.map { row -> XYChart.Point in
                let value = row.parameters[p]
                let x = numeric ? Double(value) ?? 0 : Double(values.firstIndex(of: value) ?? 0)
                var note = "\(name) at \(data.parameterNames[p])=\(value): \(measure.unit.format(row.mean))"
                if let low = row.ci95Low, let high = row.ci95High {
                    note += " (95% interval \(measure.unit.format(low)) to \(measure.unit.format(high)), \(row.n) replications)"
                }
                return XYChart.Point(x: x, y: row.mean, low: row.ci95Low, high: row.ci95High, note: note)
            }
            .sorted { $0.x < $1.x }
            return XYChart.Series(name: name, points: points)
        }
        var chart = XYChart(
            title: "\(measure.title) against \(name)",
            subtitle: "mean over replications; band: 95% confidence interval" + (keys.count > series.count ? "; \(series.count) of \(keys.count) lines" : ""),
            xLabel: name, xUnit: .count, yLabel: measure.axis, yUnit: measure.unit, series: Array(series))
        chart.xIncludesZero = false
        if !numeric { chart.xCategories = values }
        return chart
    }
}
