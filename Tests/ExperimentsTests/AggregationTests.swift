@testable import Experiments
@testable import ServerlessModel
import SimCore
import Testing

/// Aggregation across replications: order, and metrics missing from some replications.
@Suite struct AggregationTests {
    private func run(_ replication: Int, latency: Double?, sent: Double) -> RunResult {
        var group: [Metric: Double] = [.sent: sent]
        if let latency { group[.latencyP99] = latency }
        return RunResult(
            scenario: "s", replication: replication, seed: 1,
            scopes: [ScopeSummary(scope: "A", kind: .group, values: group),
                     ScopeSummary(scope: "worker", kind: .function, values: [.invocations: sent / 2]),
                     ScopeSummary(scope: "all", kind: .all, values: [.sent: sent])],
            timeseries: [], measuredFrom: .zero, end: .minutes(1), events: 0)
    }

    @Test func aMetricMissingFromSomeReplicationsIsAggregatedOverTheOthersWithItsCount() throws {
        let runs = [run(0, latency: 2, sent: 10), run(1, latency: nil, sent: 12), run(2, latency: 4, sent: 14)]
        let aggregates = Aggregation.aggregate(runs)
        let latency = try #require(aggregates.first { $0.scope == "A" && $0.metric == .latencyP99 })
        #expect(latency.n == 2)
        #expect(latency.mean == 3)
        let sent = try #require(aggregates.first { $0.scope == "A" && $0.metric == .sent })
        #expect(sent.n == 3)
        #expect(sent.mean == 12)
        // A metric no replication has gets no row at all.
        #expect(!aggregates.contains { $0.scope == "A" && $0.metric == .coldStarts })
    }

    @Test func aggregatesComeInScopeThenMetricOrder() {
        let aggregates = Aggregation.aggregate([run(0, latency: 1, sent: 5), run(1, latency: 2, sent: 6)])
        #expect(aggregates.map { "\($0.scope)/\($0.metric.rawValue)" } == [
            "A/sent", "A/latency_p99_s", "worker/invocations", "all/sent",
        ])
    }

    @Test func scopesAreGroupsThenFunctionsThenAllAndAGroupAndAFunctionMayShareAName() {
        let odd = RunResult(
            scenario: "s", replication: 0, seed: 1,
            scopes: [ScopeSummary(scope: "all", kind: .all, values: [:]),
                     ScopeSummary(scope: "x", kind: .function, values: [:]),
                     ScopeSummary(scope: "x", kind: .group, values: [:])],
            timeseries: [], measuredFrom: .zero, end: .minutes(1), events: 0)
        #expect(Aggregation.scopes(of: [odd]) == [
            ScopeKey(name: "x", kind: .group), ScopeKey(name: "x", kind: .function), ScopeKey(name: "all", kind: .all),
        ])
    }
}
