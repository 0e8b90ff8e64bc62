import SimCore
@testable import ServerlessModel
import Testing

/// Event source mapping behaviour: polling, scaling, batching, maximum concurrency, back-off.
@Suite struct EventSourceMappingTests {
    @Test func whatAnInvocationStepReadsOfAPollerIsOneCacheLine() throws {
        // Two whole lines, so that in a store starting on a line (EntityStore) each poller's
        // first line is its own; the step's fields all in the first.
        #expect(MemoryLayout<Poller>.stride == 128)
        let invocation = try #require(MemoryLayout<Poller>.offset(of: \Poller.invocation))
        #expect(invocation + MemoryLayout<Invocation>.size <= 64)
        for field in [\Poller.generation, \Poller.mapping] as [PartialKeyPath<Poller>] {
            #expect(try #require(MemoryLayout<Poller>.offset(of: field)) < 64)
        }
        #expect(try #require(MemoryLayout<Poller>.offset(of: \Poller.laterReceipts)) < 64)
        #expect(try #require(MemoryLayout<Poller>.offset(of: \Poller.firstReceipt)) + MemoryLayout<Receipt?>.size <= 128)
        #expect(try #require(MemoryLayout<Poller>.offset(of: \Poller.state)) < 64)
    }

    @Test func aPollersBatchKeepsItsFirstReceiptInlineAndTheRestInOrder() {
        func receipt(_ m: Int) -> Receipt { Receipt(message: MessageID(m), generation: UInt32(m), group: 0, measured: true) }
        var poller = Poller(mapping: 0)
        #expect(poller.batchIsEmpty && poller.batchCount == 0)
        poller.append(receipt(1))
        #expect(poller.laterReceipts.isEmpty && poller.batchCount == 1 && poller.receipt(0) == receipt(1))
        for m in 2...5 { poller.append(receipt(m)) }
        poller.reportFailed(0)
        poller.reportFailed(3)
        #expect((0..<poller.batchCount).map { poller.receipt($0).message.index } == [1, 2, 3, 4, 5])
        #expect((0..<poller.batchCount).filter { poller.receipt($0).reportedFailed } == [0, 3])
        #expect(poller.batchCount { !$0.reportedFailed } == 3)
        // The first receipt removed: the next one kept takes its place.
        poller.removeReceipts { $0.message.index == 1 || $0.message.index == 2 || $0.message.index == 5 }
        #expect((0..<poller.batchCount).map { poller.receipt($0).message.index } == [3, 4])
        poller.emptyBatch()
        #expect(poller.batchIsEmpty && poller.batchCount == 0)
    }

    @Test func theMappingStartsWithFiveBatchesAndAddsThreeHundredPerMinute() throws {
        // A large backlog of long invocations: every new poller finds work and stays busy.
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 2_000), duration: .s(600), runFor: .s(90)) { spec in
            spec.functions[0].timeout = .s(900)
            spec.queues[0].visibilityTimeout = .hours(1)
        }
        let result = try run(spec)
        let starts = result.times(.coldStart)
        #expect(starts.filter { $0 < .s(1) }.count == 5)
        #expect(starts.filter { $0 <= .s(1) }.count == 10)
        #expect(starts.filter { $0 <= .s(60) }.count == 305)
        #expect(starts.filter { $0 <= .s(90) }.count == 455)
    }

    @Test func anIdleMappingsScalingClockStopsAndItsPollersOnlyLongPoll() throws {
        // One message at 1 s, then an hour of nothing: the clock ticks at 1 s (the message
        // has been taken) and stops. What is left is the five pollers' 20-second long polls
        // (5 x 180) and the time-series samples (360), not 3,600 scaling ticks.
        let spec = tinyPipeline(sends: [.s(1)], runFor: .hours(1))
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        #expect(simulation.handledEvents < 5 * 181 + 361 + 20, "\(simulation.handledEvents) events for one message")
        #expect(!world.mappings[0].clockRunning)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        #expect(result.value(.succeeded, "A") == 1)
    }

    @Test func aStoppedScalingClockRestartsOnTheIntervalGrid() throws {
        // Idle for 100.5 s, then a backlog of long invocations: the clock restarts at the
        // next whole second and adds 5 pollers per second from there, as a clock that had
        // kept ticking would (the start-up test above, shifted by 100.5 s).
        let spec = tinyPipeline(sends: Array(repeating: .ms(100_500), count: 2_000), duration: .s(600),
                                runFor: .s(100_500 / 1_000 + 61)) { spec in
            spec.functions[0].timeout = .s(900)
            spec.queues[0].visibilityTimeout = .hours(1)
        }
        let result = try run(spec)
        let starts = result.times(.coldStart)
        #expect(starts.filter { $0 <= .ms(100_500) }.count == 5)
        #expect(starts.filter { $0 < .s(101) }.count == 5)
        #expect(starts.filter { $0 <= .s(101) }.count == 10)
        #expect(starts.filter { $0 <= .s(160) }.count == 305)
        #expect(starts.allSatisfy { $0 == .ms(100_500) || $0.nanoseconds % 1_000_000_000 == 0 })
    }

    @Test func maximumConcurrencyCapsConcurrencyWithoutThrottles() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 100), duration: .s(1)) { spec in
            spec.functions[0].trigger?.maximumConcurrency = 2
        }
        let result = try run(spec)
        #expect(result.value(.concurrencyPeak, "worker") == 2)
        #expect(result.value(.throttles, "worker") == 0)
        #expect(result.value(.succeeded, "A") == 100)
    }

    @Test func reservedConcurrencyBelowThePollersOverPullsIntoTheDeadLetterQueueWithoutAnyFunctionError() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 50), duration: .s(20)) { spec in
            spec.functions[0].reservedConcurrency = 1
            spec.queues[0].visibilityTimeout = .s(30)
            spec.queues[0].maxReceiveCount = 2
            spec.queues[0].deadLetter = "tasks-dlq"
        }
        let result = try run(spec)
        #expect(result.value(.throttles, "worker") > 0)
        #expect(result.value(.deadLettered, "A") > 0)
        #expect(result.value(.functionErrors, "worker") == 0)
    }

    @Test func aBatchingWindowGathersMessagesUntilItCloses() throws {
        let spec = tinyPipeline(sends: [.s(1), .s(2), .s(3)]) { spec in
            spec.functions[0].trigger?.batchSize = 100
            spec.functions[0].trigger?.batchingWindow = .s(5)
            spec.functions[0].trigger?.maximumConcurrency = 2
        }
        let result = try run(spec)
        // The first poller takes message 0 at 1 s and its window closes at 6 s; the second
        // poller takes messages 1 and 2 and invokes at 7 s.
        let invocations = result.records(.coldStart) + result.records(.invoked)
        #expect(invocations.map(\.time).sorted() == [.s(6), .s(7)])
        #expect(invocations.map(\.count).reduce(0, +) == 3)
        #expect(result.value(.succeeded, "A") == 3)
    }

    /// The batch of each invocation, in time order, when `count` messages sent at 0 s meet
    /// one poller with batches of 10.
    private func batches(of count: Int, messagesPerReceive: Double, window: SimTime = .zero) throws -> [Int] {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: count), runFor: .s(30)) { spec in
            spec.assumptions.pollerStart = 1
            spec.assumptions.pollerMinimum = 1
            spec.assumptions.pollerScaleUpPerMinute = 0
            spec.assumptions.messagesPerReceive = messagesPerReceive
            spec.functions[0].trigger?.batchSize = 10
            spec.functions[0].trigger?.batchingWindow = window
        }
        let result = try run(spec)
        return (result.records(.coldStart) + result.records(.invoked)).sorted { $0.time < $1.time }.map(\.count)
    }

    @Test func aReceiveReturnsAtMostMessagesPerReceive() throws {
        // 25 messages, 3 a receive. Without a batching window the first send wakes the poller
        // alone (a batch of 1), and then each receive's 3 messages are a batch; with one, the
        // poller receives again at once until its batch is full (4 receives for 10), and the
        // last batch of 5 waits for its window.
        #expect(try batches(of: 25, messagesPerReceive: 3) == [1, 3, 3, 3, 3, 3, 3, 3, 3])
        #expect(try batches(of: 25, messagesPerReceive: 3, window: .s(1)) == [10, 10, 5])
    }

    @Test func aFractionalMessagesPerReceiveAlternatesToItsMean() throws {
        // 17 messages, 1.6 a receive: 1 (the first send wakes the poller alone, and that
        // receive counts: the rule allowed 1), 2, 1, 2, 2 (the credit left 0.6, 0.2, 0.8, 0.4,
        // 0), and again: 8 messages every 5 receives, then the one message left.
        #expect(try batches(of: 17, messagesPerReceive: 1.6) == [1, 2, 1, 2, 2, 1, 2, 1, 2, 2, 1])
    }

    @Test func aFullBatchInvokesWithoutWaitingForTheWindow() throws {
        // Two pollers share 25 messages sent at once, one at a time as each send wakes a
        // long poll: both fill their batch of 10 at 1 s and invoke at once; the last 5 wait
        // in a batch whose window opens when a poller comes back at 1.1 s.
        let spec = tinyPipeline(sends: Array(repeating: .s(1), count: 25)) { spec in
            spec.queues[0].visibilityTimeout = .s(120)
            spec.functions[0].trigger?.batchSize = 10
            spec.functions[0].trigger?.batchingWindow = .s(20)
            spec.functions[0].trigger?.maximumConcurrency = 2
        }
        let result = try run(spec)
        let invocations = (result.records(.coldStart) + result.records(.invoked)).sorted { $0.time < $1.time }
        #expect(invocations.map(\.time) == [.s(1), .s(1), .ms(21_100)])
        #expect(invocations.map(\.count) == [10, 10, 5])
    }

    @Test func reportBatchItemFailuresReturnsOnlyTheFailedMessages() throws {
        // The downstream lets one call through per 10 s; a batch of 5 has 4 refused calls.
        let spec = tinyPipeline(sends: Array(repeating: .s(1), count: 5)) { spec in
            spec.functions[0].trigger = TriggerSpec(queue: "tasks", batchSize: 5, batchingWindow: .s(1),
                                                    maximumConcurrency: 2, reportBatchItemFailures: true)
            spec.functions[0].downstream = "api"
            spec.downstreams = [DownstreamSpec(name: "api", limits: ["A": DownstreamLimit(rate: Rate(perSecond: 0.1), burst: 1)])]
        }
        let result = try run(spec)
        #expect(result.records(.deleted).filter { $0.time < .s(10) }.count == 1)
        #expect(result.records(.returned).filter { $0.time < .s(40) }.count == 4)
        #expect(result.value(.downstreamViolations, "A") >= 4)
        #expect(result.value(.functionErrors, "worker") == 0)
    }

    @Test func withoutReportBatchItemFailuresOneRefusedCallReturnsTheWholeBatch() throws {
        let spec = tinyPipeline(sends: Array(repeating: .s(1), count: 5)) { spec in
            spec.functions[0].trigger = TriggerSpec(queue: "tasks", batchSize: 5, batchingWindow: .s(1), maximumConcurrency: 2)
            spec.functions[0].downstream = "api"
            spec.downstreams = [DownstreamSpec(name: "api", limits: ["A": DownstreamLimit(rate: Rate(perSecond: 0.1), burst: 1)])]
        }
        let result = try run(spec)
        #expect(result.records(.deleted).filter { $0.time < .s(10) }.isEmpty)
        #expect(result.records(.returned).filter { $0.time < .s(40) }.count == 5)
        #expect(result.value(.functionErrors, "worker") >= 1)
    }

    @Test func aVisibilityTimeoutShorterThanTheHandlerCausesDuplicateProcessing() throws {
        let spec = tinyPipeline(sends: [.zero], duration: .s(10)) { spec in
            spec.queues[0].visibilityTimeout = .s(4)
        }
        let result = try run(spec)
        // Received at 0, 4, 8 s ... each processing ends after 10 s with a stale receipt
        // except the last one received.
        #expect(result.times(.received, message: 0).prefix(3) == [.zero, .s(4), .s(8)])
        #expect(result.value(.duplicates, "A") > 0)
    }

    @Test func anOutputQueueChainsTwoFunctions() throws {
        let spec = tinyPipeline(sends: [.s(1)]) { spec in
            spec.queues.append(QueueSpec(name: "results"))
            spec.functions[0].outputQueue = "results"
            spec.functions.append(FunctionSpec(
                name: "finisher", timeout: .s(30), duration: .constant(.ms(200)), coldStart: .constant(.zero),
                trigger: TriggerSpec(queue: "results", batchSize: 1)))
        }
        let result = try run(spec)
        #expect(result.times(.forwarded, message: 0) == [.ms(1_100)])
        #expect(result.value(.succeeded, "A") == 1)
        #expect(result.times(.deleted, message: 0) == [.ms(1_100), .ms(1_300)])
        // End to end: sent at 1 s, done at 1.3 s, within the histogram's 0.1 % precision.
        #expect(abs(result.value(.latencyMax, "A") - 0.3) <= 0.3 * 0.001)
        #expect(result.value(.succeeded, "worker") == 0)
        #expect(result.value(.succeeded, "finisher") == 1)
    }
}

/// The poll cycle: ReceiveMessage's response, Lambda's invoke path and DeleteMessageBatch take
/// time, which counts in latency and queue wait but not in concurrency or billed duration.
@Suite struct PollCycleTests {
    /// One poller, two messages at 0 s, batch size 1, a 100 ms handler; receive 20 ms, invoke
    /// 10 ms, delete 15 ms.
    static func onePoller() -> PipelineSpec {
        tinyPipeline(sends: [.zero, .zero], runFor: .s(2)) { spec in
            spec.assumptions.pollerStart = 1
            spec.assumptions.pollerMinimum = 1
            spec.assumptions.pollerScaleUpPerMinute = 0
            spec.assumptions.receiveTime = .ms(20)
            spec.assumptions.invokeLatency = .ms(10)
            spec.assumptions.deleteTime = .ms(15)
        }
    }

    @Test func aPollersSecondReceiveComesReceiveInvokeHandlerAndDeleteAfterItsFirst() throws {
        let result = try run(Self.onePoller())
        // First receive at 0; handler from 30 ms to 130 ms; deleted at 145 ms; the second
        // receive then, its handler from 175 ms to 275 ms, deleted at 290 ms.
        #expect(result.times(.received) == [.zero, .ms(145)])
        #expect(result.times(.coldStart) + result.times(.invoked) == [.ms(30), .ms(175)])
        #expect(result.times(.succeeded) == [.ms(130), .ms(275)])
        #expect(result.times(.deleted) == [.ms(145), .ms(290)])
    }

    @Test func thePollCycleCountsInLatencyAndQueueWaitButNotInConcurrencyOrBilledDuration() throws {
        let result = try run(Self.onePoller())
        // Latencies 145 ms and 290 ms; queue waits 20 ms and 145 + 20 ms.
        #expect(result.value(.latencyMean, "A") == 0.2175)
        #expect(result.value(.latencyMax, "A") == 0.29)
        #expect(result.value(.queueWaitMean, "A") == 0.0925)
        // Busy 2 × 100 ms of the 2 s run.
        #expect(result.value(.concurrencyMean, "worker") == 0.1)
        var instant = Self.onePoller()
        instant.assumptions.makePollCycleInstant()
        let instantResult = try run(instant)
        // Same requests billed (two receives, two deletes) and the same GB-seconds.
        #expect(result.value(.costUSD, "worker") == instantResult.value(.costUSD, "worker"))
        #expect(result.value(.costUSD) == instantResult.value(.costUSD))
    }
}

/// Provisioned mode: pollers kept at the minimum, 10 invokes each, billed in event poller units.
@Suite struct ProvisionedModeTests {
    @Test func aProvisionedMappingStartsWithItsMinimumPollers() throws {
        // A backlog of long invocations at 0 s: 3 pollers run 30 invokes at once from the start.
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 500), duration: .s(600), runFor: .ms(900)) { spec in
            spec.functions[0].timeout = .s(900)
            spec.queues[0].visibilityTimeout = .hours(1)
            spec.functions[0].trigger?.provisionedPollers = ProvisionedPollers(minimum: 3, maximum: 50)
        }
        let result = try run(spec)
        #expect(result.times(.coldStart).count == 30)
        #expect(result.times(.coldStart).allSatisfy { $0 == .zero })
        #expect(result.value(.pollersMean, "worker") == 3)
        #expect(result.value(.pollersPeak, "worker") == 3)
    }

    @Test func itAddsAThousandInvokesAMinuteUpToItsMaximum() throws {
        // From 30 loops: +1,000/60 a second; 50 pollers (500 loops) after about 28.2 s.
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 2_000), duration: .s(600), runFor: .s(40)) { spec in
            spec.functions[0].timeout = .s(900)
            spec.queues[0].visibilityTimeout = .hours(1)
            spec.functions[0].trigger?.provisionedPollers = ProvisionedPollers(minimum: 3, maximum: 50)
        }
        let result = try run(spec)
        let starts = result.times(.coldStart)
        // 30 + ⌊16.67 t⌋ loops after t whole seconds.
        #expect(starts.filter { $0 <= .s(1) }.count == 46)
        #expect(starts.filter { $0 <= .s(6) }.count == 130)
        #expect(starts.count == 500)
        #expect(result.value(.pollersPeak, "worker") == 50)
    }

    @Test func anIdleMinimumIsBilledInEventPollerUnitHoursToTheCent() throws {
        // Nothing to read for an hour: 2 units × 1 h × $0.00925 = $0.0185, the function's whole cost.
        let spec = tinyPipeline(sends: [], runFor: .hours(1)) { spec in
            spec.groups[0].arrivals = .poisson(rate: Rate(perSecond: 1e-9))
            spec.functions[0].trigger?.provisionedPollers = ProvisionedPollers(minimum: 2, maximum: 10)
        }
        let result = try run(spec)
        #expect(abs(result.value(.costUSD, "worker") - 0.0185) < 1e-12)
        #expect(result.value(.pollersMean, "worker") == 2)
    }

    @Test func aUnitAboveTheMinimumIsBilledPerSecondWithAOneMinuteMinimum() throws {
        // 100 one-second messages sent at 0 s to 3 pollers (30 loops), which take 30. The tick
        // at 1 s (before the invocations end: it was scheduled before the sends) finds 70 and
        // adds 16 loops (1,000 a minute): 46 loops, 5 units; the tick at 2 s finds 8 left and
        // adds 17: 63 loops, 7 units. Everything is read by 3 s; the long polls return empty
        // about 20 s later and each retires a loop down to the minimum's 30: 3 units again.
        // The four units above the minimum ran about 20 s and are billed 60 s each; the
        // minimum, the whole 100 s.
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 100), duration: .s(1), runFor: .s(100)) { spec in
            spec.functions[0].trigger?.provisionedPollers = ProvisionedPollers(minimum: 3, maximum: 10)
        }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        #expect(world.eventPollerUnitSeconds(mapping: 0, until: simulation.now) == 3 * 100 + 4 * 60)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        #expect(result.value(.pollersPeak, "worker") == 7)
        expectConservation(result)
    }
}

/// Back-off after failed batches, the ramp's dependence on invocation time, faults over time.
@Suite struct BackOffAndRampTests {
    @Test func aPollerWhoseBatchFailedPausesBeforeItReceivesAgain() throws {
        let spec = tinyPipeline(sends: [.zero, .zero], runFor: .s(10)) { spec in
            spec.assumptions.pollerStart = 1
            spec.assumptions.pollerMinimum = 1
            spec.assumptions.pollerScaleUpPerMinute = 0
            spec.assumptions.errorPause = .s(2)
            spec.functions[0].errorRate = 1
        }
        let result = try run(spec)
        // m0 received at 0, fails at 0.1 s; the poller pauses until 2.1 s and receives m1.
        #expect(result.times(.received).prefix(2) == [.zero, .ms(2_100)])
        #expect(result.times(.failed).prefix(2) == [.ms(100), .ms(2_200)])
    }

    /// The mapping's target and active pollers at each of `times`, for a tiny pipeline whose
    /// every invocation fails, without a ramp or a pause after failures.
    private func targetAndPollers(sends: [SimTime], start: Int, minimum: Int, share: Double,
                                  at times: [SimTime]) throws -> [(target: Double, active: Int)] {
        let spec = tinyPipeline(sends: sends, runFor: times.last ?? .zero) { spec in
            spec.assumptions.pollerStart = start
            spec.assumptions.pollerMinimum = minimum
            spec.assumptions.pollerScaleUpPerMinute = 0
            spec.assumptions.errorPause = .zero
            spec.assumptions.errorBackoffShare = share
            spec.functions[0].errorRate = 1
        }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        return times.map { time in
            simulation.run(until: time)
            return (world.mappings[0].target, world.mappings[0].active)
        }
    }

    @Test func eachFailedBatchLowersTheTargetByItsShareAndASurplusPollerRetires() throws {
        // Four pollers, a quarter of the target given up per failed batch. m0 fails at 0.1 s:
        // target 4 × 0.75 = 3, and its poller, receiving again, is the surplus one and
        // retires; m1 (sent at 0.5 s) fails at 0.6 s: 3 × 0.75 = 2.25, and its poller retires
        // too. Nothing else changes the target in the first second.
        let states = try targetAndPollers(sends: [.zero, .ms(500)], start: 4, minimum: 1, share: 0.25,
                                          at: [.ms(300), .s(1)])
        #expect(states.map(\.target) == [3, 2.25])
        #expect(states.map(\.active) == [3, 2])
    }

    @Test func theDecreaseStopsAtTheMappingsMinimum() throws {
        // A backlog whose every batch fails, 8 pollers, half the target given up per failure:
        // 8 fail at 0.1 s (8 → 4 → 3, the minimum, and there it stays), and 3 pollers go on.
        let states = try targetAndPollers(sends: Array(repeating: .zero, count: 200), start: 8, minimum: 3, share: 0.5,
                                          at: [.ms(150), .s(5)])
        #expect(states.map(\.target) == [3, 3])
        #expect(states.map(\.active) == [3, 3])
    }

    @Test func failedBatchesHoldTheRamp() throws {
        // A backlog whose every batch fails: with a 10 s hold the ramp never adds a poller
        // (failures come every second), where without errors it adds 150 in a minute.
        func peak(errorRate: Double) throws -> Double {
            let spec = tinyPipeline(sends: Array(repeating: .zero, count: 100_000), runFor: .ms(60_500)) { spec in
                spec.queues[0].visibilityTimeout = .hours(1)
                spec.assumptions.backoffHold = .s(10)
                spec.functions[0].errorRate = errorRate
            }
            return try run(spec).value(.pollersPeak, "worker")
        }
        #expect(try peak(errorRate: 1) == 5)
        #expect(try peak(errorRate: 0) == 155)
    }

    @Test func theRampIsSlowerWithShortInvocations() throws {
        // 100 ms invocations ramp at √(100 / 400) of 300 a minute: 2.5 a second, 155 pollers
        // after 60 ticks; 400 ms ones (and any with the rule off) at the full 300: 305.
        func peak(handler: SimTime, fullSpeed: SimTime = .ms(400)) throws -> Double {
            let spec = tinyPipeline(sends: Array(repeating: .zero, count: 100_000), duration: handler, runFor: .ms(60_500)) { spec in
                spec.queues[0].visibilityTimeout = .hours(1)
                spec.assumptions.rampFullSpeedDuration = fullSpeed
            }
            return try run(spec).value(.pollersPeak, "worker")
        }
        #expect(try peak(handler: .ms(100)) == 155)
        #expect(try peak(handler: .ms(400)) == 305)
        #expect(try peak(handler: .ms(100), fullSpeed: .zero) == 305)
    }

    @Test func anErrorThrownAtTheStartTakesNoHandlerTimeAndMakesNoCall() throws {
        // A 100 ms handler that fails every invocation, whose call the downstream refuses
        // (no concurrency at all): thrown at its end, the invocation fails when its call is
        // refused, after its 50 ms init and its handler; thrown at its start, it fails after
        // its init, and makes no call.
        func failures(at point: ErrorPoint) throws -> (times: [SimTime], calls: Double) {
            let spec = tinyPipeline(sends: [.zero], runFor: .s(1)) { spec in
                spec.assumptions.pollerStart = 1
                spec.assumptions.pollerMinimum = 1
                spec.functions[0].errorRate = 1
                spec.functions[0].errorAt = point
                spec.functions[0].coldStart = .constant(.ms(50))
                spec.functions[0].downstream = "api"
                spec.downstreams = [DownstreamSpec(name: "api", limits: ["A": DownstreamLimit(concurrency: 0)])]
            }
            let result = try run(spec)
            return (result.times(.failed), result.value(.downstreamViolations, "worker"))
        }
        let end = try failures(at: .end)
        #expect(end.times == [.ms(150)])
        #expect(end.calls == 1)
        let start = try failures(at: .start)
        #expect(start.times == [.ms(50)])
        #expect(start.calls == 0)
    }

    @Test func anErrorRateScheduleFailsInvocationsInItsWindowAndNowhereElse() throws {
        // A message a second at s + 0.5 s for 12 minutes; every invocation that starts in
        // minutes 5-9 fails. Each of the 240 sent in the window fails once, 100 ms after its
        // send, and comes back 5 minutes after its receive (the visibility timeout), when the
        // rate is 0 again: no failure before 5 min or from 9 min on.
        let spec = tinyPipeline(sends: (0..<720).map { .ms(Int64($0) * 1_000 + 500) }, runFor: .minutes(15)) { spec in
            spec.queues[0].visibilityTimeout = .minutes(5)
            spec.functions[0].errorRateChanges = [ErrorRateChange(at: .minutes(5), rate: 1), ErrorRateChange(at: .minutes(9), rate: 0)]
        }
        let result = try run(spec)
        #expect(result.times(.failed) == (300..<540).map { .ms(Int64($0) * 1_000 + 600) })
        #expect(result.value(.succeeded, "A") == 720)
    }
}
