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
