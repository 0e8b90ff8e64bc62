import SimCore

/// Billable usage of one run, priced at the end with the scenario's ``PriceTable``.
///
/// Lambda bills requests and GB-seconds of duration rounded up to the millisecond; since
/// August 2025 the init phase of on-demand functions is billed too, so a cold start's init
/// counts. Provisioned concurrency is billed per GB-second while enabled (the whole run) plus
/// its own lower duration price. A provisioned event source mapping bills event poller units
/// (per second, one-minute minimum, the minimum pollers always). SQS bills every API request per started 64 KB of payload,
/// the event source mapping's empty receives included.
struct CostMeter {
    // Stores rather than arrays: every invocation adds to them (see ``EntityStore``).
    let lambdaRequests: EntityStore<Int>
    let onDemandGBSeconds: EntityStore<Double>
    let provisionedGBSeconds: EntityStore<Double>
    var sqsStandardRequests = 0
    var sqsFifoRequests = 0
    /// Requests to fair queues (also counted as standard ones).
    var sqsFairRequests = 0

    init(functions: Int) {
        lambdaRequests = EntityStore(repeating: 0, count: functions)
        onDemandGBSeconds = EntityStore(repeating: 0, count: functions)
        provisionedGBSeconds = EntityStore(repeating: 0, count: functions)
    }

    /// The cost of a provisioned mapping's event poller unit-seconds.
    static func eventPollerCost(unitSeconds: Double, prices: PriceTable) -> Double {
        unitSeconds / 3_600 * prices.eventPollerUnitHour
    }

}

/// What a run has been billed for up to a moment, in billing units: the usage of any window
/// is the difference of two of these, and both the run's cost (`cost_usd`) and the monthly
/// bill (MonthlyBill.swift) price one.
struct BillableUsage: Sendable {
    /// One function's usage.
    struct Function: Sendable {
        var requests = 0.0
        var onDemandGBSeconds = 0.0
        /// Duration on provisioned environments.
        var provisionedGBSeconds = 0.0
        /// Provisioned concurrency enabled: environments × GB × seconds.
        var provisionedEnabledGBSeconds = 0.0
        /// Its provisioned mappings' event poller unit-seconds.
        var eventPollerUnitSeconds = 0.0
        /// Managed Instances: seconds of its EC2 instances (running or launching).
        var instanceSeconds = 0.0
    }

    var functions: [Function]
    /// Container services' Fargate cost, in US dollars (Fargate's price has no tiers).
    var containerCosts: [Double]
    var sqsStandardRequests = 0.0
    var sqsFifoRequests = 0.0
    /// Requests to fair queues (also counted as standard ones).
    var sqsFairRequests = 0.0

    /// No usage, for `functions` functions and `containers` container services.
    init(functions: Int, containers: Int) {
        self.functions = Array(repeating: Function(), count: functions)
        containerCosts = Array(repeating: 0, count: containers)
    }

    /// The usage between `earlier` and this one, times `scale`.
    func since(_ earlier: BillableUsage, scaledBy scale: Double) -> BillableUsage {
        var window = BillableUsage(functions: functions.count, containers: containerCosts.count)
        for f in functions.indices {
            let now = functions[f], then = earlier.functions[f]
            window.functions[f] = Function(
                requests: (now.requests - then.requests) * scale,
                onDemandGBSeconds: (now.onDemandGBSeconds - then.onDemandGBSeconds) * scale,
                provisionedGBSeconds: (now.provisionedGBSeconds - then.provisionedGBSeconds) * scale,
                provisionedEnabledGBSeconds: (now.provisionedEnabledGBSeconds - then.provisionedEnabledGBSeconds) * scale,
                eventPollerUnitSeconds: (now.eventPollerUnitSeconds - then.eventPollerUnitSeconds) * scale,
                instanceSeconds: (now.instanceSeconds - then.instanceSeconds) * scale)
        }
        for s in containerCosts.indices { window.containerCosts[s] = (containerCosts[s] - earlier.containerCosts[s]) * scale }
        window.sqsStandardRequests = (sqsStandardRequests - earlier.sqsStandardRequests) * scale
        window.sqsFifoRequests = (sqsFifoRequests - earlier.sqsFifoRequests) * scale
        window.sqsFairRequests = (sqsFairRequests - earlier.sqsFairRequests) * scale
        return window
    }
}

extension PriceTable {
    /// A function's cost at list prices (the first duration tier, no free tier), whatever its
    /// compute: on Managed Instances its requests plus its instances with the management fee,
    /// and no duration charge (the GB-seconds recorded are not priced).
    func listCost(_ usage: BillableUsage.Function, function: FunctionSpec) -> Double {
        let requests = usage.requests / 1e6 * lambdaRequestsPerMillion
        let pollers = CostMeter.eventPollerCost(unitSeconds: usage.eventPollerUnitSeconds, prices: self)
        if case .managedInstances(let managed) = function.compute {
            return requests + instanceCost(usage, managed) + pollers
        }
        let arm = function.architecture == .arm64
        let duration = usage.onDemandGBSeconds * (arm ? lambdaGBSecondArm : lambdaGBSecondX86)
        let (provisionedDuration, enabled, _) = untieredCosts(usage, architecture: function.architecture)
        return requests + duration + provisionedDuration + enabled + pollers
    }

    /// Managed Instances: the EC2 instance-seconds at the instance's price plus the fee.
    func instanceCost(_ usage: BillableUsage.Function, _ managed: ManagedInstancesSpec) -> Double {
        usage.instanceSeconds / 3_600 * managed.instance.pricePerHour * (1 + managedInstancesFeeShare)
    }

    /// The parts of a function's Lambda bill that have no tiers and no free tier: duration on
    /// provisioned environments, provisioned concurrency enabled, event poller units.
    func untieredCosts(_ usage: BillableUsage.Function, architecture: Architecture)
        -> (provisionedDuration: Double, enabled: Double, pollers: Double) {
        let arm = architecture == .arm64
        return (usage.provisionedGBSeconds * (arm ? provisionedDurationGBSecondArm : provisionedDurationGBSecondX86),
                usage.provisionedEnabledGBSeconds * (arm ? provisionedGBSecondArm : provisionedGBSecondX86),
                CostMeter.eventPollerCost(unitSeconds: usage.eventPollerUnitSeconds, prices: self))
    }

    /// SQS cost at list prices (the first tier, no free tier).
    func listSQSCost(_ usage: BillableUsage) -> Double {
        usage.sqsStandardRequests / 1e6 * sqsStandardPerMillion + usage.sqsFifoRequests / 1e6 * sqsFifoPerMillion
            + usage.sqsFairRequests / 1e6 * sqsFairPerMillion
    }
}

extension World {
    /// What the run has been billed for up to `time` (now, or the run's end).
    func billableUsage(at time: SimTime) -> BillableUsage {
        var usage = BillableUsage(functions: functions.count, containers: containers.services.count)
        for f in functions.indices {
            let spec = functions[f].spec
            usage.functions[f] = BillableUsage.Function(
                requests: Double(cost.lambdaRequests[f]), onDemandGBSeconds: cost.onDemandGBSeconds[f],
                provisionedGBSeconds: cost.provisionedGBSeconds[f],
                provisionedEnabledGBSeconds: Double(spec.provisionedConcurrency) * functions[f].memoryGB * time.seconds)
            if functions[f].fleet >= 0 {
                usage.functions[f].instanceSeconds = fleets[Int(functions[f].fleet)].billedInstances.integral(until: time)
            }
        }
        for m in mappings.indices where mappings[m].isProvisioned {
            usage.functions[Int(mappings[m].function)].eventPollerUnitSeconds += eventPollerUnitSeconds(mapping: m, until: time)
        }
        for s in usage.containerCosts.indices { usage.containerCosts[s] = containerCost(service: s, at: time) }
        usage.sqsStandardRequests = Double(cost.sqsStandardRequests)
        usage.sqsFifoRequests = Double(cost.sqsFifoRequests)
        usage.sqsFairRequests = Double(cost.sqsFairRequests)
        return usage
    }

    /// Bills one invocation: a request and its duration (init included), rounded up to 1 ms.
    func billInvocation(function f: Int, environment env: EnvironmentID, duration: SimTime) {
        let billedMilliseconds = (duration.nanoseconds + 999_999) / 1_000_000
        let gbSeconds = Double(billedMilliseconds) / 1_000 * functions[f].memoryGB
        cost.lambdaRequests[f] += 1
        if environments[Int(env.index)].isProvisioned {
            cost.provisionedGBSeconds[f] += gbSeconds
        } else {
            cost.onDemandGBSeconds[f] += gbSeconds
        }
    }
}

/// EC2 instance types for Lambda Managed Instances: vCPUs, memory and the on-demand Linux
/// price per hour in us-east-1 (Amazon EC2 On-Demand Pricing, as listed in 2025; the
/// management fee of ``PriceTable/managedInstancesFeeShare`` comes on top). Another type, or
/// another Region's price, is stated as `instance: {vcpus, memory, price_per_hour}`.
public enum EC2Instances {
    public static let types: [InstanceType] = [
        InstanceType(name: "c7g.large", vcpus: 2, memoryGiB: 4, pricePerHour: 0.0725),
        InstanceType(name: "c7g.xlarge", vcpus: 4, memoryGiB: 8, pricePerHour: 0.145),
        InstanceType(name: "m7g.large", vcpus: 2, memoryGiB: 8, pricePerHour: 0.0816),
        InstanceType(name: "m7g.xlarge", vcpus: 4, memoryGiB: 16, pricePerHour: 0.1632),
        InstanceType(name: "m7g.2xlarge", vcpus: 8, memoryGiB: 32, pricePerHour: 0.3264),
        InstanceType(name: "r7g.large", vcpus: 2, memoryGiB: 16, pricePerHour: 0.1071),
        InstanceType(name: "m7i.large", vcpus: 2, memoryGiB: 8, pricePerHour: 0.1008),
        InstanceType(name: "m7a.large", vcpus: 2, memoryGiB: 8, pricePerHour: 0.11592),
    ]

    /// The type of that name, if listed.
    public static func type(named name: String) -> InstanceType? {
        types.first { $0.name == name }
    }
}
