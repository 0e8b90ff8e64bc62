import Foundation
import Testing
@testable import Scenario

/// Data files (`empirical`, `trace`) are read from inside the scenario file's folder only, and
/// errors about their lines never quote them beyond the offending number.
@Suite struct DataFileTests {
    /// A scenario in `folder/scenarios/`, its function's durations read from `file`.
    static func scenario(durations file: String) -> String {
        """
        name: data
        run: {duration: 1m}
        groups:
          A: {queue: q, arrivals: {poisson: {rate: 1/s}}}
        queues:
          q: {visibility_timeout: 1m}
        functions:
          f:
            timeout: 10s
            duration: {empirical: {file: \(file)}}
            trigger: {queue: q}
        """
    }

    /// A fresh folder holding `secret.csv` (outside) and `scenarios/` (the scenario's folder,
    /// with `data/durations.csv`).
    static func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-data-\(UUID().uuidString)")
        let data = root.appendingPathComponent("scenarios/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "secret-password-line\n0.5\n".write(to: root.appendingPathComponent("secret.csv"), atomically: true, encoding: .utf8)
        try "0.25\n0.5\n".write(to: data.appendingPathComponent("durations.csv"), atomically: true, encoding: .utf8)
        return root
    }

    /// The diagnostics of loading the scenario naming `file` from `root/scenarios/`.
    static func diagnostics(durations file: String, in root: URL) throws -> [String] {
        let path = root.appendingPathComponent("scenarios/s.yml")
        try scenario(durations: file).write(to: path, atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader.load(path: path.path)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func aFileInsideTheScenariosFolderIsRead() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try Self.diagnostics(durations: "data/durations.csv", in: root).isEmpty)
        #expect(try Self.diagnostics(durations: "./data/../data/durations.csv", in: root).isEmpty)
    }

    @Test func theDataFilesFingerprintChangesWithAFilesTextAndOnlyThen() throws {
        // Before: shards made where a trace or durations file differed merged silently, as
        // the sweep's fingerprint covered only the scenario file's text.
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("scenarios/s.yml")
        try Self.scenario(durations: "data/durations.csv").write(to: path, atomically: true, encoding: .utf8)
        let first = try #require(try ScenarioLoader.load(path: path.path).dataFilesFingerprint)
        #expect(try ScenarioLoader.load(path: path.path).dataFilesFingerprint == first)
        try "0.25\n0.75\n".write(to: root.appendingPathComponent("scenarios/data/durations.csv"), atomically: true, encoding: .utf8)
        #expect(try ScenarioLoader.load(path: path.path).dataFilesFingerprint != first)
        let plain = try ScenarioLoader.load(yaml: Self.scenario(durations: "x").replacingOccurrences(
            of: "{empirical: {file: x}}", with: "1s"), source: path.path)
        #expect(plain.dataFilesFingerprint == nil)
    }

    @Test func anAbsolutePathIsRefusedWithTheKeyAndNothingOfTheFile() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let secret = root.appendingPathComponent("secret.csv").path
        let messages = try Self.diagnostics(durations: secret, in: root)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("functions.f.duration.empirical.file: cannot read '\(secret)': it is not a relative path") == true)
        #expect(!messages.joined().contains("secret-password"))
    }

    @Test func aPathThroughDotDotOutOfTheFolderIsRefused() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let messages = try Self.diagnostics(durations: "../secret.csv", in: root)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("functions.f.duration.empirical.file: cannot read '../secret.csv': it is outside the scenario file's folder") == true)
        #expect(!messages.joined().contains("secret-password"))
    }

    @Test func aSymbolicLinkOutOfTheFolderIsRefusedAndOneWithinItIsFollowed() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let scenarios = root.appendingPathComponent("scenarios")
        try FileManager.default.createSymbolicLink(atPath: scenarios.appendingPathComponent("leak.csv").path,
                                                   withDestinationPath: root.appendingPathComponent("secret.csv").path)
        try FileManager.default.createSymbolicLink(atPath: scenarios.appendingPathComponent("outer").path,
                                                   withDestinationPath: root.path)
        try FileManager.default.createSymbolicLink(atPath: scenarios.appendingPathComponent("same.csv").path,
                                                   withDestinationPath: "data/durations.csv")
        for name in ["leak.csv", "outer/secret.csv"] {
            let messages = try Self.diagnostics(durations: name, in: root)
            #expect(messages.first?.contains("cannot read '\(name)': it is outside the scenario file's folder") == true, "\(messages)")
            #expect(!messages.joined().contains("secret-password"))
        }
        #expect(try Self.diagnostics(durations: "same.csv", in: root).isEmpty)
    }

    @Test func aFolderAndAFIFOAreRefusedWithoutReadingThem() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try Self.diagnostics(durations: "data", in: root).first?.contains("cannot read 'data': it is a folder") == true)
        let fifo = root.appendingPathComponent("scenarios/pipe.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Reading a FIFO would wait for a writer forever: the test would hang, not fail.
        let messages = try Self.diagnostics(durations: "pipe.csv", in: root)
        #expect(messages.first?.contains("cannot read 'pipe.csv': it is not a regular file (a device, FIFO or socket)") == true)
    }

    @Test func aBadLineIsNamedWithoutQuotingTheFileBeyondTheNumber() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("scenarios/data")
        try "duration_s\n0.5\nroot:$6$hash:19000:0:99999\n".write(to: data.appendingPathComponent("text.csv"), atomically: true, encoding: .utf8)
        try "0.5\n-3\n".write(to: data.appendingPathComponent("negative.csv"), atomically: true, encoding: .utf8)
        try "0.5\n1,2,secret\n".write(to: data.appendingPathComponent("fields.csv"), atomically: true, encoding: .utf8)
        let text = try Self.diagnostics(durations: "data/text.csv", in: root)
        #expect(text.first?.hasSuffix("data/text.csv line 3: the field is not a number (expected one number of seconds of at least 0 a line)") == true, "\(text)")
        #expect(!text.joined().contains("root") && !text.joined().contains("hash"))
        let negative = try Self.diagnostics(durations: "data/negative.csv", in: root)
        #expect(negative.first?.hasSuffix("data/negative.csv line 2: '-3' is not a duration (expected one number of seconds of at least 0 a line)") == true, "\(negative)")
        let fields = try Self.diagnostics(durations: "data/fields.csv", in: root)
        #expect(fields.first?.hasSuffix("data/fields.csv line 2 has 3 fields (expected one number of seconds of at least 0 a line)") == true, "\(fields)")
        #expect(!fields.joined().contains("secret"))
    }

    @Test func aTraceLineIsNamedWithoutQuotingTheFile() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try "time_s,group\n1,A\nnobody:x:65534\n".write(to: root.appendingPathComponent("scenarios/trace.csv"), atomically: true, encoding: .utf8)
        let path = root.appendingPathComponent("scenarios/t.yml")
        try Self.scenario(durations: "data/durations.csv")
            .replacingOccurrences(of: "{poisson: {rate: 1/s}}", with: "{trace: {file: trace.csv}}")
            .write(to: path, atomically: true, encoding: .utf8)
        let messages: [String]
        do {
            _ = try ScenarioLoader.load(path: path.path)
            messages = []
        } catch {
            messages = error.diagnostics.map(\.description)
        }
        #expect(messages.first?.hasSuffix("trace.csv line 3: the field is not a number (expected time_s[,group] a line, with time_s a number of seconds of at least 0)") == true, "\(messages)")
        #expect(!messages.joined().contains("nobody"))
    }
}
