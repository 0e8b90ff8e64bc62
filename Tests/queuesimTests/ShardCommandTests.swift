import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sweep --shard K/N`, `merge` and `sweep --resume` end to end with the built binary: the
/// merged or resumed files are those of one uninterrupted, unsharded sweep, byte for byte.
@Suite struct ShardCommandTests {
    static let files = ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv"]

    /// Three points of the small shared-queue pipeline, three replications each.
    static func scenario(warmup: String) -> String {
        Scenarios.pipeline(name: "sharded", shared: true, sweep: """
            sweep:
              functions.worker.reserved_concurrency: [2, 4, 6]
            """).replacingOccurrences(of: "warmup: 10s", with: "warmup: \(warmup)")
    }

    static func expectSameFiles(_ folder: URL, _ a: String, _ b: String, _ comment: Comment) throws {
        for file in files {
            let left = try CLI.bytes(folder, "\(a)/\(file)")
            #expect(!left.isEmpty)
            #expect(left == (try CLI.bytes(folder, "\(b)/\(file)")), "\(file): \(comment)")
        }
    }

    @Test(arguments: ["10s", "auto"])
    func oneThreeAndSevenShardsMergeIntoTheUnshardedFiles(warmup: String) throws {
        let folder = try CLI.workspace(["s.yml": Self.scenario(warmup: warmup)])
        let whole = try CLI.run(["sweep", "s.yml", "--output", "whole", "--jobs", "2"], in: folder)
        #expect(whole.status == 0, "\(whole.standardError)")
        for count in [1, 3, 7] {
            for number in 1...count {
                let shard = try CLI.run(["sweep", "s.yml", "--shard", "\(number)/\(count)", "--output", "shards-\(count)", "--jobs", "2"], in: folder)
                #expect(shard.status == 0, "\(shard.standardError)")
                #expect(shard.standardOutput.contains("wrote shards-\(count)/shard-\(number)-of-\(count).jsonl"))
            }
            let merge = try CLI.run(["merge", "shards-\(count)", "--output", "merged-\(count)"], in: folder)
            #expect(merge.status == 0, "\(merge.standardError)")
            #expect(merge.standardOutput.contains("merged \(count) shard file"))
            try Self.expectSameFiles(folder, "whole", "merged-\(count)", "N = \(count), warm-up \(warmup)")
            // The merge prints the sweep's table, as the unsharded sweep does.
            let table = { (text: String) in text.components(separatedBy: "\n").filter { !$0.hasPrefix("wrote") && !$0.hasPrefix("merged") } }
            #expect(table(merge.standardOutput).filter { !$0.isEmpty } == table(whole.standardOutput).filter { !$0.isEmpty })
        }
        // The JSON document too (warm-ups, seeds, aggregates), but for the files' folder.
        let json = try CLI.run(["sweep", "s.yml", "--output", "json", "--format", "json"], in: folder)
        let mergedJSON = try CLI.run(["merge", "shards-3", "--output", "json", "--format", "json"], in: folder)
        #expect(json.status == 0 && mergedJSON.status == 0)
        #expect(mergedJSON.standardOutput == json.standardOutput)
        #expect(json.standardOutput.contains("\"automatic\" : \(warmup == "auto")"))
    }

    @Test func missingDuplicatedAndMismatchedShardsAreNamedAndNothingIsWritten() throws {
        let folder = try CLI.workspace(["s.yml": Self.scenario(warmup: "10s")])
        for number in 1...3 {
            let shard = try CLI.run(["sweep", "s.yml", "--shard", "\(number)/3", "--output", "a", "--quiet"], in: folder)
            #expect(shard.status == 0, "\(shard.standardError)")
        }
        let copy = folder.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("a/shard-2-of-3.jsonl"),
                                        to: copy.appendingPathComponent("shard-2-of-3.jsonl"))

        let duplicated = try CLI.run(["merge", "a", "b", "--output", "out"], in: folder)
        #expect(duplicated.status == 2)
        #expect(duplicated.standardError.contains("duplicated shard 2/3: a/shard-2-of-3.jsonl, b/shard-2-of-3.jsonl"))

        try FileManager.default.removeItem(at: folder.appendingPathComponent("a/shard-3-of-3.jsonl"))
        let missing = try CLI.run(["merge", "a", "--output", "out"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("missing shard 3/3"))

        let reseeded = try CLI.run(["sweep", "s.yml", "--shard", "3/3", "--seed", "99", "--output", "c", "--quiet"], in: folder)
        #expect(reseeded.status == 0)
        let mismatched = try CLI.run(["merge", "a", "c", "--output", "out"], in: folder)
        #expect(mismatched.status == 2)
        #expect(mismatched.standardError.contains("c/shard-3-of-3.jsonl: holds scenario 'sharded'"))
        #expect(mismatched.standardError.contains("cannot be merged"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))

        let bad = try CLI.run(["sweep", "s.yml", "--shard", "4/3"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("--shard expects K/N"))
    }

    /// The counts of a resumed sweep's `reused N runs, made M` line.
    static func resumed(_ text: String) -> (Int, Int)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("resumed") }) else { return nil }
        func count(after word: String) -> Int? {
            guard let range = line.range(of: word + " ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        guard let reused = count(after: "reused"), let made = count(after: "made") else { return nil }
        return (reused, made)
    }

    @Test func aSweepKilledHalfWayAndResumedWritesTheUninterruptedFiles() throws {
        // Four points of six replications, one at a time: long enough to be killed between runs.
        let text = Scenarios.pipeline(name: "killed", shared: true, sweep: """
            sweep:
              functions.worker.reserved_concurrency: [2, 3, 4, 6]
            """, replications: 6)
        let folder = try CLI.workspace(["s.yml": text])
        let whole = try CLI.run(["sweep", "s.yml", "--output", "whole", "--jobs", "1", "--quiet"], in: folder)
        #expect(whole.status == 0)

        let process = Process()
        process.executableURL = try #require(CLI.productsFolder?.appendingPathComponent("queuesim"))
        process.arguments = ["sweep", "s.yml", "--output", "killed", "--jobs", "1", "--quiet"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let partial = folder.appendingPathComponent("killed/.partial").path
        func saved() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: partial)) ?? []).filter { $0.hasPrefix("run-") }.count
        }
        // Wait (a bounded number of short sleeps) for the first finished run, then kill.
        for _ in 0..<6_000 where saved() == 0 && process.isRunning { Thread.sleep(forTimeInterval: 0.005) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let done = saved()
        #expect(done >= 1 && done <= 24, "\(done) runs saved before the kill")

        let again = try CLI.run(["sweep", "s.yml", "--output", "killed", "--jobs", "2", "--resume"], in: folder)
        #expect(again.status == 0, "\(again.standardError)")
        let counts = try #require(Self.resumed(again.standardError), "\(again.standardError)")
        #expect(counts.0 == done)
        #expect(counts.0 + counts.1 == 24)
        try Self.expectSameFiles(folder, "whole", "killed", "resumed after \(done) runs")
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    @Test func aResumedShardMakesOnlyWhatItLacksAndStartingOverIsSaid() throws {
        let folder = try CLI.workspace(["s.yml": Self.scenario(warmup: "auto")])
        let first = try CLI.run(["sweep", "s.yml", "--shard", "2/2", "--output", "o", "--quiet"], in: folder)
        #expect(first.status == 0)
        let complete = try CLI.run(["sweep", "s.yml", "--shard", "2/2", "--output", "o", "--resume"], in: folder)
        #expect(complete.status == 0)
        #expect(Self.resumed(complete.standardError).map { [$0.0, $0.1] } == [3, 0])

        // A folder of finished runs that is not one (no identity.json): --resume refuses it,
        // a run without --resume says it starts over, and makes the same shard as elsewhere.
        let store = folder.appendingPathComponent("o/.partial-1-of-2")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        try "{}".write(to: store.appendingPathComponent("run-0-0.json"), atomically: true, encoding: .utf8)
        let refused = try CLI.run(["sweep", "s.yml", "--shard", "1/2", "--output", "o", "--resume"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("identity.json: missing or unreadable"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o/shard-1-of-2.jsonl").path))

        let fresh = try CLI.run(["sweep", "s.yml", "--shard", "1/2", "--output", "o"], in: folder)
        #expect(fresh.status == 0)
        #expect(fresh.standardError.contains("starting over: o/.partial-1-of-2 held 1 finished runs"))
        #expect(!FileManager.default.fileExists(atPath: store.path))
        let elsewhere = try CLI.run(["sweep", "s.yml", "--shard", "1/2", "--output", "p", "--quiet"], in: folder)
        #expect(elsewhere.status == 0)
        #expect(try CLI.bytes(folder, "o/shard-1-of-2.jsonl") == (try CLI.bytes(folder, "p/shard-1-of-2.jsonl")))
    }
}
