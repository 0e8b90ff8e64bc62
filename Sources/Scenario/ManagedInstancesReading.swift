import ServerlessModel
import SimCore

/// Reading of a function's `managed_instances:` (Lambda Managed Instances).
extension PipelineReader {
    /// The keys of `managed_instances:`.
    static let managedInstancesKeys = ["instance", "per_environment_concurrency", "runtime", "memory_per_vcpu",
                                       "target_utilisation", "minimum_environments", "maximum_environments",
                                       "minimum_instances", "scaling_interval", "scale_in_delay", "instance_launch_time"]
    /// Function keys that are Lambda's own fleet's and mean nothing on Managed Instances (or
    /// are not modelled there): refused rather than ignored.
    static let keysNotOnManagedInstances = ["provisioned_concurrency", "reserved_concurrency", "idle_timeout", "crashes",
                                            "deployments"]

    /// `managed_instances: {instance: m7g.large, per_environment_concurrency: 64, ...}` of a
    /// function of `memoryMB` whose settings are `function`.
    func managedInstances(_ node: SourceNode, _ path: FieldPath, memoryMB: Int, function: MappingView) -> ManagedInstancesSpec? {
        guard let view = values.mapping(node, path, keys: Self.managedInstancesKeys,
                                        expected: "Managed Instances settings such as {instance: m7g.large, per_environment_concurrency: 64}")
        else { return nil }
        for key in Self.keysNotOnManagedInstances where function.has(key) {
            sink.error(function.location(of: key), function.path(key),
                       "\(key) cannot be combined with managed_instances (expected one of the two: it is Lambda's own fleet's, not modelled on Managed Instances)",
                       kind: .excludedKey)
        }
        if memoryMB < 2_048 {
            let key = function.has("memory") ? "memory" : "managed_instances"
            sink.error(function.location(of: key), function.path(key),
                       "\(NumberText.grouped(memoryMB))MB is below Managed Instances' smallest function (expected memory of at least 2GB)", kind: .conflict)
        }
        guard let instanceNode = values.required(view, "instance", expected: "an instance type such as m7g.large, or {vcpus: 2, memory: 8GB, price_per_hour: 0.0816}"),
              let instance = instanceType(instanceNode, view.path("instance"))
        else { return nil }
        var memoryPerVCpu = 2.0
        if let value = view["memory_per_vcpu"] {
            // AWS's ExecutionEnvironmentMemoryGiBPerVCpu, 2.0 - 8.0 GiB.
            guard let megabytes = values.megabytes(value, view.path("memory_per_vcpu"),
                                                   IntegerRange(minimum: 2_048, maximum: 8_192, noun: "a memory per vCPU", unit: .megabytes))
            else { return nil }
            memoryPerVCpu = Double(megabytes) / 1_024
        }
        let concurrency: Int
        if let value = view["per_environment_concurrency"] {
            guard let count = values.integer(value, view.path("per_environment_concurrency"),
                                             IntegerRange(minimum: 1, maximum: 1_600, noun: "a per-environment concurrency"))
            else { return nil }
            concurrency = count
        } else if let value = view["runtime"] {
            guard let text = values.choice(value, view.path("runtime"), ManagedRuntime.allCases.map(\.rawValue), noun: "a runtime"),
                  let runtime = ManagedRuntime(rawValue: text) else { return nil }
            let vcpus = Double(memoryMB) / 1_024 / memoryPerVCpu
            concurrency = min(1_600, max(1, Int((Double(runtime.concurrencyPerVCpu) * vcpus).rounded(.down))))
        } else {
            sink.error(node.location, path.appending("per_environment_concurrency"),
                       "missing (expected per_environment_concurrency from 1 to 1,600, or runtime: python, nodejs, java or dotnet for its default per vCPU)")
            return nil
        }
        var spec = ManagedInstancesSpec(instance: instance, perEnvironmentConcurrency: concurrency)
        spec.memoryGiBPerVCpu = memoryPerVCpu
        if let value = view["target_utilisation"] {
            spec.targetUtilisation = values.number(value, view.path("target_utilisation"),
                                                   NumberRange(minimum: 0, minimumExclusive: true, maximum: 1, noun: "a utilisation"))
                ?? spec.targetUtilisation
        }
        let environments = IntegerRange(minimum: 0, maximum: 15_000, noun: "a number of environments")
        if let value = view["minimum_environments"] {
            spec.minimumEnvironments = values.integer(value, view.path("minimum_environments"), environments) ?? spec.minimumEnvironments
        }
        if let value = view["maximum_environments"] {
            spec.maximumEnvironments = values.integer(value, view.path("maximum_environments"),
                                                      IntegerRange(minimum: 1, maximum: 15_000, noun: "a number of environments"))
                ?? spec.maximumEnvironments
        }
        if spec.minimumEnvironments > spec.maximumEnvironments {
            sink.error(view.location(of: "minimum_environments"), view.path("minimum_environments"),
                       "minimum \(spec.minimumEnvironments) is above maximum \(spec.maximumEnvironments) (expected minimum <= maximum)",
                       kind: .conflict)
        }
        if let value = view["minimum_instances"] {
            spec.minimumInstances = values.integer(value, view.path("minimum_instances"),
                                                   IntegerRange(minimum: 0, maximum: nil, noun: "a number of instances")) ?? spec.minimumInstances
        }
        if let value = view["scaling_interval"] {
            spec.scalingInterval = values.duration(value, view.path("scaling_interval"), .positive("a scaling interval")) ?? spec.scalingInterval
        }
        if let value = view["scale_in_delay"] {
            spec.scaleInDelay = values.duration(value, view.path("scale_in_delay"), .any) ?? spec.scaleInDelay
        }
        if let value = view["instance_launch_time"] {
            spec.instanceLaunchTime = values.duration(value, view.path("instance_launch_time"), .any) ?? spec.instanceLaunchTime
        }
        if memoryMB >= 2_048, spec.environmentsPerInstance(memoryMB: memoryMB) == 0 {
            sink.error(view.location(of: "instance"), view.path("instance"),
                       "an environment of \(memoryMB)MB and \(NumberText.decimal(spec.environmentVCpus(memoryMB: memoryMB))) vCPUs does not fit on \(instance.name) (\(NumberText.decimal(instance.vcpus)) vCPUs, \(NumberText.decimal(instance.memoryGiB))GB) (expected a larger instance, less memory or more memory per vCPU)",
                       kind: .conflict)
            return nil
        }
        return spec
    }

    /// `instance: m7g.large` (a listed type) or `instance: {vcpus: 2, memory: 8GB, price_per_hour: 0.0816}`.
    private func instanceType(_ node: SourceNode, _ path: FieldPath) -> InstanceType? {
        if case .scalar = node {
            let names = EC2Instances.types.map(\.name)
            guard let name = values.choice(node, path, names, noun: "an instance type") else { return nil }
            return EC2Instances.type(named: name)
        }
        guard let view = values.mapping(node, path, keys: ["vcpus", "memory", "price_per_hour"],
                                        expected: "an instance type such as m7g.large, or {vcpus: 2, memory: 8GB, price_per_hour: 0.0816}")
        else { return nil }
        let vcpus = values.required(view, "vcpus", expected: "the instance's vCPUs such as 2")
            .flatMap { values.number($0, view.path("vcpus"), .positive("a number of vCPUs")) }
        let memory = values.required(view, "memory", expected: "the instance's memory such as 8GB")
            .flatMap { values.megabytes($0, view.path("memory"), IntegerRange(minimum: 512, maximum: nil, noun: "a memory size", unit: .megabytes)) }
        let price = values.required(view, "price_per_hour", expected: "the on-demand price per instance-hour in US dollars such as 0.0816")
            .flatMap { values.number($0, view.path("price_per_hour"), .nonNegative("a price")) }
        guard let vcpus, let memory, let price else { return nil }
        return InstanceType(name: "custom", vcpus: vcpus, memoryGiB: Double(memory) / 1_024, pricePerHour: price)
    }
}
