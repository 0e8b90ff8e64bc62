import Foundation
import ServerlessModel
import SimCore
import Testing

/// An M/M/c case of the validation grid.
///
/// The ν values are the relative asymptotic standard deviations per customer of the four
/// statistics (see ``Tolerance/following(nu:plan:absolute:)``), measured with the independent
/// reference simulator docs/validation/reference.c (its output, 40 million customers per case).
struct MMcCase: Sendable, CustomTestStringConvertible {
    let servers: Int
    let rho: Double
    /// ν of the mean wait, and of the fractions waiting longer than 0, 1/θ and 2/θ.
    let nu: [Double]

    var lambda: Double { Double(servers) * rho * Idealised.serviceRate }
    /// The decay rate of the conditional wait, θ = c·μ − λ.
    var theta: Double { Double(servers) * Idealised.serviceRate - lambda }
    /// The tail points: 0, 1/θ and 2/θ.
    var tailPoints: [Double] { [0, 1 / theta, 2 / theta] }
    /// The plan follows the mean wait's ν; where the theory is below every floor (M/M/64 at
    /// ρ = 0.5 waits with probability 4·10⁻⁷) the smallest long plan does.
    var plan: Plan { Plan.current(nu: Analytic.erlangC(servers: servers, offered: lambda) < 1e-4 ? 0 : nu[0]) }
    var seed: UInt64 { UInt64(10_000 * servers + Int((rho * 100).rounded())) }
    var order: Int { servers * 1_000 + Int((rho * 100).rounded()) }

    var testDescription: String { "M/M/\(servers) at ρ = \(rho)" }

    static let all: [MMcCase] = [
        MMcCase(servers: 1, rho: 0.5, nu: [5.066, 1.706, 4.956, 9.353]),
        MMcCase(servers: 1, rho: 0.8, nu: [11.48, 1.579, 10.12, 22.50]),
        MMcCase(servers: 1, rho: 0.95, nu: [39.86, 1.413, 34.18, 81.92]),
        MMcCase(servers: 4, rho: 0.5, nu: [11.35, 5.695, 10.88, 18.01]),
        MMcCase(servers: 4, rho: 0.8, nu: [14.12, 3.457, 12.96, 26.72]),
        MMcCase(servers: 4, rho: 0.95, nu: [45.97, 3.176, 37.56, 91.25]),
        MMcCase(servers: 16, rho: 0.5, nu: [49.22, 32.54, 49.33, 78.07]),
        MMcCase(servers: 16, rho: 0.8, nu: [23.96, 9.169, 21.68, 42.31]),
        MMcCase(servers: 16, rho: 0.95, nu: [54.36, 7.902, 46.78, 104.9]),
        // Hardly any message waits at all: the floors of the tolerances decide.
        MMcCase(servers: 64, rho: 0.5, nu: [0, 0, 0, 0]),
        MMcCase(servers: 64, rho: 0.8, nu: [62.92, 35.20, 59.50, 98.68]),
        MMcCase(servers: 64, rho: 0.95, nu: [62.67, 14.83, 52.01, 111.6]),
    ]
}

/// An M/D/1 case: constant handler time, Pollaczek–Khinchine.
struct MD1Case: Sendable, CustomTestStringConvertible {
    let rho: Double
    /// ν of the mean wait (docs/validation/reference.c).
    let nu: Double
    /// Warm-up of the fast and the long plan, in mean service times.
    let warmup: (fast: Int64, long: Int64)

    var lambda: Double { rho * Idealised.serviceRate }
    var plan: Plan { Plan.current(nu: nu) }
    var warmupTime: SimTime { .s(ValidationMode.isLong ? warmup.long : warmup.fast) }
    /// The run starts with the stationary mean number in system, L = λ·Wq + ρ, rounded.
    var initialBacklog: Int { Int((lambda * Analytic.md1WaitMean(arrivalRate: lambda, serviceRate: 1) + rho).rounded()) }
    var seed: UInt64 { UInt64(500_000 + Int((rho * 100).rounded())) }
    var testDescription: String { "M/D/1 at ρ = \(rho)" }

    /// The warm-ups are about 1 (fast) and 5 (long) relaxation times of M/M/1 at the same
    /// load, 1/(1 − √ρ)², an upper bound for the less variable M/D/1. Starting at the mean
    /// number in system, the reference simulator measures a remaining bias of −0.9 ± 0.5 % at
    /// ρ = 0.95 with the fast warm-up (and nothing measurable at 0.5 and 0.8), far inside the
    /// fast tolerance; the long plan's warm-up is 8 times and its replications about 30 times
    /// longer.
    static let all: [MD1Case] = [
        MD1Case(rho: 0.5, nu: 3.734, warmup: (fast: 50, long: 200)),
        MD1Case(rho: 0.8, nu: 7.010, warmup: (fast: 200, long: 1_000)),
        MD1Case(rho: 0.95, nu: 30.12, warmup: (fast: 1_000, long: 8_000)),
    ]
}

/// What one replication of an idealised queue yields.
struct QueueReplication {
    /// `queue_wait_mean_s` of the measured (Poisson) group.
    var waitMean: Double
    /// The fraction of measured messages that waited longer than each tail point (tracing only).
    var tailFractions: [Double]
    /// The mean wait recomputed from the trace (tracing only), to cross-check the metric.
    var traceWaitMean: Double?
    /// Little's law on the `all` scope: L, and throughput × mean latency.
    var littleL: Double
    var littleXW: Double
    /// Why the idealisation did not hold, if it did not.
    var violations: [String]

}

/// Little's law, `in_system_mean = throughput × latency_mean` on the `all` scope: the largest
/// relative discrepancy over the replications must stay within 1 %.
struct LittleCheck {
    var statistic: String
    /// Means over the replications of throughput × latency and of L.
    var xw: Double
    var l: Double
    var worst: Double
    var passes: Bool { worst <= 0.01 }

    /// From each replication's L (`in_system_mean`) and X·W (`throughput × latency_mean`).
    init(l: [Double], xw: [Double], warmupEdge: Bool) {
        statistic = warmupEdge ? "Little: L = X·W (warm-up edge effect included)" : "Little: L = X·W"
        worst = zip(l, xw).map { abs($0 - $1) / $0 }.max() ?? .nan
        self.l = Tally(l).mean ?? .nan
        self.xw = Tally(xw).mean ?? .nan
    }

    init(_ replications: [QueueReplication], warmupEdge: Bool) {
        self.init(l: replications.map(\.littleL), xw: replications.map(\.littleXW), warmupEdge: warmupEdge)
    }

    func row(caseName: String, parameters: String) -> ReportRow {
        ReportRow(caseName: caseName, parameters: parameters, statistic: statistic, expected: Report.number(xw),
                  observed: Report.number(l), relativeError: "max \(Report.signedPercent(worst))", tolerance: "±1 %",
                  pass: passes)
    }
}

/// Runs one replication of an idealised queue and reads what the checks need.
func runIdealisedQueue(
    servers c: Int, arrivalRate lambda: Double, service: Distribution, customers: Int, replication: Int, seed: UInt64,
    initialBacklog: Int, warmup: SimTime, tailPoints: [Double]
) throws -> QueueReplication {
    let production = SimTime(seconds: Double(customers) / lambda) + warmup
    let spec = Idealised.pipeline(servers: c, arrivalRate: lambda, service: service, production: production,
                                  initialBacklog: initialBacklog, warmup: warmup)
    let tracing = !tailPoints.isEmpty
    let result = try World.simulate(spec, replication: replication, seed: seed, tracing: tracing)

    var violations: [String] = []
    if !result.conservesMessages { violations.append("messages not conserved") }
    for metric in [Metric.backlogEnd, .throttles, .retries, .duplicates, .expired, .deadLettered, .dropped] {
        let value = result.value(metric)
        if value != 0 { violations.append("\(metric.rawValue) = \(value)") }
    }
    for metric in [Metric.functionErrors, .coldStarts, .crashes] {
        let value = result.value(metric, "server")
        if value != 0 { violations.append("\(metric.rawValue) = \(value)") }
    }
    let peak = result.value(.concurrencyPeak, "server")
    if !(peak <= Double(c)) { violations.append("concurrency_peak = \(peak) > \(c)") }

    var replicationResult = QueueReplication(
        waitMean: result.value(.queueWaitMean, Idealised.group), tailFractions: [], traceWaitMean: nil,
        littleL: result.value(.inSystemMean), littleXW: result.littleXW(duration: spec.run.duration),
        violations: violations)
    if tracing {
        // Messages of the initial backlog are sent first (send numbers 0 ..< backlog), before
        // the first Poisson arrival, which comes after an exponential gap.
        let waits = Array(result.firstReceiveWaits().dropFirst(initialBacklog))
        if waits.contains(where: \.isNaN) { replicationResult.violations.append("a message was never received") }
        let n = Double(waits.count)
        replicationResult.tailFractions = tailPoints.map { t in Double(waits.count(where: { $0 > t })) / n }
        replicationResult.traceWaitMean = waits.reduce(0, +) / n
    }
    return replicationResult
}

/// The idealised pipelines against queueing theory.
@Suite struct QueueingTheoryTests {
    /// M/M/c: mean queue wait against Erlang C, the waiting-time tail at 0, 1/θ and 2/θ, and
    /// Little's law, over `plan.replications` stationary replications.
    ///
    /// Each replication starts in steady state: its initial backlog is drawn from the M/M/c
    /// stationary distribution of the number in system (by memorylessness the messages in
    /// service at time 0 need no elapsed time), so the measured Poisson messages see the
    /// stationary queue from the first one on, and no warm-up is needed or biased.
    @Test(arguments: MMcCase.all)
    func mmcQueueWaitMatchesErlangC(_ testCase: MMcCase) throws {
        let c = testCase.servers
        let lambda = testCase.lambda
        let mu = Idealised.serviceRate
        let plan = testCase.plan
        let stationary = Analytic.MMcStationary(arrivalRate: lambda, serviceRate: mu, servers: c)

        var replications: [QueueReplication] = []
        for r in 0..<plan.replications {
            let stream = RandomStream(name: "validation/initial-backlog", scenarioSeed: testCase.seed, replication: r)
            let backlog = stationary.sample(stream.uniform(), stream.uniform())
            replications.append(try runIdealisedQueue(
                servers: c, arrivalRate: lambda, service: .exponential(mean: Idealised.meanService), customers: plan.customers,
                replication: r, seed: testCase.seed, initialBacklog: backlog, warmup: .zero, tailPoints: testCase.tailPoints))
        }

        for (r, replication) in replications.enumerated() {
            #expect(replication.violations.isEmpty, "replication \(r) is not the textbook system: \(replication.violations)")
            // The metric and the trace measure the same waits.
            if let traced = replication.traceWaitMean {
                #expect(abs(traced - replication.waitMean) <= 1e-9 * max(1, replication.waitMean),
                        "queue_wait_mean_s \(replication.waitMean) but the trace gives \(traced)")
            }
        }

        let waitTheory = Analytic.mmcWaitMean(arrivalRate: lambda, serviceRate: mu, servers: c)
        var checks = [Check(statistic: "mean queue wait Wq (s)", theory: waitTheory, values: replications.map(\.waitMean),
                            tolerance: .following(nu: testCase.nu[0], plan: plan, absolute: 0.001))]
        let labels = ["P(W > 0) = C(c, a)", "P(W > 1/θ)", "P(W > 2/θ)"]
        for (i, t) in testCase.tailPoints.enumerated() {
            checks.append(Check(
                statistic: labels[i],
                theory: Analytic.mmcWaitTail(t, arrivalRate: lambda, serviceRate: mu, servers: c),
                values: replications.map { $0.tailFractions[i] },
                tolerance: .following(nu: testCase.nu[i + 1], plan: plan, absolute: 0.001)))
        }
        for check in checks { #expect(check.passes, "\(testCase.testDescription): \(check.failureMessage)") }

        let little = LittleCheck(replications, warmupEdge: false)
        #expect(little.passes, "Little's law is off by \(little.worst) in some replication")

        let parameters = "c = \(c), λ = \(Report.number(lambda))/s, μ = 1/s, θ = \(Report.number(testCase.theta))/s; "
            + "\(plan.replications) × \(Report.grouped(plan.customers)) customers"
        var rows = checks.map { ReportRow(caseName: testCase.testDescription, parameters: parameters, check: $0) }
        rows.append(little.row(caseName: testCase.testDescription, parameters: parameters))
        Report.shared.record(section: .mmc, order: testCase.order, name: testCase.testDescription, rows: rows)
    }

    /// M/D/1: mean queue wait against Pollaczek–Khinchine, Wq = ρ / (2·μ·(1 − ρ)), and
    /// Little's law (with a warm-up, so the messages in system when it ends make a small edge
    /// effect: they count in L but not in the measured throughput and latency).
    @Test(arguments: MD1Case.all)
    func md1QueueWaitMatchesPollaczekKhinchine(_ testCase: MD1Case) throws {
        let plan = testCase.plan
        var replications: [QueueReplication] = []
        for r in 0..<plan.replications {
            replications.append(try runIdealisedQueue(
                servers: 1, arrivalRate: testCase.lambda, service: .constant(Idealised.meanService), customers: plan.customers,
                replication: r, seed: testCase.seed, initialBacklog: testCase.initialBacklog, warmup: testCase.warmupTime,
                tailPoints: []))
        }
        for (r, replication) in replications.enumerated() {
            #expect(replication.violations.isEmpty, "replication \(r) is not the textbook system: \(replication.violations)")
        }
        let check = Check(
            statistic: "mean queue wait Wq (s)",
            theory: Analytic.md1WaitMean(arrivalRate: testCase.lambda, serviceRate: Idealised.serviceRate),
            values: replications.map(\.waitMean),
            tolerance: .following(nu: testCase.nu, plan: plan, absolute: 0.001))
        #expect(check.passes, "\(testCase.testDescription): \(check.failureMessage)")
        let little = LittleCheck(replications, warmupEdge: true)
        #expect(little.passes, "Little's law is off by \(little.worst) in some replication")

        let parameters = "λ = \(Report.number(testCase.lambda))/s, D = 1 s; start with \(testCase.initialBacklog) queued, "
            + "warm-up \(testCase.warmupTime); \(plan.replications) × \(Report.grouped(plan.customers)) customers"
        let rows = [
            ReportRow(caseName: testCase.testDescription, parameters: parameters, check: check),
            little.row(caseName: testCase.testDescription, parameters: parameters),
        ]
        Report.shared.record(section: .md1, order: Int(testCase.rho * 100), name: testCase.testDescription, rows: rows)
    }
}
