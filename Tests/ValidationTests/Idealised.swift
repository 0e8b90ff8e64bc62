import Foundation
import SimCore
import ServerlessModel

/// Pipelines whose settings reduce the model to a textbook queue.
///
/// An event source mapping with a fixed number `c` of pollers, each invoking the function
/// with one message at a time, is `c` servers in front of one first-come first-served queue:
///
/// - **c servers, always there.** `poller_start = poller_minimum = c`, scale-up 0 per minute,
///   maximum concurrency `c` (so the mapping never runs more than `c` pollers and never
///   scales down below `c`, whatever empty receives say), reserved concurrency `c` (never
///   binds, so no throttle and no back-off).
/// - **Service starts at the receive.** Batch size 1, no batching window: a poller invokes at
///   the instant it receives. Long polls return at once when a message is sent (the model's
///   pollers are woken by the send), and a poller whose invocation ends polls again at the
///   same instant. So "send → first receive", the metric `queue_wait_mean_s`, is the waiting
///   time `Wq` of the textbook queue, and "send → end of invocation", `latency_mean_s`, is the
///   sojourn time `W`.
/// - **Service time = handler duration.** No cold start (`cold_start` constant 0 and `c`
///   provisioned environments, so no init phase and no reclaim), no downstream, no
///   per-message work, no errors, a function timeout (60 s) that an exponential handler of
///   mean 1 s exceeds with probability e^−60.
/// - **No returns.** The visibility timeout (360 s = 6 × the function timeout, AWS's advice)
///   outlasts any invocation, and the retention (14 days) any wait, so every message is
///   received once and deleted once.
/// - **FCFS.** A standard queue hands out visible messages oldest first, and nothing returns
///   to its front.
/// - **Poisson arrivals** at rate `λ` from one task group; the time unit is the mean service
///   time (1 s), so `μ = 1/s`.
///
/// Two more settings only save events: the mapping's scaling clock ticks once per run
/// (nothing scales anyway) and no time series is sampled.
enum Idealised {
    /// The mean service time; the unit of time of every textbook case.
    static let meanService = SimTime.s(1)
    static let serviceRate = 1.0
    /// Longer than any exponential handler of mean 1 s (P = e^−60), shorter than the VT.
    static let functionTimeout = SimTime.s(60)
    static let visibilityTimeout = SimTime.s(360)
    static let retention = SimTime.s(14 * 86_400)

    /// The name of the Poisson task group whose messages are measured.
    static let group = "poisson"
    /// The name of the task group that puts the stationary initial backlog in the queue.
    static let backlogGroup = "initial"

    /// An M/x/c pipeline: Poisson arrivals at `lambda` per second into one queue served by
    /// `servers` pollers whose handler time follows `service`.
    ///
    /// - Parameters:
    ///   - production: how long the Poisson group sends.
    ///   - initialBacklog: messages put in the queue at time 0 by a second group (a draw from
    ///     the stationary distribution makes the run stationary from the start, see
    ///     `QueueingTheoryTests.mmcQueueWaitMatchesErlangC`); 0 for none.
    ///   - warmup: messages sent before it are left out of the statistics.
    static func pipeline(
        servers c: Int, arrivalRate lambda: Double, service: Distribution, production: SimTime,
        initialBacklog: Int = 0, warmup: SimTime = .zero
    ) -> PipelineSpec {
        // After the producers stop the queue drains at rate c·μ. The drain lasts twice the
        // mean time to serve c + 1,000 messages and the initial backlog, plus a minute: the
        // stationary backlog exceeds 1,000 with probability below ρ^1000 (10⁻²² at ρ = 0.95),
        // and every test checks that the queue ended empty.
        let drainSeconds = 2 * Double(c + 1_000 + initialBacklog) / (Double(c) * serviceRate) + 60
        let drain = SimTime(seconds: drainSeconds.rounded(.up))
        // Queueing theory's servers take their next customer the instant they are free.
        var assumptions = ModelAssumptions.instantPollCycle
        assumptions.pollerStart = c
        assumptions.pollerMinimum = c
        assumptions.pollerMaximum = max(c, assumptions.pollerMaximum)
        assumptions.pollerScaleUpPerMinute = 0
        assumptions.scalingInterval = production + drain
        // The backlog group comes first: its send at time 0 is then handled before anything
        // else, so its messages get the send numbers 0 ..< initialBacklog.
        var groups: [TaskGroupSpec] = []
        if initialBacklog > 0 {
            groups.append(TaskGroupSpec(name: backlogGroup, queue: "tasks",
                                        arrivals: .batch(every: .zero, size: initialBacklog, start: .zero)))
        }
        groups.append(TaskGroupSpec(name: group, queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: lambda))))
        return PipelineSpec(
            name: "idealised-c\(c)",
            run: RunSettings(duration: production, drain: drain, warmup: .fixed(warmup), timeseriesInterval: .zero),
            account: AccountSpec(concurrency: max(1_000, c + 100)),
            assumptions: assumptions,
            groups: groups,
            queues: [QueueSpec(name: "tasks", visibilityTimeout: visibilityTimeout, retention: retention)],
            functions: [FunctionSpec(
                name: "server", timeout: functionTimeout, reservedConcurrency: c, provisionedConcurrency: c,
                duration: service, coldStart: .constant(.zero), idleTimeout: .constant(.hours(24)),
                trigger: TriggerSpec(queue: "tasks", batchSize: 1, maximumConcurrency: c))]
        )
    }
}

extension RunResult {
    /// A metric of a scope; NaN when absent, so that a missing value fails every comparison.
    func value(_ metric: Metric, _ scope: String = "all") -> Double {
        self.scope(scope)?[metric] ?? .nan
    }

    /// Little's X·W over the window L is averaged on (the warm-up to the run's end, drain
    /// included), from `throughput`, which is over the sending window (`duration` long).
    func littleXW(duration: SimTime) -> Double {
        let sending = (duration - measuredFrom).seconds, observed = (end - measuredFrom).seconds
        return value(.throughput) * sending / observed * value(.latencyMean)
    }

    /// Each traced message's wait from its send to its first receive, in seconds, indexed by
    /// the message's send number (NaN for a message never received).
    func firstReceiveWaits() -> [Double] {
        // Send numbers are 0, 1, 2 ... in send order, so arrays indexed by them suffice.
        var sentAt: [SimTime] = []
        var waits: [Double] = []
        for record in trace {
            switch record.kind {
            case .sent:
                let m = Int(record.message)
                if m >= sentAt.count {
                    sentAt.append(contentsOf: repeatElement(.never, count: m + 1 - sentAt.count))
                    waits.append(contentsOf: repeatElement(.nan, count: m + 1 - waits.count))
                }
                sentAt[m] = record.time
            case .received where record.count == 1:
                let m = Int(record.message)
                if m < sentAt.count, waits[m].isNaN { waits[m] = (record.time - sentAt[m]).seconds }
            default:
                break
            }
        }
        return waits
    }

    /// Whether messages are conserved in every scope: sent = succeeded + dead-lettered +
    /// expired + dropped + left at the end.
    var conservesMessages: Bool {
        scopes.filter { $0.kind != .function }.allSatisfy { scope in
            let accounted = (scope[.succeeded] ?? 0) + (scope[.deadLettered] ?? 0) + (scope[.expired] ?? 0)
                + (scope[.dropped] ?? 0) + (scope[.backlogEnd] ?? 0)
            return scope[.sent] == accounted
        }
    }
}
