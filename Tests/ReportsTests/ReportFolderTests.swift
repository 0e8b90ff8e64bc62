import Foundation
import Testing
@testable import Reports

/// Reading an output folder: what the writers wrote reads back, and a folder that is
/// missing, empty or malformed is refused with a located message.
@Suite struct ReportFolderTests {
    @Test func aSimulationFolderReadsBackItsNameReplicationsAndAggregates() throws {
        let result = try ReportSupport.simulate()
        let folder = try ReportSupport.write(result)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = try ReportFolder.read(folder)
        #expect(data.name == "pair")
        #expect(data.replications == 3)
        #expect(data.parameterNames.isEmpty)
        #expect(data.files.count == 4)
        let p99 = try #require(result.points[0].aggregate(.latencyP99, scope: "A", kind: .group))
        let read = try #require(data.aggregates.first { $0.scope == "A" && $0.metric == "latency_p99_s" })
        #expect(read.mean == p99.mean && read.ci95Low == p99.ci95Low && read.ci95High == p99.ci95High && read.n == 3)
        // The CDF of a group is the mean over replications of its quantiles.
        let curve = try #require(data.latencyCurves.first { $0.scope == "A" && $0.kind == "group" })
        let runs = result.points[0].runs.compactMap { $0.scope("A", kind: .group)?[.latencyP99] }
        let mean = runs.reduce(0, +) / Double(runs.count)
        let at99 = try #require(curve.points.first { $0.percentile == 99 })
        #expect(abs(at99.seconds - mean) <= 1e-12 * max(1, mean))
        #expect(curve.replications == 3)
        // The time series of the first replication only.
        let replication0 = result.points[0].runs[0].timeseries.count
        #expect(data.timeseries.count == replication0)
    }

    @Test func aMissingOrEmptyFolderIsRefused() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ReportInputError.self) { try ReportFolder.read(folder + "/nothing") }
        do {
            _ = try ReportFolder.read(folder + "/nothing")
        } catch {
            #expect(error.description.contains("no such folder"))
        }
        do {
            _ = try ReportFolder.read(folder)
            Issue.record("an empty folder was read")
        } catch {
            #expect(error.description == "\(folder): no queuesim CSV files here; expected one of summary.csv, aggregate.csv, latency.csv, timeseries.csv, compare.csv, plan.csv")
        }
    }

    @Test func aMalformedValueIsLocated() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = "point,scope,scope_kind,metric,mean,stddev,ci95_low,ci95_high,n\n0,A,group,sent,10,1,9,11,3\n0,A,group,succeeded,ten,1,9,11,3\n"
        try text.write(toFile: folder + "/aggregate.csv", atomically: true, encoding: .utf8)
        #expect(throws: ReportInputError(path: folder + "/aggregate.csv", line: 3, column: 21,
                                         reason: "expected a number in column `mean`, found `ten`")) {
            try ReportFolder.read(folder)
        }
        try "point,scope,metric\n".write(toFile: folder + "/aggregate.csv", atomically: true, encoding: .utf8)
        #expect(throws: ReportInputError(path: folder + "/aggregate.csv", line: 1, column: 1,
                                         reason: "expected a column named `scope_kind` in the header")) {
            try ReportFolder.read(folder)
        }
    }

    @Test func planCSVReadsItsConstraintsAndTheChosenConfiguration() throws {
        let folder = try ReportSupport.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = """
            scenario,evaluation,functions.w.reserved_concurrency,status,pass,recommended,reason,replications,concurrency,cost_usd,cost_usd_ci95_low,cost_usd_ci95_high,concurrency_peak,A.latency_p99_s,A.latency_p99_s_ci95_low,A.latency_p99_s_ci95_high
            p,0,2,fail,false,false,group A latency_p99 12s > 10s,4,2,0.5,0.4,0.6,2,12,11,13
            p,1,4,pass,true,true,,4,4,0.52,0.41,0.63,3.5,2,1.5,2.5
            p,2,40,infeasible,false,false,over the account,,40,,,,,,,

            """
        try text.write(toFile: folder + "/plan.csv", atomically: true, encoding: .utf8)
        let data = try ReportFolder.read(folder)
        let plan = try #require(data.plan)
        #expect(data.name == "p")
        #expect(plan.paths == ["functions.w.reserved_concurrency"])
        #expect(plan.constraints == ["A.latency_p99_s"])
        #expect(plan.evaluations.map(\.status) == ["fail", "pass", "infeasible"])
        #expect(plan.evaluations.map(\.recommended) == [false, true, false])
        #expect(plan.evaluations[1].constraintValues.first?.high == 2.5)
        #expect(plan.evaluations[2].cost == nil)
    }
}
