import SimCore
@testable import ServerlessModel
import Testing

/// SQS behaviour: visibility timeout, receive count, redrive, retention, delay, duplicates.
@Suite struct SQSQueueTests {
    @Test func aFailedMessageReappearsExactlyOneVisibilityTimeoutAfterItsReceive() throws {
        let spec = tinyPipeline(sends: [.s(1)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.functions[0].errorRate = 1
        }
        let result = try run(spec)
        let receives = result.times(.received, message: 0)
        let returns = result.times(.returned, message: 0)
        #expect(receives.first == .s(1))
        #expect(returns.first == .s(31))
        // Each return is exactly one visibility timeout after the receive before it.
        for (receive, back) in zip(receives, returns) { #expect(back - receive == .s(30)) }
        #expect(receives.count >= 3)
        #expect(result.records(.received, message: 0).map(\.count).prefix(3) == [1, 2, 3])
    }

    @Test func messagesDeletedBehindAnUnfinishedOneAreNeverReturnedAndItReturnsOnTime() throws {
        // Message 0's environment crashes mid-invocation, so it stays in flight until its
        // visibility timeout, with the timers of messages 1 to 3 behind it in the queue's
        // list. Those are deleted (their timers cancelled in place, not dropped) while
        // message 0's timer still waits at the front: only message 0 may come back, and
        // exactly one timeout after its receive.
        let spec = tinyPipeline(sends: [.s(1), .s(2), .s(3), .s(4)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.functions[0].crashes = CrashSpec(at: [.ms(1_050)])
        }
        let result = try run(spec)
        #expect(result.times(.received, message: 0) == [.s(1), .s(31)])
        #expect(result.times(.returned, message: 0) == [.s(31)])
        for message in Int64(1)...3 {
            #expect(result.times(.received, message: message) == [.s(message + 1)])
            #expect(result.times(.returned, message: message).isEmpty)
            #expect(result.times(.deleted, message: message) == [.s(message + 1) + .ms(100)])
        }
        #expect(result.value(.succeeded, "A") == 4)
        #expect(result.value(.retries, "A") == 1)
    }

    @Test func theFourthReceiveWithMaxReceiveCountThreeMovesTheMessageToTheDeadLetterQueue() throws {
        // Three failed receives; the fourth, by the poller waiting when the third returns the
        // message at 91 s, finds the count at 3 and moves it.
        let spec = tinyPipeline(sends: [.s(1)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 3
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.functions[0].errorRate = 1
        }
        let result = try run(spec)
        #expect(result.times(.received, message: 0) == [.s(1), .s(31), .s(61)])
        #expect(result.times(.deadLettered, message: 0) == [.s(91)])
        #expect(result.value(.deadLettered, "A") == 1)
        #expect(result.value(.retries, "A") == 2)
        #expect(result.value(.functionErrors, "worker") == 3)
    }

    @Test func aFunctionTriggeredByTheDeadLetterQueueProcessesEachDeadLetterAndItCountsOnceAsSucceeded() throws {
        let spec = tinyPipeline(sends: [.s(1)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 3
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.functions[0].errorRate = 1
            spec.functions.append(FunctionSpec(
                name: "replayer", timeout: .s(30), duration: .constant(.ms(200)), coldStart: .constant(.zero),
                idleTimeout: .constant(.minutes(10)), trigger: TriggerSpec(queue: "tasks-dlq", batchSize: 1)))
        }
        let result = try run(spec)
        // Three failed receives in `tasks`, then the dead letter is receivable in `tasks-dlq`
        // at once: its poller waits in a long poll and takes it at 91 s, deleting it 200 ms later.
        #expect(result.times(.deadLettered, message: 0) == [.s(91)])
        #expect(result.times(.received, message: 0) == [.s(1), .s(31), .s(61), .s(91)])
        #expect(result.records(.received, message: 0).last?.count == 1)
        #expect(result.times(.deleted, message: 0) == [.s(91) + .ms(200)])
        #expect(result.value(.deadLettered, "A") == 0)
        #expect(result.value(.succeeded, "A") == 1)
        #expect(result.value(.succeeded, "replayer") == 1)
        #expect(result.value(.latencyP50, "A") > 90)
    }

    @Test func aDeadLetterThatFailsInARedrivenDeadLetterQueueEndsInTheNextOne() throws {
        let spec = tinyPipeline(sends: [.s(1), .s(2)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 1
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.queues[1].visibilityTimeout = .s(30)
            spec.queues[1].maxReceiveCount = 2
            spec.queues[1].deadLetter = "last"
            spec.queues.append(QueueSpec(name: "last"))
            spec.functions[0].errorRate = 1
            spec.functions.append(FunctionSpec(
                name: "replayer", timeout: .s(30), coldStart: .constant(.zero),
                idleTimeout: .constant(.minutes(10)), errorRate: 1, trigger: TriggerSpec(queue: "tasks-dlq", batchSize: 1)))
        }
        let result = try run(spec)
        // 1 receive in `tasks` (fails, 30 s), 2 in `tasks-dlq` (30 s each), then `last`, unread.
        #expect(result.times(.deadLettered, message: 0) == [.s(31), .s(91)])
        #expect(result.value(.deadLettered, "A") == 2)
        #expect(result.value(.succeeded, "A") == 0)
        #expect(result.value(.functionErrors, "replayer") == 4)
    }

    @Test func aFifoDeadLetterQueueReadByATriggerDeliversEveryDeadLetter() throws {
        let spec = tinyPipeline(sends: [.s(1), .s(2), .s(3)]) { spec in
            spec.queues[0].kind = .fifo
            spec.queues[1].kind = .fifo
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 2
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.functions[0].errorRate = 1
            spec.functions.append(FunctionSpec(
                name: "replayer", timeout: .s(30), coldStart: .constant(.zero),
                idleTimeout: .constant(.minutes(10)), trigger: TriggerSpec(queue: "tasks-dlq", batchSize: 1)))
        }
        let result = try run(spec)
        // One message group: the three messages fail in order, two receives each, and all
        // three reach the dead-letter queue, where the replayer processes them.
        #expect(result.records(.deadLettered).count == 3)
        #expect(result.value(.succeeded, "A") == 3)
        #expect(result.value(.succeeded, "replayer") == 3)
        #expect(result.value(.deadLettered, "A") == 0)
    }

    @Test func aDeadLetterQueueShowsTheDeadLettersItHoldsAsVisible() throws {
        let spec = tinyPipeline(sends: [.s(1), .s(2), .s(95)]) { spec in
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 3
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.functions[0].errorRate = 1
        }
        let result = try run(spec)
        // Messages 0 and 1 are dead-lettered at 91 s and 92 s, message 2 at 185 s (three
        // receives 30 s apart after its send at 95 s).
        #expect(result.value(.deadLettered, "A") == 3)
        let depth = result.timeseries.filter { $0.kind == .queue && $0.entity == "tasks-dlq" }
        func visible(endingAt end: SimTime) -> Double? {
            depth.first { $0.intervalStart == end - .s(10) }?[.visible]
        }
        #expect(visible(endingAt: .s(90)) == 0)
        #expect(visible(endingAt: .s(100)) == 2)
        #expect(visible(endingAt: .s(180)) == 2)
        #expect(visible(endingAt: .s(190)) == 3)
        #expect(depth.last?[.visible] == 3)
    }

    @Test func retentionExpiresMessagesNobodyReads() throws {
        var spec = tinyPipeline(sends: (0..<10).map { .s($0) }, runFor: .minutes(2))
        spec.functions = []
        spec.queues[0].retention = .s(60)
        let result = try run(spec)
        #expect(result.value(.expired, "A") == 10)
        #expect(result.value(.backlogEnd, "A") == 0)
    }

    @Test func retentionExpiresAMessageWhenItsVisibilityTimeoutReturnsItTooOld() throws {
        let spec = tinyPipeline(sends: [.zero]) { spec in
            spec.queues[0].retention = .s(60)
            spec.queues[0].visibilityTimeout = .s(40)
            spec.functions[0].errorRate = 1
        }
        let result = try run(spec)
        // Received at 0 s and 40 s; returned at 80 s, past the 60 s retention.
        #expect(result.times(.received, message: 0) == [.zero, .s(40)])
        #expect(result.times(.expired, message: 0) == [.s(80)])
        #expect(result.value(.expired, "A") == 1)
    }

    @Test func aQueueDelayHoldsNewMessagesBack() throws {
        let spec = tinyPipeline(sends: [.s(2)]) { $0.queues[0].delay = .s(10) }
        let result = try run(spec)
        #expect(result.times(.received, message: 0) == [.s(12)])
        #expect(result.value(.succeeded, "A") == 1)
    }

    @Test func duplicateDeliveryIsCountedAndNotSent() throws {
        let spec = tinyPipeline(sends: (0..<200).map { .ms(Int64($0) * 100) }) { $0.queues[0].duplicateProbability = 0.2 }
        let result = try run(spec)
        #expect(result.value(.sent, "A") == 200)
        #expect(result.value(.succeeded, "A") == 200)
        // Each receive leaves a copy with probability 0.2, copies included: 0.25 extra
        // deliveries per message on average, 50 expected (sd about 8).
        let duplicates = result.value(.duplicates, "A")
        #expect(duplicates > 20 && duplicates < 90)
    }

    @Test func fifoOrderHoldsThroughRetries() throws {
        let spec = tinyPipeline(sends: (0..<40).map { .ms(Int64($0) * 10) }, runFor: .minutes(30)) { spec in
            spec.queues[0].kind = .fifo
            spec.queues[1].kind = .fifo
            spec.queues[0].visibilityTimeout = .s(5)
            spec.functions[0].errorRate = 0.3
            spec.functions[0].timeout = .s(1)
            spec.functions[0].trigger?.batchSize = 3
        }
        let result = try run(spec)
        #expect(result.value(.functionErrors, "worker") > 0, "the test needs failures to mean anything")
        let deletions = result.records(.deleted).map(\.message)
        #expect(deletions.count == 40)
        #expect(deletions == deletions.sorted(), "one message group: deletes must follow send order")
    }

    @Test func aMessageMovesToTheDeadLetterQueueAtTheReceiveThatFindsItsCountAtTheMaximum() throws {
        // A consumer by hand, no mapping: a receive at 1 s (count 1 = maxReceiveCount), no
        // delete; the visibility timeout returns the message at 31 s, visible with count 1.
        // It stays in the queue until the receive at 100 s, which finds its count at the
        // maximum: SQS moves it then, and that receive returns nothing.
        var spec = tinyPipeline(sends: [.zero], runFor: .s(200))
        spec.functions = []
        spec.queues[0].maxReceiveCount = 1
        spec.queues[0].deadLetter = "tasks-dlq"
        let world = try World(spec: spec, tracing: true)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        var batch: [Receipt] = []
        _ = simulation.run(until: .s(1))
        world.now = simulation.now
        #expect(world.receive(queue: 0, limit: 10, into: &batch, events: &simulation.events) == 1)
        _ = simulation.run(until: .s(100))
        world.now = simulation.now
        #expect(world.queues[0].visibleCount == 1)
        #expect(world.queues[1].deadLetters == 0)
        batch.removeAll()
        #expect(world.receive(queue: 0, limit: 10, into: &batch, events: &simulation.events) == 0)
        #expect(world.queues[0].visibleCount == 0)
        #expect(world.queues[1].deadLetters == 1)
        _ = simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.times(.returned, message: 0) == [.s(31)])
        #expect(result.times(.deadLettered, message: 0) == [.s(100)])
        #expect(result.value(.deadLettered, "A") == 1)
    }

    @Test func retentionDeletesEachMessageAtItsInstant() throws {
        // Nobody reads the queue: message k, sent at k s, expires at exactly 60 + k s. Each is
        // in the system for 60 s of the 120 s run, so Little's L is 10 × 60 / 120 = 5, and
        // the queue's depth is 10 until the first expiry and 0 after the last.
        var spec = tinyPipeline(sends: (0..<10).map { .s($0) }, runFor: .minutes(2))
        spec.functions = []
        spec.queues[0].retention = .s(60)
        let result = try run(spec)
        for k in Int64(0)..<10 { #expect(result.times(.expired, message: k) == [.s(60 + k)]) }
        #expect(result.value(.expired, "A") == 10)
        #expect(result.value(.inSystemMean, "A") == 5)
        let depth = result.timeseries.filter { $0.kind == .queue && $0.entity == "tasks" }
        // Snapshots at the intervals' ends, before what happens at that instant: 50 s and 60 s
        // (all 10 there: message 0 expires at 60 s, in the interval that starts then), 70 s
        // (none left).
        #expect(depth.first { $0.intervalStart == .s(40) }?[.visible] == 10)
        #expect(depth.first { $0.intervalStart == .s(50) }?[.visible] == 10)
        #expect(depth.first { $0.intervalStart == .s(60) }?[.visible] == 0)
    }

    @Test func retentionOfADelayedMessageAndOfOneInFlight() throws {
        // Message 0 is in flight (a 100 s handler, timeout and visibility 120 s) when its
        // 60 s retention passes: it is deleted when the timeout returns it at 120 s. Message 1
        // is delayed 90 s, past its retention: it is deleted at 61 s, never received.
        var spec = tinyPipeline(sends: [.zero], duration: .s(100), runFor: .minutes(4)) { spec in
            spec.queues[0].retention = .s(60)
            spec.queues[0].visibilityTimeout = .s(120)
            spec.functions[0].timeout = .s(110)
            spec.functions[0].errorRate = 1
        }
        spec.groups.append(TaskGroupSpec(name: "B", queue: "late", arrivals: .trace([.s(1)])))
        spec.queues.append(QueueSpec(name: "late", retention: .s(60), delay: .s(90)))
        let result = try run(spec)
        #expect(result.times(.expired, message: 0) == [.s(120)])
        #expect(result.times(.expired, message: 1) == [.s(61)])
        #expect(result.times(.received, message: 1).isEmpty)
    }

    @Test func fifoConcurrencyNeverExceedsTheNumberOfMessageGroups() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 200), duration: .s(1)) { spec in
            spec.queues[0].kind = .fifo
            spec.queues[1].kind = .fifo
            spec.groups[0].fifoGroupKey = .keys(3)
        }
        let result = try run(spec)
        #expect(result.value(.concurrencyPeak, "worker") <= 3)
        #expect(result.value(.concurrencyPeak, "worker") >= 2)
        #expect(result.value(.succeeded, "A") == 200)
    }
}

/// An HTTP front door in front of a queue.
@Suite struct FrontDoorTests {
    @Test func requestsBeyondTheBurstAreRejectedAndNeverReachTheQueue() throws {
        // 10 requests at once through a door with burst 4 and 1/s: 4 pass, 6 are rejected;
        // one more at 2.5 s finds 2 tokens refilled and passes.
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 10) + [.ms(2_500)]) { spec in
            spec.frontDoors = [FrontDoorSpec(name: "api", rate: Rate(perSecond: 1), burst: 4)]
            spec.groups[0].frontDoor = "api"
        }
        let result = try run(spec)
        #expect(result.value(.rejected, "A") == 6)
        #expect(result.value(.sent, "A") == 5)
        #expect(result.value(.succeeded, "A") == 5)
    }
}
