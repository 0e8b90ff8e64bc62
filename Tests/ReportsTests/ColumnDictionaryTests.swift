import Foundation
import Testing
@testable import Experiments
@testable import Reports
@testable import ServerlessModel

/// The column dictionary covers every column the writers write, and docs/OUTPUTS.md and
/// notebooks-data/README.md are generated from it. `make docs` rewrites both
/// (QUEUESIM_UPDATE_DOCS=1) when the dictionary changes.
@Suite struct ColumnDictionaryTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let begin = "<!-- begin generated columns: edit Sources/Reports/ColumnDictionary.swift, then run `make docs` -->\n"
    static let end = "<!-- end generated columns -->\n"
    static var updating: Bool { ProcessInfo.processInfo.environment["QUEUESIM_UPDATE_DOCS"] == "1" }

    @Test func everyColumnTheWritersWriteIsInTheDictionary() throws {
        let sweep = try ReportSupport.sweep()
        let comparison = try ReportSupport.compare()
        let tables: [String: CSVTable] = [
            "summary.csv": SummaryCSV.table(sweep), "aggregate.csv": AggregateCSV.table(sweep),
            "timeseries.csv": TimeSeriesCSV.table(sweep), "latency.csv": LatencyCSV.table(sweep),
            "compare.csv": CompareCSV.table(comparison),
        ]
        for (name, table) in tables {
            let file = try #require(ColumnDictionary.files.first { $0.name == name })
            let known = Set(file.columns.map(\.name))
            for column in table.header where !sweep.parameterNames.contains(column) {
                #expect(known.contains(column), "\(name): column \(column) is not in the dictionary")
            }
            // And in the same order.
            let documented = file.columns.map(\.name).filter { table.header.contains($0) }
            #expect(documented == table.header.filter { !sweep.parameterNames.contains($0) }, "\(name): order differs")
        }
        for metric in Metric.allCases {
            #expect(!ColumnDictionary.meaning(of: metric).isEmpty)
        }
    }

    @Test func outputsMarkdownHasTheGeneratedColumns() throws {
        let path = Self.root.appendingPathComponent("docs/OUTPUTS.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/OUTPUTS.md has no generated-columns marker")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let generated = ColumnDictionary.markdown(headingLevel: 3)
        if Self.updating {
            try (String(text[..<start.upperBound]) + generated + String(text[stop.lowerBound...])).write(to: path, atomically: true, encoding: .utf8)
        } else {
            #expect(String(text[start.upperBound..<stop.lowerBound]) == generated,
                    "docs/OUTPUTS.md's columns drifted from ColumnDictionary: run `make docs`")
        }
    }

    @Test func notebooksReadmeIsGenerated() throws {
        let path = Self.root.appendingPathComponent("notebooks-data/README.md")
        if Self.updating {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try NotebooksReadme.text.write(to: path, atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: path, encoding: .utf8)
        #expect(text == NotebooksReadme.text, "notebooks-data/README.md drifted from ColumnDictionary: run `make docs`")
        for file in ColumnDictionary.files {
            #expect(text.contains("### Loading \(file.name)\n") && text.contains("### \(file.name)\n"),
                    "\(file.name) has no loading example or no columns")
            #expect(text.contains("/\(file.name)\")"), "\(file.name)'s example loads another file")
        }
    }
}
