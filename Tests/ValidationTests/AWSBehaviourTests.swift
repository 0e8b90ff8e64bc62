import Foundation
import ServerlessModel
import SimCore
import Testing

/// Documented AWS behaviour, qualitatively: each test names the section of
/// /work/shared/AWS-SEMANTICS.md (kept in docs as the model's source of facts) it checks.
@Suite struct AWSBehaviourTests {
    /// One queue `tasks` (with `tasks-dlq`) feeding `worker` with batches of 1; constant handler
    /// time, no cold-start time, an instantaneous poll cycle, `count` messages sent at once at
    /// time 0.
    static func backlogPipeline(count: Int, handler: SimTime, runFor: SimTime,
                                configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        var spec = PipelineSpec(
            name: "aws-behaviour",
            run: RunSettings(duration: runFor, timeseriesInterval: .zero),
            assumptions: .instantPollCycle,
            groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .batch(every: .zero, size: count, start: .zero))],
            queues: [QueueSpec(name: "tasks", visibilityTimeout: .s(900)), QueueSpec(name: "tasks-dlq")],
            functions: [FunctionSpec(
                name: "worker", timeout: .s(900), duration: .constant(handler), coldStart: .constant(.zero),
                idleTimeout: .constant(.hours(1)), trigger: TriggerSpec(queue: "tasks", batchSize: 1))])
        configure(&spec)
        return spec
    }

    private func record(_ name: String, order: Int, section: String, parameters: String,
                        rows: [(statistic: String, expected: String, observed: String, pass: Bool)]) {
        Report.shared.record(section: .aws, order: order, name: name, rows: rows.map {
            ReportRow(caseName: "\(name) (§ \(section))", parameters: parameters, statistic: $0.statistic,
                      expected: $0.expected, observed: $0.observed, tolerance: "qualitative", pass: $0.pass)
        })
    }

    // MARK: Maximum concurrency

    struct MaximumConcurrencyCase: Sendable, CustomTestStringConvertible {
        let reserved: Int
        let maximum: Int
        var testDescription: String { "maximum concurrency \(maximum), reserved \(reserved)" }
    }

    /// § "Event source mapping (SQS -> Lambda), standard queues": maximum concurrency caps the
    /// mapping's invocations and, at the cap, the mapping stops reading, so it never over-pulls;
    /// AWS warns not to set it above the function's reserved concurrency. At or below the
    /// reservation: no throttle, concurrency up to the cap. Above it: throttles.
    @Test(arguments: [MaximumConcurrencyCase(reserved: 10, maximum: 10), MaximumConcurrencyCase(reserved: 10, maximum: 5),
                      MaximumConcurrencyCase(reserved: 10, maximum: 20)])
    func maximumConcurrencyAtOrBelowReservedConcurrencyNeverThrottles(_ testCase: MaximumConcurrencyCase) throws {
        let spec = Self.backlogPipeline(count: 400, handler: .s(1), runFor: .s(300)) { spec in
            spec.functions[0].reservedConcurrency = testCase.reserved
            spec.functions[0].trigger?.maximumConcurrency = testCase.maximum
        }
        let result = try World.simulate(spec)
        let throttles = result.value(.throttles, "worker")
        let peak = result.value(.concurrencyPeak, "worker")
        let succeeded = result.value(.succeeded, "A")
        let pass: Bool
        let expectedThrottles: String
        if testCase.maximum <= testCase.reserved {
            pass = throttles == 0 && peak == Double(testCase.maximum) && succeeded == 400
            expectedThrottles = "0"
        } else {
            pass = throttles > 0 && peak == Double(testCase.reserved) && succeeded == 400
            expectedThrottles = "> 0"
        }
        #expect(pass, "throttles \(throttles), peak \(peak), succeeded \(succeeded)")
        #expect(result.conservesMessages)
        record("Maximum concurrency vs reserved concurrency", order: 100 + testCase.maximum,
               section: "Event source mapping, standard queues: maximum concurrency",
               parameters: "400 messages at once, 1 s handler; reserved \(testCase.reserved), maximum concurrency \(testCase.maximum)",
               rows: [("throttles; concurrency_peak; succeeded",
                       "\(expectedThrottles); \(min(testCase.maximum, testCase.reserved)); 400",
                       "\(Report.number(throttles)); \(Report.number(peak)); \(Report.number(succeeded))", pass)])
    }

    // MARK: Over-pull

    /// § "Event source mapping (SQS -> Lambda), standard queues": a throttled invoke keeps its
    /// batch in flight until the visibility timeout, then the messages return with their
    /// receive count up; reserved concurrency below the poller count (no maximum concurrency)
    /// therefore throttles and, with a low maxReceiveCount, dead-letters messages although the
    /// function never failed. The same pipeline with maximum concurrency = reserved
    /// concurrency does neither.
    @Test(arguments: [1, 2])
    func reservedConcurrencyBelowThePollersDeadLettersWithoutFunctionErrors(maxReceiveCount: Int) throws {
        func pipeline(maximum: Int?) -> PipelineSpec {
            Self.backlogPipeline(count: 300, handler: .s(5), runFor: .s(600)) { spec in
                spec.functions[0].reservedConcurrency = 2
                spec.functions[0].trigger?.maximumConcurrency = maximum
                spec.queues[0].visibilityTimeout = .s(30)
                spec.queues[0].maxReceiveCount = maxReceiveCount
                spec.queues[0].deadLetter = "tasks-dlq"
            }
        }
        let overPulled = try World.simulate(pipeline(maximum: nil))
        let capped = try World.simulate(pipeline(maximum: 2))
        let throttles = overPulled.value(.throttles, "worker")
        let deadLettered = overPulled.value(.deadLettered, "A")
        let errors = overPulled.value(.functionErrors, "worker")
        let overPullPass = throttles > 0 && deadLettered > 0 && errors == 0
        let cappedPass = capped.value(.throttles, "worker") == 0 && capped.value(.deadLettered, "A") == 0
            && capped.value(.functionErrors, "worker") == 0
        #expect(overPullPass, "throttles \(throttles), dead letters \(deadLettered), function errors \(errors)")
        let cappedSummary = "throttles \(capped.value(.throttles, "worker")), dead letters \(capped.value(.deadLettered, "A"))"
        #expect(cappedPass, "with maximum concurrency 2: \(cappedSummary)")
        #expect(overPulled.conservesMessages && capped.conservesMessages)
        record("Over-pull: reserved concurrency below the pollers", order: 200 + maxReceiveCount,
               section: "Event source mapping, standard queues: throttled invoke",
               parameters: "300 messages at once, 5 s handler; reserved 2; VT 30 s, maxReceiveCount \(maxReceiveCount), DLQ",
               rows: [
                   ("no maximum concurrency: throttles; dead_lettered; function_errors", "> 0; > 0; 0",
                    "\(Report.number(throttles)); \(Report.number(deadLettered)); \(Report.number(errors))", overPullPass),
                   ("maximum concurrency 2: throttles; dead_lettered; function_errors", "0; 0; 0",
                    "\(Report.number(capped.value(.throttles, "worker"))); \(Report.number(capped.value(.deadLettered, "A"))); "
                        + "\(Report.number(capped.value(.functionErrors, "worker")))", cappedPass),
               ])
    }

    // MARK: Scaling

    /// § "Event source mapping (SQS -> Lambda), standard queues": with messages available the
    /// mapping starts with 5 concurrent batches and adds up to 300 per minute (since Nov 2023)
    /// up to 1,250 per mapping. The model adds 300/60 = 5 pollers every second (its named
    /// `scaling_interval`), so a backlog of long invocations runs 5 + 5·⌊t/1 s⌋ of them at
    /// time t, until 1,250 at 249 s. The account limit is raised so that only the mapping's
    /// own limit binds.
    @Test func theMappingStartsWithFiveAndAddsThreeHundredPerMinuteUpTo1250() throws {
        let spec = Self.backlogPipeline(count: 3_000, handler: .s(600), runFor: .s(300)) { spec in
            spec.account.concurrency = 5_000
            spec.queues[0].visibilityTimeout = .hours(1)
        }
        let result = try World.simulate(spec, tracing: true)
        let starts = result.trace.filter { $0.kind == .coldStart || $0.kind == .invoked }.map(\.time)
        func running(at t: SimTime) -> Int { starts.count(where: { $0 <= t }) }
        let points: [(SimTime, Int)] = [(.ms(500), 5), (.s(1), 10), (.s(30), 155), (.s(60), 305), (.s(120), 605),
                                        (.s(240), 1_205), (.s(249), 1_250), (.s(299), 1_250)]
        var rows: [(statistic: String, expected: String, observed: String, pass: Bool)] = []
        for (t, expected) in points {
            let observed = running(at: t)
            #expect(observed == expected, "at \(t): \(observed) concurrent invocations, expected \(expected)")
            rows.append(("concurrent invocations at \(t)", "\(expected)", "\(observed)", observed == expected))
        }
        #expect(result.value(.throttles, "worker") == 0)
        record("Scaling of the event source mapping", order: 300,
               section: "Event source mapping, standard queues: 5, then +300 per minute, up to 1,250",
               parameters: "3,000 messages at once, 600 s handler, account concurrency 5,000", rows: rows)
    }

    // MARK: FIFO

    /// § "SQS queues" (FIFO: a group with messages in flight delivers no more) and § "Event
    /// source mapping": FIFO concurrency grows up to the number of active message groups.
    /// With a backlog spread over n message groups the function runs exactly n invocations at
    /// the peak, never more, whatever the poller count; with one group the messages complete
    /// in send order.
    @Test(arguments: [1, 3, 8])
    func fifoConcurrencyNeverExceedsTheActiveMessageGroups(groups: Int) throws {
        let spec = Self.backlogPipeline(count: 200, handler: .s(1), runFor: .s(600)) { spec in
            spec.queues[0].kind = .fifo
            spec.queues[1].kind = .fifo
            spec.groups[0].fifoGroupKey = .keys(groups)
        }
        let result = try World.simulate(spec, tracing: true)
        let peak = result.value(.concurrencyPeak, "worker")
        let succeeded = result.value(.succeeded, "A")
        var pass = peak == Double(groups) && succeeded == 200
        var orderNote = ""
        if groups == 1 {
            let deleted = result.trace.filter { $0.kind == .deleted }.map(\.message)
            let inOrder = deleted == Array(0..<200)
            pass = pass && inOrder
            orderNote = inOrder ? "; in send order" : "; OUT OF ORDER"
        }
        #expect(pass, "peak concurrency \(peak) with \(groups) groups, succeeded \(succeeded)\(orderNote)")
        #expect(result.conservesMessages)
        record("FIFO concurrency and message groups", order: 400 + groups,
               section: "SQS queues: FIFO; Event source mapping: FIFO queues",
               parameters: "FIFO, 200 messages at once over \(groups) message group(s), 1 s handler, 5+ pollers",
               rows: [("concurrency_peak; succeeded\(groups == 1 ? "; order" : "")",
                       "\(groups); 200\(groups == 1 ? "; send order" : "")",
                       "\(Report.number(peak)); \(Report.number(succeeded))\(orderNote)", pass)])
    }

    // MARK: Visibility timeout

    /// § "SQS queues" (a received message is invisible until deleted or until the visibility
    /// timeout expires; then visible again, receive count + 1) and § "Event source mapping"
    /// (the visibility timeout should be at least 6 × the function timeout): a visibility
    /// timeout shorter than the handler makes other pollers receive the message again while it
    /// is processed — duplicate processing; 6 × the timeout makes none.
    @Test func aVisibilityTimeoutShorterThanTheHandlerProcessesMessagesTwice() throws {
        func pipeline(visibility: SimTime) -> PipelineSpec {
            Self.backlogPipeline(count: 20, handler: .s(10), runFor: .s(600)) { spec in
                spec.functions[0].timeout = .s(15)
                spec.queues[0].visibilityTimeout = visibility
                spec.functions[0].trigger?.maximumConcurrency = 10
            }
        }
        let short = try World.simulate(pipeline(visibility: .s(4)))
        let advised = try World.simulate(pipeline(visibility: .s(90)))
        let shortPass = short.value(.duplicates, "A") > 0 && short.value(.retries, "A") > 0
        let advisedPass = advised.value(.duplicates, "A") == 0 && advised.value(.retries, "A") == 0
            && advised.value(.succeeded, "A") == 20
        #expect(shortPass, "VT 4 s: duplicates \(short.value(.duplicates, "A")), retries \(short.value(.retries, "A"))")
        #expect(advisedPass, "VT 90 s: duplicates \(advised.value(.duplicates, "A")), retries \(advised.value(.retries, "A"))")
        #expect(short.conservesMessages && advised.conservesMessages)
        record("Visibility timeout shorter than the handler", order: 500,
               section: "SQS queues: visibility timeout; Event source mapping: VT >= 6 x function timeout",
               parameters: "20 messages at once, 10 s handler, timeout 15 s, maximum concurrency 10",
               rows: [
                   ("VT 4 s: duplicates; retries", "> 0; > 0",
                    "\(Report.number(short.value(.duplicates, "A"))); \(Report.number(short.value(.retries, "A")))", shortPass),
                   ("VT 90 s (6 × timeout): duplicates; retries", "0; 0",
                    "\(Report.number(advised.value(.duplicates, "A"))); \(Report.number(advised.value(.retries, "A")))",
                    advisedPass),
               ])
    }

    // MARK: Cold starts and provisioned concurrency

    /// § "Execution environments and cold starts": provisioned environments never cold-start
    /// on the request path; on-demand ones start cold once each and are then reused warm.
    @Test func provisionedEnvironmentsNeverColdStart() throws {
        func pipeline(provisioned: Int) -> PipelineSpec {
            Self.backlogPipeline(count: 100, handler: .s(1), runFor: .s(300)) { spec in
                spec.functions[0].coldStart = .constant(.ms(300))
                spec.functions[0].provisionedConcurrency = provisioned
                spec.functions[0].trigger?.maximumConcurrency = 5
            }
        }
        let provisioned = try World.simulate(pipeline(provisioned: 5))
        let onDemand = try World.simulate(pipeline(provisioned: 0))
        let provisionedPass = provisioned.value(.coldStarts, "worker") == 0 && provisioned.value(.succeeded, "A") == 100
        let onDemandPass = onDemand.value(.coldStarts, "worker") == 5 && onDemand.value(.succeeded, "A") == 100
        #expect(provisionedPass, "provisioned: \(provisioned.value(.coldStarts, "worker")) cold starts")
        #expect(onDemandPass, "on demand: \(onDemand.value(.coldStarts, "worker")) cold starts")
        record("Provisioned concurrency", order: 600,
               section: "Execution environments and cold starts",
               parameters: "100 messages at once, 1 s handler, 0.3 s init, maximum concurrency 5",
               rows: [
                   ("5 provisioned: cold_starts", "0", Report.number(provisioned.value(.coldStarts, "worker")), provisionedPass),
                   ("on demand: cold_starts (one per environment)", "5", Report.number(onDemand.value(.coldStarts, "worker")),
                    onDemandPass),
               ])
    }

    // MARK: Reserved 0 and retention

    /// § "Lambda concurrency" (reserved concurrency 0 = always throttled) and § "SQS queues"
    /// (retention: older messages are deleted, lost): a function reserved at 0 never runs, and
    /// without a dead-letter queue its messages cycle through visibility timeouts until their
    /// retention ends, then expire.
    @Test func reservedConcurrencyZeroThrottlesEverythingUntilRetentionExpiresIt() throws {
        let spec = Self.backlogPipeline(count: 10, handler: .s(1), runFor: .s(300)) { spec in
            spec.functions[0].reservedConcurrency = 0
            spec.queues[0].visibilityTimeout = .s(10)
            spec.queues[0].retention = .s(60)
            spec.queues[0].maxReceiveCount = 1_000
        }
        let result = try World.simulate(spec)
        let pass = result.value(.invocations, "worker") == 0 && result.value(.throttles, "worker") > 0
            && result.value(.expired, "A") == 10 && result.value(.succeeded, "A") == 0
        #expect(pass, "invocations \(result.value(.invocations, "worker")), expired \(result.value(.expired, "A"))")
        #expect(result.conservesMessages)
        record("Reserved concurrency 0 and retention", order: 700,
               section: "Lambda concurrency: reserved 0; SQS queues: retention",
               parameters: "10 messages, reserved 0, VT 10 s, retention 60 s, no DLQ",
               rows: [("invocations; throttles; expired", "0; > 0; 10",
                       "\(Report.number(result.value(.invocations, "worker"))); \(Report.number(result.value(.throttles, "worker"))); "
                           + "\(Report.number(result.value(.expired, "A")))", pass)])
    }
}
