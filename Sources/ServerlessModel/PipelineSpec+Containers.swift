import SimCore

/// A container service (ECS on Fargate-style): a pool of long-running workers that poll a
/// queue, as an alternative to a Lambda trigger.
///
/// Each worker is one task. It long-polls its queue (`ReceiveMessage` with up to `batchSize`
/// messages and the long-poll wait of ``ModelAssumptions/longPollWait``), handles the messages
/// it got one after another — `duration` once per receive, then `perMessage` and the
/// downstream call for each message — and deletes each message as soon as it is done with it
/// (one `DeleteMessage` request each). A message whose visibility timeout expires while a
/// worker still has it is received again by someone else, and the late delete is a duplicate,
/// as with Lambda. A message refused by its downstream limit is left alone: it returns through
/// the visibility timeout, and the worker goes on with the next one.
///
/// The pool has `minWorkers` ... `maxWorkers` tasks; with ``ContainerScaling`` it tracks a
/// target of visible messages per worker (see ``ContainerScaling`` for the rule). The
/// `minWorkers` tasks present when the run starts are running already (the service was
/// deployed before); every task started later takes a `startup` time before it polls.
/// Fargate bills every task per second, with a one-minute minimum, from the start of its
/// start-up until it stops, for its vCPUs and memory.
public struct ContainerServiceSpec: Hashable, Sendable {
    /// The service's name (its scope in outputs).
    public var name: String
    /// The queue the workers poll.
    public var queue: String
    /// vCPUs per task: one of Fargate's sizes 0.25, 0.5, 1, 2, 4, 8, 16.
    public var vcpu: Double = 1
    /// Memory per task in MB (2^20 bytes), within Fargate's range for `vcpu`.
    public var memoryMB: Int = 2_048
    /// The fewest tasks; also the tasks running when the run starts.
    public var minWorkers: Int = 1
    /// The most tasks (equal to `minWorkers` for a fixed pool).
    public var maxWorkers: Int = 1
    /// Target tracking on queue depth; nil for a fixed pool.
    public var scaling: ContainerScaling?
    /// How long a new task takes from launch until it polls (image pull, container start):
    /// a modelling assumption of a lognormal with median 30 s and p99 90 s by default.
    public var startup: Distribution = Self.defaultStartup
    /// Handler time once per receive that returned messages (as a function's `duration`).
    public var duration: Distribution = .constant(.ms(100))
    /// Handler time per message, drawn from the message's own key as for functions.
    public var perMessage: Distribution = .constant(.zero)
    /// Messages asked for per receive (1 - 10; SQS's default is 1).
    public var batchSize: Int = 1
    /// The service each message calls, if any.
    public var downstream: String?
    /// Where each succeeded message is sent on, if anywhere.
    public var outputQueue: String?
    /// Probability that the handling of a message fails (the handler throws): the message is
    /// not deleted and returns when its visibility timeout expires.
    public var errorRate: Double = 0
    /// The worker's own time limit on one message (its `per_message` work and downstream
    /// call), if any: a message over it is abandoned at the limit, not deleted.
    public var messageTimeout: SimTime?
    /// When tasks crash: `probability` per receive, at a uniformly random point of the
    /// receive's `duration`; `at`, times at which every task of the service crashes. A
    /// crashed task stops, its messages return after their visibility timeout, and a
    /// replacement is launched at once (polling after its start-up time).
    public var crashes = CrashSpec()

    /// The default start-up time of a Fargate task (a modelling assumption: AWS documents no
    /// number; public measurements put image pull plus start between about 20 s and 90 s).
    public static let defaultStartup = Distribution.lognormal(median: .s(30), p99: .s(90))

    /// Creates a fixed pool of `workers` tasks.
    public init(name: String, queue: String, workers: Int = 1, vcpu: Double = 1, memoryMB: Int = 2_048,
                startup: Distribution = Self.defaultStartup, duration: Distribution = .constant(.ms(100)),
                perMessage: Distribution = .constant(.zero), batchSize: Int = 1, downstream: String? = nil,
                outputQueue: String? = nil) {
        self.name = name
        self.queue = queue
        self.minWorkers = workers
        self.maxWorkers = workers
        self.vcpu = vcpu
        self.memoryMB = memoryMB
        self.startup = startup
        self.duration = duration
        self.perMessage = perMessage
        self.batchSize = batchSize
        self.downstream = downstream
        self.outputQueue = outputQueue
    }

    /// Memory per task in GB (as Fargate bills it).
    public var memoryGB: Double { Double(memoryMB) / 1_024 }

    /// Whether the pool changes size.
    public var scales: Bool { scaling != nil && maxWorkers > minWorkers }

    /// Fargate's task sizes (Linux): for each vCPU size, the memory range in MB and its step.
    public static let fargateSizes: [(vcpu: Double, minimumMB: Int, maximumMB: Int, stepMB: Int)] = [
        (0.25, 512, 2_048, 512),
        (0.5, 1_024, 4_096, 1_024),
        (1, 2_048, 8_192, 1_024),
        (2, 4_096, 16_384, 1_024),
        (4, 8_192, 30_720, 1_024),
        (8, 16_384, 61_440, 4_096),
        (16, 32_768, 122_880, 8_192),
    ]
}

/// Target tracking of a container service on its queue's depth (Application Auto Scaling
/// with the "backlog per task" metric AWS recommends for queue workers).
///
/// The rule, evaluated every `interval` from `interval` on:
///
/// 1. desired = ceil(visible messages / `targetBacklogPerWorker`), clamped to
///    `minWorkers` ... `maxWorkers` (visible = ApproximateNumberOfMessagesVisible; messages in
///    flight are being worked on and do not count).
/// 2. Scale out when desired is above the service's desired count and no scale-out happened in
///    the last `scaleOutCooldown`: the new tasks start at once and poll after their start-up.
/// 3. Scale in when desired is below the desired count and no scaling activity (out or in)
///    happened in the last `scaleInCooldown`. Surplus tasks still starting are stopped first,
///    then idle ones (waiting in a long poll); busy tasks drain: each stops when it has
///    finished the messages it holds, instead of polling again. No message is abandoned.
///
/// AWS's alarms smooth the metric over several minutes; here the instantaneous value is
/// sampled every `interval` — a simplification named by `interval`.
public struct ContainerScaling: Hashable, Sendable {
    /// Visible messages per worker the policy aims at.
    public var targetBacklogPerWorker: Double
    /// How often the policy looks at the queue (CloudWatch's standard resolution: 60 s).
    public var interval: SimTime = .s(60)
    /// The least time between two scale-outs (Application Auto Scaling's default for ECS: 300 s).
    public var scaleOutCooldown: SimTime = .s(300)
    /// The least time from any scaling activity to a scale-in (default 300 s).
    public var scaleInCooldown: SimTime = .s(300)

    /// Creates a target-tracking policy.
    public init(targetBacklogPerWorker: Double, interval: SimTime = .s(60), scaleOutCooldown: SimTime = .s(300),
                scaleInCooldown: SimTime = .s(300)) {
        self.targetBacklogPerWorker = targetBacklogPerWorker
        self.interval = interval
        self.scaleOutCooldown = scaleOutCooldown
        self.scaleInCooldown = scaleInCooldown
    }
}
