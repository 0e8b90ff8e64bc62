@testable import Experiments
import ServerlessModel
import SimCore
import Testing

/// Small pipelines that run in a fraction of a second in a debug build.
enum Pipelines {
    /// One Poisson group into one queue and one function.
    static func single(rate: Double = 2, duration: SimTime = .minutes(2), replications: Int = 3, seed: UInt64 = 11) -> PipelineSpec {
        PipelineSpec(
            name: "single",
            run: RunSettings(duration: duration, seed: seed, replications: replications, timeseriesInterval: .s(10)),
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: rate)))],
            queues: [QueueSpec(name: "tasks", visibilityTimeout: .minutes(3))],
            functions: [FunctionSpec(
                name: "worker", timeout: .s(30), reservedConcurrency: 5, duration: .exponential(mean: .ms(300)),
                coldStart: .constant(.ms(200)), trigger: TriggerSpec(queue: "tasks", batchSize: 1))]
        )
    }

    /// Two groups A and B. `shared`: one queue and one function for both; otherwise a queue
    /// and a function per group. Per-invocation time is constant and per-message work is
    /// random: the randomness lives in streams named after the groups (`arrivals/A`,
    /// `work/A`), which both topologies share, so common random numbers apply to all of it.
    static func topology(shared: Bool, duration: SimTime = .minutes(3), replications: Int = 6, seed: UInt64 = 5) -> PipelineSpec {
        let work = Distribution.lognormal(median: .ms(400), p99: .s(3))
        func function(_ name: String, queue: String, reserved: Int) -> FunctionSpec {
            FunctionSpec(
                name: name, timeout: .s(60), reservedConcurrency: reserved, duration: .constant(.ms(20)), perMessage: work,
                coldStart: .constant(.ms(300)), idleTimeout: .constant(.minutes(10)),
                trigger: TriggerSpec(queue: queue, batchSize: 1, maximumConcurrency: reserved))
        }
        let run = RunSettings(duration: duration, seed: seed, replications: replications, timeseriesInterval: .s(10))
        let arrivalsA = ArrivalProcess.poisson(rate: Rate(perSecond: 3))
        let arrivalsB = ArrivalProcess.poisson(rate: Rate(perSecond: 2))
        if shared {
            return PipelineSpec(
                name: "shared-queue", run: run,
                groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: arrivalsA),
                         TaskGroupSpec(name: "B", queue: "tasks", arrivals: arrivalsB)],
                queues: [QueueSpec(name: "tasks", visibilityTimeout: .minutes(10))],
                functions: [function("worker", queue: "tasks", reserved: 6)])
        }
        return PipelineSpec(
            name: "per-group-queues", run: run,
            groups: [TaskGroupSpec(name: "A", queue: "tasks-a", arrivals: arrivalsA),
                     TaskGroupSpec(name: "B", queue: "tasks-b", arrivals: arrivalsB)],
            queues: [QueueSpec(name: "tasks-a", visibilityTimeout: .minutes(10)),
                     QueueSpec(name: "tasks-b", visibilityTimeout: .minutes(10))],
            functions: [function("worker-a", queue: "tasks-a", reserved: 3), function("worker-b", queue: "tasks-b", reserved: 3)])
    }
}

extension RunResult {
    /// Every metric of every scope, for comparing two runs exactly.
    var fingerprint: [String] {
        scopes.map { scope in
            "\(scope.kind.rawValue) \(scope.scope): " + Metric.allCases.map { "\(scope[$0].map { String($0) } ?? "-")" }
                .joined(separator: " ")
        } + timeseries.map { "\($0)" }
    }
}
