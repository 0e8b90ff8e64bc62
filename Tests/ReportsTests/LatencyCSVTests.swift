import Testing
@testable import Experiments
@testable import Reports
@testable import ServerlessModel

/// latency.csv: the CDF points of every scope of every run, consistent with summary.csv.
@Suite struct LatencyCSVTests {
    @Test func theCDFPointsAgreeWithTheSummaryPercentilesAndRise() throws {
        let result = try ReportSupport.simulate()
        let table = LatencyCSV.table(result)
        #expect(table.header == SummaryCSV.leadingColumns + ["percentile", "latency_s"])
        let levels = ScopeSummary.latencyLevels
        var rows = table.rows[...]
        for run in result.points[0].runs {
            for scope in run.scopes where scope[.latencyP50] != nil {
                let block = rows.prefix(levels.count)
                rows = rows.dropFirst(levels.count)
                #expect(block.count == levels.count)
                for row in block {
                    #expect(row[3] == String(run.replication) && row[5] == scope.scope && row[6] == scope.kind.rawValue)
                }
                let latency = block.map { Double($0[8]) ?? -1 }
                #expect(block.map { Double($0[7]) ?? -1 } == levels)
                // The same histogram gives summary.csv its percentiles.
                #expect(latency[levels.firstIndex(of: 50) ?? 0] == scope[.latencyP50])
                #expect(latency[levels.firstIndex(of: 90) ?? 0] == scope[.latencyP90])
                #expect(latency[levels.firstIndex(of: 99) ?? 0] == scope[.latencyP99])
                #expect(latency[levels.firstIndex(of: 99.9) ?? 0] == scope[.latencyP999])
                #expect(latency.last == scope[.latencyMax])
                #expect(zip(latency, latency.dropFirst()).allSatisfy { $0 <= $1 }, "a CDF never falls")
            }
        }
        #expect(rows.isEmpty, "rows of scopes without latency")
    }

    @Test func aScopeWithoutLatencyHasNoRowsAndSweepsCarryTheirParameters() throws {
        let sweep = try ReportSupport.sweep()
        let table = LatencyCSV.table(sweep)
        #expect(table.header == SummaryCSV.leadingColumns + ["functions.worker.reserved_concurrency", "percentile", "latency_s"])
        let scopes = sweep.points.flatMap { point in point.runs.flatMap { run in run.scopes.filter { !$0.latencyQuantiles.isEmpty } } }
        #expect(table.rows.count == scopes.count * ScopeSummary.latencyLevels.count)
        #expect(Set(table.rows.map { $0[7] }) == ["1", "2", "4"])
        // A hand-made run has no histogram and so no rows.
        #expect(LatencyCSV.table(Fixtures.simulate).rows.isEmpty)
    }
}
