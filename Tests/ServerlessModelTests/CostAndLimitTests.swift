import SimCore
@testable import ServerlessModel
import Testing

/// Cost by hand, and the limits not covered elsewhere: in-flight, downstream concurrency,
/// the mapping's scale-down and maximum.
@Suite struct CostAndLimitTests {
    @Test func costIsLambdaRequestsAndGBSecondsPlusSQSRequestsInSixtyFourKilobyteChunks() throws {
        // One 1 KB message at 1 s, a 100 ms invocation at 128 MB, a 30 s run.
        // SQS: 1 send + 1 receive + 1 delete + 5 empty long polls (4 pollers at 20 s, the
        // fifth at 21.1 s after its invocation) = 8 requests.
        let spec = tinyPipeline(sends: [.s(1)], runFor: .s(30))
        let result = try run(spec)
        let prices = PriceTable()
        let lambda = 1 / 1e6 * prices.lambdaRequestsPerMillion + 0.1 * 0.125 * prices.lambdaGBSecondX86
        let sqs = 8 / 1e6 * prices.sqsStandardPerMillion
        #expect(abs(result.value(.costUSD, "worker") - lambda) < 1e-15)
        #expect(abs(result.value(.costUSD) - (lambda + sqs)) < 1e-15)
    }

    @Test func aMessageAbove64KilobytesIsBilledPerChunkAndPricesCanBeOverridden() throws {
        var spec = tinyPipeline(sends: [.s(1)], runFor: .s(30))
        spec.groups[0].messageSize = 100 * 1_024
        spec.prices.sqsStandardPerMillion = 1_000_000
        spec.prices.lambdaRequestsPerMillion = 0
        spec.prices.lambdaGBSecondX86 = 0
        let result = try run(spec)
        // Send 2 chunks + receive 2 chunks + delete 1 + 5 empty receives = 10 requests at $1.
        #expect(result.value(.costUSD) == 10)
    }

    @Test func theInFlightLimitCapsWhatPollersCanReceive() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 10), duration: .s(10)) { spec in
            spec.queues[0].inFlightLimit = 3
        }
        let result = try run(spec)
        #expect(result.value(.concurrencyPeak, "worker") == 3)
        #expect(result.value(.succeeded, "A") == 10)
    }

    @Test func aDownstreamConcurrencyLimitRefusesCallsBeyondIt() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 3)) { spec in
            spec.functions[0].duration = .constant(.zero)
            spec.functions[0].downstream = "api"
            spec.functions[0].trigger?.reportBatchItemFailures = true
            spec.downstreams = [DownstreamSpec(name: "api", latency: .constant(.s(5)),
                                               limits: ["all": DownstreamLimit(concurrency: 1)])]
        }
        let result = try run(spec)
        // Three calls at 0 s: one holds the only slot for 5 s, two are refused at once.
        #expect(result.records(.deleted).filter { $0.time == .s(5) }.count == 1)
        #expect(result.value(.downstreamViolations, "A") >= 2)
        #expect(result.value(.succeeded, "A") == 3)
    }

    @Test func theMappingScalesBackToItsMinimumWhenTheQueueIsIdleAndNeverPassesItsMaximum() throws {
        // 500 messages of 30 s: 40 pollers finish them in about 6.5 minutes, then idle.
        var spec = tinyPipeline(sends: Array(repeating: .zero, count: 500), duration: .s(30), runFor: .minutes(12)) { spec in
            spec.functions[0].timeout = .s(60)
            spec.queues[0].visibilityTimeout = .minutes(10)
        }
        spec.assumptions.pollerMaximum = 40
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: .s(100))
        #expect(world.mappings[0].active == 40, "ramped to the maximum while the backlog lasted")
        simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.value(.succeeded, "A") == 500)
        #expect(result.value(.concurrencyPeak, "worker") == 40)
        // Idle long polls retire pollers one by one down to the minimum.
        #expect(world.mappings[0].active == 5)
    }
}
