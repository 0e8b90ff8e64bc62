import Foundation
import Testing

/// Runs that cannot fit are refused before anything is simulated or written.
@Suite struct LimitsTests {
    static let small = """
        name: small
        run: {duration: 90s, timeseries_interval: 1m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 20/s}}}
        queues:
          tasks: {}
        functions:
          worker: {timeout: 30s, duration: 100ms, trigger: {queue: tasks, batch_size: 1}}
        """

    @Test func replicationsBeyondTheFileLimitAreRefusedOnTheCommandLineToo() throws {
        let folder = try CLI.workspace(["s.yml": Self.small])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--replications", "2000000", "--output", "o"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--replications 2000000 is above the maximum 1,000,000"), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o").path))
    }

    @Test func theTimeSeriesOfA90SecondRunAddsUpToTheSummary() throws {
        let folder = try CLI.workspace(["s.yml": Self.small])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--output", "o", "--quiet"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = String(decoding: try CLI.bytes(folder, "o/timeseries.csv"), as: UTF8.self).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let group = rows.filter { $0[try! column("entity")] == "A" }
        #expect(group.map { $0[try! column("interval_start_s")] } == ["0", "60"])
        #expect(group.map { $0[try! column("interval_s")] } == ["60", "30"])
        let succeeded = try group.reduce(0) { $0 + (Int($1[try column("succeeded")]) ?? -1_000_000) }

        let summary = String(decoding: try CLI.bytes(folder, "o/summary.csv"), as: UTF8.self).split(separator: "\n")
        let summaryHeader = summary[0].split(separator: ",").map(String.init)
        let scope = try #require(summaryHeader.firstIndex(of: "scope")), column = try #require(summaryHeader.firstIndex(of: "succeeded"))
        let row = try #require(summary.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .first { $0[scope] == "A" })
        #expect(Int(row[column]) == succeeded)
        #expect(succeeded > 1_000)
    }

    @Test func aTimeSeriesThatIsOffWritesTheHeaderOnly() throws {
        let off = Self.small.replacingOccurrences(of: "timeseries_interval: 1m", with: "timeseries_interval: off")
        let folder = try CLI.workspace(["s.yml": off])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--output", "o", "--quiet"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = String(decoding: try CLI.bytes(folder, "o/timeseries.csv"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("replication,interval_start_s,interval_s,") == true)
    }
}

/// The command-line side of the limits: refusals before the run, exit status 2, nothing written.
@Suite struct RunLimitTests {
    static let century = LimitsTests.small.replacingOccurrences(of: "run: {duration: 90s, timeseries_interval: 1m}",
                                                                with: "run: {duration: 36500d}")

    @Test func aHundredYearRunIsRefusedBeforeItStarts() throws {
        let folder = try CLI.workspace(["s.yml": Self.century])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--output", "o"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("needs about"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("above --max-memory 4 GiB"))
        #expect(outcome.standardError.contains("timeseries_interval: off"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o").path))
    }

    @Test func aBadMaxMemoryIsBadInput() throws {
        let folder = try CLI.workspace(["s.yml": LimitsTests.small])
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = try CLI.run(["simulate", "s.yml", "--max-memory", "lots", "--output", "o"], in: folder)
        #expect(junk.status == 2)
        #expect(junk.standardError.contains("--max-memory"), "\(junk.standardError)")
        let tiny = try CLI.run(["simulate", "s.yml", "--max-memory", "1KB", "--output", "o"], in: folder)
        #expect(tiny.status == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o").path))
    }

    @Test func aBacklogPastMaxMemoryStopsWithArrivalsExceedCapacity() throws {
        let overloaded = """
            name: overload
            run: {duration: 10h, timeseries_interval: off}
            groups:
              A: {queue: orders, arrivals: {constant: {rate: 2000/s}}}
            queues:
              orders: {visibility_timeout: 1m}
            functions:
              worker: {timeout: 30s, reserved_concurrency: 2, duration: 1s, trigger: {queue: orders, batch_size: 1}}
            """
        let folder = try CLI.workspace(["s.yml": overloaded])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--max-memory", "64MiB", "--output", "o"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("arrivals exceed capacity"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("most of them in queue orders"))
        #expect(outcome.standardError.contains("memory budget of 64 MiB"))
    }

    @Test func aPlanCountsAConfigurationPastMaxMemoryAsFailingAndGoesOn() throws {
        // 20 messages a second in batches of 10 taking 2 s each: Erlang C, counting 2 s a
        // message, guesses 41 concurrent; the search gallops down to 2, where the backlog
        // grows by 10 a second past the 8,192 messages of 1 MiB at 13m33s, and to 3 (past it
        // at 26m51s). Before, the first such configuration ended the plan with "arrivals
        // exceed capacity" and exit status 1.
        let overloaded = """
            name: overflow
            run: {duration: 30m, warmup: 0s, seed: 3, replications: 2, timeseries_interval: off}
            groups:
              A: {queue: q, arrivals: {constant: {rate: 20/s}}}
            queues:
              q: {visibility_timeout: 1m, retention: 14d}
            functions:
              f: {timeout: 10s, duration: 2s, cold_start: 0s, idle_timeout: 24h, trigger: {queue: q, batch_size: 10, maximum_concurrency: 30}}
            slo:
              latency_p99: 30s
            plan:
              minimize: concurrency
              vary:
                functions.f.trigger.maximum_concurrency: {min: 2, max: 60}
            """
        let folder = try CLI.workspace(["s.yml": overloaded])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["plan", "s.yml", "--max-memory", "1MiB", "--output", "o", "--jobs", "2"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("backlog past the memory budget (q, 13m32.79s)"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("recommended: configuration 8, "), "\(outcome.standardOutput)")
        let csv = String(decoding: try CLI.bytes(folder, "o/plan.csv"), as: UTF8.self)
        #expect(csv.contains("arrivals exceed capacity: at "), "\(csv)")
        #expect(csv.contains(",fail,false,false,\"replication 0: arrivals exceed capacity"), "\(csv)")
    }

    #if os(Linux)
    @Test func anOutputFolderThatCannotBeWrittenIsFoundBeforeTheRun() throws {
        // /proc exists and is a folder, so it was accepted; the run was simulated and the
        // first file then failed. Now the folder is tried first.
        let folder = try CLI.workspace(["s.yml": LimitsTests.small])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--output", "/proc"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("cannot write into the folder"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("summary.csv"))
    }
    #endif
}
