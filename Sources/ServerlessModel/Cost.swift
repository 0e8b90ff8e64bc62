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

    /// A function's cost over a run of length `span`, whatever its compute: on Managed
    /// Instances its requests plus `instanceSeconds` of its instances with the management
    /// fee, and no duration charge (the GB-seconds recorded are not priced).
    func functionCost(function f: Int, spec: FunctionSpec, span: SimTime, instanceSeconds: Double,
                      prices: PriceTable) -> Double {
        switch spec.compute {
        case .lambda:
            return lambdaCost(function: f, spec: spec, span: span, prices: prices)
        case .managedInstances(let managed):
            let requests = Double(lambdaRequests[f]) / 1e6 * prices.lambdaRequestsPerMillion
            return requests + instanceSeconds / 3_600 * managed.instance.pricePerHour * (1 + prices.managedInstancesFeeShare)
        }
    }

    /// A function's Lambda cost over a run of length `span`.
    func lambdaCost(function f: Int, spec: FunctionSpec, span: SimTime, prices: PriceTable) -> Double {
        let arm = spec.architecture == .arm64
        let memoryGB = Double(spec.memoryMB) / 1_024
        let requests = Double(lambdaRequests[f]) / 1e6 * prices.lambdaRequestsPerMillion
        let duration = onDemandGBSeconds[f] * (arm ? prices.lambdaGBSecondArm : prices.lambdaGBSecondX86)
        let provisionedDuration = provisionedGBSeconds[f]
            * (arm ? prices.provisionedDurationGBSecondArm : prices.provisionedDurationGBSecondX86)
        let enabled = Double(spec.provisionedConcurrency) * memoryGB * span.seconds
            * (arm ? prices.provisionedGBSecondArm : prices.provisionedGBSecondX86)
        return requests + duration + provisionedDuration + enabled
    }

    /// The cost of a provisioned mapping's event poller unit-seconds.
    static func eventPollerCost(unitSeconds: Double, prices: PriceTable) -> Double {
        unitSeconds / 3_600 * prices.eventPollerUnitHour
    }

    /// SQS cost of the run.
    func sqsCost(prices: PriceTable) -> Double {
        Double(sqsStandardRequests) / 1e6 * prices.sqsStandardPerMillion
            + Double(sqsFifoRequests) / 1e6 * prices.sqsFifoPerMillion
            + Double(sqsFairRequests) / 1e6 * prices.sqsFairPerMillion
    }
}

extension World {
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
