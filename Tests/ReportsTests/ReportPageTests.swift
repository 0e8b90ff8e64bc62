import Foundation
import Testing
@testable import Experiments
@testable import Reports
@testable import ServerlessModel

/// The HTML report: well-formed, self-contained, and every chart complete (title, axes with
/// labels and ticks, data marks with their numbers on hover).
@Suite struct ReportPageTests {
    @Test func aSimulationReportHasTheLatencyCDFAndTheTimeSeriesCharts() throws {
        let result = try ReportSupport.simulate()
        let folder = try ReportSupport.write(result)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = ReportPage.html(try ReportFolder.read(folder))
        let charts = try ReportSupport.charts(html)
        ReportSupport.expectAnatomy(charts)
        // The run ends with messages still in flight: backlog_end is not 0, so the outcomes
        // chart leads, before the latency CDF and the three charts over time.
        #expect(charts.map(\.title) == ["What did not succeed, and what was refused", "End-to-end latency CDF per group",
                                        "Queue depth over time", "Concurrency over time", "Throttles over time"])
        #expect(charts[0].xTicks.contains("backlog end"))
        let cdf = charts[1]
        #expect(cdf.legend == ["group A", "group B", "all groups"])
        #expect(cdf.xLabel.contains("log scale"))
        // The tail axis: percentiles a decade of the share slower apart.
        #expect(cdf.yTicks.allSatisfy { $0.hasPrefix("p") }, "\(cdf.yTicks)")
        #expect(cdf.yTicks.contains("p99") && cdf.yTicks.contains("p99.9"), "\(cdf.yTicks)")
        #expect(cdf.xTicks.allSatisfy { $0.hasSuffix(" s") || $0.hasSuffix(" ms") || $0.hasSuffix(" µs") })
        // The hover note of group A at 99% is the mean over replications of its p99.
        let p99s = result.points[0].runs.compactMap { $0.scope("A", kind: .group)?[.latencyP99] }
        let mean = p99s.reduce(0, +) / Double(p99s.count)
        #expect(cdf.notes.contains("group A: p99 \(ChartUnit.seconds.format(mean)) (1% of messages slower)"), "\(cdf.notes)")
        #expect(charts[2].legend.contains("tasks: visible") && charts[2].legend.contains("tasks: in flight"))
        #expect(charts[2].xTicks.dropFirst().allSatisfy { $0.hasSuffix(" s") || $0.hasSuffix(" min") }, "\(charts[2].xTicks)")
        #expect(charts[4].yTicks.allSatisfy { $0.hasSuffix(" /s") || $0 == "0" })
        // Over time: the mean of the replications with their range as a band.
        #expect(charts[3].notes.contains { $0.contains("lowest to highest replication") }, "\(charts[3].notes)")
        // The numbers table leads the page.
        #expect(html.contains("<table class=\"numbers\">"))
        #expect(html.contains("<th>latency_p99_s</th>") && html.contains("<th>backlog_end</th>"))
        // Self-contained: nothing fetched, no script.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href="))
    }

    @Test func aSweepReportChartsEachMeasureAgainstTheParameterWithBands() throws {
        let result = try ReportSupport.sweep()
        let folder = try ReportSupport.write(result)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = ReportPage.html(try ReportFolder.read(folder))
        let charts = try ReportSupport.charts(html)
        ReportSupport.expectAnatomy(charts)
        let parameter = "functions.worker.reserved_concurrency"
        let sweep = charts.filter { $0.title.hasSuffix("against \(parameter)") }
        // Backlog at the end is not 0 (messages in flight): a headline count, charted too.
        #expect(sweep.map(\.title) == ["p99 end-to-end latency", "Throttle rate", "Cost per run", "Backlog end per run"].map { "\($0) against \(parameter)" })
        for chart in sweep {
            #expect(chart.xLabel == parameter)
            #expect(chart.notes.contains { $0.contains("95% confidence interval") }, "\(chart.title) has no band")
        }
        #expect(sweep[1].yTicks.allSatisfy { $0.hasSuffix("%") })
        #expect(sweep[2].yTicks.allSatisfy { $0.hasPrefix("$") })
        // The hover note at concurrency 1 carries all's p99 and its interval from aggregate.csv.
        let all = try #require(result.points[0].aggregate(.latencyP99, scope: "all", kind: .all))
        let note = "all at \(parameter)=1: \(ChartUnit.seconds.format(all.mean)) (95% interval \(ChartUnit.seconds.format(all.ci95Low ?? 0)) to \(ChartUnit.seconds.format(all.ci95High ?? 0)), 3 replications)"
        #expect(sweep[0].notes.contains(note), "\(sweep[0].notes)")
        #expect(charts.contains { $0.title == "End-to-end latency CDF per sweep point, all groups" && $0.legend.count == 3 })
    }

    @Test func aComparisonReportHasBarsWithWhiskersAndMarksSignificantDifferences() throws {
        let comparison = try ReportSupport.compare()
        let folder = try ReportSupport.write(comparison)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = try ReportFolder.read(folder)
        #expect(data.name == "compare-four-vs-one")
        let html = ReportPage.html(data)
        let charts = try ReportSupport.charts(html)
        ReportSupport.expectAnatomy(charts)
        let p99 = try #require(charts.first { $0.title == "p99 end-to-end latency by variant" })
        #expect(p99.legend == ["four", "one"])
        #expect(p99.xTicks == ["A", "B", "all groups"])
        // One function for 4/s of 400 ms work is overloaded: its p99 is significantly longer.
        let p99Rows = comparison.rows.filter { (row: ComparisonRow) -> Bool in row.value.metric == .latencyP99 }
        let row = try #require(p99Rows.first { (row: ComparisonRow) -> Bool in row.variant == "one" && row.value.scope == "all" })
        #expect(row.difference?.significant == true)
        let prefix = "one, all: " + ChartUnit.seconds.format(row.value.mean) + " (95% interval"
        #expect(p99.notes.contains { (note: String) -> Bool in note.hasPrefix(prefix) && note.hasSuffix(", significant") })
        let significant = p99Rows.filter { (row: ComparisonRow) -> Bool in row.difference?.significant == true && row.value.kind != .function }
        #expect(p99.significantMarks == significant.count)
        #expect(p99.significantMarks >= 1)
        #expect(charts.contains { $0.title.hasPrefix("End-to-end latency CDF") && $0.legend == ["four", "one"] })
    }

    @Test func aPlanReportHighlightsTheChosenConfiguration() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = """
            scenario,evaluation,functions.w.reserved_concurrency,status,pass,recommended,reason,replications,concurrency,cost_usd,cost_usd_ci95_low,cost_usd_ci95_high,concurrency_peak,A.latency_p99_s,A.latency_p99_s_ci95_low,A.latency_p99_s_ci95_high
            p,0,2,fail,false,false,group A latency_p99 12s > 10s,4,2,0.5,0.4,0.6,2,12,11,13
            p,1,4,pass,true,true,,4,4,0.52,0.41,0.63,3.5,2,1.5,2.5
            p,2,3,undecided,false,false,straddles,16,3,0.51,0.42,0.6,3,9,7,11

            """
        try text.write(toFile: folder + "/plan.csv", atomically: true, encoding: .utf8)
        let html = ReportPage.html(try ReportFolder.read(folder))
        let charts = try ReportSupport.charts(html)
        ReportSupport.expectAnatomy(charts)
        // The wide plan.csv of earlier versions, without targets: everything but the target lines.
        #expect(charts.map(\.title) == ["Configurations evaluated by the plan: cost",
                                        "Configurations evaluated by the plan: p99 latency of group A", "Cost against p99 latency: the frontier"])
        #expect(charts[0].legend == ["pass", "fail", "undecided"])
        // In knob order, not in the order evaluated.
        #expect(charts[0].xTicks == ["2", "3", "4"])
        #expect(charts[0].notes.contains("evaluation 1 (chosen): functions.w.reserved_concurrency=4; cost $0.52 (95% interval $0.41 to $0.63); pass"))
        #expect(charts.map(\.highlightLabels) == [1, 1, 1])
        #expect(!charts[1].legend.contains("SLO target"))
        // The frontier: 2 at $0.50 (12 s), 3 at $0.51 (9 s), 4 at $0.52 (2 s), each faster than every cheaper one.
        #expect(charts[2].legend == ["pass", "fail", "undecided", "frontier"])
    }

    @Test func aPlanReportDrawsTheTargetAndOneColourMeaningPerPage() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = """
            scenario,evaluation,functions.w.memory,functions.w.reserved_concurrency,status,pass,recommended,reason,replications,concurrency,cost_usd,cost_usd_ci95_low,cost_usd_ci95_high,concurrency_peak,scope,metric,target,mean,ci95_low,ci95_high,outcome
            p,0,1GB,4,pass,true,false,,4,4,0.9,0.8,1.0,3,A,latency_p99_s,10,3,2,4,met
            p,0,1GB,4,pass,true,false,,4,4,0.9,0.8,1.0,3,all,dead_lettered,0,0,0,0,met
            p,1,512MB,4,pass,true,true,,4,4,0.5,0.4,0.6,3,A,latency_p99_s,10,6,5,7,met
            p,1,512MB,4,pass,true,true,,4,4,0.5,0.4,0.6,3,all,dead_lettered,0,0,0,0,met
            p,2,512MB,2,fail,false,false,group A latency_p99 12s > 10s,4,2,0.45,0.4,0.5,2,A,latency_p99_s,10,12,11,13,violated
            p,2,512MB,2,fail,false,false,group A latency_p99 12s > 10s,4,2,0.45,0.4,0.5,2,all,dead_lettered,0,0,0,0,met
            p,3,512MB,99,infeasible,false,false,reserves 99,,99,,,,,,,,,,,

            """
        try text.write(toFile: folder + "/plan.csv", atomically: true, encoding: .utf8)
        let data = try ReportFolder.read(folder)
        // The long form: one row per configuration and constraint, read into the same table.
        #expect(data.plan?.targets == [10, 0])
        #expect(data.plan?.constraints == ["A.latency_p99_s", "all.dead_lettered"])
        #expect(data.plan?.evaluations.map(\.index) == [0, 1, 2, 3])
        #expect(data.plan?.evaluations[2].constraintValues.first?.mean == 12)
        #expect(data.plan?.evaluations[3].constraintValues.allSatisfy { $0.mean == nil } == true)
        let charts = try ReportSupport.charts(ReportPage.html(data))
        ReportSupport.expectAnatomy(charts)
        // 512MB before 1GB (sizes by size), then reserved concurrency ascending.
        #expect(charts[0].xTicks == ["512MB/2", "512MB/4", "1GB/4"])
        #expect(charts[1].legend == ["pass", "fail", "SLO target"])
        #expect(charts[1].notes.contains("SLO target 10 s"))
        // Colours mean verdicts on every chart: the same verdict, the same colour.
        #expect(charts.map(\.title).last == "Cost against p99 latency: the frontier")
        #expect(charts.last?.legend == ["pass", "fail", "frontier", "SLO target"])
    }

    @Test func writingAReportFromABadFolderWritesNothing() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "point,scope\n1\n".write(toFile: folder + "/aggregate.csv", atomically: true, encoding: .utf8)
        #expect(throws: ReportInputError.self) { try ReportPage.write(from: folder, into: folder + "/reports") }
        #expect(!FileManager.default.fileExists(atPath: folder + "/reports"))
    }

    @Test func fileNamesAreSafeAndTheOutputFoldersNames() {
        #expect(ReportPage.fileName("shared-queue") == "shared-queue.html")
        #expect(ReportPage.fileName("a b/c") == OutputFolder.name(for: "a b/c") + ".html")
        #expect(ReportPage.fileName("a b/c").hasPrefix("a-b-c-"))
        #expect(ReportPage.fileName("..") != ReportPage.fileName("."))
    }
}
