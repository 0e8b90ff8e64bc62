import SimCore
@testable import ServerlessModel
import Testing

/// A tiny deterministic pipeline: one group sending at given times into `tasks`, one
/// function `worker` triggered by it, no cold-start or handler randomness unless a test adds it.
/// Its poll cycle takes no time (the tests of the poll cycle set one), so that the exact times
/// the tests expect are those of the behaviour they test.
func tinyPipeline(
    sends: [SimTime], duration: SimTime = .ms(100), runFor: SimTime = .minutes(5),
    configure: (inout PipelineSpec) -> Void = { _ in }
) -> PipelineSpec {
    var spec = PipelineSpec(
        name: "tiny",
        run: RunSettings(duration: runFor, timeseriesInterval: .s(10)),
        assumptions: .instantPollCycle,
        groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .trace(sends))],
        queues: [QueueSpec(name: "tasks"), QueueSpec(name: "tasks-dlq")],
        functions: [FunctionSpec(
            name: "worker", timeout: .s(30), duration: .constant(duration), coldStart: .constant(.zero),
            idleTimeout: .constant(.minutes(10)), trigger: TriggerSpec(queue: "tasks", batchSize: 1))]
    )
    configure(&spec)
    return spec
}

/// Runs a pipeline with tracing and checks conservation of messages on every scope.
func run(_ spec: PipelineSpec, replication: Int = 0) throws -> RunResult {
    let result = try World.simulate(spec, replication: replication, tracing: true)
    expectConservation(result)
    return result
}

/// `sent = succeeded + dead_lettered + expired + dropped + backlog_end`, per group and overall.
func expectConservation(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
    for scope in result.scopes where scope.kind == .group || scope.kind == .all {
        let sent = scope[.sent] ?? -1
        let accounted = (scope[.succeeded] ?? 0) + (scope[.deadLettered] ?? 0) + (scope[.expired] ?? 0) + (scope[.dropped] ?? 0)
            + (scope[.backlogEnd] ?? 0)
        #expect(sent == accounted, "conservation fails for \(scope.scope): sent \(sent), accounted \(accounted)",
                sourceLocation: sourceLocation)
    }
    // The same identity for every tenant's row (tenants.csv).
    for row in result.tenants {
        let accounted = row.succeeded + row.deadLettered + row.expired + row.dropped + row.backlogEnd
        #expect(row.sent == accounted, "conservation fails for tenant \(row.tenant): sent \(row.sent), accounted \(accounted)",
                sourceLocation: sourceLocation)
    }
}

extension RunResult {
    /// Trace records of one kind, optionally of one message.
    func records(_ kind: TraceRecord.Kind, message: Int64? = nil) -> [TraceRecord] {
        trace.filter { $0.kind == kind && (message == nil || $0.message == message) }
    }

    /// The times of the trace records of one kind.
    func times(_ kind: TraceRecord.Kind, message: Int64? = nil) -> [SimTime] {
        records(kind, message: message).map(\.time)
    }

    /// A metric of a scope, 0 when absent.
    func value(_ metric: Metric, _ scope: String = "all") -> Double {
        self.scope(scope)?[metric] ?? .nan
    }
}
