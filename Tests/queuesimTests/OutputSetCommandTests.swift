import Foundation
import Testing

/// `simulate` killed, or refused space, while it writes its files: the folder keeps the
/// previous run's whole set. The process is stopped by a file-size limit (`ulimit -f`) set
/// between the size of summary.csv and that of timeseries.csv, which it writes after it:
/// the kernel kills it (SIGXFSZ) at the first write past the limit, or, with the signal
/// ignored, refuses the write (EFBIG) as a full disk would. Before sets were written whole,
/// summary.csv was then the new run's and timeseries.csv the old run's.
#if os(Linux)
@Suite struct OutputSetCommandTests {
    /// A minute of a pipeline with a 1 s time series: a timeseries.csv of hundreds of KB, a
    /// summary.csv of a few.
    static let scenario = Scenarios.pipeline(name: "sets", shared: true, replications: 2)
        .replacingOccurrences(of: "  duration: 1m\n", with: "  duration: 5m\n  timeseries_interval: 1s\n")

    /// Runs `simulate` with seed `seed` into `out/`, under a shell prefix (`ulimit -f 64; `).
    static func simulate(seed: Int, in folder: URL, limited prefix: String = "") throws -> CLI.Outcome {
        let binary = try #require(CLI.productsFolder?.appendingPathComponent("queuesim").path)
        return try CLI.run(shell: "\(prefix)exec '\(binary)' simulate s.yml --seed \(seed) --output out --quiet", in: folder)
    }

    /// The folder's files; hidden ones (a killed write's temporaries) only with `hidden`.
    func files(_ folder: URL, hidden: Bool = true) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        where hidden || !name.hasPrefix(".") {
            files[name] = try CLI.bytes(folder, "out/\(name)")
        }
        return files
    }

    /// Killed by SIGXFSZ at the write past the limit (what kill -9 does at that instant, but
    /// deterministic), or refused the write with SIGXFSZ ignored (EFBIG, as a full disk).
    @Test(arguments: [false, true]) func aRunStoppedWhileWritingLeavesThePreviousSet(killed: Bool) throws {
        let folder = try CLI.workspace(["s.yml": Self.scenario])
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Self.simulate(seed: 1, in: folder)
        #expect(first.status == 0, "\(first.standardError)")
        let before = try files(folder)
        let summary = try #require(before["summary.csv"]).count
        let timeseries = try #require(before["timeseries.csv"]).count
        // ulimit -f counts blocks of 512 bytes (dash) or 1,024 (bash): either way between the two.
        let blocks = timeseries / 1_024 / 2
        try #require(summary * 4 < blocks * 512 && blocks * 1_024 * 2 <= timeseries, "sizes \(summary), \(timeseries)")

        let second = try Self.simulate(seed: 2, in: folder, limited: "\(killed ? "" : "trap '' XFSZ; ")ulimit -f \(blocks); ")
        if killed {
            #expect(second.status == 128 + SIGXFSZ, "\(second.status): \(second.standardError)")
            // A killed process cannot remove its temporaries; they are hidden and not the set.
            #expect(try files(folder, hidden: false) == before, "the folder must hold the first run's files, and only them")
        } else {
            #expect(second.status == 1, "\(second.status): \(second.standardError)")
            #expect(second.standardError.contains("File too large"))
            #expect(try files(folder) == before, "the folder must hold the first run's files, and nothing else")
        }
        let report = try CLI.run(["report", "out", "--output", "reports"], in: folder)
        #expect(report.status == 0, "\(report.standardError)")
        // And the next run writes its whole set.
        let third = try Self.simulate(seed: 3, in: folder)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(try files(folder, hidden: false)["summary.csv"] != before["summary.csv"])
    }
}
#endif
