import Scenario
import ServerlessModel
import SimCore
import Testing

/// FIFO quotas, deduplication and resends as a scenario says them.
@Suite struct FifoQueueReadingTests {
    static func scenario(queue: String, group: String = "") -> String {
        """
        name: fifo
        run: {duration: 1h}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 2/s}}\(group)}
        queues:
          tasks: \(queue)
        functions: {worker: {timeout: 5s, trigger: {queue: tasks}}}
        """
    }

    @Test func aFifoQueuesQuotaAndDeduplicationAreRead() throws {
        let plain = try #require(loadValid(Self.scenario(queue: "{type: fifo}"))?.pipeline)
        #expect(plain.queues[0].fifoAPICallsPerSecond == 300)
        let high = try #require(loadValid(Self.scenario(queue: "{type: fifo, high_throughput: true, content_based_deduplication: true}"))?.pipeline)
        #expect(high.queues[0].fifoAPICallsPerSecond == 70_000)
        #expect(high.queues[0].contentBasedDeduplication)
        let set = try #require(loadValid(Self.scenario(queue: "{type: fifo, api_calls_per_second: 19000}"))?.pipeline)
        #expect(set.queues[0].fifoAPICallsPerSecond == 19_000)
        let standard = try #require(loadValid(Self.scenario(queue: "{}"))?.pipeline)
        #expect(standard.queues[0].fifoAPICallsPerSecond == nil)
    }

    @Test func quotasAndDeduplicationOnAStandardQueueAreErrors() {
        #expect(diagnostics(ofYAML: Self.scenario(queue: "{high_throughput: true}")) == [
            "test.yml:6:11: queues.tasks.high_throughput: applies to FIFO queues only; a standard queue has no throughput quota and no deduplication (expected type: fifo with high_throughput, or no high_throughput)",
        ])
        let zero = diagnostics(ofYAML: Self.scenario(queue: "{type: fifo, api_calls_per_second: 0}"))
        #expect(zero.count == 1 && zero[0].contains("queues.tasks.api_calls_per_second:") && zero[0].contains("above 0"), "\(zero)")
    }

    @Test func aGroupsResendsAndSendRetriesAreRead() throws {
        let spec = try #require(loadValid(Self.scenario(
            queue: "{type: fifo}",
            group: ", resend: {probability: 0.01, after: 2s, deduplication_id: new}, send_retries: {attempts: 5, jitter: false}"))?.pipeline)
        #expect(spec.groups[0].resend == ResendSpec(probability: 0.01, after: .s(2), sameDeduplicationId: false))
        #expect(spec.groups[0].sendRetry == ClientRetryPolicy(attempts: 5, jitter: false))
        let defaults = try #require(loadValid(Self.scenario(queue: "{type: fifo}"))?.pipeline)
        #expect(defaults.groups[0].resend == nil)
        #expect(defaults.groups[0].sendRetry == ClientRetryPolicy(attempts: 2))
        #expect(diagnostics(ofYAML: Self.scenario(queue: "{}", group: ", resend: {probability: 2, after: 2s}")).first?
            .contains("groups.A.resend.probability") == true)
        #expect(diagnostics(ofYAML: Self.scenario(queue: "{}", group: ", resend: {after: 2s}")).first?
            .contains("groups.A.resend") == true)
    }
}
