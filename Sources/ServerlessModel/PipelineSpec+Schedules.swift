import SimCore

/// A schedule (an EventBridge rule) that invokes a function to drain a queue with
/// back-pressure.
///
/// Every `every`, the schedule invokes `function`. The invocation receives messages of `queue`
/// one at a time and starts a job on `untilDownstreamBusy` for each, until that downstream has
/// no free job slot (its concurrency limit for the message's group, or `all`); then it gives the
/// last message back and returns. A job holds its slot for the downstream's latency; the
/// message succeeds when its job ends.
public struct ScheduleSpec: Hashable, Sendable {
    /// The schedule's name.
    public var name: String
    /// The interval between invocations (EventBridge rate: at least one minute).
    public var every: SimTime
    /// The function invoked.
    public var function: String
    /// The queue it drains.
    public var queue: String
    /// The downstream whose job slots bound the drain.
    public var untilDownstreamBusy: String

    /// Creates a schedule.
    public init(name: String, every: SimTime, function: String, queue: String, untilDownstreamBusy: String) {
        self.name = name
        self.every = every
        self.function = function
        self.queue = queue
        self.untilDownstreamBusy = untilDownstreamBusy
    }
}
