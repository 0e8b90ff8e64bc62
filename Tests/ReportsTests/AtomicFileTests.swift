import Foundation
@testable import Reports
import Testing

/// Atomic writing: the old file or the whole new one, never a part, and no debris.
@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    private func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "queuesim-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func contents(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    @Test func aFailureHalfWayLeavesTheOldFileAndNoPartialFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/summary.csv"
        try AtomicFile.write("old,complete\n", to: target)

        #expect(throws: ReportError.self) {
            try AtomicFile.write(to: target) { sink in
                // More than the buffer, so that part of it reaches the temporary file.
                try sink.write(String(repeating: "new,partial\n", count: 20_000))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old,complete\n")
        #expect(try contents(folder) == ["summary.csv"])
    }

    @Test func aFailureHalfWayOnANewNameLeavesNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ReportError.self) {
            try AtomicFile.write(to: folder + "/aggregate.csv") { sink in
                try sink.write("point,scope\n")
                throw Interrupted()
            }
        }
        #expect(try contents(folder).isEmpty)
    }

    @Test func aTargetThatCannotBeReplacedLeavesNoTemporaryFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A non-empty folder where the file should go: rename(2) refuses to replace it.
        try FileManager.default.createDirectory(atPath: folder + "/timeseries.csv/inside", withIntermediateDirectories: true)
        #expect(throws: ReportError.self) { try AtomicFile.write("a\n", to: folder + "/timeseries.csv") }
        #expect(try contents(folder) == ["timeseries.csv"])
    }

    @Test func aSuccessfulWriteReplacesTheFileWhole() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/compare.csv"
        try AtomicFile.write("old\n", to: target)
        let big = String(repeating: "0123456789,", count: 50_000) + "\n"
        try AtomicFile.write(big, to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == big)
        #expect(try contents(folder) == ["compare.csv"])
    }

    @Test func theOutputFolderIsCreatedWithItsParentsAndTablesAreWrittenIntoIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = try OutputFolder(creating: folder + "/notebooks-data/tiny/")
        let path = try output.write(CSVTable(header: ["a", "b"], rows: [["1", "x,y"]]), as: "summary.csv")
        #expect(path == folder + "/notebooks-data/tiny/summary.csv")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,\"x,y\"\n")
    }

    @Test func aFileInTheWayOfTheOutputFolderIsAnError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write("x", to: folder + "/file")
        #expect(throws: ReportError.self) { try OutputFolder(creating: folder + "/file/sub") }
    }
}

/// Output folder names: different scenario names never share one.
@Suite struct OutputFolderNameTests {
    @Test func aPlainNameIsItsOwnFolder() {
        for name in ["shared-queue", "over_pull.v2", "A1", "-x"] {
            #expect(OutputFolder.name(for: name) == name)
        }
    }

    @Test func namesThatUsedToShareAFolderGetDifferentOnes() {
        // Before: `.`, `..` and `...` all wrote to scenario/, 日本語 and 中文名 both to ---/,
        // and `a b` to a-b/ like `a-b`.
        let groups = [[".", "..", "...", "scenario"], ["日本語", "中文名", "---"], ["a b", "a-b", "a_b", "a/b", "a\tb"],
                      ["ｆｕｌｌ", "full"], ["é", "e\u{301}"]]
        for names in groups {
            let folders = names.map(OutputFolder.name(for:))
            #expect(Set(folders).count == names.count, "\(names) -> \(folders)")
        }
    }

    @Test func comparisonsOfDifferentVariantsNeverShareAFolder() {
        // Before: the folder was named from the first two variants only, so `compare A B C`
        // and `compare A B D` overwrote each other.
        #expect(OutputFolder.comparisonName(of: ["shared-queue", "per-group-queues"]) == "compare-shared-queue-vs-per-group-queues")
        let three = OutputFolder.comparisonName(of: ["a", "b", "c"])
        #expect(three == "compare-a-vs-b-vs-c")
        #expect(three != OutputFolder.comparisonName(of: ["a", "b", "d"]))
        #expect(OutputFolder.comparisonName(of: ["a", "b"]) != three)
        // Many long names: one folder name of bounded length, still distinct.
        let long = (0..<20).map { "variant-with-a-long-name-\($0)" }
        let folders = [long, long.dropLast() + ["other"]].map { OutputFolder.name(for: OutputFolder.comparisonName(of: Array($0))) }
        #expect(folders[0] != folders[1] && folders.allSatisfy { $0.count <= 64 + 9 })
    }

    @Test func aChangedNameKeepsItsLettersAndGetsAHash() {
        let folder = OutputFolder.name(for: "a b")
        #expect(folder.hasPrefix("a-b-") && folder.count == "a-b-".count + 8)
        #expect(OutputFolder.name(for: "日本語").hasPrefix("日本語-"))
        #expect(OutputFolder.name(for: "..").hasPrefix("scenario-"))
        #expect(OutputFolder.name(for: "a b") == folder, "the same name, the same folder")
        // Never a path: no separator, no dot-only component, bounded length.
        for name in [String(repeating: "x y", count: 500), "../../etc", "/", " "] {
            let folder = OutputFolder.name(for: name)
            #expect(!folder.contains("/") && !folder.allSatisfy { $0 == "." } && folder.count <= 64 + 9, "\(folder)")
        }
    }
}
