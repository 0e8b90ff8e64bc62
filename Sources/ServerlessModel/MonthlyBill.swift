/// The monthly bill (`cost_per_month_usd`): the measured window's usage, warm-up and drain
/// left out, scaled to 30 days and priced as AWS prices a month.
///
/// AWS prices on-demand Lambda duration and SQS requests by the month, in tiers of the
/// account's monthly volume (Lambda per architecture, SQS per queue type), and gives an
/// always-free allowance a month (``PriceTable``): so the tiers and the free tier apply to a
/// month's usage only, never to a run's. The account is taken to be this pipeline's alone.
///
/// How the account's bill is split between its functions (modelling choices; AWS bills the
/// account): the free tier goes to the functions it applies to (those without provisioned
/// concurrency: AWS's free tier does not apply to them) in proportion to their use, and each
/// function pays its architecture's average tiered rate for the GB-seconds it is billed. The
/// free tier's GB-seconds count before the tiers (the first 400,000 of 6 billion). SQS's free
/// requests go to standard requests first, then to FIFO ones; fair-queue requests' surcharge
/// has no free tier. Provisioned concurrency, its duration, event poller units, Managed
/// Instances (EC2 instance-hours with the fee; their requests get no free tier either: AWS's
/// free tier is stated for on-demand functions) and Fargate have no tiers and no free tier:
/// they scale to the month as they are.
struct MonthlyBill: Equatable {
    /// Each function's Lambda bill (event poller units of its mapping included).
    var functions: [Double]
    /// Each container service's Fargate bill.
    var containers: [Double]
    /// The SQS bill.
    var sqs: Double

    /// A month: 30 days, in seconds.
    static let monthSeconds = 30.0 * 86_400

    /// The whole bill.
    var total: Double { sqs + functions.reduce(0, +) + containers.reduce(0, +) }

    /// Prices a month's usage of `functions` (the pipeline's, in order).
    init(month usage: BillableUsage, functions specs: [FunctionSpec], prices: PriceTable) {
        let architectures = specs.map(\.architecture)
        let eligible = specs.map { $0.provisionedConcurrency == 0 && $0.compute == .lambda && prices.freeTier }
        let freeRequests = Self.shares(of: prices.freeLambdaRequests, among: usage.functions.map(\.requests), eligible: eligible)
        let freeGBSeconds = Self.shares(of: prices.freeLambdaGBSeconds, among: usage.functions.map(\.onDemandGBSeconds),
                                        eligible: eligible)
        // Managed Instances have no duration charge.
        let billedGBSeconds = usage.functions.indices.map {
            specs[$0].compute == .lambda ? usage.functions[$0].onDemandGBSeconds - freeGBSeconds[$0] : 0
        }
        var rate: [Architecture: Double] = [:]
        for architecture in [Architecture.x86_64, .arm64] {
            let total = billedGBSeconds.indices.filter { architectures[$0] == architecture }.reduce(0) { $0 + billedGBSeconds[$1] }
            rate[architecture] = total > 0 ? prices.durationTiers(architecture).cost(of: total) / total : 0
        }
        functions = usage.functions.indices.map { f in
            let used = usage.functions[f]
            let requests = (used.requests - freeRequests[f]) / 1e6 * prices.lambdaRequestsPerMillion
            let duration = billedGBSeconds[f] * (rate[architectures[f]] ?? 0)
            let (provisionedDuration, enabled, pollers) = prices.untieredCosts(used, architecture: architectures[f])
            var instances = 0.0
            if case .managedInstances(let managed) = specs[f].compute { instances = prices.instanceCost(used, managed) }
            return requests + duration + provisionedDuration + enabled + pollers + instances
        }
        containers = usage.containerCosts
        let freeSQS = prices.freeTier ? prices.freeSQSRequests : 0
        let freeStandard = min(freeSQS, usage.sqsStandardRequests)
        let freeFifo = min(freeSQS - freeStandard, usage.sqsFifoRequests)
        sqs = prices.sqsStandardTiers.cost(of: usage.sqsStandardRequests - freeStandard)
            + prices.sqsFifoTiers.cost(of: usage.sqsFifoRequests - freeFifo)
            + usage.sqsFairRequests / 1e6 * prices.sqsFairPerMillion
    }

    /// An allowance split among users in proportion to their use (only the eligible ones),
    /// each getting at most what it used.
    private static func shares(of allowance: Double, among use: [Double], eligible: [Bool]) -> [Double] {
        let total = use.indices.filter { eligible[$0] }.reduce(0) { $0 + use[$1] }
        guard total > 0 else { return Array(repeating: 0, count: use.count) }
        let given = min(allowance, total)
        return use.indices.map { eligible[$0] ? given * use[$0] / total : 0 }
    }
}

/// A price in tiers of a monthly volume: `prices[i]` per unit from `starts[i]` on.
struct PriceTiers: Equatable {
    /// Where each tier starts, ascending, the first at 0.
    var starts: [Double]
    /// The price per unit in each tier.
    var prices: [Double]

    /// The cost of `quantity` units in a month.
    func cost(of quantity: Double) -> Double {
        var total = 0.0
        for i in starts.indices where quantity > starts[i] {
            let end = i + 1 < starts.count ? min(quantity, starts[i + 1]) : quantity
            total += (end - starts[i]) * prices[i]
        }
        return total
    }
}

extension PriceTable {
    /// On-demand Lambda duration's tiers for an architecture, per GB-second.
    func durationTiers(_ architecture: Architecture) -> PriceTiers {
        switch architecture {
        case .x86_64:
            PriceTiers(starts: [0, lambdaTier2GBSecondsX86, lambdaTier3GBSecondsX86],
                       prices: [lambdaGBSecondX86, lambdaGBSecondX86Tier2, lambdaGBSecondX86Tier3])
        case .arm64:
            PriceTiers(starts: [0, lambdaTier2GBSecondsArm, lambdaTier3GBSecondsArm],
                       prices: [lambdaGBSecondArm, lambdaGBSecondArmTier2, lambdaGBSecondArmTier3])
        }
    }

    /// SQS standard requests' tiers, per request.
    var sqsStandardTiers: PriceTiers {
        PriceTiers(starts: [0, sqsTier2Requests, sqsTier3Requests],
                   prices: [sqsStandardPerMillion, sqsStandardPerMillionTier2, sqsStandardPerMillionTier3].map { $0 / 1e6 })
    }

    /// SQS FIFO requests' tiers, per request.
    var sqsFifoTiers: PriceTiers {
        PriceTiers(starts: [0, sqsTier2Requests, sqsTier3Requests],
                   prices: [sqsFifoPerMillion, sqsFifoPerMillionTier2, sqsFifoPerMillionTier3].map { $0 / 1e6 })
    }
}
