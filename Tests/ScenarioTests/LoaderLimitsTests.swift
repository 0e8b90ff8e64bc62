import Foundation
import Testing
@testable import Scenario

/// Large scenario files load in bounded time and memory, or are refused at once.
@Suite struct LoaderLimitsTests {
    static let base = """
        name: swept
        run: {duration: 1m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 5/s}}}
        queues:
          tasks: {visibility_timeout: 5m}
        functions:
          worker: {timeout: 30s, reserved_concurrency: 10, trigger: {queue: tasks, batch_size: 1}}

        """

    @Test func aFileAboveTheLimitIsRefusedWithItsSize() throws {
        // Before: a 20 MB file needed 1.4 GB and aborted.
        let padding = String(repeating: "# a comment line of a generated file, forty-odd bytes\n", count: 170_000)
        let yaml = Self.base + padding
        #expect(yaml.utf8.count > ScenarioLoader.maximumFileBytes)
        do {
            _ = try ScenarioLoader.load(yaml: yaml, source: "big.yml")
            Issue.record("a file above the limit was loaded")
        } catch {
            let message = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(error.diagnostics.count == 1)
            #expect(message.hasPrefix("big.yml:1:1: the file is 9,"), "\(message)")
            #expect(message.contains("above the 8MiB a scenario file may have"))
        }
    }

    @Test func aFileOfFiftyMegabytesIsRefusedByItsSizeOnDisk() throws {
        // A sparse file: its 50 MiB are never written, and the loader must not read them.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-big-\(UUID().uuidString).yml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.base.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("a 50 MiB file was loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(path):1:1: the file is 52,428,800 bytes, above the 8MiB a scenario file may have (expected a scenario of ordinary size: put long traces and distributions in data files, `trace: {file: ...}`, or split the scenario)",
            ])
        }
    }

    @Test func sweepPointsAreReadWithoutTheSweepBlock() throws {
        // Every point read its whole tree, sweep block included: n points read n² values.
        let values = (1...200).map(String.init).joined(separator: ", ")
        let yaml = Self.base + "sweep:\n  mode: zip\n  functions.worker.reserved_concurrency: [\(values)]\n"
        let scenario = try #require(loadValid(yaml))
        let sweep = try #require(scenario.sweep)
        #expect(sweep.points.count == 200)
        for point in sweep.points {
            guard case .mapping(let mapping) = point.scenario.document else {
                Issue.record("a point's document is not a mapping")
                continue
            }
            #expect(mapping["sweep"] == nil)
        }
        #expect(sweep.points[199].scenario.pipeline.functions[0].reservedConcurrency == 200)
        // The base keeps its sweep block.
        if case .mapping(let mapping) = scenario.document { #expect(mapping["sweep"] != nil) }
    }

    @Test func aSweepParsesTheFileOnceAndReadsEachSweptValueOnce() throws {
        // A 560 KB sweep took about 25 minutes to validate: each point read the sweep block
        // again (n points read n x n values), and each re-estimated every handler's p99.
        let points = 40
        let concurrency = (1...points).map(String.init).joined(separator: ", ")
        let memory = (1...points).map { "\(1000 + $0)MB" }.joined(separator: ", ")
        let yaml = Self.base + "sweep:\n  mode: zip\n  functions.worker.reserved_concurrency: [\(concurrency)]\n"
            + "  functions.worker.memory: [\(memory)]\n"
        let counts = LoadCounts()
        let scenario = try LoadCounts.$current.withValue(counts) {
            try ScenarioLoader.load(yaml: yaml, source: "swept.yml")
        }
        #expect(scenario.sweep?.points.count == points)
        #expect(counts.textsParsed == 1, "the file is parsed once, no value is parsed again from its text")
        #expect(counts.sweepValuesRead == 2 * points, "each swept value is read once")
        // Each point is read once, and each swept path once more to check that it exists.
        #expect(counts.variantsRead <= points + 2)
    }

    @Test func loadsCountOnlyWhereATestAsks() throws {
        let counts = LoadCounts()
        _ = try LoadCounts.$current.withValue(counts) { try ScenarioLoader.load(yaml: Self.base, source: "plain.yml") }
        _ = try ScenarioLoader.load(yaml: Self.base, source: "uncounted.yml")
        #expect(counts.textsParsed == 1 && counts.sweepValuesRead == 0 && counts.variantsRead == 0)
    }

    /// Past the renames' budget the duplicates already found are still reported: a file
    /// with 60 repeats of a key reported only the last one after parsing itself 51 times.
    @Test func duplicatesFoundBeforeTheBudgetRunsOutAreReported() {
        let yaml = "name: d\n" + (1...60).map { "x: \($0)\n" }.joined()
        let found = diagnostics(ofYAML: yaml, source: "d.yml")
        #expect(found.count == SourceParser.renames(forTextOf: yaml.utf8.count) + 1, "\(found.count)")
        #expect(found.first == "d.yml:3:1: the key 'x' appears more than once in one mapping (expected each key once; it is first given at 2:1)")
        #expect(found.last == "d.yml:53:1: the key 'x' appears more than once in one mapping (expected each key once; it is first given at 2:1; the file has more duplicates than are looked for, so there may be more after it)")
    }

    @Test func duplicatedKeysAreRenamedWithinABudgetOfTextParsedAgain() {
        #expect(SourceParser.renames(forTextOf: 2_000) == 50)
        #expect(SourceParser.renames(forTextOf: 1 << 20) == 16)
        #expect(SourceParser.renames(forTextOf: 8 << 20) == 2)
        #expect(SourceParser.renames(forTextOf: 20 << 20) == 1)
    }
}
