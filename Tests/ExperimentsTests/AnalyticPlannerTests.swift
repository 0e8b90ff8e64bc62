import Foundation
@testable import Experiments
import Scenario
import ServerlessModel
import SimCore
import Testing

/// The planner's analytic first guess (Erlang C on the offered load) and the classification
/// of the plan's settings.
@Suite struct AnalyticPlannerTests {
    @Test func erlangCMatchesTheTextbookAndScalesToLargeSystems() {
        // C(2, 1) = 1/3: the classic two-server example.
        #expect(abs(ErlangC.waitProbability(servers: 2, offered: 1) - 1.0 / 3.0) < 1e-12)
        #expect(abs(ErlangC.waitProbability(servers: 5, offered: 4) - MMc.waitProbability(servers: 5, offered: 4)) < 1e-12)
        #expect(ErlangC.waitProbability(servers: 4, offered: 4) == 1)
        let large = ErlangC.waitProbability(servers: 1_400, offered: 1_340)
        #expect(large > 0 && large < 1)
    }

    @Test func theExponentialSojournTailIsExactAndGivesTheTrueMinimum() {
        for (rate, percentile, target) in [(4.0, 0.5, 1.0), (3.0, 0.9, 2.9), (8.0, 0.99, 5.0), (40.0, 0.9, 2.5)] {
            for c in (Int(rate) + 1)...(Int(rate) + 4) {
                let ours = ErlangC.sojournTail(target, arrivalRate: rate, service: .exponential(mean: 1), servers: c)
                #expect(abs(ours - MMc.sojournTail(target, rate: rate, servers: c)) < 1e-9)
            }
            let needed = ErlangC.servers(forLatency: target, percentile: percentile, arrivalRate: rate, service: .exponential(mean: 1))
            #expect(needed == MMc.minimumServers(rate: rate, percentile: percentile, target: target))
        }
    }

    @Test func aTargetTheServiceAloneMissesNeedsNoFiniteConcurrency() {
        // The p99 of an exponential service of mean 1 s is ln(100) = 4.6 s.
        #expect(ErlangC.servers(forLatency: 4.5, percentile: 0.99, arrivalRate: 1, service: .exponential(mean: 1)) == nil)
        #expect(ErlangC.servers(forLatency: 4.7, percentile: 0.99, arrivalRate: 1, service: .exponential(mean: 1)) != nil)
    }

    @Test func lessVariableServiceNeedsNoMoreServers() throws {
        let exponential = ErlangC.servers(forLatency: 3, percentile: 0.9, arrivalRate: 20, service: .exponential(mean: 1))
        let lognormal = ErlangC.servers(forLatency: 3, percentile: 0.9, arrivalRate: 20,
                                        service: .fitted(mean: 1, variance: 0.1))
        let constant = ErlangC.servers(forLatency: 3, percentile: 0.9, arrivalRate: 20, service: .fitted(mean: 1, variance: 0))
        #expect(constant == 21)  // Stability is all a constant 1 s needs for a 3 s target here.
        #expect(try #require(lognormal) <= (try #require(exponential)))
        // The lognormal fit keeps the two moments.
        let fitted = ServiceShape.fitted(mean: 2, variance: 0.5)
        #expect(abs(fitted.mean - 2) < 1e-12)
        #expect(abs(fitted.squaredVariation - 0.125) < 1e-12)
    }

    @Test func offeredLoadFollowsMessagesThroughTheirQueuesAndStages() throws {
        let scenario = try PlanScenarios.load(PlanScenarios.perGroup())
        let estimates = CapacityModel.estimates(scenario.pipeline, slo: scenario.slo)
        let a = try #require(estimates["worker-A"])
        let b = try #require(estimates["worker-B"])
        #expect(abs(a.arrivalRate - 0.8) < 1e-12)
        // Bursts: (2.5/s for 30 s + 0.2/s for 90 s) / 120 s on average ...
        #expect(abs(b.arrivalRate - 0.775) < 1e-12)
        #expect(abs(a.offeredLoad - 0.8 * a.serviceSeconds) < 1e-12)
        // ... but a 30 s burst outlasts the 10 s target, so B is planned for 2.5/s.
        #expect(try #require(b.concurrency) > (try #require(a.concurrency)))
        #expect(b.limitingTarget?.hasPrefix("latency_p99 10s of group B") == true)

        let chained = PipelineSpec(
            name: "chain", run: RunSettings(duration: .minutes(1)),
            groups: [TaskGroupSpec(name: "A", queue: "in", arrivals: .poisson(rate: Rate(perSecond: 2)))],
            queues: [QueueSpec(name: "in"), QueueSpec(name: "mid")],
            functions: [FunctionSpec(name: "first", outputQueue: "mid", trigger: TriggerSpec(queue: "in")),
                        FunctionSpec(name: "second", trigger: TriggerSpec(queue: "mid"))])
        #expect(CapacityModel.groupsReaching(chained) == ["first": ["A"], "second": ["A"]])
    }

    @Test func concurrencyLimitsAreTheKnobsTheSearchBisects() throws {
        let yaml = PlanScenarios.mmc(rate: 2, slo: "latency_p90: 5s")
            .replacingOccurrences(of: "{min: 2, max: 30}", with: """
                {min: 2, max: 30}
                    functions.server.memory: [512MB, 1GB]
                    functions.server.reserved_concurrency: [8, 2, 4]
                    functions.server.trigger.batch_size: {min: 1, max: 100}
                """)
            .replacingOccurrences(of: "trigger: {queue: tasks, batch_size: 1, maximum_concurrency: 10}",
                                  with: "trigger: {queue: tasks, batch_size: 1, maximum_concurrency: 10, batching_window: 1s}")
        let scenario = try PlanScenarios.load(yaml)
        let knobs = PlanKnob.knobs(try #require(scenario.plan), pipeline: scenario.pipeline)
        #expect(knobs.map(\.role) == [.concurrency, .other, .concurrency, .other])
        #expect(knobs.map(\.function) == ["server", nil, "server", nil])
        #expect(knobs.map(\.reserves) == [false, false, true, false])
        // A listed limit is searched in ascending order.
        #expect((0..<3).map { knobs[2].value(at: $0) } == ["2", "4", "8"])
        // A long range of another setting gets a geometric ladder, both ends included.
        #expect(knobs[3].ladder() == [0, 1, 2, 4, 8, 16, 32, 64, 99])
        #expect(knobs[1].ladder() == [0, 1])
    }
}
