import SimCore
@testable import ServerlessModel
import Testing

/// Groups of many tenants: the split of sends, each tenant its own message group and
/// downstream limit, and their rows.
@Suite struct TenantTests {
    /// 90 sends, about 0.2 s apart, into a fair queue read by a function of concurrency 2, each
    /// message calling an API that allows each tenant (or group) 1 call/s.
    private static func pipeline(groups: [TaskGroupSpec], perTenant: Bool) -> PipelineSpec {
        var spec = tinyPipeline(sends: [], duration: .ms(700), runFor: .minutes(2)) { spec in
            spec.queues[0].fair = true
            spec.queues[0].visibilityTimeout = .s(5)
            spec.functions[0].reservedConcurrency = 2
            spec.functions[0].downstream = "api"
        }
        spec.groups = groups
        let limit = DownstreamLimit(rate: Rate(perSecond: 1), burst: 1, perTenant: perTenant)
        spec.downstreams = [DownstreamSpec(name: "api", limits: Dictionary(uniqueKeysWithValues: groups.map { ($0.name, limit) }))]
        return spec
    }

    /// About 0.2 s apart, each a few hundred microseconds off the grid: the explicit groups'
    /// producers take their event-list places at other moments than the one producer's, so
    /// sends must not tie with the mapping's timers (1 s throttle retries, 700 ms handlers).
    private static let sends: [SimTime] = (0..<90).map { .ms(Int64($0) * 200) + .ns(Int64(($0 * 7_919) % 997) * 1_000 + 1) }

    @Test func aGroupOfThreeTenantsGivesWhatThreeGroupsSendingTheSameMessagesGive() throws {
        var tenanted = TaskGroupSpec(name: "T", queue: "tasks", arrivals: .trace(Self.sends))
        tenanted.tenants = TenantSpec(count: 3, share: .zipf(1))
        let many = try run(Self.pipeline(groups: [tenanted], perTenant: true))
        // The same split drawn again from the group's stream (Tenants.swift): tenant k's
        // sends become group k's, each a group of one tenant.
        let stream = RandomStream(name: "fifo-keys/T", scenarioSeed: 1, replication: 0)
        let cumulative = [1.0, 1.5, 11.0 / 6].map { $0 / (11.0 / 6) }
        var times: [[SimTime]] = [[], [], []]
        for time in Self.sends {
            let u = stream.uniform()
            times[cumulative.firstIndex { $0 > u } ?? 2].append(time)
        }
        #expect(times.allSatisfy { !$0.isEmpty }, "the case needs every tenant")
        let groups = (0..<3).map { k -> TaskGroupSpec in
            var group = TaskGroupSpec(name: "T#\(k + 1)", queue: "tasks", arrivals: .trace(times[k]))
            group.tenants = TenantSpec(count: 1, share: .equal, names: ["T#\(k + 1)"])
            return group
        }
        let explicit = try run(Self.pipeline(groups: groups, perTenant: false))
        #expect(many.value(.downstreamViolations) > 0, "the case needs the per-tenant limits to bite")
        #expect(many.tenants.count == 3)
        for (row, other) in zip(many.tenants, explicit.tenants) {
            var same = other
            same.group = "T"
            #expect(row == same)
            #expect(row.sent == times[Int(row.tenant.dropFirst(2))! - 1].count)
            #expect(row.sent == row.succeeded + row.deadLettered + row.expired + row.backlogEnd)
        }
        #expect(many.value(.succeeded) == explicit.value(.succeeded))
        #expect(many.value(.latencyP99) == explicit.value(.latencyP99))
        #expect(many.value(.tenantLatencyP99, "T") == many.tenants.compactMap(\.latencyP99).max())
    }

    @Test func sharesFollowZipf() throws {
        // 20,000 sends among 10 tenants with Zipf exponent 1: tenant k gets 1/k of tenant 1's
        // share; tenant 1 has 1/H(10) = 34.1 % (about 6,828 ± 67 sends, one standard deviation).
        var spec = tinyPipeline(sends: (0..<20_000).map { .ms(Int64($0)) }, runFor: .s(30))
        spec.functions = []
        spec.groups[0].tenants = TenantSpec(count: 10, share: .zipf(1))
        let result = try run(spec)
        let sent = result.tenants.map(\.sent)
        #expect(sent.reduce(0, +) == 20_000)
        let harmonic = (1...10).reduce(0.0) { $0 + 1 / Double($1) }
        for (k, count) in sent.enumerated() {
            let expected = 20_000 / harmonic / Double(k + 1)
            let sd = (expected * (1 - expected / 20_000)).squareRoot()
            #expect(abs(Double(count) - expected) < 4 * sd, "tenant \(k + 1): \(count), expected \(expected)")
        }
        #expect(result.tenants.map(\.tenant) == (1...10).map { "A#\($0)" })
    }

    @Test func tenThousandTenantsOnAFairQueueRun() throws {
        // 10,000 tenants sharing 300 messages/s by Zipf 1.1 for a minute, on a fair queue read
        // by a function of concurrency 100 (0.2 s a message): every tenant has its row, their
        // sends add up to the group's, and every row conserves its messages.
        var spec = tinyPipeline(sends: [], duration: .ms(200), runFor: .minutes(1)) { spec in
            spec.queues[0].fair = true
            spec.functions[0].reservedConcurrency = 100
        }
        spec.groups[0].arrivals = .poisson(rate: Rate(perSecond: 300))
        spec.groups[0].tenants = TenantSpec(count: 10_000, share: .zipf(1.1))
        let result = try run(spec)
        #expect(result.tenants.count == 10_000)
        #expect(Double(result.tenants.map(\.sent).reduce(0, +)) == result.value(.sent, "A"))
        #expect(result.tenants.allSatisfy { $0.sent == $0.succeeded + $0.deadLettered + $0.expired + $0.backlogEnd })
        #expect(result.tenants[0].sent > 10 * result.tenants[99].sent, "Zipf: tenant 1 sends far more than tenant 100")
        #expect(result.value(.tenantLatencyP99, "A") > 0)
    }

    @Test func aTenantsRowAddsUpWhenAFifoQueueDropsItsSends() throws {
        // 40 sends at 0 s among 4 tenants into a FIFO queue that takes 2 calls a second (a
        // bucket of 2), without retries: 2 are queued and 38 dropped, never queued. Each
        // tenant's row counts its own drops, and sent = succeeded + dead_lettered + expired +
        // dropped + backlog_end holds for each (checked by `run`).
        let spec = FifoThroughputTests.fifo(sends: Array(repeating: .zero, count: 40)) { spec in
            spec.queues[0].apiCallsPerSecond = 2
            spec.groups[0].sendRetry = ClientRetryPolicy(attempts: 0)
            spec.groups[0].tenants = TenantSpec(count: 4, share: .equal)
        }
        let result = try run(spec)
        #expect(result.value(.dropped, "A") == 38)
        #expect(result.tenants.count == 4)
        #expect(result.tenants.map(\.dropped).reduce(0, +) == 38)
        #expect(result.tenants.map(\.succeeded).reduce(0, +) == 2)
        #expect(result.tenants.allSatisfy { $0.dropped > 0 }, "every tenant has sends dropped: \(result.tenants.map(\.dropped))")
        #expect(result.tenants.allSatisfy { $0.sent == $0.succeeded + $0.dropped })
    }
}
