import SimCore

/// An HTTP front door (API Gateway-style) in front of a queue: requests beyond its rate and
/// burst, or beyond their group's usage plan, are rejected with 429 and never reach the queue;
/// the others reach it after the integration latency.
public struct FrontDoorSpec: Hashable, Sendable {
    /// The front door's name.
    public var name: String
    /// Sustained requests per second (token bucket refill).
    public var rate: Rate
    /// Requests it absorbs at once (bucket size); API Gateway's default burst is 5,000.
    public var burst: Int
    /// Time from an accepted request to its message in the queue (API Gateway's integration
    /// latency), part of the message's end-to-end latency.
    public var latency: Distribution = .constant(.zero)
    /// Usage plans by task group name: each group's own throttle and daily quota.
    public var usagePlans: [String: UsagePlan] = [:]

    /// Creates a front door.
    public init(name: String, rate: Rate, burst: Int, latency: Distribution = .constant(.zero),
                usagePlans: [String: UsagePlan] = [:]) {
        self.name = name
        self.rate = rate
        self.burst = burst
        self.latency = latency
        self.usagePlans = usagePlans
    }
}

/// An API Gateway usage plan for one group's API key: a token bucket (rate, burst) and a
/// quota of requests per day, the days counted from the run's start.
public struct UsagePlan: Hashable, Sendable {
    /// Sustained requests per second, if throttled.
    public var rate: Rate?
    /// Bucket size (default: one second of `rate`, at least 1).
    public var burst: Int?
    /// Requests a day, if limited.
    public var quotaPerDay: Int?

    /// Creates a usage plan.
    public init(rate: Rate? = nil, burst: Int? = nil, quotaPerDay: Int? = nil) {
        self.rate = rate
        self.burst = burst
        self.quotaPerDay = quotaPerDay
    }
}

/// When a function's execution environments crash (the runtime exits mid-invocation).
///
/// A crash ends the invocation with an error: the batch returns to its queue when its
/// visibility timeout expires, and the environment is gone, so the next request needs a cold
/// start (a provisioned environment is replaced in the background, ready after an init).
public struct CrashSpec: Hashable, Sendable {
    /// Probability that an invocation crashes, at a uniformly random point of its handler's
    /// own duration.
    public var probability: Double = 0
    /// Times at which every busy environment of the function crashes (a host failure, a bad
    /// deployment).
    public var at: [SimTime] = []

    /// Creates a crash specification; the default never crashes.
    public init(probability: Double = 0, at: [SimTime] = []) {
        self.probability = probability
        self.at = at
    }
}

/// A task group that invokes a function directly instead of sending to a queue.
public struct DirectInvocationSpec: Hashable, Sendable {
    /// The function invoked.
    public var function: String
    /// How the client invokes.
    public var mode: InvocationMode = .synchronous
    /// Synchronous: what the client does after a throttle (HTTP 429).
    public var retry: ClientRetryPolicy = ClientRetryPolicy()
    /// Asynchronous: how Lambda's internal event queue retries.
    public var asynchronous = AsyncInvocationPolicy()

    /// Creates a direct invocation.
    public init(function: String, mode: InvocationMode = .synchronous, retry: ClientRetryPolicy = ClientRetryPolicy(),
                asynchronous: AsyncInvocationPolicy = AsyncInvocationPolicy()) {
        self.function = function
        self.mode = mode
        self.retry = retry
        self.asynchronous = asynchronous
    }
}

/// Lambda's handling of asynchronous (Event) invocations, as documented: the event waits in
/// an internal queue; a throttled event is retried with back-off from 1 s up to 5 minutes
/// until it is older than the maximum event age; a failed invocation is retried up to
/// `retryAttempts` times (after 1 minute, then 2). An event that runs out goes to the
/// on-failure destination queue, or is dropped.
public struct AsyncInvocationPolicy: Hashable, Sendable {
    /// How old an event may get before Lambda gives up on it (60 s - 6 h, default 6 h).
    public var maximumEventAge: SimTime = .hours(6)
    /// Retries after a function error (0 - 2, default 2).
    public var retryAttempts: Int = 2
    /// The queue failed events are sent to, if any.
    public var onFailure: String?
    /// The first back-off after a throttle; it doubles up to ``maximumThrottleBackoff``.
    public static let initialThrottleBackoff = SimTime.s(1)
    /// The longest back-off after a throttle.
    public static let maximumThrottleBackoff = SimTime.minutes(5)
    /// The delay before retry n after a function error: n minutes.
    public static func errorRetryDelay(_ retry: Int) -> SimTime { .minutes(Int64(retry)) }

    /// Creates the default policy.
    public init(maximumEventAge: SimTime = .hours(6), retryAttempts: Int = 2, onFailure: String? = nil) {
        self.maximumEventAge = maximumEventAge
        self.retryAttempts = retryAttempts
        self.onFailure = onFailure
    }
}

/// Synchronous (RequestResponse: the caller waits and sees a 429) or asynchronous (Event).
public enum InvocationMode: String, Hashable, Sendable {
    case synchronous = "sync"
    case asynchronous = "async"
}

/// A client's retry policy after a throttle: exponential back-off with optional full jitter,
/// as the AWS SDKs do.
public struct ClientRetryPolicy: Hashable, Sendable {
    /// Retries after the first attempt (0 = none).
    public var attempts: Int = 0
    /// The back-off before the first retry; it doubles with every retry.
    public var initialBackoff: SimTime = .ms(100)
    /// The longest back-off.
    public var maximumBackoff: SimTime = .s(20)
    /// Full jitter: the delay is uniform between 0 and the back-off.
    public var jitter: Bool = true
    /// Whether a function error (a failed or timed-out invocation, a refused downstream call)
    /// is retried too, within the same `attempts`. The AWS SDKs retry throttles, not function
    /// errors, so the default is no; an application's own retry loop may say yes.
    public var retryFunctionErrors: Bool = false

    /// Creates a retry policy; the default makes no retry.
    public init(attempts: Int = 0, initialBackoff: SimTime = .ms(100), maximumBackoff: SimTime = .s(20), jitter: Bool = true,
                retryFunctionErrors: Bool = false) {
        self.attempts = attempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = jitter
        self.retryFunctionErrors = retryFunctionErrors
    }

    /// The back-off before retry number `retry` (1-based), before jitter.
    public func backoff(beforeRetry retry: Int) -> SimTime {
        let doubled = initialBackoff * (Int64(1) << Int64(min(max(retry - 1, 0), 40)))
        return min(maximumBackoff, doubled)
    }
}
