import SimCore

/// A schedule (an EventBridge rule) that invokes a function to drain a queue with
/// back-pressure.
///
/// At each firing of `expression`, the schedule invokes `function`. The invocation receives
/// messages of `queue` one at a time and starts a job on `untilDownstreamBusy` for each, until
/// that downstream has no free job slot (its concurrency limit for the message's group, or
/// `all`); then it gives the last message back and returns. A job holds its slot for the
/// downstream's latency; the message succeeds when its job ends. A throttled or failed
/// invocation is retried by the rule's `retryPolicy`.
public struct ScheduleSpec: Hashable, Sendable {
    /// The schedule's name.
    public var name: String
    /// When it fires: `rate(...)` (the scenario's `every:`) or `cron(...)`.
    public var expression: ScheduleExpression
    /// The function invoked.
    public var function: String
    /// The queue it drains.
    public var queue: String
    /// The downstream whose job slots bound the drain.
    public var untilDownstreamBusy: String
    /// How EventBridge retries a throttled or failed invocation.
    public var retryPolicy = ScheduleRetryPolicy()
    /// Where the run's time 0 falls on the UTC calendar, in seconds since 1970-01-01T00:00Z
    /// (cron expressions only). A modelling assumption: Monday 2026-01-05 00:00 UTC.
    public var runStartsAt: Int64 = Self.defaultRunStart

    /// 2026-01-05T00:00:00Z, a Monday at midnight: the week and the day start with the run.
    public static let defaultRunStart: Int64 = 1_767_571_200

    /// Creates a schedule.
    public init(name: String, expression: ScheduleExpression, function: String, queue: String,
                untilDownstreamBusy: String, retryPolicy: ScheduleRetryPolicy = ScheduleRetryPolicy()) {
        self.name = name
        self.expression = expression
        self.function = function
        self.queue = queue
        self.untilDownstreamBusy = untilDownstreamBusy
        self.retryPolicy = retryPolicy
    }

    /// Creates a schedule that fires every `every` (`rate(...)`).
    public init(name: String, every: SimTime, function: String, queue: String, untilDownstreamBusy: String) {
        self.init(name: name, expression: .rate(every), function: function, queue: queue,
                  untilDownstreamBusy: untilDownstreamBusy)
    }
}

/// An EventBridge target's retry policy: a throttled or failed invocation is retried with
/// exponential back-off until `maximumRetryAttempts` retries are spent or the event is older
/// than `maximumEventAge` (EventBridge's defaults: 185 and 24 hours). Then the event is
/// dropped.
///
/// AWS documents "exponential back off and jitter" without numbers: the back-off here
/// doubles from `initialBackoff` up to `maximumBackoff` (modelling assumptions, 1 s and 8
/// minutes, chosen so that the 185 default retries span about the 24 default hours), without
/// jitter, so that runs are easy to follow.
public struct ScheduleRetryPolicy: Hashable, Sendable {
    /// How long EventBridge keeps retrying an event (60 s - 24 h, default 24 h).
    public var maximumEventAge: SimTime = .hours(24)
    /// Retries after the first attempt (0 - 185, default 185).
    public var maximumRetryAttempts: Int = 185
    /// The delay before the first retry (modelling assumption: 1 s).
    public var initialBackoff: SimTime = .s(1)
    /// The longest delay between retries (modelling assumption: 8 minutes).
    public var maximumBackoff: SimTime = .minutes(8)

    /// Creates a retry policy; the default is EventBridge's.
    public init(maximumEventAge: SimTime = .hours(24), maximumRetryAttempts: Int = 185,
                initialBackoff: SimTime = .s(1), maximumBackoff: SimTime = .minutes(8)) {
        self.maximumEventAge = maximumEventAge
        self.maximumRetryAttempts = maximumRetryAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// The delay before retry `retry` (1-based).
    public func backoff(beforeRetry retry: Int) -> SimTime {
        min(maximumBackoff, initialBackoff * (Int64(1) << Int64(min(max(retry - 1, 0), 40))))
    }
}
