import SimCore
@testable import ServerlessModel
import Testing

/// Chains through FIFO queues: a message forwarded into a queue joins a message group of that
/// queue (it crashed on the slot of its old queue's group before), carrying its id.
@Suite struct FifoChainTests {
    /// `worker` reads `tasks` and sends on to `results`, read by `finisher` (1 s a message).
    func chain(sends: [SimTime], first: QueueKind, second: QueueKind, key: FifoGroupKey = .group,
               configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        tinyPipeline(sends: sends, duration: .ms(10)) { spec in
            spec.queues[0].kind = first
            spec.queues[1].kind = first
            spec.groups[0].fifoGroupKey = key
            spec.queues.append(QueueSpec(name: "results", kind: second))
            spec.functions[0].outputQueue = "results"
            spec.functions.append(FunctionSpec(
                name: "finisher", timeout: .s(30), duration: .constant(.s(1)), coldStart: .constant(.zero),
                trigger: TriggerSpec(queue: "results", batchSize: 1)))
            configure(&spec)
        }
    }

    /// The send numbers of messages deleted from a queue, in delete order.
    func deletions(in queue: String, of result: RunResult) -> [Int64] {
        result.records(.deleted).filter { $0.entity == queue }.map(\.message)
    }

    @Test func aMessageForwardedFromAFIFOQueueToAnotherKeepsItsGroupAndItsOrder() throws {
        let result = try run(chain(sends: (0..<20).map { .ms(Int64($0) * 5) }, first: .fifo, second: .fifo))
        #expect(result.value(.succeeded, "A") == 20)
        #expect(result.value(.succeeded, "finisher") == 20)
        // One group: the second queue delivers one message at a time, in send order.
        #expect(result.value(.concurrencyPeak, "finisher") == 1)
        #expect(deletions(in: "results", of: result) == Array(0..<20))
    }

    @Test func aMessageOfOneOfThreeKeysKeepsItsKeyInTheNextFIFOQueue() throws {
        let result = try run(chain(sends: Array(repeating: .zero, count: 60), first: .fifo, second: .fifo, key: .keys(3)))
        #expect(result.value(.succeeded, "A") == 60)
        // Three ids, so at most three groups in flight in the second queue too.
        #expect(result.value(.concurrencyPeak, "finisher") <= 3)
        #expect(result.value(.concurrencyPeak, "finisher") >= 2)
    }

    @Test func aMessageWithAnIdOfItsOwnHasAGroupOfItsOwnInTheNextFIFOQueue() throws {
        let result = try run(chain(sends: Array(repeating: .zero, count: 30), first: .fifo, second: .fifo, key: .message))
        #expect(result.value(.succeeded, "A") == 30)
        #expect(result.value(.concurrencyPeak, "finisher") > 3)
    }

    @Test func aMessageFromAStandardQueueTakesItsTaskGroupsIdInAFIFOQueue() throws {
        let result = try run(chain(sends: Array(repeating: .zero, count: 20), first: .standard, second: .fifo))
        #expect(result.value(.succeeded, "A") == 20)
        // Without an id it would be a group of its own; with its task group's, one at a time.
        #expect(result.value(.concurrencyPeak, "finisher") == 1)
        #expect(result.value(.concurrencyPeak, "worker") > 1)
    }

    @Test func aMessageFromAFIFOQueueLeavesItsGroupInAStandardQueue() throws {
        let result = try run(chain(sends: Array(repeating: .zero, count: 20), first: .fifo, second: .standard))
        #expect(result.value(.succeeded, "A") == 20)
        #expect(result.value(.concurrencyPeak, "worker") == 1)
        #expect(result.value(.concurrencyPeak, "finisher") > 1)
    }

    @Test func aFIFOChainWithRetriesAndDeadLettersConservesEveryMessage() throws {
        let spec = chain(sends: (0..<200).map { .ms(Int64($0) * 50) }, first: .fifo, second: .fifo, key: .keys(4)) { spec in
            spec.queues[0].visibilityTimeout = .s(2)
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.queues[0].maxReceiveCount = 2
            spec.queues[2].visibilityTimeout = .s(3)
            spec.functions[0].errorRate = 0.3
            spec.functions[1].errorRate = 0.2
        }
        let result = try run(spec)
        #expect(result.value(.deadLettered, "A") > 0, "the test needs dead letters to mean anything")
        #expect(result.value(.succeeded, "finisher") > 0)
    }

    @Test func aContainerServiceForwardsIntoAFIFOQueue() throws {
        var spec = tinyPipeline(sends: Array(repeating: .s(1), count: 6))
        spec.queues.append(QueueSpec(name: "stage2", kind: .fifo))
        spec.functions[0].outputQueue = "stage2"
        spec.containers = [ContainerServiceSpec(name: "pool", queue: "stage2", workers: 2, duration: .constant(.s(1)),
                                                outputQueue: "done")]
        spec.queues.append(QueueSpec(name: "done", kind: .fifo))
        let result = try run(spec)
        // Sent on twice and then left in `done`, which nothing reads.
        #expect(result.records(.forwarded).filter { $0.entity == "stage2" }.count == 6)
        #expect(result.value(.backlogEnd, "A") == 6)
    }
}
