import Foundation
import ServerlessModel
import SimCore
import Testing

/// One expected step of a trace: what happened, when, to which message, where.
struct Step: Equatable, CustomStringConvertible {
    var time: SimTime
    var kind: TraceRecord.Kind
    /// The message's send number, or nil for an invocation record.
    var message: Int64?
    var entity: String
    /// The receive count (message records) or the batch size (invocation records).
    var count: Int

    init(_ time: SimTime, _ kind: TraceRecord.Kind, _ message: Int64?, _ entity: String, _ count: Int) {
        self.time = time
        self.kind = kind
        self.message = message
        self.entity = entity
        self.count = count
    }

    init(_ record: TraceRecord) {
        self.init(record.time, record.kind, record.message >= 0 ? record.message : nil, record.entity, record.count)
    }

    var description: String { "\(time) \(kind.rawValue) \(message.map { "m\($0)" } ?? "-") \(entity) \(count)" }
}

/// Pipelines without randomness whose every trace timestamp is computed by hand below, from
/// the documented behaviour alone (AWS-SEMANTICS.md and the model's named assumptions).
///
/// Conventions of the trace: a `sent` record carries receive count 0; `received`,
/// `returned`, `deleted`, `forwarded` and `dead_lettered` carry the receive count in the
/// queue named; invocation records (`cold_start`, `invoked`, `throttled`, `succeeded`,
/// `failed`) name the function and carry the batch size. Records of one instant appear in
/// the order the model handles them; the pipelines avoid coincident events of different
/// causes, so that order follows from causality alone.
@Suite struct DeterministicTraceTests {
    private func expectTrace(_ result: RunResult, _ expected: [Step], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let actual = result.trace.map(Step.init)
        let matches = actual == expected
        let listing = "expected:\n\(expected.map(\.description).joined(separator: "\n"))\n"
            + "actual:\n\(actual.map(\.description).joined(separator: "\n"))"
        #expect(matches, "trace differs:\n\(listing)", sourceLocation: sourceLocation)
        return matches
    }

    /// Equal up to the rounding of a ratio of sums (time-weighted means divide by the window).
    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(a)) }

    private func record(_ name: String, order: Int, parameters: String, steps: Int, traceMatches: Bool,
                        metrics: [(String, Double, Double)]) {
        var rows = [ReportRow(caseName: name, parameters: parameters, statistic: "trace (\(steps) records, every timestamp)",
                              expected: "hand-computed", observed: traceMatches ? "identical" : "differs", pass: traceMatches)]
        for (metric, expected, observed) in metrics {
            rows.append(ReportRow(caseName: name, parameters: parameters, statistic: metric, expected: Report.number(expected),
                                  observed: Report.number(observed), pass: Self.same(expected, observed)))
        }
        Report.shared.record(section: .deterministic, order: order, name: name, rows: rows)
    }

    /// A two-stage chain whose second function always fails, with a dead-letter queue.
    ///
    /// `worker` (2 s handler, 0.5 s cold start, 2 pollers) forwards each message to
    /// `results`, whose function `failer` (1 s handler, 0.25 s cold start, error rate 1)
    /// fails every invocation. `results` has a 10 s visibility timeout and maxReceiveCount 2:
    /// each message is received at its forward, returns 10 s later (receive count 1 < 2), is
    /// received again at once by a waiting poller on a warm environment, fails again, and
    /// returns at its second visibility timeout with receive count 2 = maxReceiveCount: the
    /// waiting poller's receive moves it to the dead-letter queue. Section "SQS queues" (visibility timeout, redrive) and "Event source
    /// mapping … standard queues" (function error: the batch returns when its visibility
    /// timeout expires) of AWS-SEMANTICS.md.
    @Test func aFailingSecondStageDeadLettersAfterMaxReceiveCount() throws {
        let spec = PipelineSpec(
            name: "chain",
            run: RunSettings(duration: .s(60), timeseriesInterval: .zero),
            assumptions: .instantPollCycle,
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .trace([.zero, .ms(1_200)]))],
            queues: [QueueSpec(name: "tasks"),
                     QueueSpec(name: "results", visibilityTimeout: .s(10), maxReceiveCount: 2, deadLetter: "results-dlq"),
                     QueueSpec(name: "results-dlq")],
            functions: [
                FunctionSpec(name: "worker", timeout: .s(30), duration: .constant(.s(2)), coldStart: .constant(.ms(500)),
                             idleTimeout: .constant(.minutes(10)), outputQueue: "results",
                             trigger: TriggerSpec(queue: "tasks", batchSize: 1, maximumConcurrency: 2)),
                FunctionSpec(name: "failer", timeout: .s(30), duration: .constant(.s(1)), coldStart: .constant(.ms(250)),
                             idleTimeout: .constant(.minutes(10)), errorRate: 1,
                             trigger: TriggerSpec(queue: "results", batchSize: 1, maximumConcurrency: 2)),
            ])
        let result = try World.simulate(spec, tracing: true)
        let expected = [
            // m0 sent at 0 s: a waiting worker poller receives it at once; cold start 0.5 s + 2 s.
            Step(.zero, .sent, 0, "tasks", 0),
            Step(.zero, .received, 0, "tasks", 1),
            Step(.zero, .coldStart, nil, "worker", 1),
            // m1 sent at 1.2 s: the second poller, a second new environment; ends at 3.7 s.
            Step(.ms(1_200), .sent, 1, "tasks", 0),
            Step(.ms(1_200), .received, 1, "tasks", 1),
            Step(.ms(1_200), .coldStart, nil, "worker", 1),
            // 2.5 s: m0 done, deleted, forwarded; a failer poller receives it; cold start 0.25 s + 1 s.
            Step(.ms(2_500), .succeeded, nil, "worker", 1),
            Step(.ms(2_500), .deleted, 0, "tasks", 1),
            Step(.ms(2_500), .forwarded, 0, "tasks", 1),
            Step(.ms(2_500), .received, 0, "results", 1),
            Step(.ms(2_500), .coldStart, nil, "failer", 1),
            // 3.7 s: the same for m1, on the other failer poller and a second new environment.
            Step(.ms(3_700), .succeeded, nil, "worker", 1),
            Step(.ms(3_700), .deleted, 1, "tasks", 1),
            Step(.ms(3_700), .forwarded, 1, "tasks", 1),
            Step(.ms(3_700), .received, 1, "results", 1),
            Step(.ms(3_700), .coldStart, nil, "failer", 1),
            // Both invocations fail; nothing is deleted, the messages stay invisible.
            Step(.ms(3_750), .failed, nil, "failer", 1),
            Step(.ms(4_950), .failed, nil, "failer", 1),
            // 12.5 s = 2.5 + 10: m0 visible again (count 1 < 2), received again at once; warm.
            Step(.ms(12_500), .returned, 0, "results", 1),
            Step(.ms(12_500), .received, 0, "results", 2),
            Step(.ms(12_500), .invoked, nil, "failer", 1),
            Step(.ms(13_500), .failed, nil, "failer", 1),
            // 13.7 s = 3.7 + 10: the same for m1.
            Step(.ms(13_700), .returned, 1, "results", 1),
            Step(.ms(13_700), .received, 1, "results", 2),
            Step(.ms(13_700), .invoked, nil, "failer", 1),
            Step(.ms(14_700), .failed, nil, "failer", 1),
            // Second timeouts, 10 s after the second receives: visible again with count 2 =
            // maxReceiveCount, so the waiting poller's receive moves each to the DLQ at once.
            Step(.ms(22_500), .returned, 0, "results", 2),
            Step(.ms(22_500), .deadLettered, 0, "results", 2),
            Step(.ms(23_700), .returned, 1, "results", 2),
            Step(.ms(23_700), .deadLettered, 1, "results", 2),
        ]
        let matches = expectTrace(result, expected)
        let metrics: [(String, Double, Double)] = [
            ("sent", 2, result.value(.sent, "A")),
            ("succeeded", 0, result.value(.succeeded, "A")),
            ("dead_lettered", 2, result.value(.deadLettered, "A")),
            ("function_errors (failer)", 4, result.value(.functionErrors, "failer")),
            ("cold_starts (worker + failer)", 4, result.value(.coldStarts)),
            ("invocations (failer)", 4, result.value(.invocations, "failer")),
            ("queue_wait_mean_s", 0, result.value(.queueWaitMean, "A")),
        ]
        for (name, expected, observed) in metrics { #expect(Self.same(expected, observed), "\(name): \(observed)") }
        #expect(result.conservesMessages)
        record("Chain with failing second stage", order: 1,
               parameters: "sends at 0, 1.2 s; worker 2 s + 0.5 s cold; failer 1 s + 0.25 s cold, error rate 1; "
                   + "results VT 10 s, maxReceiveCount 2, DLQ",
               steps: expected.count, traceMatches: matches, metrics: metrics)
    }

    /// A cold start pushes the first invocations past the visibility timeout.
    ///
    /// Handler 5 s, cold start 2 s, visibility timeout 6 s, 2 pollers. The first (cold)
    /// invocation takes 7 s > 6 s: the message returns at 6 s and the second poller takes it
    /// (another cold start, 7 s); the first invocation's delete at 7 s holds a stale receipt and
    /// deletes nothing (a duplicate). At 12 s the message returns again, the first poller takes
    /// it on its now warm environment (5 s < 6 s) and deletes it at 17 s; the second
    /// invocation's delete at 13 s was stale too. Section "SQS queues" (visibility timeout)
    /// and "Event source mapping … standard queues" (visibility timeout at least 6 × the
    /// function timeout) of AWS-SEMANTICS.md.
    @Test func aColdStartPastTheVisibilityTimeoutProcessesTheMessageThreeTimes() throws {
        let spec = PipelineSpec(
            name: "short-visibility",
            run: RunSettings(duration: .s(60), timeseriesInterval: .zero),
            assumptions: .instantPollCycle,
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .trace([.zero, .s(20)]))],
            queues: [QueueSpec(name: "tasks", visibilityTimeout: .s(6), maxReceiveCount: 5, deadLetter: "tasks-dlq"),
                     QueueSpec(name: "tasks-dlq")],
            functions: [FunctionSpec(name: "worker", timeout: .s(30), duration: .constant(.s(5)), coldStart: .constant(.s(2)),
                                     idleTimeout: .constant(.minutes(10)),
                                     trigger: TriggerSpec(queue: "tasks", batchSize: 1, maximumConcurrency: 2))])
        let result = try World.simulate(spec, tracing: true)
        let expected = [
            Step(.zero, .sent, 0, "tasks", 0),
            Step(.zero, .received, 0, "tasks", 1),
            Step(.zero, .coldStart, nil, "worker", 1),
            // 6 s: the visibility timeout ends before the invocation (2 + 5 = 7 s).
            Step(.s(6), .returned, 0, "tasks", 1),
            Step(.s(6), .received, 0, "tasks", 2),
            Step(.s(6), .coldStart, nil, "worker", 1),
            // 7 s: the first invocation succeeds, but its receipt is stale: no delete.
            Step(.s(7), .succeeded, nil, "worker", 1),
            // 12 s: back again; the first poller, waiting since 7 s, takes it warm.
            Step(.s(12), .returned, 0, "tasks", 2),
            Step(.s(12), .received, 0, "tasks", 3),
            Step(.s(12), .invoked, nil, "worker", 1),
            Step(.s(13), .succeeded, nil, "worker", 1),
            // 17 s: a warm invocation ends within the timeout: deleted.
            Step(.s(17), .succeeded, nil, "worker", 1),
            Step(.s(17), .deleted, 0, "tasks", 3),
            // m1 at 20 s: the poller waiting longest (since 13 s) takes it, on the most recently
            // used environment; 5 s, deleted.
            Step(.s(20), .sent, 1, "tasks", 0),
            Step(.s(20), .received, 1, "tasks", 1),
            Step(.s(20), .invoked, nil, "worker", 1),
            Step(.s(25), .succeeded, nil, "worker", 1),
            Step(.s(25), .deleted, 1, "tasks", 1),
        ]
        let matches = expectTrace(result, expected)
        let metrics: [(String, Double, Double)] = [
            ("succeeded", 2, result.value(.succeeded, "A")),
            ("duplicates", 2, result.value(.duplicates, "A")),
            ("retries", 2, result.value(.retries, "A")),
            ("dead_lettered", 0, result.value(.deadLettered, "A")),
            ("invocations", 4, result.value(.invocations, "worker")),
            ("cold_starts", 2, result.value(.coldStarts, "worker")),
            ("function_errors", 0, result.value(.functionErrors, "worker")),
            ("latency_mean_s = (17 + 5) / 2", 11, result.value(.latencyMean, "A")),
            // Little's law on a run that ends empty: the area under "messages in system" is
            // the sum of the latencies, 17 + 5 = 22 message-seconds over the 60 s run.
            ("in_system_mean = 22 / 60", 22.0 / 60, result.value(.inSystemMean, "A")),
            ("throughput × latency_mean = 2/60 × 11", 22.0 / 60, result.value(.throughput, "A") * result.value(.latencyMean, "A")),
        ]
        for (name, expected, observed) in metrics { #expect(Self.same(expected, observed), "\(name): \(observed)") }
        #expect(result.conservesMessages)
        record("Visibility timeout shorter than a cold invocation", order: 2,
               parameters: "sends at 0, 20 s; handler 5 s, cold start 2 s; VT 6 s; 2 pollers",
               steps: expected.count, traceMatches: matches, metrics: metrics)
    }

    /// Over-pull: reserved concurrency 1 under 5 pollers dead-letters a message that no
    /// function ever failed.
    ///
    /// Two messages at 0 s, handler 3.5 s, visibility timeout 4 s, maxReceiveCount 1 with a
    /// dead-letter queue. The first is invoked (cold start 0) and deleted at 3.5 s, within its
    /// visibility timeout. The second is received by another poller and throttled (the
    /// reserved concurrency of 1 is taken); the poller keeps it in flight and retries after
    /// 1 s, then 2 s (the back-off doubles from the assumption `throttle_retry_initial`, 1 s):
    /// throttled again at 1 s and 3 s, both before the first invocation ends. At 4 s its
    /// visibility timeout expires with receive count 1 = maxReceiveCount: a waiting poller's
    /// receive finds it there at once and it is dead-lettered (SQS moves it at that receive). The
    /// retry due at 7 s finds its receipt stale and drops it silently. Section "Event source
    /// mapping … standard queues" (throttled invoke, over-pull) of AWS-SEMANTICS.md.
    @Test func overPullDeadLettersAMessageThatNeverFailed() throws {
        let spec = PipelineSpec(
            name: "over-pull",
            run: RunSettings(duration: .s(60), timeseriesInterval: .zero),
            assumptions: .instantPollCycle,
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .trace([.zero, .zero]))],
            queues: [QueueSpec(name: "tasks", visibilityTimeout: .s(4), maxReceiveCount: 1, deadLetter: "tasks-dlq"),
                     QueueSpec(name: "tasks-dlq")],
            functions: [FunctionSpec(name: "worker", timeout: .s(30), reservedConcurrency: 1, duration: .constant(.ms(3_500)),
                                     coldStart: .constant(.zero), idleTimeout: .constant(.minutes(10)),
                                     trigger: TriggerSpec(queue: "tasks", batchSize: 1))])
        let result = try World.simulate(spec, tracing: true)
        let expected = [
            Step(.zero, .sent, 0, "tasks", 0),
            Step(.zero, .received, 0, "tasks", 1),
            Step(.zero, .coldStart, nil, "worker", 1),
            Step(.zero, .sent, 1, "tasks", 0),
            Step(.zero, .received, 1, "tasks", 1),
            Step(.zero, .throttled, nil, "worker", 1),
            Step(.s(1), .throttled, nil, "worker", 1),
            Step(.s(3), .throttled, nil, "worker", 1),
            Step(.ms(3_500), .succeeded, nil, "worker", 1),
            Step(.ms(3_500), .deleted, 0, "tasks", 1),
            Step(.s(4), .returned, 1, "tasks", 1),
            Step(.s(4), .deadLettered, 1, "tasks", 1),
        ]
        let matches = expectTrace(result, expected)
        let metrics: [(String, Double, Double)] = [
            ("succeeded", 1, result.value(.succeeded, "A")),
            ("dead_lettered", 1, result.value(.deadLettered, "A")),
            ("throttles", 3, result.value(.throttles, "worker")),
            ("function_errors", 0, result.value(.functionErrors, "worker")),
            ("invocations", 1, result.value(.invocations, "worker")),
        ]
        for (name, expected, observed) in metrics { #expect(Self.same(expected, observed), "\(name): \(observed)") }
        #expect(result.conservesMessages)
        record("Over-pull into the dead-letter queue", order: 3,
               parameters: "2 sends at 0; handler 3.5 s; reserved concurrency 1, 5 pollers; VT 4 s, maxReceiveCount 1, DLQ",
               steps: expected.count, traceMatches: matches, metrics: metrics)
    }
}
