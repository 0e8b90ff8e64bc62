import Foundation
import Testing

/// The shipped memory-tuning sweep end to end: more memory shortens its CPU-bound handler
/// until the handler's two threads have their two vCPUs, and the report marks the cheapest
/// and the fastest memory as AWS Lambda Power Tuning does.
@Suite struct MemoryTuningTests {
    @Test func moreMemoryShortensTheCPUBoundHandlerUntilItsThreadsHaveTheirVCPUs() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = root.appendingPathComponent("scenarios/memory-tuning.yml").path
        let outcome = try CLI.run(["sweep", scenario, "--replications", "1", "--output", "out", "--report", "--quiet"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let aggregate = String(decoding: try CLI.bytes(folder, "out/aggregate.csv"), as: UTF8.self)
        func all(_ metric: String) -> [(memory: String, mean: Double)] {
            var rows: [(memory: String, mean: Double)] = []
            for line in aggregate.split(separator: "\n") {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard fields.count > 5, fields[2] == "all", fields[4] == metric, let mean = Double(fields[5]) else { continue }
                rows.append((fields[1], mean))
            }
            return rows
        }
        let p99 = all("latency_p99_s")
        #expect(p99.map(\.memory) == ["128MB", "256MB", "512MB", "1024MB", "1769MB", "2048MB", "3008MB", "3538MB", "5120MB", "10240MB"])
        // Up to 3,538 MB (two vCPUs) every step is faster; from there on the same draws take
        // the same time (common random numbers), so p99 is exactly equal.
        for i in 1...7 { #expect(p99[i].mean < p99[i - 1].mean, "\(p99[i].memory) is not faster than \(p99[i - 1].memory)") }
        #expect(p99[8].mean == p99[7].mean && p99[9].mean == p99[7].mean)
        #expect(p99[0].mean > 8 * p99[7].mean, "128 MB runs the CPU part 13.8 times slower than 1,769 MB")
        // The monthly bill rises with memory past the two vCPUs: the same time at a higher price.
        let cost = all("cost_per_month_usd")
        #expect(cost.count == 10 && cost[9].mean > cost[8].mean && cost[8].mean > cost[7].mean)
        let report = try String(contentsOf: folder.appendingPathComponent("reports/memory-tuning.html"), encoding: .utf8)
        #expect(report.contains("Power tuning: cost per month against functions.resize.memory"))
        #expect(report.contains(">cheapest<") && report.contains(">fastest<"))
    }
}
