import SimCore
@testable import ServerlessModel
import Testing

/// SQS fair queues: noisy tenants flagged by their in-flight or processing-time share, quiet
/// tenants served first, the flag cleared after 5 minutes without sends.
@Suite struct FairQueueTests {
    /// A fair queue read by hand (no mapping): tenant N sends 40 messages at 0 s, tenant Q one
    /// at 1 s, 200 s and 400 s; nothing is deleted (visibility timeout 12 h).
    private static func handRead(_ configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        var spec = tinyPipeline(sends: Array(repeating: .zero, count: 40), runFor: .s(500))
        spec.functions = []
        spec.groups[0].name = "N"
        spec.groups.append(TaskGroupSpec(name: "Q", queue: "tasks", arrivals: .trace([.s(1), .s(200), .s(400)])))
        spec.queues[0].fair = true
        spec.queues[0].visibilityTimeout = .hours(12)
        configure(&spec)
        return spec
    }

    /// Receives one message at `time` and returns its task group's name.
    private static func receiveOne(_ world: World, _ simulation: inout Simulation<World>, at time: SimTime) -> String? {
        _ = simulation.run(until: time)
        world.now = simulation.now
        var batch: [Receipt] = []
        guard world.receive(queue: 0, limit: 1, into: &batch, events: &simulation.events) == 1 else { return nil }
        return world.spec.groups[Int(batch[0].group)].name
    }

    @Test func aNoisyTenantIsFlaggedAtTheReceiveThatTakesItsShareOverTheThresholdAndAQuietOneOvertakes() throws {
        // Processing-time share switched off (a share above 1 never happens): the in-flight
        // rule alone. Receives 1-29 take N's messages in send order (N has 29 in flight, under
        // 30); the 30th takes N to 30 of 30 in flight, over 10 % and at least 30: flagged at
        // that receive. The 31st takes Q's message, sent after N's ten waiting ones; the 32nd
        // N's again (nothing quiet waits). At 250 s N is still noisy: Q's 200-s message comes
        // first. At 300 s, 5 minutes after N's last send, N is quiet again, so the receive at
        // 401 s takes N's message (older) before Q's of 400 s, and does not flag N again (no
        // send for 5 minutes). N was noisy from 2 s to 300 s of 500: mean 0.596, peak 1.
        let spec = Self.handRead { $0.assumptions.fairNoisyProcessingShare = 1.5 }
        let world = try World(spec: spec, tracing: true)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        for k in 1...29 {
            #expect(Self.receiveOne(world, &simulation, at: .s(2)) == "N", "receive \(k)")
        }
        #expect(world.metrics.noisyGroups.value == 0)
        #expect(Self.receiveOne(world, &simulation, at: .s(2)) == "N")
        #expect(world.metrics.noisyGroups.value == 1, "flagged at the 30th receive")
        #expect(Self.receiveOne(world, &simulation, at: .s(2)) == "Q", "the quiet tenant overtakes")
        #expect(Self.receiveOne(world, &simulation, at: .s(2)) == "N", "noisy messages when nothing quiet waits")
        #expect(Self.receiveOne(world, &simulation, at: .s(250)) == "Q")
        _ = simulation.run(until: .s(300))
        #expect(world.metrics.noisyGroups.value == 0, "quiet again 5 minutes after its last send")
        #expect(Self.receiveOne(world, &simulation, at: .s(401)) == "N", "plain order again: N's message is older")
        #expect(world.metrics.noisyGroups.value == 0)
        _ = simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(abs(result.value(.noisyGroupsMean, "N") - 0.596) < 1e-12)
        #expect(result.value(.noisyGroupsPeak, "N") == 1)
        #expect(result.value(.noisyGroupsMean, "Q") == 0)
        #expect(abs(result.value(.noisyGroupsMean) - 0.596) < 1e-12)
        // CloudWatch's gauges at 10 s: N noisy with 9 receivable, nothing quiet waiting; at
        // 210 s Q's message of 200 s waits, 10 s old.
        let rows = result.timeseries.filter { $0.kind == .queue && $0.entity == "tasks" }
        let at10 = try #require(rows.first { $0.intervalStart == .zero })
        #expect(at10[.noisyGroups] == 1 && at10[.visible] == 9 && at10[.quietVisible] == 0 && at10[.quietOldestAge] == 0)
        let at210 = try #require(rows.first { $0.intervalStart == .s(200) })
        #expect(at210[.noisyGroups] == 1 && at210[.quietVisible] == 1 && at210[.quietOldestAge] == 10)
        let at310 = try #require(rows.first { $0.intervalStart == .s(300) })
        #expect(at310[.noisyGroups] == 0 && at310[.quietVisible] == 9)
    }

    @Test func aTenantTakingMoreThanATenthOfRecentProcessingTimeIsNoisy() throws {
        // The in-flight rule switched off (30 000 own messages needed). At 2 s the first
        // receive finds no processing time yet (no share); at 10 s N has had all 8 s of it:
        // flagged, so at 11 s Q's message of 1 s comes before N's 38 older ones.
        let spec = Self.handRead { $0.assumptions.fairNoisyInFlightMinimum = 30_000 }
        let world = try World(spec: spec, tracing: true)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        #expect(Self.receiveOne(world, &simulation, at: .s(2)) == "N")
        #expect(world.metrics.noisyGroups.value == 0)
        #expect(Self.receiveOne(world, &simulation, at: .s(10)) == "N")
        #expect(world.metrics.noisyGroups.value == 1)
        #expect(Self.receiveOne(world, &simulation, at: .s(11)) == "Q")
    }

    @Test func aDrainedNoisyTenantIsQuietAgain() throws {
        // N's 40 messages received at 2 s (flagged at the 30th); the 40th takes its last
        // receivable message: its backlog is drained, and it is quiet again at once.
        let spec = Self.handRead { $0.assumptions.fairNoisyProcessingShare = 1.5 }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        _ = simulation.run(until: .ms(500))
        world.now = simulation.now
        var batch: [Receipt] = []
        for _ in 0..<30 { _ = world.receive(queue: 0, limit: 1, into: &batch, events: &simulation.events) }
        #expect(world.metrics.noisyGroups.value == 1)
        for _ in 0..<10 { _ = world.receive(queue: 0, limit: 1, into: &batch, events: &simulation.events) }
        #expect(batch.count == 40)
        #expect(world.metrics.noisyGroups.value == 0)
    }

    @Test func aFairQueueWithoutNoisyTenantsDeliversAsAPlainOne() throws {
        // Returns, retries, downstream refusals and three task groups: with thresholds no
        // tenant can cross, the fair queue's keys give the plain deque's order exactly.
        func pipeline(fair: Bool) -> PipelineSpec {
            var spec = tinyPipeline(sends: (0..<300).map { .ms(Int64($0) * 37) }, duration: .ms(400), runFor: .minutes(3)) { spec in
                spec.queues[0].fair = fair
                spec.queues[0].visibilityTimeout = .s(5)
                spec.functions[0].errorRate = 0.2
                spec.functions[0].trigger?.batchSize = 3
                spec.functions[0].reservedConcurrency = 3
                spec.assumptions.fairNoisyInFlightShare = 1
                spec.assumptions.fairNoisyProcessingShare = 1
            }
            spec.groups.append(TaskGroupSpec(name: "B", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 3))))
            spec.groups.append(TaskGroupSpec(name: "C", queue: "tasks", arrivals: .bursts(
                rate: Rate(perSecond: 20), on: .s(10), off: .s(50), baseRate: Rate(perSecond: 0.5))))
            return spec
        }
        let plain = try run(pipeline(fair: false))
        let fair = try run(pipeline(fair: true))
        #expect(plain.value(.functionErrors, "worker") > 0 && plain.value(.retries) > 0, "the case needs returns")
        #expect(plain.trace == fair.trace)
        for scope in plain.scopes {
            var values = fair.scope(scope.scope, kind: scope.kind)?.values ?? [:]
            values[.noisyGroupsMean] = nil
            values[.noisyGroupsPeak] = nil
            #expect(values == scope.values, "\(scope.scope)")
        }
    }
}
