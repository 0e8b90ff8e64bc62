import Scenario
import ServerlessModel
import SimCore
import Testing

/// What a task group may now say: a list of arrival processes, a distribution of message sizes.
@Suite struct GroupReadingTests {
    static func scenario(group: String) -> String {
        """
        name: groups
        run: {duration: 1h}
        groups:
          A: \(group)
        queues: {tasks: {}}
        functions: {worker: {trigger: {queue: tasks}}}
        """
    }

    @Test func aListOfArrivalProcessesIsSuperposedAndAListOfOneIsThatProcess() throws {
        let list = try #require(loadValid(Self.scenario(group:
            "{queue: tasks, arrivals: [{poisson: {rate: 5/s}}, {bursts: {rate: 50/s, on: 10s, off: 50s}}]}"))?.pipeline)
        #expect(list.groups[0].arrivals == .superposed([
            .poisson(rate: Rate(perSecond: 5)),
            .bursts(rate: Rate(perSecond: 50), on: .s(10), off: .s(50), baseRate: Rate(perSecond: 0)),
        ]))
        let one = try #require(loadValid(Self.scenario(group: "{queue: tasks, arrivals: [{poisson: {rate: 5/s}}]}"))?.pipeline)
        #expect(one.groups[0].arrivals == .poisson(rate: Rate(perSecond: 5)))
    }

    @Test func aListsMistakesAreLocatedByItsIndex() {
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: []}")) == [
            "test.yml:4:31: groups.A.arrivals: found an empty list (expected an arrival process such as {poisson: {rate: 2/s}}, or a list of them such as [{poisson: {rate: 2/s}}, {bursts: {rate: 20/s, on: 10s, off: 50s}}])",
        ])
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: [{poisson: {rate: 5/s}}, {poisson: {rate: 0/s}}]}")) == [
            "test.yml:4:73: groups.A.arrivals.1.poisson.rate: '0/s' is not positive (expected a rate above 0, such as 2/s)",
        ])
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: [[{poisson: {rate: 5/s}}]]}")).first?
            .hasPrefix("test.yml:4:32: groups.A.arrivals.0: found a list (expected an arrival process") == true)
    }

    @Test func aMessageSizeIsASizeOrADistributionOfSizes() throws {
        let constant = try #require(loadValid(Self.scenario(group: "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: 4KB}"))?.pipeline)
        #expect(constant.groups[0].messageSize == 4_096 && constant.groups[0].messageSizes == nil)
        let lognormal = try #require(loadValid(Self.scenario(group:
            "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: {lognormal: {median: 4KB, p99: 600KB}}}"))?.pipeline)
        #expect(lognormal.groups[0].messageSizes == SizeDistribution(bytes: .lognormal(median: .ns(4_096), p99: .ns(600 << 10))))
        let mixture = try #require(loadValid(Self.scenario(group:
            "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: {mixture: [{weight: 0.95, dist: 2KB}, {weight: 0.05, dist: {uniform: {min: 256KB, max: 1MiB}}}]}}"))?.pipeline)
        let components = try #require(MixtureComponent.normalised([
            (weight: 0.95, distribution: .constant(.ns(2_048))),
            (weight: 0.05, distribution: .uniform(min: .ns(256 << 10), max: .ns(1 << 20))),
        ]))
        #expect(mixture.groups[0].messageSizes == SizeDistribution(bytes: .mixture(components)))
    }

    @Test func sizeDistributionMistakesAreLocated() {
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: {lognormal: {median: 4KB, p99: 2MiB}}}")).first?
            .hasPrefix("test.yml:4:100: groups.A.message_size.lognormal.p99: 2MiB is above the maximum 1MiB") == true)
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: {gamma: {shape: 2, mean: 4KB}}}")).first?
            .hasPrefix("test.yml:4:70: groups.A.message_size.gamma: unknown size distribution 'gamma'") == true)
        #expect(diagnostics(ofYAML: Self.scenario(group: "{queue: tasks, arrivals: {poisson: {rate: 1/s}}, message_size: {uniform: {min: 1s, max: 4KB}}}")).first?
            .hasPrefix("test.yml:4:85: groups.A.message_size.uniform.min: unknown unit 's' in '1s'") == true)
    }
}

/// Front doors: integration latency and usage plans.
@Suite struct FrontDoorReadingTests {
    static func scenario(door: String) -> String {
        """
        name: doors
        run: {duration: 1h}
        front_doors:
          api: \(door)
        groups:
          web: {queue: tasks, front_door: api, arrivals: {poisson: {rate: 1/s}}}
          batch: {queue: tasks, arrivals: {poisson: {rate: 1/s}}}
        queues: {tasks: {}}
        functions: {worker: {trigger: {queue: tasks}}}
        """
    }

    @Test func aFrontDoorReadsItsLatencyAndUsagePlans() throws {
        let spec = try #require(loadValid(Self.scenario(door:
            "{rate: 40/s, latency: 25ms, usage_plans: {web: {rate: 10/s, burst: 20, quota_per_day: 1000}}}"))?.pipeline)
        #expect(spec.frontDoors == [FrontDoorSpec(name: "api", rate: Rate(perSecond: 40), burst: 40, latency: .constant(.ms(25)),
                                                  usagePlans: ["web": UsagePlan(rate: Rate(perSecond: 10), burst: 20, quotaPerDay: 1_000)])])
    }

    @Test func usagePlanMistakesAreLocated() {
        #expect(diagnostics(ofYAML: Self.scenario(door: "{rate: 40/s, usage_plans: {batch: {rate: 1/s}}}")) == [
            "test.yml:4:35: front_doors.api.usage_plans.batch: group 'batch' does not send through front door 'api' (expected a group that sends through this front door: web)",
        ])
        #expect(diagnostics(ofYAML: Self.scenario(door: "{rate: 40/s, usage_plans: {web: {burst: 5}}}")) == [
            "test.yml:4:40: front_doors.api.usage_plans.web: a usage plan without limits (expected rate, quota_per_day or both, such as {rate: 10/s, quota_per_day: 100000})",
            "test.yml:4:41: front_doors.api.usage_plans.web.burst: a burst needs a rate (expected rate with burst, such as {rate: 10/s, burst: 20})",
        ])
    }
}
