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

    @Test func asynchronousInvocationIsRefusedRatherThanApproximated() {
        var spec = directPipeline(sends: [.zero], retry: ClientRetryPolicy())
        spec.groups[0].invoke?.mode = .asynchronous
        #expect(throws: WorldError.self) { try World.simulate(spec) }
    }
}
