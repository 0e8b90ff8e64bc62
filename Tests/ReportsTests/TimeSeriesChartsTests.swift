import Testing
@testable import Reports

/// The charts over time: what they draw from timeseries.csv rows.
@Suite struct TimeSeriesChartsTests {
    /// Three 10 s intervals of a queue, an always-empty dead-letter queue and a function.
    private var data: ReportData {
        var data = ReportData(folder: "f", name: "n")
        for (i, start) in [0.0, 10, 20].enumerated() {
            data.timeseries.append(TimeSeriesSample(start: start, kind: "queue", entity: "tasks",
                                                    values: ["visible": Double(5 * i), "in_flight": 2]))
            data.timeseries.append(TimeSeriesSample(start: start, kind: "queue", entity: "tasks-dlq",
                                                    values: ["visible": 0, "in_flight": 0]))
            data.timeseries.append(TimeSeriesSample(start: start, kind: "function", entity: "worker",
                                                    values: ["concurrency": 1.5, "throttles": Double(30 * i)]))
        }
        return data
    }

    @Test func anAlwaysEmptyQueueIsLeftOutAndSaidSo() throws {
        let charts = TimeSeriesCharts.charts(data)
        #expect(charts.map(\.title) == ["Queue depth over time", "Concurrency over time", "Throttles over time"])
        #expect(charts[0].series.map(\.name) == ["tasks: visible", "tasks: in flight"])
        #expect(charts[0].subtitle.hasSuffix("always empty, not drawn: tasks-dlq"))
        #expect(charts[0].series[0].points.map(\.y) == [0, 5, 10])
    }

    @Test func throttlesAreDrawnPerSecondOfTheirInterval() throws {
        let throttles = TimeSeriesCharts.charts(data)[2]
        #expect(throttles.yUnit == .perSecond)
        #expect(throttles.series[0].points.map(\.y) == [0, 3, 6])
        #expect(throttles.series[0].points[2].note == "worker at 20 s: 60 throttles in 10 s (6 /s)")
        #expect(!throttles.subtitle.contains("no throttles"))
    }
}
