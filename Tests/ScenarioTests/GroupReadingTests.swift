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
}
