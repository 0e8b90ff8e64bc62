import Foundation
@testable import Experiments
import Scenario
import ServerlessModel

/// Scenario files for the planner's tests, small enough to plan in a few seconds in a debug
/// build.
enum PlanScenarios {
    /// An idealised M/M/c pipeline whose `c` is the mapping's maximum concurrency: Poisson
    /// arrivals at `rate`, exponential work of mean 1 s, no cold starts, batch size 1, and
    /// pollers fixed at 40 (start = minimum = maximum, no scaling) so that the mapping runs
    /// exactly `maximum_concurrency` of them; no reserved concurrency, so nothing throttles.
    static func mmc(rate: Double, slo: String, range: ClosedRange<Int> = 2...30, duration: String = "15m",
                    replications: Int = 4, seed: Int = 7, vary extra: String = "", minimize: String = "concurrency") -> String {
        """
        name: mmc
        run:
          duration: \(duration)
          warmup: 2m
          seed: \(seed)
          replications: \(replications)
          timeseries_interval: 1h
        assumptions:
          poller_start: 40
          poller_minimum: 40
          poller_maximum: 40
          poller_scale_up_per_minute: 0
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: \(rate)/s}}}
        queues:
          tasks: {visibility_timeout: 6m, retention: 14d}
        functions:
          server:
            timeout: 60s
            duration: {exponential: {mean: 1s}}
            cold_start: 0s
            idle_timeout: 24h
            trigger: {queue: tasks, batch_size: 1, maximum_concurrency: 10}
        slo:
          \(slo)
        plan:
          minimize: \(minimize)
          vary:
            functions.server.trigger.maximum_concurrency: {min: \(range.lowerBound), max: \(range.upperBound)}
        \(extra)
        """
    }

    /// The workload of `scenarios/plan-per-group.yml`, shortened: three groups, a queue and a
    /// function each, reserved concurrency planned per group.
    static func perGroup(account: String = "", slo: String = "latency_p99: 10s\n  dead_lettered: 0", duration: String = "10m",
                         replications: Int = 3) -> String {
        func function(_ group: String) -> String {
            """
              worker-\(group):
                timeout: 10s
                reserved_concurrency: 2
                duration: {lognormal: {median: 900ms, p99: 2s}}
                cold_start: {lognormal: {median: 250ms, p99: 1s}}
                trigger: {queue: tasks-\(group), batch_size: 1}
            """
        }
        return """
            name: per-group
            run:
              duration: \(duration)
              drain: 3m
              warmup: 1m
              seed: 42
              replications: \(replications)
              timeseries_interval: 1h
            \(account)
            groups:
              A: {queue: tasks-A, arrivals: {poisson: {rate: 0.8/s}}}
              B: {queue: tasks-B, arrivals: {bursts: {rate: 2.5/s, on: 30s, off: 90s, base_rate: 0.2/s}}}
              C: {queue: tasks-C, arrivals: {poisson: {rate: 0.7/s}}}
            queues:
              tasks-A: {visibility_timeout: 60s, max_receive_count: 10, dead_letter: dlq}
              tasks-B: {visibility_timeout: 60s, max_receive_count: 10, dead_letter: dlq}
              tasks-C: {visibility_timeout: 60s, max_receive_count: 10, dead_letter: dlq}
              dlq: {}
            functions:
            \(function("A"))
            \(function("B"))
            \(function("C"))
            slo:
              \(slo)
            plan:
              minimize: concurrency
              vary:
                functions.worker-A.reserved_concurrency: {min: 1, max: 20}
                functions.worker-B.reserved_concurrency: {min: 1, max: 20}
                functions.worker-C.reserved_concurrency: {min: 1, max: 20}
            """
    }

    /// A pipeline whose p99 is not monotone in reserved concurrency, by construction and
    /// without randomness: 24 messages at once every minute, 5 s of work each, 16 pollers
    /// fixed (start = minimum = maximum) and no maximum concurrency, so that every reserved
    /// concurrency below 16 over-pulls and its throttled batches retry on the 1 s, 2 s, 4 s
    /// ... back-off. Where the retries fall against the 5 s rounds decides the last message's
    /// wait: p99 56 s at 3, 35 s at 4, 45 s at 5, 32 s at 6 (against a 40 s target: fail, pass,
    /// fail, pass). Every replication is the same run.
    static func nonMonotone(range: ClosedRange<Int> = 2...16, target: String = "40s") -> String {
        """
        name: non-monotone
        run: {duration: 10m, drain: 5m, warmup: 0s, seed: 1, replications: 2, timeseries_interval: 1h}
        assumptions: {poller_start: 16, poller_minimum: 16, poller_maximum: 16, poller_scale_up_per_minute: 0}
        groups:
          A: {queue: q, arrivals: {batch: {every: 60s, size: 24}}}
        queues:
          q: {visibility_timeout: 20s, max_receive_count: 100, dead_letter: dlq}
          dlq: {}
        functions:
          f: {timeout: 10s, duration: 5s, cold_start: 0s, idle_timeout: 24h, reserved_concurrency: 5, trigger: {queue: q, batch_size: 1}}
        slo:
          latency_p99: \(target)
        plan:
          minimize: concurrency
          vary:
            functions.f.reserved_concurrency: {min: \(range.lowerBound), max: \(range.upperBound)}
        """
    }

    /// Loads scenario text.
    static func load(_ yaml: String) throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, source: "plan-test.yml")
    }
}

/// The textbook M/M/c answers the planner's results are checked against, computed here
/// independently of the planner's own Erlang C code.
enum MMc {
    /// Erlang C by way of the Erlang B recursion.
    static func waitProbability(servers c: Int, offered a: Double) -> Double {
        var b = 1.0
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        return Double(c) * b / (Double(c) - a * (1 - b))
    }

    /// `P(T > t)` of the time in an M/M/c system (service rate 1): with probability `1 − C`
    /// only the exponential service, otherwise an exponential wait of rate `c − λ` before it.
    static func sojournTail(_ t: Double, rate lambda: Double, servers c: Int) -> Double {
        let wait = waitProbability(servers: c, offered: lambda)
        let theta = Double(c) - lambda
        let both = abs(theta - 1) < 1e-12 ? (1 + t) * exp(-t) : (exp(-theta * t) - theta * exp(-t)) / (1 - theta)
        return (1 - wait) * exp(-t) + wait * both
    }

    /// The `p` quantile of the time in system, by bisection.
    static func sojournQuantile(_ p: Double, rate lambda: Double, servers c: Int) -> Double {
        var (low, high) = (0.0, 1_000.0)
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if sojournTail(mid, rate: lambda, servers: c) > 1 - p { low = mid } else { high = mid }
        }
        return high
    }

    /// The fewest servers whose `p` quantile of the time in system is at most `target`.
    static func minimumServers(rate lambda: Double, percentile p: Double, target: Double) -> Int {
        var c = Int(lambda) + 1
        while sojournQuantile(p, rate: lambda, servers: c) > target { c += 1 }
        return c
    }
}
