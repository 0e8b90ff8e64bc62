import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Experiments
@testable import Reports
@testable import ServerlessModel
import SimCore

/// Real runs of a small pipeline (two groups, one function), their CSV files written by the
/// real writers into a temporary folder, and the anatomy of the charts of a report page.
enum ReportSupport {
    /// Two task groups sharing one queue and function; `concurrency` limits the function.
    static func pipeline(concurrency: Int = 4, name: String = "pair") -> PipelineSpec {
        var spec = Fixtures.pipeline
        spec.name = name
        spec.run = RunSettings(duration: .minutes(2), seed: 11, replications: 3)
        spec.groups = [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 3))),
                       TaskGroupSpec(name: "B", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 1)))]
        spec.functions[0].duration = .constant(.ms(400))
        spec.functions[0].reservedConcurrency = concurrency
        return spec
    }

    /// `simulate` of the pipeline (run once for all tests: the runs are deterministic).
    static func simulate() throws -> ExperimentResult { try simulated.get() }
    private static let simulated = Result { try Experiment.run(pipeline(), options: ExperimentOptions(jobs: 1)) }

    /// A sweep of reserved concurrency 1, 2, 4 (run once for all tests).
    static func sweep() throws -> ExperimentResult { try swept.get() }
    private static let swept = Result { try runSweep() }

    private static func runSweep() throws -> ExperimentResult {
        let name = "functions.worker.reserved_concurrency"
        let points = [1, 2, 4].enumerated().map { i, c in
            ExperimentPoint(index: i, label: "\(name)=\(c)", parameters: [ParameterValue(name: name, value: String(c))],
                            pipeline: pipeline(concurrency: c))
        }
        let results = try Replications.run(points, options: ExperimentOptions(jobs: 1))
        return ExperimentResult(scenario: "pair", parameterNames: [name], points: results)
    }

    /// A comparison of concurrency 4 (baseline) with 1 (run once for all tests).
    static func compare() throws -> Experiments.ComparisonResult { try compared.get() }
    private static let compared = Result {
        try Comparison.run([ComparisonVariant(name: "four", pipeline: pipeline(concurrency: 4, name: "four")),
                            ComparisonVariant(name: "one", pipeline: pipeline(concurrency: 1, name: "one"))],
                           options: ExperimentOptions(jobs: 1))
    }

    /// A fresh temporary folder.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes what simulate or sweep writes for `result` into a new folder.
    static func write(_ result: ExperimentResult) throws -> String {
        let path = try folder()
        let output = try OutputFolder(creating: path)
        try output.write(set: [("summary.csv", SummaryCSV.table(result)), ("aggregate.csv", AggregateCSV.table(result)),
                               ("timeseries.csv", TimeSeriesCSV.table(result)), ("latency.csv", LatencyCSV.table(result))],
                         command: "simulate")
        return path
    }

    /// Writes what compare writes into a new folder.
    static func write(_ comparison: Experiments.ComparisonResult) throws -> String {
        let path = try folder()
        let output = try OutputFolder(creating: path)
        try output.write(CompareCSV.table(comparison), as: "compare.csv")
        try output.write(SummaryCSV.table(comparison.variants), as: "summary.csv")
        try output.write(LatencyCSV.table(comparison.variants), as: "latency.csv")
        return path
    }

    /// What a test can see of one chart.
    struct Chart {
        var id: String
        var title: String
        var xLabel: String
        var yLabel: String
        var hasXAxis: Bool
        var hasYAxis: Bool
        /// Data marks (lines, bands, points, bars).
        var marks: Int
        /// Hover notes of the data marks.
        var notes: [String]
        var xTicks: [String]
        var yTicks: [String]
        var legend: [String]
        /// Marks of significant differences (compare) and labels of the chosen configuration (plan).
        var significantMarks: Int
        var highlightLabels: Int
    }

    /// Parses a page as XML (failing the test when it is not well-formed) and returns its charts.
    static func charts(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Chart] {
        let document = try XMLDocument(xmlString: html, options: [])
        let svgs = try document.nodes(forXPath: "//*[local-name()='svg']")
        return try svgs.map { svg in
            func texts(_ path: String) throws -> [String] {
                try svg.nodes(forXPath: path).map { node in
                    // A shortened label keeps its full text in a <title> child; the shown text is the first text node.
                    (node.children?.first { $0.kind == .text }?.stringValue ?? node.stringValue ?? "")
                }
            }
            let element = svg as? XMLElement
            let marks = try svg.nodes(forXPath: ".//*[contains(concat(' ', @class, ' '), ' mark ')]")
            let notes = try marks.compactMap { try $0.nodes(forXPath: "./*[local-name()='title']").first?.stringValue }
            return Chart(
                id: element?.attribute(forName: "id")?.stringValue ?? "",
                title: try texts(".//*[@class='chart-title']").first ?? "",
                xLabel: try texts(".//*[@class='axis-label x-label']").first ?? "",
                yLabel: try texts(".//*[@class='axis-label y-label']").first ?? "",
                hasXAxis: !(try svg.nodes(forXPath: ".//*[@class='axis x-axis']")).isEmpty,
                hasYAxis: !(try svg.nodes(forXPath: ".//*[@class='axis y-axis']")).isEmpty,
                marks: marks.count, notes: notes,
                xTicks: try texts(".//*[contains(@class, 'x-ticks')]/*[local-name()='text']"),
                yTicks: try texts(".//*[contains(@class, 'y-ticks')]/*[local-name()='text']"),
                legend: try texts(".//*[@class='legend']/*[local-name()='text']"),
                significantMarks: try svg.nodes(forXPath: ".//*[@class='significant']").count,
                highlightLabels: try svg.nodes(forXPath: ".//*[@class='highlight-label']").count)
        }
    }

    /// Every chart has a title, both axes with labels, ticks and at least one data mark with a note.
    static func expectAnatomy(_ charts: [Chart], sourceLocation: SourceLocation = #_sourceLocation) {
        for chart in charts {
            #expect(!chart.title.isEmpty, "chart \(chart.id) has no title", sourceLocation: sourceLocation)
            #expect(chart.hasXAxis && chart.hasYAxis, "\(chart.title): an axis is missing", sourceLocation: sourceLocation)
            #expect(!chart.xLabel.isEmpty && !chart.yLabel.isEmpty, "\(chart.title): an axis label is missing", sourceLocation: sourceLocation)
            // A category axis may have a single category (a cost of `all` only).
            #expect(chart.xTicks.count >= 1 && chart.yTicks.count >= 2, "\(chart.title): too few ticks", sourceLocation: sourceLocation)
            #expect(chart.marks >= 1, "\(chart.title): no data mark", sourceLocation: sourceLocation)
            #expect(!chart.notes.isEmpty && chart.notes.allSatisfy { !$0.isEmpty }, "\(chart.title): a mark has no hover note",
                    sourceLocation: sourceLocation)
        }
    }
}
