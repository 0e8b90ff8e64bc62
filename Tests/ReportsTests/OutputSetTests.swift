import Foundation
@testable import Reports
import Testing

/// An output folder holds one run's files or the previous run's, never a mix that goes
/// unnoticed: a full disk changes nothing, and a kill during the renames leaves a manifest
/// that the files do not match, which `report` refuses.
@Suite struct OutputSetTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "queuesim-set-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Three tables whose every cell names the run, big enough to need several buffers.
    private func set(_ run: String) -> [(name: String, table: CSVTable)] {
        ["summary.csv", "aggregate.csv", "timeseries.csv"].map { name in
            (name, CSVTable(header: ["run", "n"], rows: (0..<5_000).map { [run, "\($0)"] }))
        }
    }

    private func text(_ folder: String, _ name: String) -> String {
        (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
    }

    /// Which run each file of the set is from.
    private func runs(in folder: String) -> Set<String> {
        Set(["summary.csv", "aggregate.csv", "timeseries.csv"].map { text(folder, $0).split(separator: "\n").dropFirst().first.map { String($0.prefix(3)) } ?? "none" })
    }

    @Test func aSetIsWrittenWithAManifestThatListsEachFile() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try OutputFolder(creating: path)
        let files = try output.write(set: set("new"), command: "simulate")
        #expect(files == ["summary.csv", "aggregate.csv", "timeseries.csv"].map { path + "/" + $0 })
        let manifest = try #require(try OutputManifest.read(path))
        #expect(manifest.command == "simulate")
        #expect(manifest.files.map(\.name) == ["summary.csv", "aggregate.csv", "timeseries.csv"])
        #expect(manifest.files[0].bytes == text(path, "summary.csv").utf8.count)
        #expect(try OutputManifest.verifiedFiles(in: path) == ["summary.csv", "aggregate.csv", "timeseries.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                == ["aggregate.csv", "manifest.json", "summary.csv", "timeseries.csv"])
    }

    /// A set of three files and its manifest is four renames: killed after 0, 1, 2 or 3.
    @Test(arguments: 0...3) func aKillDuringTheRenamesNeverLeavesAMixedSetThatReads(renames: Int) throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try OutputFolder(creating: path)
        try output.write(set: set("old"), command: "simulate")
        #expect(throws: ReportError.self) {
            try output.write(set: set("new"), command: "simulate", interruption: .killedAfterRenames(renames))
        }
        let mixed = runs(in: path).count > 1
        #expect(mixed == (renames >= 2), "\(runs(in: path))")
        do {
            _ = try OutputManifest.verifiedFiles(in: path)
            #expect(!mixed, "a mixed set passed the manifest's check after \(renames) renames: \(runs(in: path))")
            #expect(renames == 0, "before the first rename the old set is whole; after the manifest's it is not the listed one")
        } catch {
            #expect(renames > 0)
            #expect(error.reason.contains("mixes two runs' files"))
        }
    }

    @Test func aRunAfterAnInterruptedOneWritesAWholeSet() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try OutputFolder(creating: path)
        try output.write(set: set("old"), command: "simulate")
        _ = try? output.write(set: set("new"), command: "simulate", interruption: .killedAfterRenames(2))
        try output.write(set: set("3rd"), command: "simulate")
        #expect(runs(in: path) == ["3rd"])
        #expect(try OutputManifest.verifiedFiles(in: path) != nil)
    }

    @Test(arguments: [0, 1, 40_000, 80_000, 110_000]) func aFullDiskLeavesThePreviousSetAsItWas(bytes: Int) throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try OutputFolder(creating: path)
        try output.write(set: set("old"), command: "simulate")
        let before = try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { ($0, text(path, $0)) }
        #expect(throws: ReportError.self) {
            try output.write(set: set("new"), command: "simulate", interruption: .diskFullAfter(bytes: bytes))
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { ($0, text(path, $0)) }
        #expect(after.map(\.0) == before.map(\.0), "no temporary file left")
        #expect(after.map(\.1) == before.map(\.1), "every file as it was")
    }

    @Test func filesOfThePreviousSetThatTheNewOneLacksGoAndOthersStay() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try OutputFolder(creating: path)
        try "mine\n".write(toFile: path + "/notes.txt", atomically: true, encoding: .utf8)
        try output.write(set: set("old") + [("compare.csv", CSVTable(header: ["x"]))], command: "compare")
        try output.write(set: set("new"), command: "simulate")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                == ["aggregate.csv", "manifest.json", "notes.txt", "summary.csv", "timeseries.csv"])
    }

    @Test func theReportRefusesAFolderThatMixesTwoRuns() throws {
        let path = try ReportSupport.write(try ReportSupport.simulate())
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: Never.self) { try ReportFolder.read(path) }
        // The time series of another run beside this run's summary, as a kill left it.
        let timeseries = path + "/timeseries.csv"
        let other = try String(contentsOfFile: timeseries, encoding: .utf8).replacingOccurrences(of: "\n0,", with: "\n1,")
        try AtomicFile.write(other, to: timeseries)
        let error = try #require(throws: ReportInputError.self) { try ReportFolder.read(path) }
        #expect(error.path == timeseries)
        #expect(error.reason.contains("mixes two runs' files"))
    }
}
