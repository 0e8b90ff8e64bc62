import Scenario
import ServerlessModel
import SimCore

/// The planner's analytic first guess for one function: the load it is offered and the
/// concurrency that queueing theory says its latency targets need.
///
/// Only a starting point: the search simulates from here, so an estimate that is off (bursty
/// arrivals, batches, cold starts, throttles, retries) costs a few more simulations, never a
/// wrong answer. It also quantifies an impossible SLO ("needs about 1,340").
public struct CapacityEstimate: Sendable, Equatable {
    /// The function's name.
    public var function: String
    /// Messages per second reaching the function, averaged over the run.
    public var arrivalRate: Double
    /// Mean seconds of work per message: duration, per-message work and downstream latency
    /// (a batch of one; cold starts left out).
    public var serviceSeconds: Double
    /// The offered load `λ·E[S]` in Erlangs: the mean number of executions busy, a hard lower
    /// bound on the concurrency that keeps up.
    public var offeredLoad: Double
    /// The fewest concurrent executions that meet the function's latency targets under the
    /// M/G/c approximation (or just keep up, without latency targets); nil when unknown
    /// (a service time without a finite mean) or when no concurrency would do.
    public var concurrency: Int?
    /// Set when no concurrency meets a latency target: the service alone is too slow for it.
    public var unreachable: String?
    /// The target that needs the most concurrency, such as `latency_p99 10s of group B`.
    public var limitingTarget: String?

    /// Creates an estimate.
    public init(function: String, arrivalRate: Double, serviceSeconds: Double, offeredLoad: Double, concurrency: Int?,
                unreachable: String? = nil, limitingTarget: String? = nil) {
        self.function = function
        self.arrivalRate = arrivalRate
        self.serviceSeconds = serviceSeconds
        self.offeredLoad = offeredLoad
        self.concurrency = concurrency
        self.unreachable = unreachable
        self.limitingTarget = limitingTarget
    }
}

/// Offered load and Erlang C estimates of a pipeline's functions.
enum CapacityModel {
    /// The estimate of every function that a queue or a group feeds, by function name.
    static func estimates(_ pipeline: PipelineSpec, slo: ServiceLevelObjective?) -> [String: CapacityEstimate] {
        let reaching = groupsReaching(pipeline)
        let groups = Dictionary(pipeline.groups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [String: CapacityEstimate] = [:]
        for function in pipeline.functions {
            let names = (reaching[function.name] ?? []).sorted()
            guard !names.isEmpty else { continue }
            let averageRate = names.compactMap { groups[$0] }
                .reduce(0) { $0 + meanRate($1.arrivals, over: pipeline.run.duration) }
            guard let service = serviceMoments(function, pipeline: pipeline) else {
                result[function.name] = CapacityEstimate(function: function.name, arrivalRate: averageRate, serviceSeconds: .nan,
                                                         offeredLoad: .nan, concurrency: nil)
                continue
            }
            let shape = ServiceShape.fitted(mean: service.mean, variance: service.variance)
            var estimate = CapacityEstimate(
                function: function.name, arrivalRate: averageRate, serviceSeconds: service.mean,
                offeredLoad: averageRate * service.mean, concurrency: ErlangC.stableServers(offered: averageRate * service.mean))
            for (label, percentile, target) in latencyTargets(of: names, slo: slo) {
                // A burst longer than the target cannot be queued away: plan for its rate.
                let rate = names.compactMap { groups[$0] }
                    .reduce(0) { $0 + planningRate($1.arrivals, target: target, over: pipeline.run.duration) }
                guard let needed = ErlangC.servers(forLatency: target, percentile: percentile, arrivalRate: rate, service: shape)
                else {
                    estimate.concurrency = nil
                    estimate.unreachable = label
                    estimate.limitingTarget = label
                    break
                }
                var required = needed
                // A batch sent at once must be worked off within the target.
                for name in names {
                    guard let group = groups[name] else { continue }
                    let processes: [ArrivalProcess]
                    if case .superposed(let parts) = group.arrivals { processes = parts } else { processes = [group.arrivals] }
                    for case .batch(_, let size, _) in processes {
                        required = max(required, Int((Double(size) * service.mean / target).rounded(.up)))
                    }
                }
                if let current = estimate.concurrency, required > current {
                    estimate.concurrency = required
                    estimate.limitingTarget = label
                }
            }
            result[function.name] = estimate
        }
        return result
    }

    /// The task groups whose messages reach each function: through its trigger's queue,
    /// directly, or through earlier stages' output queues.
    static func groupsReaching(_ pipeline: PipelineSpec) -> [String: Set<String>] {
        var byQueue: [String: Set<String>] = [:]
        var result: [String: Set<String>] = [:]
        for group in pipeline.groups {
            if let invoke = group.invoke {
                result[invoke.function, default: []].insert(group.name)
            } else {
                byQueue[group.queue, default: []].insert(group.name)
            }
        }
        // Stages pass messages on: iterate until nothing changes (at most one round per stage).
        var changed = true
        var rounds = 0
        while changed && rounds <= pipeline.functions.count + 1 {
            changed = false
            rounds += 1
            for function in pipeline.functions {
                var reached = result[function.name] ?? []
                if let queue = function.trigger?.queue { reached.formUnion(byQueue[queue] ?? []) }
                if reached != (result[function.name] ?? []) {
                    result[function.name] = reached
                    changed = true
                }
                if let output = function.outputQueue, !reached.isSubset(of: byQueue[output] ?? []) {
                    byQueue[output, default: []].formUnion(reached)
                    changed = true
                }
            }
        }
        return result
    }

    /// Mean and variance in seconds of one message's work: the invocation's duration plus one
    /// message's per-message work and downstream call; nil if a mean is infinite.
    static func serviceMoments(_ function: FunctionSpec, pipeline: PipelineSpec) -> (mean: Double, variance: Double)? {
        let handler = function.withHandlerTimeAtMemory()
        var parts = [handler.duration, handler.perMessage]
        if let name = function.downstream, let downstream = pipeline.downstreams.first(where: { $0.name == name }) {
            parts.append(downstream.latency)
        }
        var mean = 0.0
        var variance = 0.0
        for part in parts {
            guard let m = part.meanSeconds else { return nil }
            mean += m
            variance += part.varianceSeconds ?? 0
        }
        return (mean, variance)
    }

    /// The latency targets that apply to messages of these groups: their own and the
    /// overall ones (which bind `all`), as (label, percentile, seconds).
    static func latencyTargets(of groups: [String], slo: ServiceLevelObjective?) -> [(String, Double, Double)] {
        guard let slo else { return [] }
        var targets: [(String, Double, Double)] = []
        func add(_ t: ServiceLevelTargets, scope: String) {
            let pairs: [(String, Double, SimTime?)] = [
                ("latency_p50", 0.5, t.latencyP50), ("latency_p90", 0.9, t.latencyP90),
                ("latency_p99", 0.99, t.latencyP99), ("latency_p999", 0.999, t.latencyP999),
            ]
            for (key, percentile, value) in pairs {
                if let value { targets.append(("\(key) \(DurationFormat.format(value)) of \(scope)", percentile, value.seconds)) }
            }
        }
        for group in groups { add(slo.targets(forGroup: group), scope: "group \(group)") }
        add(slo.overall, scope: "all")
        return targets
    }

    /// A group's messages per second averaged over the production time.
    static func meanRate(_ arrivals: ArrivalProcess, over duration: SimTime) -> Double {
        let seconds = max(duration.seconds, 1e-9)
        switch arrivals {
        case .poisson(let rate), .constant(let rate):
            return rate.perSecond
        case .bursts(let rate, let on, let off, let base):
            let cycle = on.seconds + off.seconds
            return cycle > 0 ? (rate.perSecond * on.seconds + base.perSecond * off.seconds) / cycle : rate.perSecond
        case .schedule(let steps):
            var total = 0.0
            for (i, step) in steps.enumerated() where step.at.seconds < seconds {
                let end = i + 1 < steps.count ? min(steps[i + 1].at.seconds, seconds) : seconds
                total += step.rate.perSecond * max(0, end - step.at.seconds)
            }
            return total / seconds
        case .batch(let every, let size, let start):
            guard start.seconds < seconds else { return 0 }
            let batches = every.seconds > 0 ? ((seconds - start.seconds) / every.seconds).rounded(.up) : 1
            return Double(size) * batches / seconds
        case .trace(let times):
            return Double(times.count) / seconds
        case .superposed(let processes):
            return processes.reduce(0) { $0 + meanRate($1, over: duration) }
        }
    }

    /// The rate to plan a latency target of `target` seconds for: the highest rate sustained
    /// for longer than the target (a burst or a schedule step), else the mean.
    static func planningRate(_ arrivals: ArrivalProcess, target: Double, over duration: SimTime) -> Double {
        let mean = meanRate(arrivals, over: duration)
        switch arrivals {
        case .bursts(let rate, let on, _, _) where on.seconds > target:
            return max(mean, rate.perSecond)
        case .schedule(let steps):
            var peak = mean
            for (i, step) in steps.enumerated() where step.at < duration {
                let end = i + 1 < steps.count ? min(steps[i + 1].at, duration) : duration
                if (end - step.at).seconds > target { peak = max(peak, step.rate.perSecond) }
            }
            return peak
        case .superposed(let processes):
            // Peaks may coincide: plan for all of them at once.
            return processes.reduce(0) { $0 + planningRate($1, target: target, over: duration) }
        default:
            return mean
        }
    }
}
