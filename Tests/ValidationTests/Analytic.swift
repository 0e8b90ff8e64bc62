import Foundation
import SimCore

/// Closed-form results of queueing theory that the idealised pipelines are checked against.
///
/// Notation: `c` servers, offered load `a = λ / μ` in Erlangs, utilisation `ρ = a / c`.
/// Everything is computed in double precision by recursions that never form `a^c` or `c!`
/// (both overflow long before c = 170), so the results hold for any `c` a pipeline can have.
enum Analytic {
    /// Erlang B: the blocking probability of M/M/c/c (c servers, no waiting room), the share
    /// of arrivals lost when the offered load is `a` Erlangs.
    ///
    /// The stable recursion `B(0) = 1`, `B(k) = a·B(k−1) / (k + a·B(k−1))`: every term lies in
    /// [0, 1], so nothing overflows and the relative error stays at a few ulps per step.
    static func erlangB(servers c: Int, offered a: Double) -> Double {
        precondition(c >= 0 && a >= 0, "Erlang B needs c >= 0 servers and a load a >= 0")
        var b = 1.0
        if c > 0 {
            for k in 1...c { b = a * b / (Double(k) + a * b) }
        }
        return b
    }

    /// Erlang C: the probability that an arrival to a stable M/M/c has to wait (all c servers
    /// busy), from Erlang B: `C = c·B / (c − a·(1 − B))`. Needs `a < c`.
    static func erlangC(servers c: Int, offered a: Double) -> Double {
        precondition(c >= 1 && a >= 0 && a < Double(c), "Erlang C needs a stable system: 0 <= a < c")
        let b = erlangB(servers: c, offered: a)
        return Double(c) * b / (Double(c) - a * (1 - b))
    }

    /// M/M/c mean waiting time in the queue (before service): `Wq = C(c, a) / (c·μ − λ)`.
    static func mmcWaitMean(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        erlangC(servers: c, offered: lambda / mu) / (Double(c) * mu - lambda)
    }

    /// M/M/c waiting-time tail under first-come first-served:
    /// `P(Wq > t) = C(c, a)·exp(−(c·μ − λ)·t)` for `t >= 0`.
    static func mmcWaitTail(_ t: Double, arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        precondition(t >= 0, "the tail is defined for t >= 0")
        return erlangC(servers: c, offered: lambda / mu) * exp(-(Double(c) * mu - lambda) * t)
    }

    /// M/M/c mean number in system, `L = λ·Wq + a` (Little's law on queue and servers).
    static func mmcInSystemMean(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        lambda * mmcWaitMean(arrivalRate: lambda, serviceRate: mu, servers: c) + lambda / mu
    }

    /// Pollaczek–Khinchine: the mean wait of M/G/1, `Wq = λ·E[S²] / (2·(1 − ρ))` with
    /// `ρ = λ·E[S]`.
    static func pollaczekKhinchineWait(arrivalRate lambda: Double, serviceMean: Double, serviceSecondMoment: Double) -> Double {
        let rho = lambda * serviceMean
        precondition(rho < 1, "P-K needs a stable queue: rho < 1")
        return lambda * serviceSecondMoment / (2 * (1 - rho))
    }

    /// M/D/1 (constant service `1/μ`): `Wq = ρ / (2·μ·(1 − ρ))`.
    static func md1WaitMean(arrivalRate lambda: Double, serviceRate mu: Double) -> Double {
        let d = 1 / mu
        return pollaczekKhinchineWait(arrivalRate: lambda, serviceMean: d, serviceSecondMoment: d * d)
    }

    /// The stationary distribution of the number in an M/M/c system, for sampling a
    /// steady-state initial condition.
    ///
    /// `P(N >= c) = C(c, a)`; given `N >= c`, `N − c` is geometric on {0, 1, ...} with
    /// `P(N − c = k) = (1 − ρ)·ρ^k`; given `N < c`, `P(N = n) ∝ a^n / n!` for `n < c`.
    struct MMcStationary {
        let servers: Int
        let rho: Double
        let waitProbability: Double
        /// Cumulative probabilities of n = 0 ..< c given N < c.
        let belowCumulative: [Double]

        init(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) {
            let a = lambda / mu
            servers = c
            rho = a / Double(c)
            waitProbability = Analytic.erlangC(servers: c, offered: a)
            // Terms a^n / n! by the ratio a / n, scaled by the largest so none overflows.
            var terms = [1.0]
            for n in 1..<c { terms.append(terms[n - 1] * a / Double(n)) }
            let scale = terms.max() ?? 1
            var running = 0.0
            var cumulative: [Double] = []
            let total = terms.reduce(0) { $0 + $1 / scale }
            for term in terms {
                running += term / scale / total
                cumulative.append(running)
            }
            belowCumulative = cumulative
        }

        /// One draw of the number in system, by inversion with two uniforms on (0, 1).
        func sample(_ u: Double, _ v: Double) -> Int {
            if u < waitProbability {
                // Geometric by inversion: floor(log(v) / log(rho)), a count of failures.
                return servers + Int((log(v) / log(rho)).rounded(.down))
            }
            return belowCumulative.firstIndex { v <= $0 } ?? (servers - 1)
        }

        /// The mean of the distribution: `a + C·ρ / (1 − ρ)` (in service plus waiting).
        var mean: Double {
            Double(servers) * rho + waitProbability * rho / (1 - rho)
        }
    }
}
