import ServerlessModel
import SimCore
import Testing
@testable import Scenario

/// A function's `managed_instances:` block: instance types, concurrency, assumptions, refusals.
@Suite struct ManagedInstancesReadingTests {
    static func yaml(_ function: String) -> String {
        """
        name: mi
        run: {duration: 10m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 2/s}}}
        queues:
          tasks: {visibility_timeout: 2m}
        functions:
          worker:
        \(function.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            trigger: {queue: tasks}

        """
    }

    @Test func aListedTypeAndTheRuntimesDefaultConcurrency() throws {
        let scenario = try #require(loadValid(Self.yaml("memory: 4GB\nmanaged_instances: {instance: m7g.xlarge, runtime: nodejs}")))
        guard case .managedInstances(let spec) = scenario.pipeline.functions[0].compute else {
            Issue.record("not on Managed Instances")
            return
        }
        #expect(spec.instance == EC2Instances.type(named: "m7g.xlarge"))
        // 4 GB at 2 GB per vCPU: 2 vCPUs, 64 invocations each for Node.js.
        #expect(spec.perEnvironmentConcurrency == 128)
        #expect(spec.minimumEnvironments == 3 && spec.minimumInstances == 3 && spec.targetUtilisation == 0.5)
        #expect(spec.environmentsPerInstance(memoryMB: 4_096) == 2)
    }

    @Test func everyKeyIsRead() throws {
        let function = """
            memory: 2GB
            managed_instances:
              instance: {vcpus: 16, memory: 64GB, price_per_hour: 0.5}
              per_environment_concurrency: 100
              memory_per_vcpu: 4GB
              target_utilisation: 0.7
              minimum_environments: 1
              maximum_environments: 50
              minimum_instances: 2
              scaling_interval: 30s
              scale_in_delay: 10m
              instance_launch_time: 90s
            """
        let scenario = try #require(loadValid(Self.yaml(function) + "prices: {managed_instances_fee_share: 0.2}\n"))
        guard case .managedInstances(let spec) = scenario.pipeline.functions[0].compute else {
            Issue.record("not on Managed Instances")
            return
        }
        #expect(spec.instance == InstanceType(name: "custom", vcpus: 16, memoryGiB: 64, pricePerHour: 0.5))
        #expect(spec.perEnvironmentConcurrency == 100 && spec.memoryGiBPerVCpu == 4 && spec.targetUtilisation == 0.7)
        #expect(spec.minimumEnvironments == 1 && spec.maximumEnvironments == 50 && spec.minimumInstances == 2)
        #expect(spec.scalingInterval == .s(30) && spec.scaleInDelay == .minutes(10) && spec.instanceLaunchTime == .s(90))
        #expect(scenario.pipeline.prices.managedInstancesFeeShare == 0.2)
    }

    @Test func aPlanThatVariesALambdaOnlyKeyIsRefusedByValidate() {
        // Before: it passed validate, and every configuration failed when the plan started.
        let yaml = Self.yaml("memory: 2GB\nmanaged_instances: {instance: m7g.large, per_environment_concurrency: 4}")
            + "slo: {latency_p99: 10s}\nplan:\n  minimize: concurrency\n  vary:\n    functions.worker.reserved_concurrency: [2, 4, 8]\n"
        let found = diagnostics(ofYAML: yaml)
        // Once, at the plan's key, not once per value.
        #expect(found == [
            "test.yml:16:5: plan values of functions.worker.reserved_concurrency: functions.worker.reserved_concurrency: reserved_concurrency cannot be combined with managed_instances (expected one of the two: it is Lambda's own fleet's, not modelled on Managed Instances)",
        ])
        // A key that depends on the combination (the account's reservations) is still the planner's.
        let lambda = Self.yaml("memory: 2GB") + "slo: {latency_p99: 10s}\nplan:\n  minimize: concurrency\n  vary:\n    functions.worker.reserved_concurrency: [2, 4, 2000]\n"
        #expect(diagnostics(ofYAML: lambda).filter { !$0.contains("warning:") }.isEmpty)
    }

    @Test func badSettingsAreErrorsAtTheirKeys() {
        let lambdaOnly = diagnostics(ofYAML: Self.yaml("memory: 2GB\nprovisioned_concurrency: 2\nmanaged_instances: {instance: m7g.large, per_environment_concurrency: 4}"))
        #expect(lambdaOnly.count == 1)
        #expect(lambdaOnly.first?.contains("functions.worker.provisioned_concurrency: provisioned_concurrency cannot be combined with managed_instances") == true)
        let small = diagnostics(ofYAML: Self.yaml("memory: 1GB\nmanaged_instances: {instance: m7g.large, per_environment_concurrency: 4}"))
        #expect(small.first?.contains("functions.worker.memory: 1,024MB is below Managed Instances' smallest function") == true)
        let missing = diagnostics(ofYAML: Self.yaml("memory: 2GB\nmanaged_instances: {instance: m7g.large}"))
        #expect(missing.first?.contains("functions.worker.managed_instances.per_environment_concurrency: missing") == true)
        let tooMany = diagnostics(ofYAML: Self.yaml("memory: 2GB\nmanaged_instances: {instance: m7g.large, per_environment_concurrency: 1601}"))
        #expect(tooMany.first?.contains("functions.worker.managed_instances.per_environment_concurrency") == true)
        let unknown = diagnostics(ofYAML: Self.yaml("memory: 2GB\nmanaged_instances: {instance: m7g.larg, per_environment_concurrency: 4}"))
        #expect(unknown.first?.contains("did you mean 'm7g.large'?") == true)
        let tooBig = diagnostics(ofYAML: Self.yaml("memory: 10GB\nmanaged_instances: {instance: c7g.large, per_environment_concurrency: 4}"))
        #expect(tooBig.first?.contains("does not fit on c7g.large") == true)
    }
}
