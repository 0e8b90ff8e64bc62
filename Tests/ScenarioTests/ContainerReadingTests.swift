import ServerlessModel
import SimCore
import Testing
@testable import Scenario

/// The `containers:` block: defaults, fixed and autoscaled pools, cooldowns, prices, sweeps.
@Suite struct ContainerReadingTests {
    static let base = """
        name: pools
        run: {duration: 10m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 2/s}}}
        queues:
          tasks: {visibility_timeout: 2m}
          done:
        downstreams:
          api: {latency: 100ms}
        functions: {}

        """

    @Test func defaultsAreAFixedPoolOfOneTaskOfOneVCPU() throws {
        let scenario = try #require(loadValid(Self.base + "containers:\n  pool: {queue: tasks}\n"))
        let pool = try #require(scenario.pipeline.containers.first)
        #expect(pool == ContainerServiceSpec(name: "pool", queue: "tasks"))
        #expect(pool.vcpu == 1 && pool.memoryMB == 2_048 && pool.minWorkers == 1 && pool.maxWorkers == 1)
        #expect(pool.batchSize == 1 && pool.scaling == nil && !pool.scales)
        #expect(pool.startup == .lognormal(median: .s(30), p99: .s(90)))
    }

    @Test func failuresAreRead() throws {
        let yaml = Self.base + "containers:\n  pool: {queue: tasks, error_rate: 0.01, message_timeout: 30s, crashes: {probability: 0.001, at: [5m, 2m]}}\n"
        let pool = try #require(loadValid(yaml)?.pipeline.containers.first)
        #expect(pool.errorRate == 0.01 && pool.messageTimeout == .s(30))
        #expect(pool.crashes == CrashSpec(probability: 0.001, at: [.minutes(2), .minutes(5)]))
        let bad = Self.base + "containers:\n  pool: {queue: tasks, error_rate: 2, message_timeout: 0s}\n"
        #expect(diagnostics(ofYAML: bad).count == 2)
        #expect(diagnostics(ofYAML: bad).first?.contains("containers.pool.error_rate") == true)
    }

    @Test func everyKeyIsRead() throws {
        let yaml = Self.base + """
            prices: {fargate_vcpu_hour: 0.05, fargate_gb_hour: 0.005}
            containers:
              pool:
                queue: tasks
                vcpu: 0.5
                memory: 3GB
                workers: {min: 0, max: 20}
                scale: {target_backlog_per_worker: 50, interval: 30s, cooldown: 2m, scale_in_cooldown: 10m}
                startup: 45s
                duration: 20ms
                per_message: {exponential: {mean: 200ms}}
                batch_size: 10
                downstream: api
                output_queue: done
            """
        let scenario = try #require(loadValid(yaml))
        let pool = try #require(scenario.pipeline.containers.first)
        #expect(pool.vcpu == 0.5 && pool.memoryMB == 3_072 && pool.minWorkers == 0 && pool.maxWorkers == 20)
        #expect(pool.scaling == ContainerScaling(targetBacklogPerWorker: 50, interval: .s(30), scaleOutCooldown: .minutes(2),
                                                 scaleInCooldown: .minutes(10)))
        #expect(pool.startup == .constant(.s(45)) && pool.duration == .constant(.ms(20)))
        #expect(pool.perMessage == .exponential(mean: .ms(200)))
        #expect(pool.batchSize == 10 && pool.downstream == "api" && pool.outputQueue == "done")
        #expect(scenario.pipeline.prices.fargateVCPUHour == 0.05 && scenario.pipeline.prices.fargateGBHour == 0.005)
    }

    @Test func memoryDefaultsToTheSmallestTheVCPUsAllow() throws {
        for (vcpu, memory) in [("0.25", 512), ("2", 4_096), ("16", 32_768)] {
            let scenario = loadValid(Self.base + "containers:\n  pool: {queue: tasks, vcpu: \(vcpu)}\n")
            #expect(scenario?.pipeline.containers.first?.memoryMB == memory)
        }
        // 8 vCPUs take memory in steps of 4 GB.
        let diagnostics = diagnostics(ofYAML: Self.base + "containers:\n  pool: {queue: tasks, vcpu: 8, memory: 18GB}\n")
        #expect(diagnostics == ["test.yml:12:41: containers.pool.memory: 18GB is not a Fargate memory size for 8 vCPU (expected 16GB to 60GB in steps of 4GB, or another vcpu)"])
    }

    @Test func aSweepCanVaryTheMaximumWorkers() throws {
        let yaml = Self.base + """
            containers:
              pool: {queue: tasks, workers: {min: 1, max: 4}, scale: {target_backlog_per_worker: 10}}
            sweep:
              containers.pool.workers.max: [2, 8]
            """
        let scenario = try #require(loadValid(yaml))
        let points = try #require(scenario.sweep?.points)
        #expect(points.map { $0.scenario.pipeline.containers.first?.maxWorkers } == [2, 8])
    }

    @Test func aLoadedScenarioRuns() throws {
        let scenario = try #require(loadValid(Self.base + "containers:\n  pool: {queue: tasks, workers: 2, vcpu: 0.25}\n"))
        let result = try World.simulate(scenario.pipeline)
        #expect(result.scope("pool", kind: .container)?[.succeeded] == result.scope("A")?[.succeeded])
        #expect((result.scope("pool")?[.costUSD] ?? 0) > 0)
    }
}
