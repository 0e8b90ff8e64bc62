/// The configurations a plan evaluated, from plan.csv: their cost and each constrained
/// metric in knob order (one x position per configuration, ascending in the first varied
/// setting, then the next), with 95% interval whiskers and the SLO target as a line; and
/// cost against p99 with the frontier and the chosen point. On every chart a colour means a
/// verdict, and nothing else; the target and the frontier are grey lines.
enum PlanChart {
    /// The verdicts, with their colours (infeasible configurations were not simulated and
    /// have nothing to draw).
    static let verdicts = [("pass", "#009E73"), ("fail", "#D55E00"), ("undecided", "#E69F00")]
    /// The colour of the SLO target's line and of the frontier.
    static let reference = "#555555"

    /// The charts: cost by verdict, one per constraint, then cost against p99.
    static func charts(_ data: ReportData) -> [XYChart] {
        guard let plan = data.plan else { return [] }
        let simulated = plan.evaluations.filter { $0.cost != nil }.sorted { knobOrder($0.values, $1.values) }
        guard !simulated.isEmpty else { return [] }
        let categories = distinct(simulated.map { $0.values.joined(separator: "/") })
        let axis = "configuration (" + plan.paths.map(shortPath).joined(separator: " / ") + "), in knob order"
        func settings(_ evaluation: PlanTable.Evaluation) -> String {
            "evaluation \(evaluation.index)\(evaluation.recommended ? " (chosen)" : ""): "
                + zip(plan.paths, evaluation.values).map { "\($0)=\($1)" }.joined(separator: ", ")
        }
        let infeasible = plan.evaluations.count - simulated.count
        let counts = "\(plan.evaluations.count) configurations evaluated" + (infeasible > 0 ? " (\(infeasible) infeasible, not drawn)" : "")

        /// A series per verdict of the configurations' values of one measure.
        func byVerdict(_ value: (PlanTable.Evaluation) -> (mean: Double, low: Double?, high: Double?)?,
                       note: (PlanTable.Evaluation, Double, Double?, Double?) -> String,
                       x: (Int, PlanTable.Evaluation) -> Double) -> [XYChart.Series] {
            verdicts.compactMap { verdict, color -> XYChart.Series? in
                let points = simulated.enumerated().compactMap { position, evaluation -> XYChart.Point? in
                    guard evaluation.status == verdict, let v = value(evaluation) else { return nil }
                    return XYChart.Point(x: x(position, evaluation), y: v.mean, low: v.low, high: v.high,
                                         note: note(evaluation, v.mean, v.low, v.high), highlighted: evaluation.recommended)
                }
                return points.isEmpty ? nil : XYChart.Series(name: verdict, points: points, line: false, color: color)
            }
        }
        func interval(_ unit: ChartUnit, _ low: Double?, _ high: Double?) -> String {
            guard let low, let high else { return "" }
            return " (95% interval \(unit.format(low)) to \(unit.format(high)))"
        }
        func verdictNote(_ evaluation: PlanTable.Evaluation) -> String {
            "; \(evaluation.status)" + (evaluation.reason.isEmpty ? "" : ": \(evaluation.reason)")
        }

        let costSeries = byVerdict({ e in e.cost.map { ($0, e.costLow, e.costHigh) } },
                                   note: { e, mean, low, high in
                                       settings(e) + "; cost \(ChartUnit.dollars.format(mean))" + interval(.dollars, low, high) + verdictNote(e)
                                   }, x: { position, _ in Double(position) })
        var cost = XYChart(title: "Configurations evaluated by the plan: cost",
                           subtitle: counts + "; colour: verdict; whiskers: 95% interval; ring: the chosen one",
                           xLabel: axis, xUnit: .count, yLabel: "cost per run (US$)", yUnit: .dollars, series: costSeries)
        cost.xCategories = categories
        cost.yIncludesZero = false
        var charts = [cost]

        // One chart per constraint, a series per verdict and the target as a line.
        for (column, constraint) in plan.constraints.enumerated() {
            let metric = metricName(constraint)
            let unit = unit(metric)
            let scope = String(constraint.dropLast(metric.count + 1))
            let scopeName = scope == "all" ? "all groups" : "group \(scope)"
            let name = names[metric] ?? metric
            var series = byVerdict({ e in
                guard column < e.constraintValues.count, let mean = e.constraintValues[column].mean else { return nil }
                return (mean, e.constraintValues[column].low, e.constraintValues[column].high)
            }, note: { e, mean, low, high in
                settings(e) + "; \(constraint) \(unit.format(mean))" + interval(unit, low, high) + verdictNote(e)
            }, x: { position, _ in Double(position) })
            guard !series.isEmpty else { continue }
            let target = plan.targets.indices.contains(column) ? plan.targets[column] : nil
            if let target {
                series.append(targetLine(target, from: 0, to: Double(simulated.count - 1), unit: unit))
            }
            var chart = XYChart(title: "Configurations evaluated by the plan: \(name) of \(scopeName)",
                                subtitle: "colour: verdict; whiskers: 95% interval, whose upper end must meet the SLO"
                                    + (target.map { "; grey line: the target, \(unit.format($0))" } ?? "") + "; ring: the chosen one",
                                xLabel: axis, xUnit: .count, yLabel: name, yUnit: unit, series: series)
            chart.xCategories = categories
            charts.append(chart)
        }
        if let frontier = frontier(plan, simulated: simulated, settings: settings) { charts.append(frontier) }
        return charts
    }

    /// Cost against the worst p99 latency target's metric (or the first constrained metric):
    /// every configuration by verdict, the frontier of those no cheaper one beats, the target.
    static func frontier(_ plan: PlanTable, simulated: [PlanTable.Evaluation],
                         settings: (PlanTable.Evaluation) -> String) -> XYChart? {
        let columns = plan.constraints.enumerated().filter { metricName($0.element) == "latency_p99_s" }.map(\.offset)
        let chosen = columns.isEmpty ? Array(plan.constraints.indices.prefix(1)) : columns
        guard let first = chosen.first else { return nil }
        let metric = metricName(plan.constraints[first])
        let unit = unit(metric)
        let name = names[metric] ?? metric
        // The worst scope's mean of each configuration.
        let points = simulated.compactMap { evaluation -> (PlanTable.Evaluation, cost: Double, value: Double)? in
            guard let cost = evaluation.cost else { return nil }
            let values = chosen.compactMap { $0 < evaluation.constraintValues.count ? evaluation.constraintValues[$0].mean : nil }
            return values.max().map { (evaluation, cost, $0) }
        }
        guard points.count >= 2 else { return nil }
        var series = verdicts.compactMap { verdict, color -> XYChart.Series? in
            let marks = points.filter { $0.0.status == verdict }.map { evaluation, cost, value in
                XYChart.Point(x: cost, y: value, note: settings(evaluation) + "; cost \(ChartUnit.dollars.format(cost)), worst \(name) "
                              + "\(unit.format(value)); \(evaluation.status)", highlighted: evaluation.recommended)
            }
            return marks.isEmpty ? nil : XYChart.Series(name: verdict, points: marks, line: false, color: color)
        }
        // The frontier: by cost, each configuration whose value is below every cheaper one's.
        var best = Double.infinity
        var line: [XYChart.Point] = []
        for (evaluation, cost, value) in points.sorted(by: { ($0.cost, $0.value) < ($1.cost, $1.value) }) where value < best {
            best = value
            line.append(XYChart.Point(x: cost, y: value, note: "frontier: " + settings(evaluation)))
        }
        if line.count >= 2 { series.append(XYChart.Series(name: "frontier", points: line, color: reference)) }
        let costs = points.map(\.cost)
        let targets = chosen.compactMap { plan.targets.indices.contains($0) ? plan.targets[$0] : nil }
        if let target = targets.min(), let low = costs.min(), let high = costs.max() {
            series.append(targetLine(target, from: low, to: high, unit: unit))
        }
        var chart = XYChart(title: "Cost against \(name): the frontier",
                            subtitle: "each configuration by its worst scope; colour: verdict; grey: the frontier (no cheaper "
                                + "configuration is faster) and the target; ring: the chosen one",
                            xLabel: "cost per run (US$)", xUnit: .dollars, yLabel: "\(name), worst scope", yUnit: unit, series: series)
        chart.xIncludesZero = false
        return chart
    }

    /// The SLO target as a horizontal line across the chart.
    static func targetLine(_ target: Double, from low: Double, to high: Double, unit: ChartUnit) -> XYChart.Series {
        let note = "SLO target \(unit.format(target))"
        return XYChart.Series(name: "SLO target", points: [XYChart.Point(x: low, y: target, note: note),
                                                          XYChart.Point(x: high, y: target, note: note)],
                              color: reference)
    }

    /// Whether one configuration comes before another in knob order: the first setting
    /// ascending (numbers as numbers, sizes such as `512MB` and `1GB` by size), then the next.
    static func knobOrder(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            switch (magnitude(x), magnitude(y)) {
            case (let p?, let q?) where p != q: return p < q
            default: return x < y
            }
        }
        return a.count < b.count
    }

    /// A value's size: a number, or a number with a unit of bytes or time; nil for other text.
    static func magnitude(_ text: String) -> Double? {
        let units: [(String, Double)] = [("GB", 1024), ("MB", 1), ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        if let number = Double(text) { return number }
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)) { return number * factor }
        }
        return nil
    }

    /// Labels made distinct: a repeated one gets its occurrence (`512MB/2`, `512MB/2 (2)`).
    static func distinct(_ labels: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return labels.map { label in
            seen[label, default: 0] += 1
            let count = seen[label] ?? 1
            return count == 1 ? label : "\(label) (\(count))"
        }
    }

    static func unit(_ metric: String) -> ChartUnit {
        metric.hasSuffix("_s") ? .seconds : metric.hasSuffix("_rate") || metric.hasSuffix("_share") ? .fraction : .count
    }

    /// Names for people of the metrics an SLO constrains.
    static let names = [
        "latency_p50_s": "median latency", "latency_p90_s": "p90 latency", "latency_p99_s": "p99 latency",
        "latency_p999_s": "p99.9 latency", "latency_max_s": "maximum latency", "latency_mean_s": "mean latency",
        "dead_lettered": "dead-lettered messages", "throttle_rate": "throttle rate", "unfinished_share": "unfinished share",
        "throughput": "throughput", "cost_usd": "cost per run", "queue_wait_p99_s": "p99 queue wait",
        "oldest_age_max_s": "oldest message age", "downstream_violations": "downstream violations",
    ]

    /// `latency_p99_s` of `B.latency_p99_s` (scope names may hold dots; metric names do not).
    static func metricName(_ constraint: String) -> String {
        constraint.split(separator: ".").last.map(String.init) ?? constraint
    }

    /// `worker-A.reserved_concurrency` of `functions.worker-A.reserved_concurrency`: enough to
    /// tell the varied settings apart on an axis.
    static func shortPath(_ path: String) -> String {
        let parts = path.split(separator: ".")
        return parts.count > 2 ? parts.suffix(2).joined(separator: ".") : path
    }
}
