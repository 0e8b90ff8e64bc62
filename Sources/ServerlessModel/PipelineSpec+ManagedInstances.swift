import SimCore

/// Where a function's execution environments run: Lambda's own fleet (the default), or EC2
/// instances of a capacity provider (Lambda Managed Instances, November 2025).
///
/// The two are peers: both run invocations in execution environments
/// (`LambdaFunction.swift`), an environment holding up to ``slots`` invocations at once. They
/// differ in what happens when no environment has a free slot (Lambda starts one, with a cold
/// start; Managed Instances throttle, as they scale asynchronously, `ManagedInstances.swift`),
/// in what removes environments (idle reclaim; the fleet's scale-in) and in the bill
/// (GB-seconds of duration; instance-hours plus a management fee, `Cost.swift`).
public enum Compute: Hashable, Sendable {
    /// Lambda (default): one invocation per environment, environments started on demand.
    case lambda
    /// Lambda Managed Instances: environments of several invocations on EC2 instances.
    case managedInstances(ManagedInstancesSpec)

    /// Invocations one environment runs at once.
    public var slots: Int {
        switch self {
        case .lambda: 1
        case .managedInstances(let spec): spec.perEnvironmentConcurrency
        }
    }
}

/// A function on Lambda Managed Instances: its capacity provider's instances and scaling.
///
/// What AWS documents (docs/SCENARIO-REFERENCE.md, "Managed Instances"): each environment runs
/// up to `PerExecutionEnvironmentMaxConcurrency` (1 - 1,600) invocations at once; an
/// environment has the function's memory and `memory / ExecutionEnvironmentMemoryGiBPerVCpu`
/// vCPUs (the ratio 2 - 8 GiB per vCPU, the function at least 2 GB); Lambda launches three
/// instances and three environments before the version is active, scales asynchronously on
/// utilisation (never on the request path, so no cold start and a throttle when every slot is
/// busy), and "if your traffic more than doubles within 5 minutes, you may see throttles".
/// The numbers AWS does not give are the assumptions below, each with its default.
public struct ManagedInstancesSpec: Hashable, Sendable {
    /// The instances' size and on-demand price.
    public var instance: InstanceType
    /// Invocations one environment runs at once (AWS: 1 - 1,600).
    public var perEnvironmentConcurrency: Int
    /// Memory per vCPU of an environment in GiB (AWS: 2 - 8, default 2).
    public var memoryGiBPerVCpu: Double = 2
    /// The share of the environments' slots the scaler keeps busy (capacity provider's
    /// target utilisation; assumption: 0.5, as AWS publishes no default for its automatic mode).
    public var targetUtilisation: Double = 0.5
    /// Environments always kept (AWS: starts three before the version is active).
    public var minimumEnvironments: Int = 3
    /// The most environments (AWS: MaxExecutionEnvironments, at most 15,000).
    public var maximumEnvironments: Int = 15_000
    /// Instances always kept (AWS: "launches three by default for AZ resiliency").
    public var minimumInstances: Int = 3
    /// How often the scaler reads utilisation and acts: the scale-out delay (assumption:
    /// 1 minute, CloudWatch's resolution).
    public var scalingInterval: SimTime = .minutes(1)
    /// How long utilisation must stay below target before environments are removed
    /// (assumption: 5 minutes; AWS: scale-in is gradual).
    public var scaleInDelay: SimTime = .minutes(5)
    /// From an instance's launch to its first environment starting (assumption: 1 minute).
    public var instanceLaunchTime: SimTime = .minutes(1)
    /// How much the environments may grow in ``doublingWindow``: AWS's "traffic doubling
    /// within 5 minutes" (twice the environments of five minutes before, at most).
    public static let growthPerWindow = 2.0
    /// See ``growthPerWindow``.
    public static let doublingWindow = SimTime.minutes(5)

    public init(instance: InstanceType, perEnvironmentConcurrency: Int) {
        self.instance = instance
        self.perEnvironmentConcurrency = perEnvironmentConcurrency
    }

    /// vCPUs of one environment of a function of `memoryMB`.
    public func environmentVCpus(memoryMB: Int) -> Double {
        Double(memoryMB) / 1_024 / memoryGiBPerVCpu
    }

    /// Environments of a function of `memoryMB` that fit on one instance: as many as its
    /// vCPUs and its memory both hold (0 when one does not fit).
    public func environmentsPerInstance(memoryMB: Int) -> Int {
        let byCPU = instance.vcpus / environmentVCpus(memoryMB: memoryMB)
        let byMemory = instance.memoryGiB * 1_024 / Double(memoryMB)
        // A hair of tolerance: 8 GiB / 2 GiB is 4 environments, not 3.999...
        return Int((min(byCPU, byMemory) + 1e-9).rounded(.down))
    }
}

/// An EC2 instance type: vCPUs, memory and its on-demand price per hour.
public struct InstanceType: Hashable, Sendable {
    /// The type's name (`m7g.large`), or `custom` for stated numbers.
    public var name: String
    public var vcpus: Double
    public var memoryGiB: Double
    /// On-demand Linux price per instance-hour in USD (the management fee comes on top).
    public var pricePerHour: Double

    public init(name: String, vcpus: Double, memoryGiB: Double, pricePerHour: Double) {
        self.name = name
        self.vcpus = vcpus
        self.memoryGiB = memoryGiB
        self.pricePerHour = pricePerHour
    }
}

/// The runtimes Managed Instances support, with the concurrency per vCPU AWS's documentation
/// was reported to default to (AWS-SEMANTICS.md [S]: Python 16, Node.js 64, Java and .NET 32).
public enum ManagedRuntime: String, CaseIterable, Hashable, Sendable {
    case python, nodejs, java, dotnet

    /// Default invocations per vCPU of an environment.
    public var concurrencyPerVCpu: Int {
        switch self {
        case .python: 16
        case .nodejs: 64
        case .java, .dotnet: 32
        }
    }
}
