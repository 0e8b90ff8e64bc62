@testable import Experiments
@testable import Reports
@testable import ServerlessModel
import Testing

/// The CSV files' headers and rows, exactly, for hand-made results.
@Suite struct CSVWriterTests {
    /// A summary row: the metric columns blank except those given.
    private func metrics(_ values: [Metric: String]) -> String {
        Metric.allCases.map { values[$0] ?? "" }.joined(separator: ",")
    }

    private var metricHeader: String { Metric.allCases.map(\.rawValue).joined(separator: ",") }

    @Test func summaryHasOneRowPerReplicationAndScope() {
        let text = SummaryCSV.table(Fixtures.simulate).text
        let expected = [
            "scenario,variant,point,replication,seed,scope,scope_kind," + metricHeader,
            "tiny,,0,0,42,A,group," + metrics([.sent: "10", .succeeded: "9", .throughput: "0.5", .throttleRate: "0", .latencyP99: "2"]),
            "tiny,,0,0,42,worker,function," + metrics([.invocations: "4", .costUSD: "0.00001"]),
            "tiny,,0,0,42,all,all," + metrics([.sent: "10", .costUSD: "0.000015"]),
            "tiny,,0,1,42,A,group," + metrics([.sent: "12", .succeeded: "11", .throughput: "0.5", .throttleRate: "0"]),
            "tiny,,0,1,42,worker,function," + metrics([.invocations: "4", .costUSD: "0.00001"]),
            "tiny,,0,1,42,all,all," + metrics([.sent: "12", .costUSD: "0.000015"]),
        ].joined(separator: "\n") + "\n"
        #expect(text == expected)
    }

    @Test func summaryMetricColumnsFollowTheMetricEnum() {
        let header = SummaryCSV.table(Fixtures.simulate).header
        #expect(Array(header.prefix(7)) == ["scenario", "variant", "point", "replication", "seed", "scope", "scope_kind"])
        #expect(Array(header.dropFirst(7)) == Metric.allCases.map(\.rawValue))
    }

    @Test func summaryOfASweepHasAColumnPerParameterAndQuotesValuesWithCommas() {
        let result = ExperimentResult(
            scenario: "tiny", parameterNames: ["functions.worker.memory", "functions.worker.duration"],
            points: [Fixtures.point(3, runs: [Fixtures.run(replication: 0, sent: 10, latency: 2)], parameters: [
                ParameterValue(name: "functions.worker.memory", value: "1GB"),
                ParameterValue(name: "functions.worker.duration", value: "{uniform: {min: 1s, max: 2s}}"),
            ])])
        let lines = SummaryCSV.table(result).text.split(separator: "\n")
        #expect(lines[0].hasPrefix("scenario,variant,point,replication,seed,scope,scope_kind,functions.worker.memory,functions.worker.duration,sent,"))
        #expect(lines[1].hasPrefix("tiny,,3,0,42,A,group,1GB,\"{uniform: {min: 1s, max: 2s}}\",10,9,"))
    }

    @Test func aggregateHasOneRowPerScopeAndMetric() {
        var point = Fixtures.point(0, runs: [])
        point.aggregates = [
            MetricAggregate(scope: "A", kind: .group, metric: .sent, n: 2, mean: 11, stddev: 1.5, ci95Low: 2.5, ci95High: 19.5),
            MetricAggregate(scope: "A", kind: .group, metric: .latencyP99, n: 1, mean: 2.25, stddev: nil, ci95Low: nil, ci95High: nil),
            MetricAggregate(scope: "worker", kind: .function, metric: .costUSD, n: 2, mean: 1e-5, stddev: 0, ci95Low: 1e-5, ci95High: 1e-5),
            MetricAggregate(scope: "all", kind: .all, metric: .throughput, n: 2, mean: 0.5, stddev: 0.125, ci95Low: -1.25, ci95High: 2.25),
        ]
        let result = ExperimentResult(scenario: "tiny", points: [point])
        let expected = """
            point,scope,scope_kind,metric,mean,stddev,ci95_low,ci95_high,n
            0,A,group,sent,11,1.5,2.5,19.5,2
            0,A,group,latency_p99_s,2.25,,,,1
            0,worker,function,cost_usd,0.00001,0,0.00001,0.00001,2
            0,all,all,throughput,0.5,0.125,-1.25,2.25,2

            """
        #expect(AggregateCSV.table(result).text == expected)
    }

    @Test func aggregateOfASweepHasThePointsParameters() {
        var point = Fixtures.point(2, runs: [], parameters: [ParameterValue(name: "functions.worker.memory", value: "1GB")])
        point.aggregates = [MetricAggregate(scope: "all", kind: .all, metric: .sent, n: 1, mean: 3, stddev: nil, ci95Low: nil, ci95High: nil)]
        let result = ExperimentResult(scenario: "tiny", parameterNames: ["functions.worker.memory"], points: [point])
        #expect(AggregateCSV.table(result).text == """
            point,functions.worker.memory,scope,scope_kind,metric,mean,stddev,ci95_low,ci95_high,n
            2,1GB,all,all,sent,3,,,,1

            """)
    }

    @Test func timeSeriesLeavesColumnsOfOtherKindsBlank() {
        let result = ExperimentResult(scenario: "tiny", points: [Fixtures.point(0, runs: [Fixtures.run(replication: 0, sent: 1, latency: nil)])])
        let expected = """
            replication,interval_start_s,interval_s,entity_kind,entity,visible,in_flight,delayed,oldest_age_s,concurrency,invocations,throttles,cold_starts,errors,environments_mean,environments_peak,idle_environments_mean,utilisation,pollers_mean,instances_mean,instances_peak,sent,succeeded,latency_p99_s,noisy_groups,quiet_visible,quiet_oldest_age_s,workers_running,workers_starting,workers_busy
            0,10,10,queue,tasks,3,1,0,0.25,,,,,,,,,,,,,,,,,,,,,
            0,10,10,function,worker,,,,,1.5,7,0,1,0,,,,,,,,,,,,,,,,
            0,10,10,group,A,,,,,,,,,,,,,,,,,5,4,,,,,,,

            """
        #expect(TimeSeriesCSV.table(result).text == expected)
    }

    @Test func timeSeriesOfASweepStartsWithThePointAndItsParameters() {
        let result = ExperimentResult(
            scenario: "tiny", parameterNames: ["functions.worker.memory"],
            points: [Fixtures.point(1, runs: [Fixtures.run(replication: 2, sent: 1, latency: nil)],
                                    parameters: [ParameterValue(name: "functions.worker.memory", value: "1GB")])])
        let lines = TimeSeriesCSV.table(result).text.split(separator: "\n")
        #expect(lines[0].hasPrefix("point,functions.worker.memory,replication,interval_start_s,interval_s,entity_kind,entity,visible,"))
        #expect(lines[1] == "1,1GB,2,10,10,queue,tasks,3,1,0,0.25,,,,,,,,,,,,,,,,,,,,,")
    }

    @Test func compareHasTheBaselineBlankAndTheDifferenceOfTheOthers() {
        func value(_ mean: Double, _ low: Double?, _ high: Double?) -> MetricAggregate {
            MetricAggregate(scope: "A", kind: .group, metric: .latencyP99, n: 3, mean: mean, stddev: nil, ci95Low: low, ci95High: high)
        }
        let rows = [
            ComparisonRow(variant: "shared", variantIndex: 0, value: value(2.5, 2, 3), difference: nil),
            ComparisonRow(variant: "per-group", variantIndex: 1, value: value(1.5, 1.25, 1.75),
                          difference: PairedDifference(n: 3, mean: -1, stddev: 0.1, ci95Low: -1.25, ci95High: -0.75)),
            ComparisonRow(variant: "third", variantIndex: 2, value: value(2.625, 2, 3.25),
                          difference: PairedDifference(n: 3, mean: 0.125, stddev: 0.3, ci95Low: -0.5, ci95High: 0.75)),
            ComparisonRow(variant: "fourth", variantIndex: 3, value: value(2, nil, nil),
                          difference: PairedDifference(n: 1, mean: -0.5, stddev: nil, ci95Low: nil, ci95High: nil)),
        ]
        let comparison = ComparisonResult(variants: [], rows: rows, seed: 42, replications: 3, commonRandomNumbers: true)
        #expect(CompareCSV.table(comparison).text == """
            variant,scope,scope_kind,metric,mean,ci95_low,ci95_high,diff_vs_first,diff_ci95_low,diff_ci95_high,significant
            shared,A,group,latency_p99_s,2.5,2,3,,,,
            per-group,A,group,latency_p99_s,1.5,1.25,1.75,-1,-1.25,-0.75,true
            third,A,group,latency_p99_s,2.625,2,3.25,0.125,-0.5,0.75,false
            fourth,A,group,latency_p99_s,2,,,-0.5,,,

            """)
    }

    @Test func compareRowsOfRealRunsPairTheReplications() {
        let base = Fixtures.point(0, runs: [Fixtures.run(replication: 0, sent: 10, latency: 2), Fixtures.run(replication: 1, sent: 12, latency: 4)])
        let other = Fixtures.point(1, runs: [Fixtures.run(replication: 0, sent: 11, latency: 1), Fixtures.run(replication: 1, sent: 13, latency: 3)])
        let rows = Comparison.rows(variants: ["one", "two"], results: [base, other])
        let comparison = ComparisonResult(variants: [], rows: rows, seed: 42, replications: 2, commonRandomNumbers: true)
        let lines = CompareCSV.table(comparison).text.split(separator: "\n").map(String.init)
        #expect(lines.count == rows.count + 1)
        // Baseline rows end in four blanks; differences of +1 in both replications have sd 0,
        // the interval [1, 1] and are significant; equal values are not.
        #expect(lines.contains { $0.hasPrefix("one,A,group,sent,11,") && $0.hasSuffix(",,,,") })
        #expect(lines.contains { $0.hasPrefix("two,A,group,sent,12,") && $0.hasSuffix(",1,1,1,true") })
        #expect(lines.contains { $0.hasPrefix("two,A,group,latency_p99_s,2,") && $0.hasSuffix(",-1,-1,-1,true") })
        #expect(lines.contains("two,worker,function,invocations,4,4,4,0,0,0,false"))
    }
}
