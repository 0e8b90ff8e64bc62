/// Queue depth (visible and in flight), concurrency and throttles over time, from
/// timeseries.csv: interval by interval, the mean over the replications of the first point,
/// with a band from the lowest to the highest replication.
enum TimeSeriesCharts {
    /// The three charts, each only when the run has the entities it draws.
    static func charts(_ data: ReportData) -> [XYChart] {
        let samples = data.timeseries
        guard !samples.isEmpty else { return [] }
        let count = samples.map(\.replications).max() ?? 1
        var run = count > 1 ? "mean of \(count) replications, band from the lowest to the highest" : "one replication"
        run += (data.parameterNames.isEmpty ? "" : ", first sweep point") + "; one mark per interval"
        var charts: [XYChart] = []

        // Queues that stayed empty (a dead-letter queue, whose messages leave the simulation
        // when they arrive) would only draw lines along the axis over the others.
        let listed = LatencyCDFChart.unique(samples.filter { $0.kind == "queue" }.map(\.entity))
        let queues = listed.filter { queue in
            samples.contains { $0.kind == "queue" && $0.entity == queue && ($0.values["visible"] ?? 0) + ($0.values["in_flight"] ?? 0) > 0 }
        }
        let empty = listed.filter { !queues.contains($0) }
        var depth: [XYChart.Series] = []
        for queue in queues {
            for (column, label) in [("visible", "visible"), ("in_flight", "in flight")] {
                let points = samples.filter { $0.kind == "queue" && $0.entity == queue }.compactMap { sample -> XYChart.Point? in
                    guard let value = sample.values[column] else { return nil }
                    return XYChart.Point(x: sample.start, y: value, low: sample.ranges[column]?.lowerBound, high: sample.ranges[column]?.upperBound,
                                         note: "\(queue) at \(ChartUnit.seconds.format(sample.start)): \(ChartNumber.format(value)) messages \(label)" + spread(sample, column))
                }
                if !points.isEmpty { depth.append(XYChart.Series(name: "\(queue): \(label)", points: points, band: Self.band)) }
            }
        }
        if !depth.isEmpty {
            let note = empty.isEmpty ? "" : "; always empty, not drawn: " + empty.joined(separator: ", ")
            charts.append(XYChart(title: "Queue depth over time", subtitle: run + " (at its end)" + note, xLabel: "simulated time",
                                  xUnit: .seconds, yLabel: "messages", yUnit: .count, series: Array(depth.prefix(LatencyCDFChart.maximumLines))))
        }

        let functions = LatencyCDFChart.unique(samples.filter { $0.kind == "function" }.map(\.entity))
        let concurrency = functions.compactMap { function -> XYChart.Series? in
            let points = samples.filter { $0.kind == "function" && $0.entity == function }.compactMap { sample -> XYChart.Point? in
                guard let value = sample.values["concurrency"] else { return nil }
                return XYChart.Point(x: sample.start, y: value, low: sample.ranges["concurrency"]?.lowerBound,
                                     high: sample.ranges["concurrency"]?.upperBound,
                                     note: "\(function) at \(ChartUnit.seconds.format(sample.start)): \(ChartNumber.format(value)) executions (mean)" + spread(sample, "concurrency"))
            }
            return points.isEmpty ? nil : XYChart.Series(name: function, points: points, band: Self.band)
        }
        if !concurrency.isEmpty {
            charts.append(XYChart(title: "Concurrency over time", subtitle: run + " (time-weighted mean)", xLabel: "simulated time",
                                  xUnit: .seconds, yLabel: "executions in progress", yUnit: .count,
                                  series: Array(concurrency.prefix(LatencyCDFChart.maximumLines))))
        }

        let throttles = functions.compactMap { function -> XYChart.Series? in
            let rows = samples.filter { $0.kind == "function" && $0.entity == function }
            let points = rows.enumerated().compactMap { i, sample -> XYChart.Point? in
                guard let count = sample.values["throttles"] else { return nil }
                let width = sample.values["interval_s"] ?? interval(rows, at: i)
                let rate = width > 0 ? count / width : count
                let range = sample.ranges["throttles"].map { ($0.lowerBound / max(width, 1e-12), $0.upperBound / max(width, 1e-12)) }
                return XYChart.Point(x: sample.start, y: rate, low: width > 0 ? range?.0 : nil, high: width > 0 ? range?.1 : nil,
                                     note: "\(function) at \(ChartUnit.seconds.format(sample.start)): \(ChartNumber.format(count)) throttles in \(ChartUnit.seconds.format(width)) (\(ChartUnit.perSecond.format(rate)))")
            }
            return points.isEmpty ? nil : XYChart.Series(name: function, points: points, band: Self.band)
        }
        if !throttles.isEmpty {
            let none = throttles.allSatisfy { $0.points.allSatisfy { $0.y == 0 } }
            charts.append(XYChart(title: "Throttles over time", subtitle: run + (none ? "; no throttles in this run" : ""), xLabel: "simulated time", xUnit: .seconds,
                                  yLabel: "throttled invoke attempts", yUnit: .perSecond,
                                  series: Array(throttles.prefix(LatencyCDFChart.maximumLines))))
        }
        return charts
    }

    /// What a band is, for its hover note.
    static let band = "lowest to highest replication"

    /// ` (replications 3 to 9)` for a hover note; empty with one replication.
    static func spread(_ sample: TimeSeriesSample, _ column: String) -> String {
        guard let range = sample.ranges[column] else { return "" }
        return " (replications \(ChartNumber.format(range.lowerBound)) to \(ChartNumber.format(range.upperBound)))"
    }

    /// The length of the interval at `index` in a file without `interval_s` (written before
    /// it was): to the next start, or the previous interval's.
    static func interval(_ rows: [TimeSeriesSample], at index: Int) -> Double {
        if index + 1 < rows.count { return rows[index + 1].start - rows[index].start }
        if index >= 1 { return rows[index].start - rows[index - 1].start }
        return 0
    }
}
