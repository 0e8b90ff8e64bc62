import Foundation
import Testing

/// The commands end to end, through the built binary: files, formats and exit statuses.
@Suite struct CommandTests {
    private let shared = Scenarios.pipeline(name: "shared-queue", shared: true)
    private let perGroup = Scenarios.pipeline(name: "per-group-queues", shared: false)

    @Test func oneJobAndTwoJobsWriteByteIdenticalFiles() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = try CLI.run(["simulate", "s.yml", "--jobs", "1", "--output", "one", "--quiet"], in: folder)
        let two = try CLI.run(["simulate", "s.yml", "--jobs", "2", "--output", "two", "--quiet"], in: folder)
        #expect(one.status == 0, "\(one.standardError)")
        #expect(two.status == 0, "\(two.standardError)")
        for file in ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv"] {
            let a = try CLI.bytes(folder, "one/\(file)")
            #expect(!a.isEmpty)
            #expect(a == (try CLI.bytes(folder, "two/\(file)")), "\(file) differs between --jobs 1 and --jobs 2")
        }
        #expect(one.standardOutput.isEmpty)
    }

    @Test func differentScenarioNamesNeverShareADefaultFolder() throws {
        let names = ["a b", "a-b", ".", "..", "日本語", "中文名"]
        var files: [String: String] = [:]
        for (i, name) in names.enumerated() {
            files["s\(i).yml"] = Scenarios.pipeline(name: "\"\(name)\"", shared: true, replications: 1)
        }
        let folder = try CLI.workspace(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        for i in names.indices {
            let outcome = try CLI.run(["simulate", "s\(i).yml", "--quiet"], in: folder)
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("notebooks-data").path)
        #expect(folders.count == names.count, "\(folders.sorted())")
        #expect(folders.contains("a-b"))
        for name in folders {
            let summary = String(decoding: try CLI.bytes(folder, "notebooks-data/\(name)/summary.csv"), as: UTF8.self)
            #expect(summary.split(separator: "\n").count == 1 + 4, "\(name) holds more than one run")
        }
    }

    @Test func simulateWritesTheThreeFilesToTheDefaultFolderAndPrintsATable() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--replications", "2", "--seed", "3"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("shared-queue: 2 replications, seed 3"))
        #expect(outcome.standardOutput.contains("±"))
        let summary = String(decoding: try CLI.bytes(folder, "notebooks-data/shared-queue/summary.csv"), as: UTF8.self)
        let lines = summary.split(separator: "\n")
        #expect(lines[0].hasPrefix("scenario,variant,point,replication,seed,scope,scope_kind,sent,"))
        // Two replications of four scopes (A, B, worker, all).
        #expect(lines.count == 1 + 2 * 4)
        #expect(lines[1].hasPrefix("shared-queue,,0,0,3,A,group,"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data/shared-queue/aggregate.csv").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data/shared-queue/timeseries.csv").path))
    }

    @Test func formatsCSVAndJSONPrintMachineReadableResults() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try CLI.run(["simulate", "s.yml", "--replications", "1", "--format", "csv", "--output", "o"], in: folder)
        #expect(csv.status == 0)
        #expect(csv.standardOutput == String(decoding: try CLI.bytes(folder, "o/summary.csv"), as: UTF8.self))
        let json = try CLI.run(["simulate", "s.yml", "--replications", "1", "--format", "json", "--output", "o"], in: folder)
        #expect(json.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(document?["scenario"] as? String == "shared-queue")
        #expect((document?["points"] as? [Any])?.count == 1)
    }

    @Test func aBadScenarioExitsWithTwoPrintsLocatedErrorsAndWritesNothing() throws {
        let folder = try CLI.workspace(["bad.yml": "name: bad\nrun:\n  duration: 10\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in [["simulate", "bad.yml"], ["sweep", "bad.yml"], ["compare", "bad.yml", "bad.yml"]] {
            let outcome = try CLI.run(command, in: folder)
            #expect(outcome.status == 2, "\(command)")
            #expect(outcome.standardError.contains("bad.yml:3:13: run.duration:"), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data").path))
    }

    @Test func badOptionsExitWithTwo() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLI.run(["simulate", "s.yml", "--jobs", "0"], in: folder).status == 2)
        #expect(try CLI.run(["simulate", "s.yml", "--replications", "0"], in: folder).status == 2)
        #expect(try CLI.run(["simulate", "s.yml", "--format", "xml"], in: folder).status == 2)
        #expect(try CLI.run(["simulate", "s.yml", "--no-such-flag"], in: folder).status == 2)
        #expect(try CLI.run(["compare", "s.yml"], in: folder).status == 2)
        #expect(try CLI.run(["simulate", "missing.yml"], in: folder).status == 2)
        let noSweep = try CLI.run(["sweep", "s.yml"], in: folder)
        #expect(noSweep.status == 2)
        #expect(noSweep.standardError.contains("no sweep: block"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data").path))
    }

    @Test func anOutputThatCannotBeWrittenIsAFailedRun() throws {
        let folder = try CLI.workspace(["s.yml": shared, "file": "x"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--output", "file/sub", "--quiet"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("is a file, not a folder"))
    }

    @Test func sweepWritesAColumnPerParameterAndTheProgressBarStaysOffWithoutATerminal() throws {
        let sweep = Scenarios.pipeline(name: "swept", shared: true, sweep: """
            sweep:
              functions.worker.reserved_concurrency: [2, 6]
            """, replications: 1)
        let folder = try CLI.workspace(["s.yml": sweep])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["sweep", "s.yml", "--jobs", "2"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // Standard error is a pipe here, not a terminal: no progress bar.
        #expect(!outcome.standardError.contains("points"))
        #expect(outcome.standardOutput.contains("functions.worker.reserved_concurrency"))
        let aggregate = String(decoding: try CLI.bytes(folder, "notebooks-data/swept/aggregate.csv"), as: UTF8.self)
        #expect(aggregate.hasPrefix("point,functions.worker.reserved_concurrency,scope,scope_kind,metric,mean,stddev,ci95_low,ci95_high,n\n"))
        #expect(aggregate.contains("\n1,6,A,group,sent,"))
        let summary = String(decoding: try CLI.bytes(folder, "notebooks-data/swept/summary.csv"), as: UTF8.self)
        #expect(summary.hasPrefix("scenario,variant,point,replication,seed,scope,scope_kind,functions.worker.reserved_concurrency,sent,"))
    }

    @Test func compareWritesCompareAndSummaryToTheDefaultFolder() throws {
        let folder = try CLI.workspace(["shared.yml": shared, "per-group.yml": perGroup])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["compare", "shared.yml", "per-group.yml", "--replications", "3"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("compare: shared-queue vs per-group-queues: 3 replications"))
        #expect(outcome.standardOutput.contains("Overall"))
        let output = "notebooks-data/compare-shared-queue-vs-per-group-queues"
        let compare = String(decoding: try CLI.bytes(folder, "\(output)/compare.csv"), as: UTF8.self)
        #expect(compare.hasPrefix("variant,scope,scope_kind,metric,mean,ci95_low,ci95_high,diff_vs_first,diff_ci95_low,diff_ci95_high,significant\n"))
        // Common random numbers: both variants send exactly the same messages.
        #expect(compare.contains("\nper-group-queues,all,all,sent,"))
        #expect(compare.split(separator: "\n").contains { $0.hasPrefix("per-group-queues,all,all,sent,") && $0.hasSuffix(",0,0,0,false") })
        let summary = String(decoding: try CLI.bytes(folder, "\(output)/summary.csv"), as: UTF8.self)
        #expect(summary.contains("\nshared-queue,shared-queue,0,2,17,all,all,"))
        #expect(summary.contains("\nper-group-queues,per-group-queues,0,2,17,all,all,"))
    }

    @Test func compareRefusesVariantsWithOtherWorkloadsUnlessUnpaired() throws {
        // per-group's B sends at another rate: its replications cannot be paired with shared's.
        let other = perGroup.replacingOccurrences(of: "name: per-group-queues", with: "name: busier")
            .replacingOccurrences(of: "B: {queue: tasks-b, arrivals: {poisson: {rate: 1/s}}}",
                                  with: "B: {queue: tasks-b, arrivals: {poisson: {rate: 2/s}}}")
        #expect(other != perGroup.replacingOccurrences(of: "name: per-group-queues", with: "name: busier"), "the case needs B changed")
        let folder = try CLI.workspace(["shared.yml": shared, "busier.yml": other])
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try CLI.run(["compare", "shared.yml", "busier.yml", "--replications", "3", "--output", "out"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("group B's arrivals in busier differ from shared-queue"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path), "nothing is written")
        let unpaired = try CLI.run(["compare", "shared.yml", "busier.yml", "--replications", "3", "--output", "out", "--unpaired"],
                                   in: folder)
        #expect(unpaired.status == 0, "\(unpaired.standardError)")
        #expect(unpaired.standardOutput.contains("UNPAIRED (Welch's interval: the workloads differ)"))
    }
}
