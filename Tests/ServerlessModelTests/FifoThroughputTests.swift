import SimCore
@testable import ServerlessModel
import Testing

/// FIFO throughput quotas (FifoThroughput.swift): calls per second per action, high-throughput
/// mode's per-group partition quota, the producer's retries and drops, the mapping's
/// throttled receives.
@Suite struct FifoThroughputTests {
    /// `tinyPipeline` on FIFO queues, with the producer's retries set.
    static func fifo(sends: [SimTime], runFor: SimTime = .minutes(1),
                     configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        tinyPipeline(sends: sends, runFor: runFor) { spec in
            spec.queues[0].kind = .fifo
            spec.queues[1].kind = .fifo
            spec.groups[0].fifoGroupKey = .message
            configure(&spec)
        }
    }

    @Test func aThrottledSendIsRetriedAfterItsBackOffAndDroppedWhenItsRetriesAreSpent() throws {
        // 2 calls per second, a bucket of 2: of five sends at 0 s two pass and three are
        // throttled; their retry at 1 s finds the bucket full again (2), so two pass and the
        // last is throttled a second time, past its one retry: dropped.
        let spec = Self.fifo(sends: Array(repeating: .zero, count: 5)) { spec in
            spec.queues[0].apiCallsPerSecond = 2
            spec.groups[0].sendRetry = ClientRetryPolicy(attempts: 1, initialBackoff: .s(1), jitter: false)
        }
        let result = try run(spec)
        #expect(result.times(.sent) == [.zero, .zero, .s(1), .s(1)])
        #expect(result.times(.dropped) == [.s(1)])
        #expect(result.value(.sent, "A") == 5)
        #expect(result.value(.succeeded, "A") == 4)
        #expect(result.value(.dropped, "A") == 1)
        #expect(result.value(.sqsThrottles, "A") == 4)
        // The receives and deletes (two at 0 s, two at 1 s) stay within their own quotas.
        #expect(result.value(.sqsThrottles, "worker") == 0)
        #expect(result.value(.sqsThrottles) == 4)
    }

    @Test func theDefaultQuotaIs300CallsPerSecondAndHighThroughputHoldsAGroupToAPartitions() throws {
        // 400 sends at once, no retries. Normal mode: the queue's 300 pass. High throughput
        // (70,000 for the queue): one message group is held to its partition's 300; messages
        // of a group each (`fifo_group_key: message`) are not.
        func drops(highThroughput: Bool, key: FifoGroupKey) throws -> Double {
            let spec = Self.fifo(sends: Array(repeating: .zero, count: 400)) { spec in
                spec.queues[0].highThroughput = highThroughput
                spec.groups[0].fifoGroupKey = key
                spec.groups[0].sendRetry = ClientRetryPolicy(attempts: 0)
                spec.functions[0].duration = .constant(.ms(1))
            }
            let result = try run(spec)
            #expect(result.value(.dropped, "A") == result.value(.sqsThrottles, "A"))
            return result.value(.dropped, "A")
        }
        #expect(try drops(highThroughput: false, key: .message) == 100)
        #expect(try drops(highThroughput: false, key: .group) == 100)
        #expect(try drops(highThroughput: true, key: .group) == 100)
        #expect(try drops(highThroughput: true, key: .message) == 0)
    }

    @Test func aThrottledReceiveWaitsForTheQuotaWhileTheMessageWaitsInTheQueue() throws {
        // 1 call per second. The mapping's five pollers long-poll from 0 s; at 20 s their
        // polls end empty, five calls that take the bucket from 1 to -4. A message sent at
        // 21 s (its own bucket is full) finds the receive bucket at -3: the pollers wait 4 s
        // for it, and the first receive passes at 25 s, when the bucket is back at 1.
        let spec = Self.fifo(sends: [.s(21)]) { spec in
            spec.queues[0].apiCallsPerSecond = 1
        }
        let result = try run(spec)
        #expect(result.times(.sent) == [.s(21)])
        #expect(result.times(.received) == [.s(25)])
        #expect(result.value(.succeeded, "A") == 1)
        // The five pollers woken at 21 s call and are throttled, and while the message stays
        // receivable the mapping adds pollers at 300 a minute, 20 in the 4 s, each throttled
        // at its first call.
        #expect(result.value(.pollersPeak, "worker") == 25)
        #expect(result.value(.sqsThrottles, "worker") == 25)
        #expect(result.value(.sqsThrottles) == 25)
    }

    @Test func aThrottledDeleteKeepsTheMessageInFlightUntilItsCallPasses() throws {
        // 1 call per second, the delete bucket empty at 0 s (other consumers' deletes, say).
        // The message sent at 0 s is received at once; its delete at 0.1 s finds 0.1 of a
        // call: throttled, it passes at 1 s, when the bucket holds one, and the message is in
        // flight until then. The next message of the group (sent at 0.5 s: the send bucket
        // holds 0.5, so it is retried 1 s later without jitter) is accepted at 1.5 s, where
        // it takes its place in the send order (number 2), received at once; its delete at
        // 1.6 s finds 0.6 of a call and passes at 2 s.
        let spec = Self.fifo(sends: [.zero, .ms(500)]) { spec in
            spec.queues[0].apiCallsPerSecond = 1
            spec.groups[0].fifoGroupKey = .group
            spec.groups[0].sendRetry = ClientRetryPolicy(attempts: 2, initialBackoff: .s(1), jitter: false)
        }
        let world = try World(spec: spec, tracing: true)
        world.queues[0].throughput?.delete.tokens = 0
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.times(.sent) == [.zero, .ms(1_500)])
        #expect(result.times(.deleted, message: 0) == [.s(1)])
        #expect(result.times(.received, message: 2) == [.ms(1_500)])
        #expect(result.times(.deleted, message: 2) == [.s(2)])
        #expect(result.value(.sqsThrottles, "A") == 1)
        #expect(result.value(.sqsThrottles, "worker") == 2)
        #expect(result.value(.succeeded, "A") == 2)
    }

    @Test func aStandardQueueHasNoQuotaAndNoThrottleColumn() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 400)) { spec in
            spec.functions[0].duration = .constant(.ms(1))
        }
        let result = try run(spec)
        #expect(result.value(.succeeded, "A") == 400)
        #expect(result.scope("A")?[.sqsThrottles] == nil)
    }
}
