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
