import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `queuesim report DIR` and every command's `--report`, through the built binary: the page
/// is written where it says, well-formed, with its charts; a bad folder writes nothing.
@Suite struct ReportCommandTests {
    private let shared = Scenarios.pipeline(name: "shared-queue", shared: true)
    private let perGroup = Scenarios.pipeline(name: "per-group-queues", shared: false)

    /// The charts of a page (their SVG elements), failing when the page is not well-formed.
    private func charts(_ folder: URL, _ path: String) throws -> [XMLNode] {
        let html = String(decoding: try CLI.bytes(folder, path), as: UTF8.self)
        let document = try XMLDocument(xmlString: html, options: [])
        #expect(!html.contains("<script"))
        return try document.nodes(forXPath: "//*[local-name()='svg']")
    }

    @Test func simulateWithReportWritesThePageAndReportRewritesItTheSame() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CLI.run(["simulate", "s.yml", "--replications", "2", "--output", "out", "--report"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("wrote out/summary.csv, out/aggregate.csv, out/timeseries.csv, out/latency.csv, reports/shared-queue.html"))
        let svgs = try charts(folder, "reports/shared-queue.html")
        #expect(svgs.count == 5, "outcomes (downstream violations), latency CDF, queue depth, concurrency, throttles")
        let first = try CLI.bytes(folder, "reports/shared-queue.html")

        let again = try CLI.run(["report", "out"], in: folder)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput == "reports/shared-queue.html\n")
        #expect(try CLI.bytes(folder, "reports/shared-queue.html") == first, "report DIR and --report differ")

        let elsewhere = try CLI.run(["report", "out", "--output", "pages"], in: folder)
        #expect(elsewhere.status == 0)
        #expect(elsewhere.standardOutput == "pages/shared-queue.html\n")
    }

    @Test func sweepAndCompareWithReportChartTheirResults() throws {
        let sweep = Scenarios.pipeline(name: "swept", shared: true, sweep: "sweep:\n  functions.worker.reserved_concurrency: [2, 6]")
        let folder = try CLI.workspace(["s.yml": shared, "p.yml": perGroup, "w.yml": sweep])
        defer { try? FileManager.default.removeItem(at: folder) }
        let swept = try CLI.run(["sweep", "w.yml", "--replications", "2", "--report", "--quiet"], in: folder)
        #expect(swept.status == 0, "\(swept.standardError)")
        // Latency CDF, three measures and the headline counts that are not 0 (downstream
        // violations) against the parameter, three over time.
        let sweptCharts = try charts(folder, "reports/swept.html")
        let titles = sweptCharts.compactMap { try? $0.nodes(forXPath: ".//*[local-name()='title']").first?.stringValue }
        #expect(sweptCharts.count == 8, "\(titles)")
        let compared = try CLI.run(["compare", "s.yml", "p.yml", "--replications", "2", "--report", "--format", "json"], in: folder)
        #expect(compared.status == 0, "\(compared.standardError)")
        let document = try JSONSerialization.jsonObject(with: Data(compared.standardOutput.utf8)) as? [String: Any]
        #expect((document?["files"] as? [String])?.last == "reports/compare-shared-queue-vs-per-group-queues.html")
        #expect(try charts(folder, "reports/compare-shared-queue-vs-per-group-queues.html").count >= 4)
    }

    @Test func aMissingEmptyOrMalformedFolderExitsWithTwoAndWritesNothing() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let missing = try CLI.run(["report", "nothing"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.standardError == "error: nothing: no such folder; expected a folder written by simulate, sweep, compare or plan\n")
        let empty = try CLI.run(["report", "empty"], in: folder)
        #expect(empty.status == 2)
        #expect(empty.standardError.contains("empty: no queuesim CSV files here"))
        try "scenario,variant,point,replication,seed,scope,scope_kind,sent\nx,,0,zero,1,A,group,3\n"
            .write(to: folder.appendingPathComponent("empty/summary.csv"), atomically: true, encoding: .utf8)
        let malformed = try CLI.run(["report", "empty"], in: folder)
        #expect(malformed.status == 2)
        #expect(malformed.standardError == "error: empty/summary.csv:2:6: expected a whole number in column `replication`, found `zero`\n")
        #expect(malformed.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("reports").path))
    }

    @Test func planWithReportChartsTheConfigurationsAndMarksTheChosenOne() throws {
        let scenario = """
            name: small-plan
            run: {duration: 5m, warmup: 1m, seed: 7, replications: 3, timeseries_interval: 1h}
            assumptions: {poller_start: 40, poller_minimum: 40, poller_maximum: 40, poller_scale_up_per_minute: 0}
            groups:
              A: {queue: tasks, arrivals: {poisson: {rate: 4/s}}}
            queues:
              tasks: {visibility_timeout: 6m}
            functions:
              server:
                timeout: 60s
                duration: {exponential: {mean: 1s}}
                cold_start: 0s
                trigger: {queue: tasks, batch_size: 1, maximum_concurrency: 10}
            slo: {latency_p50: 2s}
            plan: {minimize: concurrency, vary: {functions.server.trigger.maximum_concurrency: {min: 2, max: 12}}}
            """
        let folder = try CLI.workspace(["plan.yml": scenario])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["plan", "plan.yml", "--report", "--jobs", "2"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("reports/small-plan.html"))
        let html = String(decoding: try CLI.bytes(folder, "reports/small-plan.html"), as: UTF8.self)
        let document = try XMLDocument(xmlString: html, options: [])
        #expect(try document.nodes(forXPath: "//*[local-name()='svg']").count == 4,
                "cost, the median latency of A and of all, and cost against median latency")
        #expect(try document.nodes(forXPath: "//*[@class='highlight-label']").count == 4)
    }

    @Test func theHiddenColumnsCommandPrintsTheDictionary() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["columns"], in: folder)
        #expect(outcome.status == 0)
        for file in ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv", "compare.csv", "plan.csv"] {
            #expect(outcome.standardOutput.contains("### \(file)\n"))
        }
        #expect(outcome.standardOutput.contains("| `latency_p99_s` | end-to-end latency, 99th percentile, seconds |"))
    }
}
