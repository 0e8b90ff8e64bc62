import SimCore
@testable import ServerlessModel
import Testing

/// `message_size` as a distribution: each message draws its own size, which SQS bills.
@Suite struct MessageSizeTests {
    /// SQS requests billed in a run (64 KB chunks).
    func billedRequests(_ spec: PipelineSpec) throws -> Int {
        let world = try World(spec: spec, tracing: true)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        return world.cost.sqsStandardRequests
    }

    @Test func eachMessageIsBilledByItsOwnDrawnSize() throws {
        let sends: [SimTime] = [.s(1), .s(2), .s(3)]
        let small = tinyPipeline(sends: sends) { $0.groups[0].messageSize = 1_024 }
        // Every draw is between 64 KB + 1 B and 128 KB: two chunks for its send and two for
        // its receive (batch size 1) instead of one each; empty receives and deletes are alike.
        let large = tinyPipeline(sends: sends) {
            $0.groups[0].messageSizes = SizeDistribution(bytes: .uniform(min: .ns(65_537), max: .ns(131_072)))
        }
        #expect(try billedRequests(large) - billedRequests(small) == 6)
        // A constant distribution is the constant size.
        let constant = tinyPipeline(sends: sends) { $0.groups[0].messageSizes = SizeDistribution(bytes: .constant(.ns(1_024))) }
        #expect(try billedRequests(constant) == billedRequests(small))
        _ = try run(large)
    }

    /// 90 % of 1 KB, 10 % of 200 KB (4 chunks): 2,000 sends bill 2,000 + 3 k chunks, k the large ones.
    @Test func aMixtureBillsItsTailOfLargeMessages() throws {
        var spec = tinyPipeline(sends: (1...2_000).map { SimTime.ms(Int64($0) * 10) }, runFor: .s(30))
        spec.functions[0].trigger = nil
        spec.groups[0].messageSizes = SizeDistribution(bytes: .mixture(try #require(MixtureComponent.normalised([
            (weight: 0.9, distribution: .constant(.ns(1_024))), (weight: 0.1, distribution: .constant(.ns(200 << 10))),
        ]))))
        let extra = try billedRequests(spec) - 2_000
        #expect(extra % 3 == 0)
        // k is binomial(2,000, 0.1): 200 with a standard deviation of 13.4; 4.5 of them either side.
        #expect((140...260).contains(extra / 3))
    }

    @Test func drawsStayWithinOneByteAndTheSQSLimit() {
        let sizes = SizeDistribution(bytes: .constant(.zero))
        #expect(sizes.bytes(of: .zero) == 1)
        #expect(sizes.bytes(of: .ns(5 << 20)) == 1 << 20)
        #expect(sizes.bytes(of: .ns(4_096)) == 4_096)
    }
}
