import Experiments
import Foundation
@testable import Reports
import ServerlessModel
import Testing

/// Files whose rows are written a run at a time, as the runs finish, are byte for byte the
/// files made from the whole result, and stay one set: nothing is in place until the commit.
@Suite struct ExperimentFilesTests {
    private func text(_ folder: String, _ name: String) -> String {
        (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
    }

    /// The sweep's and the simulate's files, streamed run by run, against the tables.
    @Test(arguments: [false, true])
    func streamedRowsMakeTheFilesTheWholeResultMakes(sweep: Bool) throws {
        let result = sweep ? try ReportSupport.sweep() : try ReportSupport.simulate()
        let path = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let files = try ExperimentFiles(in: try OutputFolder(creating: path), command: sweep ? "sweep" : "simulate",
                                        files: ExperimentFiles.experimentSet(tenants: !sweep), parameterNames: result.parameterNames)
        for point in result.points {
            for run in point.runs {
                try files.add(run, scenario: result.scenario, point: point.index, parameters: point.parameters)
            }
        }
        // Nothing is in place before the commit: only hidden temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).allSatisfy { $0.hasPrefix(".") })
        // aggregate.csv is written a row at a time as it is made, and is the table held whole.
        let written = try files.commit(["aggregate.csv": AggregateCSV.rows(result)])
        // No run has tenants, so tenants.csv is left out, as TenantsCSV.table gives nil.
        #expect(written == ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv"].map { path + "/" + $0 })
        #expect(TenantsCSV.table(result) == nil)
        #expect(text(path, "summary.csv") == SummaryCSV.table(result).text)
        #expect(text(path, "aggregate.csv") == AggregateCSV.table(result).text)
        #expect(text(path, "timeseries.csv") == TimeSeriesCSV.table(result).text)
        #expect(text(path, "latency.csv") == LatencyCSV.table(result).text)
        #expect(try OutputManifest.verifiedFiles(in: path) == ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                == ["aggregate.csv", "latency.csv", "manifest.json", "summary.csv", "timeseries.csv"])
    }

    @Test func anAbandonedSetLeavesThePreviousSetAsItWas() throws {
        let result = try ReportSupport.simulate()
        let path = try ReportSupport.write(result)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let before = try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { ($0, text(path, $0)) }
        let files = try ExperimentFiles(in: try OutputFolder(creating: path), command: "simulate",
                                        files: ExperimentFiles.experimentSet(tenants: true), parameterNames: [])
        try files.add(try #require(result.points[0].runs.first), scenario: "other", point: 0, parameters: [])
        files.abandon()
        let after = try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { ($0, text(path, $0)) }
        #expect(after.map(\.0) == before.map(\.0))
        #expect(after.map(\.1) == before.map(\.1))
    }

    @Test func aKilledRunsTemporaryFilesGoAndALiveProcesssStay() throws {
        let path = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A process that cannot exist (a killed run), one that is running (pid 1), another file.
        let names = [".summary.csv.tmp-\(Int32.max)-1", ".timeseries.csv.tmp-1-2", ".other.csv.tmp-\(Int32.max)-3", "notes.txt"]
        for name in names { #expect(FileManager.default.createFile(atPath: path + "/" + name, contents: Data("x".utf8))) }
        let files = try ExperimentFiles(in: try OutputFolder(creating: path), command: "simulate",
                                        files: ExperimentFiles.experimentSet(tenants: false), parameterNames: [])
        files.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == names.dropFirst().sorted())
    }
}
