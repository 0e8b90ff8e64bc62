import Foundation

/// Erlang's formulas for c servers, and the M/G/c latency approximation behind the planner's
/// first guess.
///
/// Notation: `c` servers, arrival rate `λ`, mean service time `E[S]`, offered load
/// `a = λ·E[S]` in Erlangs. Everything is computed by recursions that never form `a^c` or
/// `c!` (both overflow long before c = 200), so any concurrency a pipeline can have is fine.
///
/// The planner only uses these numbers to choose where to start: every answer it gives comes
/// from simulation. A poor guess costs a few more simulations, never a wrong answer.
public enum ErlangC {
    /// Erlang B: the blocking probability of M/M/c/c, by the stable recursion
    /// `B(0) = 1`, `B(k) = a·B(k−1) / (k + a·B(k−1))`, whose terms all lie in [0, 1].
    public static func blocking(servers c: Int, offered a: Double) -> Double {
        guard a > 0 else { return 0 }
        var b = 1.0
        if c > 0 {
            for k in 1...c { b = a * b / (Double(k) + a * b) }
        }
        return b
    }

    /// Erlang C: the probability that an arrival to M/M/c waits, `C = c·B / (c − a·(1 − B))`;
    /// 1 when the system is not stable (`a >= c`), because then the queue grows without end.
    public static func waitProbability(servers c: Int, offered a: Double) -> Double {
        guard c > 0, a < Double(c) else { return 1 }
        guard a > 0 else { return 0 }
        let b = blocking(servers: c, offered: a)
        return min(1, Double(c) * b / (Double(c) - a * (1 - b)))
    }

    /// The fewest servers that keep up with an offered load: `⌊a⌋ + 1`, at least 1.
    public static func stableServers(offered a: Double) -> Int {
        guard a.isFinite, a > 0 else { return 1 }
        return Int(a.rounded(.down)) + 1
    }

    /// `P(T > t)` for the time in system `T = Wq + S` of M/G/c, approximately.
    ///
    /// With probability `C(c, a)` an arrival waits, and its wait is exponential with rate
    /// `θ = (c/E[S] − λ) · 2 / (1 + cs²)` (`cs²` the squared coefficient of variation of S:
    /// the Allen–Cunneen correction, exact for exponential service); the service that follows
    /// is independent of the wait. For exponential service this is the exact M/M/c result.
    public static func sojournTail(_ t: Double, arrivalRate lambda: Double, service: ServiceShape, servers c: Int) -> Double {
        guard t >= 0 else { return 1 }
        let mean = service.mean
        guard mean > 0 else { return 0 }
        let a = lambda * mean
        guard a < Double(c) else { return 1 }
        let wait = waitProbability(servers: c, offered: a)
        let theta = (Double(c) / mean - lambda) * 2 / (1 + service.squaredVariation)
        return (1 - wait) * service.tail(t) + wait * service.tailAfterExponentialWait(t, rate: theta)
    }

    /// The fewest servers for which the `percentile` (0.99 for p99) of the time in system is at
    /// most `t` seconds; nil when no number of servers does (the service alone takes longer
    /// than `t` too often) or more than `limit` would be needed.
    public static func servers(forLatency t: Double, percentile p: Double, arrivalRate lambda: Double,
                               service: ServiceShape, limit: Int = 1_000_000) -> Int? {
        let allowed = 1 - p
        // More servers only shorten the wait; the service itself sets the floor.
        guard service.tail(t) < allowed else { return nil }
        let meets = { (c: Int) in sojournTail(t, arrivalRate: lambda, service: service, servers: c) <= allowed }
        var low = stableServers(offered: lambda * service.mean) - 1  // Known not to meet (unstable).
        var high = low + 1
        var step = 1
        // Gallop up: the tail falls with every server added, so the first c that meets it is
        // bracketed in O(log c) steps, then bisected.
        while !meets(high) {
            low = high
            step *= 2
            high += step
            if high > limit { return meets(limit) ? bisect(low, limit, meets) : nil }
        }
        return bisect(low, high, meets)
    }

    /// The smallest value in `(low, high]` that meets a monotone test `high` is known to meet.
    private static func bisect(_ low: Int, _ high: Int, _ meets: (Int) -> Bool) -> Int {
        var (low, high) = (low, high)
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if meets(mid) { high = mid } else { low = mid }
        }
        return high
    }
}

/// A service-time distribution reduced to what the latency approximation needs: its mean,
/// its variability, and its tail.
public enum ServiceShape: Sendable, Equatable {
    /// Always `seconds`.
    case deterministic(seconds: Double)
    /// Exponential with this mean.
    case exponential(mean: Double)
    /// Lognormal with these log-space parameters.
    case lognormal(mu: Double, sigma: Double)

    /// The shape of a service time with this mean and variance (seconds, seconds²):
    /// deterministic without variance, exponential when the coefficient of variation is
    /// (nearly) 1, otherwise the lognormal with the same two moments.
    public static func fitted(mean: Double, variance: Double) -> ServiceShape {
        guard mean > 0, variance > 1e-12 * mean * mean else { return .deterministic(seconds: max(0, mean)) }
        let cv2 = variance / (mean * mean)
        if abs(cv2 - 1) < 0.02 { return .exponential(mean: mean) }
        let sigma2 = log(1 + cv2)
        return .lognormal(mu: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
    }

    /// The mean in seconds.
    public var mean: Double {
        switch self {
        case .deterministic(let d): d
        case .exponential(let m): m
        case .lognormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
        }
    }

    /// The squared coefficient of variation, variance / mean².
    public var squaredVariation: Double {
        switch self {
        case .deterministic: 0
        case .exponential: 1
        case .lognormal(_, let sigma): exp(sigma * sigma) - 1
        }
    }

    /// `P(S > t)`.
    public func tail(_ t: Double) -> Double {
        switch self {
        case .deterministic(let d): return d > t ? 1 : 0
        case .exponential(let m): return t <= 0 ? 1 : exp(-t / m)
        case .lognormal(let mu, let sigma):
            guard t > 0 else { return 1 }
            return 0.5 * erfc((log(t) - mu) / (sigma * 2.0.squareRoot()))
        }
    }

    /// `P(E + S > t)` for an exponential wait `E` of rate `theta` independent of `S`.
    func tailAfterExponentialWait(_ t: Double, rate theta: Double) -> Double {
        guard theta > 0 else { return 1 }
        switch self {
        case .deterministic(let d):
            return d >= t ? 1 : exp(-theta * (t - d))
        case .exponential(let m):
            let mu = 1 / m
            // The sum of two exponentials (hypoexponential), or Erlang-2 when the rates meet.
            if abs(theta - mu) < 1e-9 * mu { return (1 + mu * t) * exp(-mu * t) }
            return (mu * exp(-theta * t) - theta * exp(-mu * t)) / (mu - theta)
        case .lognormal(let mu, let sigma):
            // P(E + S > t) = P(S > t) + E[exp(−θ(t − S)); S <= t]; the expectation is taken
            // over z with S = exp(mu + sigma·z), z standard normal, by Simpson's rule.
            guard t > 0 else { return 1 }
            let upper = (log(t) - mu) / sigma
            let lower = min(upper, -9.0)
            guard upper > lower else { return tail(t) }
            let intervals = 400
            let h = (upper - lower) / Double(intervals)
            var sum = 0.0
            for i in 0...intervals {
                let z = lower + Double(i) * h
                let s = exp(mu + sigma * z)
                let value = exp(-z * z / 2) / (2 * Double.pi).squareRoot() * exp(-theta * max(0, t - s))
                let weight: Double = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2)
                sum += weight * value
            }
            return min(1, tail(t) + sum * h / 3)
        }
    }
}
