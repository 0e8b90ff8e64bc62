import SimCore
@testable import ServerlessModel
import Testing

/// Clients invoking a function synchronously: 429 on throttle, client retries, drops.
@Suite struct DirectInvocationTests {
    func directPipeline(sends: [SimTime], retry: ClientRetryPolicy) -> PipelineSpec {
        PipelineSpec(
            name: "direct",
            run: RunSettings(duration: .minutes(1)),
            groups: [TaskGroupSpec(name: "callers", invoke: DirectInvocationSpec(function: "api", retry: retry),
                                   arrivals: .trace(sends))],
            queues: [],
            functions: [FunctionSpec(name: "api", timeout: .s(30), reservedConcurrency: 1, duration: .constant(.s(1)),
                                     coldStart: .constant(.zero))])
    }

    @Test func aThrottledCallWithoutRetriesIsDropped() throws {
        let result = try run(directPipeline(sends: [.zero, .zero], retry: ClientRetryPolicy(attempts: 0)))
        #expect(result.times(.throttled) == [.zero])
        #expect(result.times(.dropped) == [.zero])
        #expect(result.times(.succeeded) == [.s(1)])
        #expect(result.value(.dropped, "callers") == 1)
        #expect(result.value(.throttleRate, "callers") == 0.5)
    }

    @Test func theClientRetriesAfterItsBackOffAndSucceeds() throws {
        let retry = ClientRetryPolicy(attempts: 3, initialBackoff: .ms(600), maximumBackoff: .s(10), jitter: false)
        let result = try run(directPipeline(sends: [.zero, .zero], retry: retry))
        // The second call is throttled at 0 s and at 0.6 s (first retry), then admitted at
        // 1.8 s (second retry, back-off doubled to 1.2 s) once the first call has returned.
        #expect(result.times(.throttled) == [.zero, .ms(600)])
        #expect(result.times(.succeeded) == [.s(1), .ms(2_800)])
        #expect(result.value(.dropped, "callers") == 0)
        #expect(result.value(.succeeded, "callers") == 2)
    }

    func asyncPipeline(sends: [SimTime], reserved: Int, errorRate: Double = 0,
                       policy: AsyncInvocationPolicy = AsyncInvocationPolicy()) -> PipelineSpec {
        var spec = directPipeline(sends: sends, retry: ClientRetryPolicy())
        spec.run.duration = .minutes(10)
        spec.groups[0].invoke?.mode = .asynchronous
        spec.groups[0].invoke?.asynchronous = policy
        spec.functions[0].reservedConcurrency = reserved
        spec.functions[0].errorRate = errorRate
        spec.queues = [QueueSpec(name: "failed")]
        return spec
    }

    @Test func aThrottledAsynchronousEventIsRetriedByLambdaAfterOneSecond() throws {
        let result = try run(asyncPipeline(sends: [.zero, .zero], reserved: 1))
        #expect(result.times(.throttled) == [.zero])
        #expect(result.times(.succeeded) == [.s(1), .s(2)])
        #expect(result.value(.dropped, "callers") == 0)
    }

    @Test func aFailingAsynchronousEventIsRetriedTwiceThenSentToItsOnFailureQueue() throws {
        let result = try run(asyncPipeline(sends: [.zero], reserved: 1, errorRate: 1,
                                           policy: AsyncInvocationPolicy(retryAttempts: 2, onFailure: "failed")))
        // Fails at 1 s; retried 1 minute later (fails at 62 s), then 2 minutes later (183 s).
        #expect(result.times(.failed) == [.s(1), .s(62), .s(183)])
        #expect(result.times(.deadLettered) == [.s(183)])
        #expect(result.value(.deadLettered, "callers") == 1)
        #expect(result.value(.functionErrors, "api") == 3)
    }

    @Test func anAsynchronousEventOlderThanItsMaximumAgeIsDropped() throws {
        let result = try run(asyncPipeline(sends: [.zero], reserved: 0, policy: AsyncInvocationPolicy(maximumEventAge: .s(60))))
        // Back-offs 1, 2, 4, 8, 16 s: attempts at 0, 1, 3, 7, 15, 31 s; the next (32 s) would
        // pass the 60 s age.
        #expect(result.times(.throttled) == [.zero, .s(1), .s(3), .s(7), .s(15), .s(31)])
        #expect(result.times(.dropped) == [.s(31)])
        #expect(result.value(.dropped, "callers") == 1)
    }
}

/// Directly invoked functions that call a downstream: its latency and limits apply, and a
/// refused call fails the invocation.
@Suite struct DirectDownstreamTests {
    /// Calls at the given times to `api` (100 ms handler, then one call of `service`, 200 ms).
    func pipeline(sends: [SimTime], mode: InvocationMode = .synchronous, retry: ClientRetryPolicy = ClientRetryPolicy(),
                  limit: DownstreamLimit) -> PipelineSpec {
        var spec = DirectInvocationTests().directPipeline(sends: sends, retry: retry)
        spec.groups[0].invoke?.mode = mode
        spec.functions[0].reservedConcurrency = nil
        spec.functions[0].duration = .constant(.ms(100))
        spec.functions[0].downstream = "service"
        spec.downstreams = [DownstreamSpec(name: "service", latency: .constant(.ms(200)), limits: ["all": limit])]
        return spec
    }

    @Test func theDownstreamsLatencyIsAddedAndARefusedCallFailsTheSynchronousCall() throws {
        let result = try run(pipeline(sends: [.s(1), .ms(1_010), .ms(1_020)], limit: DownstreamLimit(concurrency: 1)))
        // The first call holds the only slot from 1.1 s to 1.3 s; the others call at 1.11 s
        // and 1.12 s, are refused, and their callers get the error (no retry by default).
        #expect(result.times(.succeeded) == [.ms(1_300)])
        #expect(result.times(.failed) == [.ms(1_110), .ms(1_120)])
        #expect(result.times(.dropped) == [.ms(1_110), .ms(1_120)])
        #expect(result.value(.downstreamViolations, "callers") == 2)
        #expect(result.value(.downstreamViolations, "api") == 2)
        #expect(result.value(.functionErrors, "api") == 2)
        #expect(result.value(.latencyMax, "callers") == 0.3)
    }

    @Test func aCallerWhosePolicyRetriesErrorsCallsAgainAfterItsBackOff() throws {
        let retry = ClientRetryPolicy(attempts: 2, initialBackoff: .s(1), jitter: false, retryFunctionErrors: true)
        let result = try run(pipeline(sends: [.s(1), .ms(1_010), .ms(1_020)], retry: retry,
                                      limit: DownstreamLimit(concurrency: 1)))
        // Refused at 1.11 s and 1.12 s; retried at 2.11 s (calls at 2.21 s, done 2.41 s) and
        // 2.12 s (refused at 2.22 s, retried 2 s later: calls at 4.32 s, done 4.52 s).
        #expect(result.times(.succeeded) == [.ms(1_300), .ms(2_410), .ms(4_520)])
        #expect(result.times(.failed) == [.ms(1_110), .ms(1_120), .ms(2_220)])
        #expect(result.value(.dropped, "callers") == 0)
        #expect(result.value(.succeeded, "callers") == 3)
    }

    @Test func anAsynchronousEventRefusedByARateLimitIsRetriedByLambdaAMinuteLater() throws {
        var spec = pipeline(sends: [.s(1), .ms(1_010)], mode: .asynchronous,
                            limit: DownstreamLimit(rate: Rate(perSecond: 1), burst: 1))
        spec.run.duration = .minutes(2)
        let result = try run(spec)
        // The second event's call at 1.11 s finds no token; Lambda retries it at 61.11 s.
        #expect(result.times(.failed) == [.ms(1_110)])
        #expect(result.times(.succeeded) == [.ms(1_300), .ms(61_410)])
        #expect(result.value(.succeeded, "callers") == 2)
    }

    @Test func aCallInProgressAtTheTimeoutEndsWithTheInvocation() throws {
        var spec = pipeline(sends: [.s(1), .ms(1_500), .ms(2_500)], limit: DownstreamLimit(concurrency: 1))
        spec.functions[0].timeout = .s(1)
        spec.downstreams[0].latency = .constant(.s(2))
        let result = try run(spec)
        // The first call, from 1.1 s, holds the slot until the invocation's 1 s timeout (from
        // its start at 1 s) cuts it off at 2 s; the second call, at 1.6 s, is refused. The
        // third, at 2.6 s, finds the slot free again (and is cut off at 3.5 s).
        #expect(result.times(.failed) == [.ms(1_600), .s(2), .ms(3_500)])
        #expect(result.value(.downstreamViolations, "callers") == 1)
        #expect(result.value(.succeeded, "callers") == 0)
    }
}
