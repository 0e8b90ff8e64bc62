import SimCore
@testable import ServerlessModel
import Testing

/// Lambda Managed Instances: environments of several invocations, the fleet's scaler, the bill.
@Suite struct ManagedInstancesTests {
    /// An instance that holds 64 environments of 2 GB and 1 vCPU, at $1 an hour.
    static let bigInstance = InstanceType(name: "custom", vcpus: 64, memoryGiB: 256, pricePerHour: 1)

    static func managed(_ instance: InstanceType = bigInstance, slots: Int, environments: Int = 1, instances: Int = 1)
        -> Compute {
        var spec = ManagedInstancesSpec(instance: instance, perEnvironmentConcurrency: slots)
        spec.minimumEnvironments = environments
        spec.minimumInstances = instances
        return .managedInstances(spec)
    }

    /// `tinyPipeline` with its function on Managed Instances (2 GB: one vCPU per environment).
    func managedPipeline(sends: [SimTime], duration: SimTime = .s(1), runFor: SimTime = .minutes(5), compute: Compute,
                         configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        tinyPipeline(sends: sends, duration: duration, runFor: runFor) { spec in
            spec.functions[0].memoryMB = 2_048
            spec.functions[0].compute = compute
            configure(&spec)
        }
    }

    @Test func oneEnvironmentRunsKInvocationsAtOnceAndThrottlesTheNext() throws {
        // Five messages at 0 s, five pollers (the mapping's start), one environment of 4 slots.
        let spec = managedPipeline(sends: Array(repeating: .zero, count: 5), compute: Self.managed(slots: 4))
        let result = try run(spec)
        #expect(result.times(.invoked) == [.zero, .zero, .zero, .zero, .s(1)])
        #expect(result.times(.throttled) == [.zero])
        // Four share the environment and end together; the fifth retries after the mapping's
        // 1 s back-off, when the slots are free, and runs in the same environment.
        #expect(result.times(.deleted) == [.s(1), .s(1), .s(1), .s(1), .s(2)])
        #expect(result.value(.coldStarts, "worker") == 0)
        #expect(result.value(.concurrencyPeak, "worker") == 4)
        #expect(result.value(.environmentsPeak, "worker") == 1)
        #expect(result.value(.throttles, "worker") == 1)
        // Busy slot-seconds 5 over 4 slots for 300 s; idle: the environment ran something
        // for 2 of the 300 s.
        #expect(abs(result.value(.utilisation, "worker") - 5.0 / (4 * 300)) < 1e-12)
        #expect(abs(result.value(.idleEnvironmentsMean, "worker") - 298.0 / 300) < 1e-12)
    }

    @Test func directCallersShareTheSlotsAndGetA429WhenAllAreBusy() throws {
        var spec = DirectInvocationTests().directPipeline(sends: [.zero, .zero, .zero], retry: ClientRetryPolicy(attempts: 0))
        spec.functions[0].reservedConcurrency = nil
        spec.functions[0].memoryMB = 2_048
        spec.functions[0].compute = Self.managed(slots: 2)
        let result = try run(spec)
        #expect(result.times(.succeeded) == [.s(1), .s(1)])
        #expect(result.times(.dropped) == [.zero])
        #expect(result.value(.environmentsPeak, "api") == 1)
    }

    /// Constant arrivals: `base` per second for 10 minutes, then `surge` per second for 8.
    static func sends(base: Int, surge: Int) -> [SimTime] {
        let before = (0..<(600 * base)).map { SimTime.ns(Int64($0) * 1_000_000_000 / Int64(base)) }
        let after = (0..<(480 * surge)).map { SimTime.s(600) + .ns(Int64($0) * 1_000_000_000 / Int64(surge)) }
        return before + after
    }

    /// Two environments of 10 slots at the start, target utilisation 0.5: 10 messages/s of 1 s
    /// hold them exactly at target.
    func surgePipeline(surge: Int) -> PipelineSpec {
        managedPipeline(sends: Self.sends(base: 10, surge: surge), runFor: .minutes(20),
                        compute: Self.managed(slots: 10, environments: 2)) { spec in
            spec.run.drain = .minutes(2)
        }
    }

    @Test func aSurgeWithinTheHeadroomIsServedWithoutAThrottle() throws {
        // 1.5 times the traffic: 15 busy of the 20 slots, and room for the backlog the
        // mapping's pollers leave while they ramp up to it. (At 1.9 times, that catch-up goes
        // past 20 for a moment and throttles a few batches: the mapping's ramp, not the fleet.)
        let result = try run(surgePipeline(surge: 15))
        #expect(result.value(.throttles, "worker") == 0)
        #expect(result.value(.succeeded, "A") == result.value(.sent, "A"))
    }

    @Test func aSurgeAboveTwiceTheTrafficThrottlesUntilTheFleetHasDoubled() throws {
        // Five times the traffic: the fleet may double within 5 minutes, no faster.
        let result = try run(surgePipeline(surge: 50))
        #expect(result.value(.throttles, "worker") > 0)
        #expect(result.value(.coldStarts, "worker") == 0)
        let rows = result.timeseries.filter { $0.kind == .function }
        func environments(at time: SimTime) -> Double? { rows.first { $0.intervalStart == time }?[.environmentsPeak] }
        func throttles(at time: SimTime) -> Double? { rows.first { $0.intervalStart == time }?[.throttles] }
        // Before the surge: the two environments. The scaler's first look after it (11 min)
        // sees the slots saturated and doubles them, to 4; its looks at 12 ... 15 min want 8
        // but get 4, twice the target of five minutes before them (2), while the throttles go
        // on; at 16 min, five minutes after it chose 4, it doubles again.
        #expect(environments(at: .s(590)) == 2)
        #expect(environments(at: .s(670)) == 4)
        #expect(environments(at: .s(950)) == 4)
        #expect((throttles(at: .s(950)) ?? 0) > 0)
        #expect(environments(at: .s(960)) == 8)
        #expect(result.value(.succeeded, "A") + result.value(.backlogEnd, "A") == result.value(.sent, "A"))
    }

    @Test func theBillIsInstanceHoursWithTheFeePlusRequestsAndNoDuration() throws {
        // Three m7g.large (two 2 GB environments each) for the hour: the minimum, never scaled.
        guard let instance = EC2Instances.type(named: "m7g.large") else { throw ManagedTestError.noInstanceType }
        let sends = (0..<1_000).map { SimTime.s(Int64($0) * 3) }
        let spec = managedPipeline(sends: sends, runFor: .hours(1), compute: Self.managed(instance, slots: 8, environments: 3,
                                                                                          instances: 3))
        let result = try run(spec)
        #expect(result.value(.instancesMean, "worker") == 3)
        #expect(result.value(.instancesPeak, "worker") == 3)
        // 3 × $0.0816 × 1.15 = $0.28152, plus 1,000 requests at $0.20 per million.
        #expect(abs(result.value(.costUSD, "worker") - 0.28172) < 1e-9)
        var withoutFee = spec
        withoutFee.prices.managedInstancesFeeShare = 0
        #expect(abs(try run(withoutFee).value(.costUSD, "worker") - (0.2448 + 0.0002)) < 1e-9)
    }

    @Test func aLaunchedInstanceIsBilledFromItsLaunch() throws {
        // Instances of one environment at $1 an hour; the minimum is one. A surge at 10 min
        // (3 busy of 4 slots, above the target of 2) makes the scaler (11 min) want a second
        // environment: an instance launched at 11 min runs it from 12 min. The surge ends at
        // 15 min; the scaler's looks from 16 min see the need below target, and the one at
        // 21 min, five minutes on, removes the environment and terminates its instance.
        let small = InstanceType(name: "custom", vcpus: 1, memoryGiB: 2, pricePerHour: 1)
        let sends = (0..<600).map { SimTime.s(Int64($0)) }
            + (0..<900).map { SimTime.s(600) + .ns(Int64($0) * 1_000_000_000 / 3) }
        var spec = managedPipeline(sends: sends, duration: .s(1), runFor: .minutes(30), compute: Self.managed(small, slots: 4))
        spec.prices.managedInstancesFeeShare = 0
        let result = try run(spec)
        let rows = result.timeseries.filter { $0.kind == .function }
        #expect(rows.first { $0.intervalStart == .s(710) }?[.environmentsPeak] == 1)
        #expect(rows.first { $0.intervalStart == .s(720) }?[.environmentsPeak] == 2)
        #expect(result.value(.instancesPeak, "worker") == 2)
        #expect(rows.first { $0.intervalStart == .s(1_250) }?[.environmentsPeak] == 2)
        #expect(rows.first { $0.intervalStart == .s(1_260) }?[.environmentsMean] == 1)
        // Removed exactly at 1,260 s: the interval that starts there never has two.
        #expect(rows.first { $0.intervalStart == .s(1_260) }?[.environmentsPeak] == 1)
        // The first instance the whole half hour, the second from its launch at 11 min to 21 min.
        let instanceHours = 0.5 + (21.0 - 11.0) / 60
        #expect(abs(result.value(.costUSD, "worker") - (instanceHours + 1_500 * 0.2e-6)) < 1e-9)
        // The time series follows the bill: one instance until the launch, exactly on the
        // 660 s boundary, so in the interval it starts; two until the termination, exactly on
        // the 1,260 s boundary, so the interval it starts has one throughout.
        func instances(at start: Int64) -> [Double?] {
            let row = rows.first { $0.intervalStart == .s(start) }
            return [row?[.instancesMean], row?[.instancesPeak]]
        }
        #expect(instances(at: 0) == [1, 1])
        #expect(instances(at: 650) == [1, 1])
        #expect(instances(at: 660) == [2, 2])
        #expect(instances(at: 1_250) == [2, 2])
        #expect(instances(at: 1_260) == [1, 1])
        #expect(instances(at: 1_790) == [1, 1])
        let instanceSeconds = rows.reduce(0) { $0 + ($1[.instancesMean] ?? 0) * $1.intervalLength.seconds }
        #expect(abs(instanceSeconds - instanceHours * 3_600) < 1e-6)
        #expect(abs(instanceSeconds / 1_800 - result.value(.instancesMean, "worker")) < 1e-9)
    }

    @Test func buildingTheResultsTwiceGivesTheSameTimeSeries() throws {
        // Before, making the last interval's rows moved the fleet's occupied-area mark, so the
        // second build's idle_environments_mean of that interval counted no occupied time.
        let spec = managedPipeline(sends: (0..<95).map { .s(Int64($0)) }, runFor: .s(95), compute: Self.managed(slots: 2))
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        let first = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        let second = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        #expect(first.timeseries == second.timeseries)
        let last = try #require(first.timeseries.last { $0.kind == .function })
        #expect(last.intervalStart == .s(90))
        // One environment, busy 1 s of every second: idle for none of [90 s, 95 s].
        #expect(last[.idleEnvironmentsMean] == 0)
    }

    @Test func aFunctionOnLambdasOwnFleetHasNoInstanceColumns() throws {
        let result = try run(tinyPipeline(sends: [.zero]))
        let rows = result.timeseries.filter { $0.kind == .function }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0[.instancesMean] == nil && $0[.instancesPeak] == nil })
    }

    @Test func anSQSTriggerConservesMessagesInBothMappingModes() throws {
        for provisioned in [false, true] {
            var spec = PipelineSpec(
                name: "mi", run: RunSettings(duration: .minutes(20), drain: .minutes(5), seed: 7),
                groups: [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .schedule([RateStep(at: .zero, rate: Rate(perSecond: 20)),
                                                                                       RateStep(at: .minutes(8), rate: Rate(perSecond: 90))]))],
                queues: [QueueSpec(name: "tasks")],
                functions: [FunctionSpec(name: "worker", memoryMB: 4_096, timeout: .s(30), duration: .constant(.ms(50)),
                                         perMessage: .lognormal(median: .ms(100), p99: .s(1)),
                                         trigger: TriggerSpec(queue: "tasks", batchSize: 10))])
            spec.functions[0].compute = Self.managed(EC2Instances.types[3], slots: 6, environments: 3, instances: 3)
            if provisioned { spec.functions[0].trigger?.provisionedPollers = ProvisionedPollers(minimum: 2, maximum: 20) }
            let result = try run(spec)
            #expect(result.value(.succeeded, "A") == result.value(.sent, "A"), "provisioned: \(provisioned)")
            #expect(result.value(.coldStarts, "worker") == 0)
            #expect(result.value(.concurrencyPeak, "worker") <= result.value(.environmentsPeak, "worker") * 6)
            #expect(result.value(.instancesMean, "worker") >= 3)
            #expect(result.value(.instancesMean, "all") == result.value(.instancesMean, "worker"))
        }
    }

    @Test func environmentsFitOnAnInstanceByItsVCPUsAndItsMemory() {
        var spec = ManagedInstancesSpec(instance: InstanceType(name: "x", vcpus: 2, memoryGiB: 8, pricePerHour: 0), perEnvironmentConcurrency: 1)
        #expect(spec.environmentsPerInstance(memoryMB: 2_048) == 2)  // 1 vCPU each: the vCPUs bound
        spec.memoryGiBPerVCpu = 8
        #expect(spec.environmentsPerInstance(memoryMB: 2_048) == 4)  // 0.25 vCPU each: the memory bounds
        #expect(spec.environmentsPerInstance(memoryMB: 10_240) == 0)
    }

    @Test func lambdasOwnOptionsAreRefusedOnManagedInstances() {
        var spec = managedPipeline(sends: [.zero], compute: Self.managed(slots: 2))
        spec.functions[0].provisionedConcurrency = 1
        #expect(throws: WorldError.self) { try World.simulate(spec) }
    }

    enum ManagedTestError: Error { case noInstanceType }
}
