@testable import Experiments
@testable import ServerlessModel
import SimCore

/// Small hand-made results whose CSV is known exactly.
enum Fixtures {
    /// One replication of a pipeline with group A, function worker and `all`.
    static func run(replication: Int, sent: Double, latency: Double?) -> RunResult {
        var group: [Metric: Double] = [.sent: sent, .succeeded: sent - 1, .throughput: 0.5, .throttleRate: 0]
        if let latency { group[.latencyP99] = latency }
        var queue = TimeSeriesRow(intervalStart: .s(10), intervalLength: .s(10), kind: .queue, entity: "tasks")
        queue[.visible] = 3
        queue[.inFlight] = 1
        queue[.delayed] = 0
        queue[.oldestAge] = 0.25
        var function = TimeSeriesRow(intervalStart: .s(10), intervalLength: .s(10), kind: .function, entity: "worker")
        function[.concurrency] = 1.5
        function[.invocations] = 7
        function[.throttles] = 0
        function[.coldStarts] = 1
        function[.errors] = 0
        var producer = TimeSeriesRow(intervalStart: .s(10), intervalLength: .s(10), kind: .group, entity: "A")
        producer[.sent] = 5
        producer[.succeeded] = 4
        return RunResult(
            scenario: "tiny", replication: replication, seed: 42,
            scopes: [
                ScopeSummary(scope: "A", kind: .group, values: group),
                ScopeSummary(scope: "worker", kind: .function, values: [.invocations: 4, .costUSD: 0.00001]),
                ScopeSummary(scope: "all", kind: .all, values: [.sent: sent, .costUSD: 1.5e-5]),
            ],
            timeseries: [queue, function, producer], measuredFrom: .zero, end: .minutes(1), events: 100)
    }

    static let pipeline = PipelineSpec(
        name: "tiny", run: RunSettings(duration: .minutes(1), seed: 42, replications: 2),
        groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 1)))],
        queues: [QueueSpec(name: "tasks")],
        functions: [FunctionSpec(name: "worker", trigger: TriggerSpec(queue: "tasks"))])

    /// A point from runs, aggregated as Experiments does.
    static func point(_ index: Int, runs: [RunResult], parameters: [ParameterValue] = []) -> PointResult {
        PointResult(index: index, label: parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", "),
                    parameters: parameters, pipeline: pipeline, warmup: nil, runs: runs,
                    aggregates: Aggregation.aggregate(runs))
    }

    /// Two replications of the tiny scenario, no sweep.
    static var simulate: ExperimentResult {
        ExperimentResult(scenario: "tiny", points: [
            point(0, runs: [run(replication: 0, sent: 10, latency: 2), run(replication: 1, sent: 12, latency: nil)]),
        ])
    }
}
