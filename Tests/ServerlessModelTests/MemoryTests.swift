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

    @Test func visibilityTimeoutsOfDeletedMessagesDoNotStayOnTheEventList() throws {
        // 10,000 messages at 10/s, each deleted 100 ms after its receive, with a 12-hour
        // visibility timeout: one pending event per receive would leave thousands of them.
        let spec = tinyPipeline(sends: (0..<10_000).map { .ms(Int64($0) * 100) }, runFor: .s(1_100)) { spec in
            spec.queues[0].visibilityTimeout = .hours(12)
        }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: .s(900))
        // 9,000 receives so far, all within 12 hours: one event each would be 9,000 pending.
        // What is left is a few hundred at most (mostly long polls of the last 20 s).
        #expect(simulation.events.count < 1_000, "\(simulation.events.count) events pending")
        #expect(world.queues[0].visibilityTimers.count < 10)
        simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.value(.succeeded, "A") == 10_000)
    }

    @Test func aVisibilityTimeoutAheadOfDeletedMessagesStillExpiresOnTime() throws {
        // Message 0 (sent at 1 s) crashes at 1.05 s; messages 1 to 99 (2 s to 2.98 s) are
        // deleted 100 ms after their receives. Message 0's timer is first in its queue's list
        // with 99 dead ones behind it: it reappears exactly at receive + 60 s and succeeds.
        let sends: [SimTime] = [.s(1)] + (0..<99).map { .ms(2_000 + Int64($0) * 10) }
        let spec = tinyPipeline(sends: sends, duration: .ms(100), runFor: .minutes(5)) { spec in
            spec.queues[0].visibilityTimeout = .s(60)
            spec.functions[0].crashes = CrashSpec(at: [.ms(1_050)])
        }
        let result = try run(spec)
        #expect(result.times(.crashed) == [.ms(1_050)])
        #expect(result.times(.returned, message: 0) == [.s(61)])
        #expect(result.times(.deleted, message: 0) == [.ms(61_100)])
        #expect(result.records(.returned).count == 1)
        #expect(result.value(.succeeded, "A") == 100)
    }

    @Test func longPollsOvertakenByMessagesLeaveNoEventsBehind() throws {
        // 10 messages a second wake the mapping's 5 pollers long before their 20-second long
        // polls end; each poller keeps at most one timer event pending, whatever it set since.
        let spec = tinyPipeline(sends: (0..<6_000).map { .ms(Int64($0) * 100) }, runFor: .s(700))
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: .s(300))
        // Pending: the next arrival, the scaling clock, an idle reclaim or two, one timer per
        // poller (one long poll per message would be about 200).
        #expect(simulation.events.count <= 5 + 2 * world.pollers.count, "\(simulation.events.count) events pending")
        for poller in world.pollers where poller.state != .retired {
            #expect(poller.timerEventAt == .never || poller.timerEventAt <= poller.timer?.at ?? .never)
        }
        simulation.run(until: spec.run.end)
        let result = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        expectConservation(result)
        #expect(result.value(.succeeded, "A") == 6_000)
    }
}

/// A backlog that grows without bound stops the run at the memory budget.
@Suite struct BacklogBudgetTests {
    /// 200 messages a second into one function that takes 1 s with at most 2 at once.
    func overloaded() -> PipelineSpec {
        PipelineSpec(
            name: "overload", run: RunSettings(duration: .hours(10), timeseriesInterval: .minutes(1)),
            groups: [TaskGroupSpec(name: "A", queue: "orders", arrivals: .constant(rate: Rate(perSecond: 200)))],
            queues: [QueueSpec(name: "orders", visibilityTimeout: .minutes(1))],
            functions: [FunctionSpec(name: "worker", timeout: .s(30), reservedConcurrency: 2, duration: .constant(.s(1)),
                                     trigger: TriggerSpec(queue: "orders", batchSize: 1))])
    }

    @Test func aBacklogPastTheBudgetStopsTheRunNamingTheQueueAndTheTime() throws {
        // 1 MiB: 8,192 messages of 128 bytes, passed after about 41 s of simulated time.
        do {
            _ = try World.simulate(overloaded(), memoryBudget: 1 << 20)
            Issue.record("the run was not stopped")
        } catch {
            guard case .backlogBeyondBudget(let queue, let time, let messages, let budget) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(queue == "orders")
            #expect(messages == 8_193)
            #expect(budget == 1 << 20)
            #expect(time > .s(40) && time < .s(42), "\(time)")
            #expect("\(error)".hasPrefix("arrivals exceed capacity: at "))
            #expect("\(error)".contains("most of them in queue orders"))
        }
    }

    @Test func aRunWithinItsBudgetIsTheRunWithoutOne() throws {
        var spec = overloaded()
        spec.run.duration = .s(20)
        let bounded = try World.simulate(spec, memoryBudget: 1 << 20)
        let unbounded = try World.simulate(spec)
        #expect(bounded.scopes == unbounded.scopes)
        #expect(bounded.timeseries == unbounded.timeseries)
        #expect(bounded.events == unbounded.events)
    }
}
