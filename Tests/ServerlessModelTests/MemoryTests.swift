import SimCore
@testable import ServerlessModel
import Testing

/// Memory follows the messages alive, not the messages sent.
@Suite struct MemoryTests {
    @Test func messageSlotsAreReusedSoThePoolStaysAtThePeakOfMessagesAlive() throws {
        // 20,000 messages over 2,000 s at 10/s, each done in 100 ms: a handful alive at once.
        let spec = tinyPipeline(sends: (0..<20_000).map { .ms(Int64($0) * 100) }, runFor: .s(2_100)) { spec in
            spec.functions[0].trigger?.batchSize = 1
        }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.value(.succeeded, "A") == 20_000)
        #expect(world.messages.alive == 0)
        #expect(world.messages.slots.count <= 16, "the pool grew to \(world.messages.slots.count) slots")
        // Pollers and environments are reused the same way.
        #expect(world.pollers.count <= 10)
        #expect(world.environments.count <= 10)
        // The event list holds only what is pending, not what has been.
        #expect(simulation.events.count < 100)
    }
}
