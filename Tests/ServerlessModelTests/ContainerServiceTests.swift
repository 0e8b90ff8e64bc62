import SimCore
@testable import ServerlessModel
import Testing

/// Container services (ECS on Fargate-style worker pools): polling, processing, visibility,
/// target tracking with cooldowns and start-up times, scale-in, Fargate cost.
@Suite struct ContainerServiceTests {
    /// `tinyPipeline` with its queue read by a container service `pool` instead of the
    /// function's trigger: 0.25 vCPU, 512 MB, start-up 5 s, `duration` per message (batch 1).
    static func pool(
        sends: [SimTime], workers: Int = 1, duration: SimTime = .s(1), runFor: SimTime = .minutes(5),
        configure: (inout PipelineSpec) -> Void = { _ in }
    ) -> PipelineSpec {
        tinyPipeline(sends: sends, runFor: runFor) { spec in
            spec.functions = []
            spec.containers = [ContainerServiceSpec(
                name: "pool", queue: "tasks", workers: workers, vcpu: 0.25, memoryMB: 512, startup: .constant(.s(5)),
                duration: .constant(duration))]
            configure(&spec)
        }
    }

    /// The autoscaled variant: `min`...`max` workers, target tracking every 10 s.
    static func scaled(_ spec: inout PipelineSpec, min: Int, max: Int, target: Double, scaleOut: SimTime, scaleIn: SimTime) {
        spec.containers[0].minWorkers = min
        spec.containers[0].maxWorkers = max
        spec.containers[0].scaling = ContainerScaling(targetBacklogPerWorker: target, interval: .s(10),
                                                      scaleOutCooldown: scaleOut, scaleInCooldown: scaleIn)
    }

    @Test func aFixedPoolProcessesOneMessagePerWorkerAtATime() throws {
        // Two workers long-poll from 0 s; six messages at 1 s: each send wakes a waiting
        // worker, then each worker takes the next message as it deletes the last.
        let result = try run(Self.pool(sends: Array(repeating: .s(1), count: 6), workers: 2))
        #expect(result.times(.deleted) == [.s(2), .s(2), .s(3), .s(3), .s(4), .s(4)])
        #expect(result.times(.received) == [.s(1), .s(1), .s(2), .s(2), .s(3), .s(3)])
        #expect(result.value(.succeeded, "pool") == 6)
        #expect(result.value(.succeeded, "A") == 6)
        #expect(result.value(.latencyMean, "pool") == 2)
        #expect(result.value(.concurrencyPeak, "pool") == 2)
        #expect(result.value(.workersMean, "pool") == 2)
        #expect(result.value(.workersPeak, "all") == 2)
        // Busy 2 workers x 3 s of 300 s.
        #expect(abs(result.value(.concurrencyMean, "pool") - 6.0 / 300) < 1e-12)
        #expect(result.scope("pool")?.kind == .container)
        #expect(result.records(.workerReady).map(\.time) == [.zero, .zero])
    }

    @Test func aBatchIsHandledOneMessageAfterAnotherAndEachIsDeletedWhenDone() throws {
        let result = try run(Self.pool(sends: [.ms(500), .s(1), .s(1), .s(1)], duration: .ms(500)) { spec in
            // 500 ms once per receive, then 1 s per message.
            spec.containers[0].batchSize = 10
            spec.containers[0].perMessage = .constant(.s(1))
        })
        // m0 wakes the worker alone at 0.5 s (done at 2 s); m1-m3 wait and come in one
        // receive at 2 s: 500 ms, then each deleted as soon as it is done.
        #expect(result.times(.received) == [.ms(500), .s(2), .s(2), .s(2)])
        #expect(result.times(.deleted) == [.s(2), .ms(3_500), .ms(4_500), .ms(5_500)])
        #expect(result.value(.concurrencyPeak, "pool") == 1)
    }

    @Test func aWorkerSlowerThanTheVisibilityTimeoutProducesDuplicates() throws {
        let result = try run(Self.pool(sends: [.s(1)], workers: 2, duration: .s(8)) { spec in
            spec.queues[0].visibilityTimeout = .s(5)
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.queues[0].maxReceiveCount = 2
        })
        // Received at 1 s, visible again at 6 s and received by the other worker; the first
        // delete at 9 s carries a stale receipt. The second receive expires at 11 s with the
        // count at 2: the first worker, polling again since 9 s, receives it then and SQS
        // moves it to the DLQ; the delete at 14 s is stale too.
        #expect(result.times(.received) == [.s(1), .s(6)])
        #expect(result.times(.returned) == [.s(6), .s(11)])
        #expect(result.times(.deadLettered) == [.s(11)])
        #expect(result.times(.deleted).isEmpty)
        #expect(result.value(.duplicates, "A") == 2)
        #expect(result.value(.deadLettered, "A") == 1)
        #expect(result.value(.succeeded, "pool") == 0)
    }

    @Test func aDownstreamRefusalLeavesTheMessageToItsVisibilityTimeout() throws {
        let result = try run(Self.pool(sends: [.s(1), .s(1)], workers: 2, duration: .ms(100)) { spec in
            spec.downstreams = [DownstreamSpec(name: "api", latency: .constant(.s(2)), limits: ["all": DownstreamLimit(concurrency: 1)])]
            spec.containers[0].downstream = "api"
        })
        // Both calls at 1.1 s: one is in progress until 3.1 s, the other refused; its message
        // returns at 31 s and succeeds at 33.1 s.
        #expect(result.times(.deleted) == [.ms(3_100), .ms(33_100)])
        #expect(result.value(.downstreamViolations, "pool") == 1)
        #expect(result.value(.downstreamViolations, "A") == 1)
        #expect(result.value(.succeeded, "A") == 2)
    }

    @Test func scaleOutWaitsForTheCooldownAndNewTasksPollAfterTheirStartup() throws {
        // 5 messages at 1 s, 10 at 12 s; every message takes 1,000 s, so each worker holds one.
        let sends = Array(repeating: SimTime.s(1), count: 5) + Array(repeating: .s(12), count: 10)
        let result = try run(Self.pool(sends: sends, duration: .s(1_000), runFor: .s(100)) { spec in
            spec.queues[0].visibilityTimeout = .hours(1)
            Self.scaled(&spec, min: 1, max: 10, target: 2, scaleOut: .s(30), scaleIn: .s(600))
        })
        // 10 s: 4 visible -> 2 workers, one launched. 15 s: it takes a message (13 visible).
        // 20 s and 30 s: 7 wanted, but within 30 s of the last scale-out. 40 s: 5 launched,
        // ready at 45 s. 50 s on: 4 wanted, but the scale-in cooldown (600 s) holds.
        #expect(result.records(.workerStarting).map(\.time) == [.s(10)] + Array(repeating: .s(40), count: 5))
        #expect(result.records(.workerStarting).map(\.count) == [2, 3, 4, 5, 6, 7])
        #expect(result.records(.workerReady).map(\.time) == [.zero, .s(15)] + Array(repeating: .s(45), count: 5))
        #expect(result.records(.workerStopped).isEmpty)
        #expect(result.times(.received) == [.s(1), .s(15)] + Array(repeating: .s(45), count: 5))
        #expect(result.value(.workersPeak, "pool") == 7)
        #expect(result.value(.concurrencyPeak, "pool") == 7)
        // Tasks: 1 for 100 s, 1 from 10 s, 5 from 40 s.
        #expect(abs(result.value(.workersMean, "pool") - (100.0 + 90 + 5 * 60) / 100) < 1e-12)
    }

    @Test func scaleInStopsIdleWorkersAfterTheCooldownAndBillsTheMinute() throws {
        let result = try run(Self.pool(sends: Array(repeating: .s(1), count: 10), duration: .s(3)) { spec in
            Self.scaled(&spec, min: 1, max: 3, target: 1, scaleOut: .zero, scaleIn: .s(20))
            spec.containers[0].startup = .constant(.s(7))
        })
        // 10 s: 7 visible -> 3 workers, ready at 17 s. 20 s: 1 visible -> 1 wanted, but only
        // 10 s since the scale-out. 30 s: the two idle newcomers stop (billed the one-minute
        // minimum), the first worker stays.
        #expect(result.times(.deleted) == [.s(4), .s(7), .s(10), .s(13), .s(16), .s(19), .s(20), .s(20), .s(22), .s(23)])
        #expect(result.records(.workerStarting).map(\.time) == [.s(10), .s(10)])
        #expect(result.records(.workerReady).map(\.time) == [.zero, .s(17), .s(17)])
        #expect(result.records(.workerStopped).map(\.time) == [.s(30), .s(30)])
        #expect(result.records(.workerStopped).map(\.count) == [2, 1])
        #expect(abs(result.value(.workersMean, "pool") - 340.0 / 300) < 1e-12)
        // Task-seconds: 300 (the first worker, to the end) + 2 x 60 (minimum) = 420.
        let perTaskSecond = (0.25 * 0.040_48 + 0.5 * 0.004_445) / 3_600
        #expect(abs(result.value(.costUSD, "pool") - 420 * perTaskSecond) < 1e-15)
    }

    @Test func scaleInDrainsBusyWorkersInsteadOfAbandoningTheirMessages() throws {
        let result = try run(Self.pool(sends: Array(repeating: .s(1), count: 3), duration: .s(30)) { spec in
            Self.scaled(&spec, min: 1, max: 3, target: 1, scaleOut: .zero, scaleIn: .zero)
            spec.queues[0].visibilityTimeout = .minutes(2)
        })
        // 1 s: the first worker takes m0. 10 s: 2 visible -> a second worker, which takes m1
        // at 15 s. 20 s: 1 visible -> 1 wanted, but both are busy: the first stops when done
        // at 31 s instead of polling again; the second takes m2 at 45 s.
        #expect(result.records(.workerStarting).map(\.time) == [.s(10)])
        #expect(result.records(.workerStopped).map(\.time) == [.s(31)])
        #expect(result.times(.received) == [.s(1), .s(15), .s(45)])
        #expect(result.times(.deleted) == [.s(31), .s(45), .s(75)])
        // Task-seconds: 60 (31 s, the one-minute minimum) + 290 (10 s to the end).
        let perTaskSecond = (0.25 * 0.040_48 + 0.5 * 0.004_445) / 3_600
        #expect(abs(result.value(.costUSD, "pool") - 350 * perTaskSecond) < 1e-15)
    }

    @Test func aTaskSlotReusedByAnotherServiceWaitsOnItsOwnQueue() throws {
        let result = try run(Self.pool(sends: [.s(1)]) { spec in
            Self.scaled(&spec, min: 0, max: 1, target: 1, scaleOut: .zero, scaleIn: .zero)
            spec.queues.append(QueueSpec(name: "other"))
            spec.groups.append(TaskGroupSpec(name: "B", queue: "other", arrivals: .trace([.s(21), .s(40)])))
            var other = spec.containers[0]
            other.name = "other-pool"
            other.queue = "other"
            spec.containers.append(other)
        })
        // pool: launched at 10 s, takes A's message at 15 s, idle, stopped at 20 s while
        // waiting on `tasks`. other-pool: launched at 30 s in the same slot, takes B's first
        // message at 35 s, and is woken by the second at 40 s (not at its long poll's end).
        #expect(result.records(.workerStarting).map(\.entity) == ["pool", "other-pool"])
        #expect(result.times(.received) == [.s(15), .s(35), .s(40)])
        #expect(result.value(.succeeded, "B") == 2)
    }

    @Test func costIsTaskSecondsTimesTheVCPUAndGBPrices() throws {
        let result = try run(Self.pool(sends: [.s(1)], workers: 2) { spec in
            spec.prices.fargateVCPUHour = 3_600
            spec.prices.fargateGBHour = 7_200
        })
        // 2 tasks x 300 s x (0.25 vCPU x 1 $/s + 0.5 GB x 2 $/s).
        #expect(result.value(.costUSD, "pool") == 750)
        let sqs = result.value(.costUSD, "all") - 750
        #expect(sqs > 0 && sqs < 1e-3)
        #expect(result.value(.costPerMillion, "pool") == 750e6)
    }

    @Test func aLambdaStageCanFeedAContainerStage() throws {
        var spec = tinyPipeline(sends: Array(repeating: .s(1), count: 5))
        spec.queues.append(QueueSpec(name: "stage2"))
        spec.functions[0].outputQueue = "stage2"
        spec.containers = [ContainerServiceSpec(name: "pool", queue: "stage2", workers: 1, duration: .constant(.s(1)))]
        let result = try run(spec)
        #expect(result.value(.succeeded, "A") == 5)
        #expect(result.value(.succeeded, "pool") == 5)
        #expect(result.value(.succeeded, "worker") == 0)
        #expect(result.value(.costUSD, "all") > result.value(.costUSD, "pool") + result.value(.costUSD, "worker"))
    }

    @Test func aQueueReadByATriggerAndAContainerServiceIsRefused() {
        var spec = tinyPipeline(sends: [.s(1)])
        spec.containers = [ContainerServiceSpec(name: "pool", queue: "tasks")]
        #expect(throws: WorldError.self) { try World(spec: spec) }
        spec.containers[0].queue = "nowhere"
        #expect(throws: WorldError.unknownReference(what: "queue", name: "nowhere", in: "container service pool")) {
            try World(spec: spec)
        }
    }

    @Test(arguments: 0..<4)
    func conservationHoldsUnderScalingRetriesAndDeadLetters(_ replication: Int) throws {
        var spec = Self.pool(sends: [], runFor: .minutes(10)) { spec in
            spec.groups[0].arrivals = .bursts(rate: Rate(perSecond: 20), on: .minutes(1), off: .minutes(2), baseRate: Rate(perSecond: 1))
            spec.queues[0].visibilityTimeout = .s(4)
            spec.queues[0].deadLetter = "tasks-dlq"
            spec.queues[0].maxReceiveCount = 3
            spec.queues[0].duplicateProbability = 0.01
            spec.containers[0].duration = .exponential(mean: .s(1))
            spec.containers[0].perMessage = .exponential(mean: .ms(300))
            spec.containers[0].batchSize = 5
            spec.containers[0].startup = .lognormal(median: .s(30), p99: .s(90))
            Self.scaled(&spec, min: 1, max: 20, target: 5, scaleOut: .s(60), scaleIn: .s(120))
        }
        spec.run.drain = .minutes(2)
        let result = try run(spec, replication: replication)
        #expect(result.value(.sent, "A") > 1_000)
        #expect(result.value(.succeeded, "pool") == result.value(.succeeded, "A"))
        #expect(result.value(.workersPeak, "pool") > 1)
    }
}
