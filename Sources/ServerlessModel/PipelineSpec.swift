import SimCore

/// The plain-data description of one pipeline: everything a run needs, nothing it computes.
///
/// The `Scenario` module reads a YAML file into this value; tests build it directly. Entities
/// refer to each other by name here; ``World`` resolves the names to typed ids once, when it
/// is built. Every property has the default AWS uses (see the README's scenario reference).
public struct PipelineSpec: Hashable, Sendable {
    /// The scenario's name, used for output folders and report titles.
    public var name: String
    /// How long producers produce, the drain after, warm-up, seed, replications.
    public var run: RunSettings
    /// The Lambda account limits.
    public var account: AccountSpec
    /// Prices for the cost estimate.
    public var prices: PriceTable
    /// Modelling assumptions where AWS documents no number.
    public var assumptions: ModelAssumptions
    /// The task groups, each producing messages into a queue.
    public var groups: [TaskGroupSpec]
    /// The SQS queues (dead-letter queues included).
    public var queues: [QueueSpec]
    /// The Lambda functions, with their event source mappings.
    public var functions: [FunctionSpec]
    /// The services the functions call.
    public var downstreams: [DownstreamSpec]
    /// HTTP fronts (API Gateway-style) that producers send through.
    public var frontDoors: [FrontDoorSpec] = []
    /// Container services (ECS on Fargate-style worker pools) that poll queues.
    public var containers: [ContainerServiceSpec] = []
    /// Scheduled invocations (EventBridge-style) that drain a queue.
    public var schedules: [ScheduleSpec] = []

    /// Creates a pipeline description.
    public init(
        name: String, run: RunSettings, account: AccountSpec = AccountSpec(), prices: PriceTable = PriceTable(),
        assumptions: ModelAssumptions = ModelAssumptions(), groups: [TaskGroupSpec], queues: [QueueSpec],
        functions: [FunctionSpec], downstreams: [DownstreamSpec] = []
    ) {
        self.name = name
        self.run = run
        self.account = account
        self.prices = prices
        self.assumptions = assumptions
        self.groups = groups
        self.queues = queues
        self.functions = functions
        self.downstreams = downstreams
    }
}

/// How long a run lasts and how it is measured.
public struct RunSettings: Hashable, Sendable {
    /// How long producers produce.
    public var duration: SimTime
    /// Extra time after producers stop, for queues to drain.
    public var drain: SimTime = .zero
    /// Messages sent before this time are left out of statistics.
    public var warmup: Warmup = .fixed(.zero)
    /// The scenario seed from which every random stream's seed is derived.
    public var seed: UInt64 = 1
    /// How many independent replications to run.
    public var replications: Int = 1
    /// The width of the time-series bins.
    public var timeseriesInterval: SimTime = .s(10)

    /// Creates run settings; only the duration has no default.
    public init(duration: SimTime, drain: SimTime = .zero, warmup: Warmup = .fixed(.zero), seed: UInt64 = 1,
                replications: Int = 1, timeseriesInterval: SimTime = .s(10)) {
        self.duration = duration
        self.drain = drain
        self.warmup = warmup
        self.seed = seed
        self.replications = replications
        self.timeseriesInterval = timeseriesInterval
    }

    /// When the run ends: production plus drain.
    public var end: SimTime { duration + drain }

    /// The most replications a run may have, in the file (`run.replications`) and on the
    /// command line (`--replications`) alike.
    public static let maximumReplications = 1_000_000
}

/// Where the measurement window starts.
public enum Warmup: Hashable, Sendable {
    /// A fixed truncation point.
    case fixed(SimTime)
    /// Chosen from the time series by MSER-5 after the run.
    case auto
}

/// The Lambda account's concurrency and scaling limits in one Region.
public struct AccountSpec: Hashable, Sendable {
    /// Concurrent executions of the account (default quota 1,000).
    public var concurrency: Int = 1_000
    /// Concurrency that reserved concurrency may not take (AWS keeps 100 unreserved).
    public var unreservedMinimum: Int = 100
    /// New execution environments each function may add per 10 seconds (since Nov 2023: 1,000).
    public var scalingPer10s: Int = 1_000
    /// Function and layer code storage of the Region (AWS quota: 75 GB).
    public var codeStorageBytes: Int = 75 << 30

    /// Creates account limits with AWS's defaults.
    public init(concurrency: Int = 1_000, unreservedMinimum: Int = 100, scalingPer10s: Int = 1_000,
                codeStorageBytes: Int = 75 << 30) {
        self.concurrency = concurrency
        self.unreservedMinimum = unreservedMinimum
        self.scalingPer10s = scalingPer10s
        self.codeStorageBytes = codeStorageBytes
    }
}

/// A task group: a producer of messages into one queue.
public struct TaskGroupSpec: Hashable, Sendable {
    /// The group's name (also its scope in outputs and its stream names).
    public var name: String
    /// The queue its messages go to.
    public var queue: String
    /// When messages are sent.
    public var arrivals: ArrivalProcess
    /// Each message's size in bytes (billing counts 64 KB chunks), unless `messageSizes` is set.
    public var messageSize: Int = 1_024
    /// A distribution of sizes, drawn for each message instead of `messageSize` (MessageSizes.swift).
    public var messageSizes: SizeDistribution?
    /// FIFO queues only: how the MessageGroupId is chosen.
    public var fifoGroupKey: FifoGroupKey = .group
    /// Set when the group invokes a function directly; `queue` is then unused.
    public var invoke: DirectInvocationSpec?
    /// The HTTP front its requests pass before they reach the queue, if any.
    public var frontDoor: String?
    /// The tenants the group stands for, if many (PipelineSpec+Tenants.swift).
    public var tenants: TenantSpec?
    /// Some sends are sent again by the producer (a retry after a lost response), if set.
    public var resend: ResendSpec?
    /// How the producer retries a SendMessage refused by a FIFO queue's quota
    /// (ThrottlingException): the AWS SDKs' standard mode makes 3 attempts, 2 retries.
    public var sendRetry = ClientRetryPolicy(attempts: 2)

    /// Creates a task group that sends to a queue.
    public init(name: String, queue: String, arrivals: ArrivalProcess, messageSize: Int = 1_024,
                fifoGroupKey: FifoGroupKey = .group) {
        self.name = name
        self.queue = queue
        self.arrivals = arrivals
        self.messageSize = messageSize
        self.fifoGroupKey = fifoGroupKey
    }

    /// Creates a task group whose clients invoke a function directly.
    public init(name: String, invoke: DirectInvocationSpec, arrivals: ArrivalProcess, messageSize: Int = 1_024) {
        self.name = name
        self.queue = ""
        self.arrivals = arrivals
        self.messageSize = messageSize
        self.invoke = invoke
    }
}

/// When a producer sends messages.
public enum ArrivalProcess: Hashable, Sendable {
    /// A Poisson process: exponential gaps with the given rate.
    case poisson(rate: Rate)
    /// Evenly spaced messages at the given rate, the first one interval after the start.
    case constant(rate: Rate)
    /// On/off modulated Poisson: `rate` for `on`, then `baseRate` for `off`, repeating.
    case bursts(rate: Rate, on: SimTime, off: SimTime, baseRate: Rate)
    /// Piecewise-constant Poisson: each step's rate holds from its time until the next step.
    case schedule([RateStep])
    /// `size` messages at once, every `every`, starting at `start`.
    case batch(every: SimTime, size: Int, start: SimTime)
    /// Replayed send times, in ascending order.
    case trace([SimTime])
    /// Two or more of the processes above, sent side by side (a steady Poisson plus bursts
    /// plus a trace), each drawing from its own random stream (SuperposedArrivals.swift).
    indirect case superposed([ArrivalProcess])
}

/// One step of a piecewise-constant arrival schedule.
public struct RateStep: Hashable, Sendable {
    /// When this rate starts.
    public var at: SimTime
    /// The Poisson rate from then on.
    public var rate: Rate

    /// Creates a step.
    public init(at: SimTime, rate: Rate) {
        self.at = at
        self.rate = rate
    }
}

/// How a FIFO producer picks each message's MessageGroupId.
public enum FifoGroupKey: Hashable, Sendable {
    /// One message group per task group (strict order for the whole task group).
    case group
    /// Every message its own group (no ordering constraint).
    case message
    /// One of `n` keys chosen uniformly at random (e.g. tenants).
    case keys(Int)
    /// A fixed MessageGroupId; task groups with the same id share one ordered group.
    case fixed(String)
}

/// An SQS queue.
public struct QueueSpec: Hashable, Sendable {
    /// The queue's name.
    public var name: String
    /// Standard or FIFO.
    public var kind: QueueKind = .standard
    /// How long a received message stays invisible (0 s - 12 h, default 30 s).
    public var visibilityTimeout: SimTime = .s(30)
    /// How long a message is kept before it is deleted (60 s - 14 d, default 4 d).
    public var retention: SimTime = .s(4 * 86_400)
    /// How long a new message stays invisible (0 - 900 s).
    public var delay: SimTime = .zero
    /// Receives after which a message moves to the dead-letter queue (with `deadLetter`).
    public var maxReceiveCount: Int = 10
    /// The redrive target, if any.
    public var deadLetter: String?
    /// Standard queues: probability that a receive also leaves a duplicate copy behind.
    public var duplicateProbability: Double = 0
    /// Messages in flight (received, not deleted) the queue allows (about 120,000).
    public var inFlightLimit: Int = 120_000
    /// Standard queues: a fair queue, whose receives serve quiet tenants (message groups)
    /// before noisy ones (SQS fair queues, July 2025).
    public var fair: Bool = false
    /// FIFO queues: high-throughput mode (CloudFormation's `DeduplicationScope: messageGroup`
    /// with `FifoThroughputLimit: perMessageGroupId`), whose quota is the region's and whose
    /// message groups each have a partition's (FifoThroughput.swift).
    public var highThroughput: Bool = false
    /// FIFO queues: API calls per second per action (SendMessage, ReceiveMessage,
    /// DeleteMessage) the queue allows; nil for AWS's quota of the mode
    /// (``defaultAPICallsPerSecond``).
    public var apiCallsPerSecond: Double?
    /// FIFO queues: the deduplication id is a hash of the body (`ContentBasedDeduplication`),
    /// so a producer's resend is deduplicated whatever id the producer gives it.
    public var contentBasedDeduplication: Bool = false

    /// AWS's FIFO quota per action: 300 calls per second, or in high-throughput mode 70,000
    /// (US East (N. Virginia), US West (Oregon), Europe (Ireland); SQS developer guide, "Amazon
    /// SQS message quotas"). The model's prices are us-east-1's, so is this default.
    public static func defaultAPICallsPerSecond(highThroughput: Bool) -> Double { highThroughput ? 70_000 : 300 }
    /// A partition's quota per action in high-throughput mode (the same page): a message group
    /// lives in one partition (its id is hashed to it), so one group's sends never exceed it.
    public static let partitionAPICallsPerSecond: Double = 300
    /// The deduplication interval of FIFO queues (SQS developer guide, "Exactly-once processing").
    public static let deduplicationInterval = SimTime.minutes(5)

    /// The FIFO quota per action in force: the queue's own, or AWS's for its mode; nil for a
    /// standard queue ("a nearly unlimited number of API calls per second").
    public var fifoAPICallsPerSecond: Double? {
        guard kind == .fifo else { return nil }
        return apiCallsPerSecond ?? Self.defaultAPICallsPerSecond(highThroughput: highThroughput)
    }

    /// Creates a queue with AWS's defaults.
    public init(name: String, kind: QueueKind = .standard, visibilityTimeout: SimTime = .s(30),
                retention: SimTime = .s(4 * 86_400), delay: SimTime = .zero, maxReceiveCount: Int = 10,
                deadLetter: String? = nil, duplicateProbability: Double = 0, inFlightLimit: Int = 120_000) {
        self.name = name
        self.kind = kind
        self.visibilityTimeout = visibilityTimeout
        self.retention = retention
        self.delay = delay
        self.maxReceiveCount = maxReceiveCount
        self.deadLetter = deadLetter
        self.duplicateProbability = duplicateProbability
        self.inFlightLimit = inFlightLimit
    }
}

/// Standard (at-least-once, best-effort order) or FIFO (ordered per message group).
public enum QueueKind: String, Hashable, Sendable {
    case standard
    case fifo
}

/// The processor architecture of a function, which sets its GB-second price.
public enum Architecture: String, Hashable, Sendable {
    case x86_64
    case arm64
}

/// From `at` on, invocations of a function fail with probability `rate`.
public struct ErrorRateChange: Hashable, Sendable {
    public var at: SimTime
    public var rate: Double

    public init(at: SimTime, rate: Double) {
        self.at = at
        self.rate = rate
    }
}

/// A Lambda function and, optionally, the event source mapping that feeds it.
public struct FunctionSpec: Hashable, Sendable {
    /// The function's name.
    public var name: String
    /// Memory in MB (128 - 10,240); cost is per GB-second.
    public var memoryMB: Int = 128
    /// x86_64 or arm64.
    public var architecture: Architecture = .x86_64
    /// The longest an invocation may run (at most 900 s; AWS default 3 s).
    public var timeout: SimTime = .s(3)
    /// Reserved concurrency: a cap and a guarantee; nil uses the unreserved pool.
    public var reservedConcurrency: Int?
    /// Pre-initialised environments that never cold-start.
    public var provisionedConcurrency: Int = 0
    /// Handler time per invocation.
    public var duration: Distribution = .constant(.ms(100))
    /// Handler time added per message of the batch.
    public var perMessage: Distribution = .constant(.zero)
    /// How `duration` and `perMessage` depend on memory (CPUAllocation.swift); nil: they do not.
    public var cpu: CPUProfile?
    /// Init duration of a new execution environment.
    public var coldStart: Distribution = .lognormal(median: .ms(250), p99: .s(1))
    /// How long an idle environment lives before Lambda reclaims it (a modelling assumption).
    public var idleTimeout: Distribution = .uniform(min: .minutes(5), max: .minutes(15))
    /// Probability that an invocation fails as a whole (from the start, until the first of
    /// `errorRateChanges`).
    public var errorRate: Double = 0
    /// Later changes of `errorRate`, in time order: faults over time (a bad deploy, a
    /// dependency's outage).
    public var errorRateChanges: [ErrorRateChange] = []
    /// Times of code updates: from each, invocations go to new environments (cold starts);
    /// those running the old code finish and are reclaimed.
    public var deployments: [SimTime] = []
    /// A code update every this long (from one interval after the start), with `deployments`.
    public var deploymentEvery: SimTime?
    /// The service each message calls, if any.
    public var downstream: String?
    /// Where each succeeded message is sent on, if anywhere.
    public var outputQueue: String?
    /// The event source mapping, if the function is fed by a queue.
    public var trigger: TriggerSpec?
    /// When execution environments die mid-invocation.
    public var crashes = CrashSpec()
    /// The deployment package's size, which counts against the Region's code storage
    /// (a modelling assumption of 10 MB when not given).
    public var packageSizeBytes: Int = 10 << 20
    /// Where its environments run: Lambda's fleet, or Managed Instances on EC2.
    public var compute: Compute = .lambda

    /// Creates a function with AWS's defaults.
    public init(name: String, memoryMB: Int = 128, architecture: Architecture = .x86_64, timeout: SimTime = .s(3),
                reservedConcurrency: Int? = nil, provisionedConcurrency: Int = 0,
                duration: Distribution = .constant(.ms(100)), perMessage: Distribution = .constant(.zero),
                coldStart: Distribution = .lognormal(median: .ms(250), p99: .s(1)),
                idleTimeout: Distribution = .uniform(min: .minutes(5), max: .minutes(15)), errorRate: Double = 0,
                downstream: String? = nil, outputQueue: String? = nil, trigger: TriggerSpec? = nil) {
        self.name = name
        self.memoryMB = memoryMB
        self.architecture = architecture
        self.timeout = timeout
        self.reservedConcurrency = reservedConcurrency
        self.provisionedConcurrency = provisionedConcurrency
        self.duration = duration
        self.perMessage = perMessage
        self.coldStart = coldStart
        self.idleTimeout = idleTimeout
        self.errorRate = errorRate
        self.downstream = downstream
        self.outputQueue = outputQueue
        self.trigger = trigger
    }
}

/// An event source mapping: Lambda's pollers reading a queue and invoking a function.
public struct TriggerSpec: Hashable, Sendable {
    /// The queue the mapping reads.
    public var queue: String
    /// Messages per invocation at most (1 - 10,000; > 10 needs a batching window).
    public var batchSize: Int = 10
    /// How long the poller gathers messages before invoking (0 - 300 s).
    public var batchingWindow: SimTime = .zero
    /// The mapping's cap on concurrent invocations (2 - 1,000); nil = up to the mapping limit.
    public var maximumConcurrency: Int?
    /// Whether the function reports individual failures, so only those messages return.
    public var reportBatchItemFailures: Bool = false
    /// Provisioned mode (AWS, Nov 2025): pollers kept ready and billed in event poller units;
    /// nil for the standard mode. Not with `maximumConcurrency`.
    public var provisionedPollers: ProvisionedPollers?

    /// Creates a mapping with AWS's defaults.
    public init(queue: String, batchSize: Int = 10, batchingWindow: SimTime = .zero, maximumConcurrency: Int? = nil,
                reportBatchItemFailures: Bool = false) {
        self.queue = queue
        self.batchSize = batchSize
        self.batchingWindow = batchingWindow
        self.maximumConcurrency = maximumConcurrency
        self.reportBatchItemFailures = reportBatchItemFailures
    }
}

/// An event source mapping's provisioned mode: `ProvisionedPollerConfig`.
public struct ProvisionedPollers: Hashable, Sendable {
    /// Pollers always kept, and always billed (AWS: 2 - 10,000, default 2).
    public var minimum: Int = 2
    /// The most pollers (AWS: 2 - 10,000 since Aug 2026, default 200).
    public var maximum: Int = 200
    /// Concurrent invokes one poller handles (AWS: "up to 10").
    public static let invokesPerPoller = 10

    public init(minimum: Int = 2, maximum: Int = 200) {
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A service the functions call, with its latency and per-group limits.
public struct DownstreamSpec: Hashable, Sendable {
    /// The service's name.
    public var name: String
    /// Latency of one call, added to the invocation's duration.
    public var latency: Distribution = .constant(.zero)
    /// Limits per task group name; the key `all` applies to every call together.
    public var limits: [String: DownstreamLimit] = [:]

    /// Creates a downstream service.
    public init(name: String, latency: Distribution = .constant(.zero), limits: [String: DownstreamLimit] = [:]) {
        self.name = name
        self.latency = latency
        self.limits = limits
    }
}

/// A limit a downstream enforces: a token bucket and/or a cap on concurrent calls.
///
/// A call over a limit fails its message, which returns through the queue.
public struct DownstreamLimit: Hashable, Sendable {
    /// Sustained calls per second (token bucket refill), if limited.
    public var rate: Rate?
    /// Token bucket size (default: one second's worth of `rate`, at least 1).
    public var burst: Int?
    /// Calls in progress at once, if limited.
    public var concurrency: Int?
    /// A group of many tenants: each tenant has a limit of its own with these numbers (or
    /// its rate from the tenants file), instead of one for the whole group.
    public var perTenant = false

    /// Creates a limit.
    public init(rate: Rate? = nil, burst: Int? = nil, concurrency: Int? = nil, perTenant: Bool = false) {
        self.rate = rate
        self.burst = burst
        self.concurrency = concurrency
        self.perTenant = perTenant
    }

    /// The bucket size used: `burst`, or one second of `rate` rounded up, at least 1.
    public var effectiveBurst: Int {
        if let burst { return burst }
        guard let rate else { return 1 }
        return max(1, Int(rate.perSecond.rounded(.up)))
    }
}

/// The price table (us-east-1 list prices); the scenario's `prices:` overrides entries.
///
/// Sources, as read in December 2026: aws.amazon.com/lambda/pricing (duration tiers since
/// August 2022, AWS Compute Blog "Introducing tiered pricing for AWS Lambda"; the free tier of
/// 1 M requests and 400,000 GB-s a month, x86 and arm64 together, not for functions with
/// provisioned concurrency), aws.amazon.com/sqs/pricing (request tiers at 100 and 200 billion
/// a month; 1 M requests a month free), aws.amazon.com/fargate/pricing. `cost_usd` prices a
/// run at the first tier without the free tier; the tiers and the free tier apply to the
/// monthly bill (`cost_per_month_usd`, MonthlyBill.swift), which is what they are defined on.
public struct PriceTable: Hashable, Sendable {
    /// Lambda: per million requests.
    public var lambdaRequestsPerMillion: Double = 0.20
    /// Lambda: per GB-second of duration, x86_64 (the first 6 billion GB-s of a month).
    public var lambdaGBSecondX86: Double = 0.000_016_666_7
    /// Lambda: per GB-second of duration, arm64 (the first 7.5 billion GB-s of a month).
    public var lambdaGBSecondArm: Double = 0.000_013_333_4
    /// Lambda x86_64 duration from `lambdaTier2GBSecondsX86` GB-s of a month on (10 % off).
    public var lambdaGBSecondX86Tier2: Double = 0.000_015
    /// Lambda x86_64 duration from `lambdaTier3GBSecondsX86` GB-s of a month on (20 % off).
    public var lambdaGBSecondX86Tier3: Double = 0.000_013_333_4
    /// Lambda arm64 duration from `lambdaTier2GBSecondsArm` GB-s of a month on.
    public var lambdaGBSecondArmTier2: Double = 0.000_012_000_1
    /// Lambda arm64 duration from `lambdaTier3GBSecondsArm` GB-s of a month on.
    public var lambdaGBSecondArmTier3: Double = 0.000_010_666_7
    /// Monthly on-demand GB-seconds (x86_64) where the second duration tier starts: 6 billion.
    public var lambdaTier2GBSecondsX86: Double = 6e9
    /// Monthly on-demand GB-seconds (x86_64) where the third duration tier starts: 15 billion.
    public var lambdaTier3GBSecondsX86: Double = 15e9
    /// Monthly on-demand GB-seconds (arm64) where the second duration tier starts: 7.5 billion.
    public var lambdaTier2GBSecondsArm: Double = 7.5e9
    /// Monthly on-demand GB-seconds (arm64) where the third duration tier starts: 18.75 billion.
    public var lambdaTier3GBSecondsArm: Double = 18.75e9
    /// Provisioned concurrency: per GB-second enabled, x86_64.
    public var provisionedGBSecondX86: Double = 0.000_004_166_7
    /// Provisioned concurrency: per GB-second enabled, arm64.
    public var provisionedGBSecondArm: Double = 0.000_003_333_4
    /// Provisioned concurrency: per GB-second of duration on provisioned environments, x86_64.
    public var provisionedDurationGBSecondX86: Double = 0.000_009_722_2
    /// Provisioned concurrency: per GB-second of duration on provisioned environments, arm64.
    public var provisionedDurationGBSecondArm: Double = 0.000_007_777_8
    /// SQS standard queues: per million requests (64 KB chunks).
    public var sqsStandardPerMillion: Double = 0.40
    /// SQS FIFO queues: per million requests (64 KB chunks).
    public var sqsFifoPerMillion: Double = 0.50
    /// SQS standard requests from `sqsTier2Requests` a month on, per million.
    public var sqsStandardPerMillionTier2: Double = 0.30
    /// SQS standard requests from `sqsTier3Requests` a month on, per million.
    public var sqsStandardPerMillionTier3: Double = 0.24
    /// SQS FIFO requests from `sqsTier2Requests` a month on, per million (secondary source).
    public var sqsFifoPerMillionTier2: Double = 0.40
    /// SQS FIFO requests from `sqsTier3Requests` a month on, per million (secondary source).
    public var sqsFifoPerMillionTier3: Double = 0.35
    /// Monthly requests of a queue type where the second SQS tier starts: 100 billion.
    public var sqsTier2Requests: Double = 100e9
    /// Monthly requests of a queue type where the third SQS tier starts: 200 billion.
    public var sqsTier3Requests: Double = 200e9
    /// An event source mapping's provisioned pollers, per event poller unit-hour (EPU).
    public var eventPollerUnitHour: Double = 0.009_25
    /// SQS fair queues: per million requests on top of the standard price (default 0: AWS's
    /// fair-queue pages state no charge; the price list shows an item at $0.10, unconfirmed).
    public var sqsFairPerMillion: Double = 0
    /// Fargate (Linux/x86, us-east-1): per vCPU-hour of a running task.
    public var fargateVCPUHour: Double = 0.040_48
    /// Fargate (Linux/x86, us-east-1): per GB-hour of a running task.
    public var fargateGBHour: Double = 0.004_445
    /// Lambda Managed Instances: the management fee, a share of the instances' EC2 on-demand
    /// price (AWS Lambda pricing, from 30 Nov 2025: 15 %). Requests are billed at
    /// `lambdaRequestsPerMillion`; there is no duration charge. Instance prices: ``EC2Instances``.
    public var managedInstancesFeeShare: Double = 0.15
    /// Whether the monthly bill subtracts AWS's always-free allowances (off by default: an
    /// account's free tier is shared by everything it runs).
    public var freeTier = false
    /// Free tier: Lambda requests a month (AWS: 1 million).
    public var freeLambdaRequests: Double = 1e6
    /// Free tier: Lambda on-demand GB-seconds a month, x86_64 and arm64 together (AWS: 400,000).
    public var freeLambdaGBSeconds: Double = 400_000
    /// Free tier: SQS requests a month, standard and FIFO together (AWS: 1 million).
    public var freeSQSRequests: Double = 1e6

    /// Creates the default price table.
    public init() {}
}

/// Numbers AWS does not document, made explicit: every one is a modelling assumption with a
/// default chosen from AWS's prose and public measurements (see the README).
public struct ModelAssumptions: Hashable, Sendable {
    /// Concurrent batches an event source mapping starts with (AWS: 5).
    public var pollerStart: Int = 5
    /// Concurrent batches added per minute while messages remain (AWS since Nov 2023: 300).
    public var pollerScaleUpPerMinute: Int = 300
    /// The most concurrent batches one mapping runs (AWS: 1,250).
    public var pollerMaximum: Int = 1_250
    /// The fewest pollers a mapping keeps when idle or backing off (assumption: 5).
    public var pollerMinimum: Int = 5
    /// How often a mapping reconsiders its scale (assumption: every second).
    public var scalingInterval: SimTime = .s(1)
    /// Pollers retired after each empty receive while above the minimum (assumption: 1).
    public var scaleDownPerEmptyReceive: Int = 1
    /// Pollers removed after each throttled invoke (assumption: 1).
    public var throttleBackoff: Int = 1
    /// Pollers removed after each failed batch without ReportBatchItemFailures (calibrated: 1).
    public var errorBackoff: Int = 1
    /// First retry delay of a throttled invoke; doubles each time (assumption: 1 s).
    public var throttleRetryInitial: SimTime = .s(1)
    /// Concurrent invokes a provisioned mapping adds per minute while messages remain (AWS:
    /// "up to 1,000 concurrency per minute").
    public var provisionedScaleUpPerMinute: Int = 1_000
    /// Longest retry delay of a throttled invoke (assumption: 20 s).
    public var throttleRetryMaximum: SimTime = .s(20)
    /// How long a receive waits for a message (long polling: 20 s, the SQS maximum).
    public var longPollWait: SimTime = .s(20)
    /// Fair queues: the share of the queue's in-flight messages above which a tenant is noisy
    /// (AWS: 10 %), together with `fairNoisyInFlightMinimum`.
    public var fairNoisyInFlightShare: Double = 0.10
    /// Fair queues: the fewest in-flight messages of its own a tenant needs for its in-flight
    /// share to make it noisy (AWS: 30).
    public var fairNoisyInFlightMinimum: Int = 30
    /// Fair queues: the share of recent consumer processing time above which a tenant is
    /// noisy (AWS: 10 %).
    public var fairNoisyProcessingShare: Double = 0.10
    /// Fair queues: the time constant over which processing time is "recent" (AWS publishes
    /// none; assumption: one minute, CloudWatch's resolution).
    public var fairProcessingWindow: SimTime = .s(60)
    /// Fair queues: a noisy tenant without a send for this long is quiet again (AWS: 5 min).
    public var fairQuietAfter: SimTime = .minutes(5)

    // The poll cycle (docs/CALIBRATION.md): time the poller spends between batches, in a
    // message's latency but neither billed nor counted as concurrency.
    /// ReceiveMessage's response time when it returns messages (calibrated).
    public var receiveTime: SimTime = .ms(5)
    /// From a batch being complete to the handler's start: Lambda's invoke path (calibrated).
    public var invokeLatency: SimTime = .ms(2)
    /// DeleteMessageBatch after a successful batch, before the poller receives again
    /// (calibrated within the cycle's total: 0, the delete overlapping the next receive).
    public var deleteTime: SimTime = .zero

    // Back-off and ramp (docs/CALIBRATION.md).
    /// How long a poller waits after its batch failed before it receives again (calibrated).
    public var errorPause: SimTime = .s(1)
    /// After a failed or throttled batch, the mapping adds no pollers for this long (calibrated).
    public var backoffHold: SimTime = .zero
    /// Invocations at least this long ramp at the full `pollerScaleUpPerMinute`; shorter ones
    /// at √(duration / this) of it (calibrated; zero: always the full rate).
    public var rampFullSpeedDuration: SimTime = .ms(400)

    // Code updates (docs/CALIBRATION.md, "Deployments").
    /// At a code update, the share of each mapping's pollers running an invocation that start
    /// a new batch loop without waiting for it: the old-code invocation finishes on its own
    /// while the new loop invokes the new code, so concurrency briefly exceeds the mapping's
    /// maximum (calibrated on rehanvdm.com's code-upload measurements).
    public var deploymentOvershootShare: Double = 0.07

    /// Creates the default assumptions.
    public init() {}

    /// A poll cycle that takes no time: receives, invokes and deletes are instantaneous, as in
    /// queueing theory's servers (docs/VALIDATION.md) and in tests of other behaviours whose
    /// exact times read simpler without it.
    public mutating func makePollCycleInstant() {
        receiveTime = .zero
        invokeLatency = .zero
        deleteTime = .zero
    }

    /// The share of `pollerScaleUpPerMinute` a mapping whose invocations take `seconds` on
    /// average ramps at (1 before it has seen one).
    func rampShare(invocationSeconds seconds: Double?) -> Double {
        guard rampFullSpeedDuration > .zero, let seconds else { return 1 }
        return min(1, (seconds / rampFullSpeedDuration.seconds).squareRoot())
    }

    /// The default assumptions with an instantaneous poll cycle (``makePollCycleInstant()``).
    public static var instantPollCycle: ModelAssumptions {
        var assumptions = ModelAssumptions()
        assumptions.makePollCycleInstant()
        return assumptions
    }
}
