/// The configurations a plan evaluated, from plan.csv, one x position each in the order
/// evaluated: their cost, and each constrained metric, with 95% interval whiskers; the
/// chosen configuration ringed and labelled.
enum PlanChart {
    /// The verdicts, with their colours (infeasible configurations were not simulated and
    /// have nothing to draw).
    static let verdicts = [("pass", "#009E73"), ("fail", "#D55E00"), ("undecided", "#E69F00")]

    /// The charts: cost by verdict, then one per constrained metric with a series per scope.
    static func charts(_ data: ReportData) -> [XYChart] {
        guard let plan = data.plan else { return [] }
        let simulated = plan.evaluations.filter { $0.cost != nil }
        guard !simulated.isEmpty else { return [] }
        // x positions: the simulated configurations in the order evaluated, labelled by their values.
        let categories = simulated.map { $0.values.joined(separator: "/") }
        let axis = "configuration (" + plan.paths.map(shortPath).joined(separator: " / ") + ")"
        func settings(_ evaluation: PlanTable.Evaluation) -> String {
            "evaluation \(evaluation.index)\(evaluation.recommended ? " (chosen)" : ""): "
                + zip(plan.paths, evaluation.values).map { "\($0)=\($1)" }.joined(separator: ", ")
        }
        let infeasible = plan.evaluations.count - simulated.count
        let counts = "\(plan.evaluations.count) configurations evaluated" + (infeasible > 0 ? " (\(infeasible) infeasible, not drawn)" : "")

        let costSeries = verdicts.compactMap { verdict, color -> XYChart.Series? in
            let points = simulated.enumerated().filter { $0.element.status == verdict }.map { position, evaluation in
                let cost = evaluation.cost ?? 0
                var note = settings(evaluation) + "; cost \(ChartUnit.dollars.format(cost))"
                if let low = evaluation.costLow, let high = evaluation.costHigh {
                    note += " (95% interval \(ChartUnit.dollars.format(low)) to \(ChartUnit.dollars.format(high)))"
                }
                note += "; \(evaluation.status)" + (evaluation.reason.isEmpty ? "" : ": \(evaluation.reason)")
                return XYChart.Point(x: Double(position), y: cost, low: evaluation.costLow, high: evaluation.costHigh,
                                     note: note, highlighted: evaluation.recommended)
            }
            return points.isEmpty ? nil : XYChart.Series(name: verdict, points: points, line: false, color: color)
        }
        var cost = XYChart(title: "Configurations evaluated by the plan: cost",
                           subtitle: counts + "; whiskers: 95% interval; ring: the chosen one",
                           xLabel: axis, xUnit: .count, yLabel: "cost per run (US$)", yUnit: .dollars, series: costSeries)
        cost.xCategories = categories
        cost.yIncludesZero = false
        var charts = [cost]

        // One chart per constrained metric, a series per scope.
        let metrics = LatencyCDFChart.unique(plan.constraints.map(metricName))
        for metric in metrics {
            let columns = plan.constraints.enumerated().filter { metricName($0.element) == metric }
            let unit: ChartUnit = metric.hasSuffix("_s") ? .seconds : metric.hasSuffix("_rate") || metric.hasSuffix("_share") ? .fraction : .count
            let series = columns.compactMap { column, constraint -> XYChart.Series? in
                let scope = String(constraint.dropLast(metric.count + 1))
                let points = simulated.enumerated().compactMap { position, evaluation -> XYChart.Point? in
                    guard column < evaluation.constraintValues.count, let mean = evaluation.constraintValues[column].mean else { return nil }
                    let value = evaluation.constraintValues[column]
                    var note = settings(evaluation) + "; \(constraint) \(unit.format(mean))"
                    if let low = value.low, let high = value.high {
                        note += " (95% interval \(unit.format(low)) to \(unit.format(high)))"
                    }
                    return XYChart.Point(x: Double(position), y: mean, low: value.low, high: value.high, note: note + "; \(evaluation.status)",
                                         highlighted: evaluation.recommended)
                }
                return points.isEmpty ? nil : XYChart.Series(name: scope == "all" ? "all groups" : "\(scope)", points: points, line: false)
            }
            guard !series.isEmpty else { continue }
            let name = names[metric] ?? metric
            var chart = XYChart(title: "Configurations evaluated by the plan: \(name)",
                                subtitle: "per scope; whiskers: 95% interval, whose upper end must meet the SLO; shaded: the chosen one",
                                xLabel: axis, xUnit: .count, yLabel: name, yUnit: unit,
                                series: Array(series.prefix(LatencyCDFChart.maximumLines)))
            chart.xCategories = categories
            charts.append(chart)
        }
        return charts
    }

    /// Names for people of the metrics an SLO constrains.
    static let names = [
        "latency_p50_s": "median latency", "latency_p90_s": "p90 latency", "latency_p99_s": "p99 latency",
        "latency_p999_s": "p99.9 latency", "latency_max_s": "maximum latency", "latency_mean_s": "mean latency",
        "dead_lettered": "dead-lettered messages", "throttle_rate": "throttle rate", "unfinished_share": "unfinished share",
        "throughput": "throughput", "cost_usd": "cost per run",
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
