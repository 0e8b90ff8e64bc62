import Foundation
import ServerlessModel
import SimCore
import Testing

/// An M/G/c/c loss case: synchronous callers, reserved concurrency c, no client retries.
struct ErlangBCase: Sendable, CustomTestStringConvertible {
    enum Service: String, Sendable { case exponential, constant }

    let servers: Int
    /// Offered load a = λ/μ in Erlangs (μ = 1/s).
    let offered: Double
    let service: Service
    /// ν of the blocking fraction (docs/validation/reference.c).
    let nu: Double

    /// At least 200 s of calls per replication: the warm-up's edge effect on Little's law (the
    /// calls in progress when it ends count in L but not in X·W) is about W/T = 1 s / T, 0.5 %.
    var plan: Plan {
        var plan = Plan.current(nu: nu)
        plan.customers = max(plan.customers, Int((200 * offered * Idealised.serviceRate).rounded(.up)))
        return plan
    }
    var seed: UInt64 { UInt64(900_000 + 1_000 * servers + Int((offered * 10).rounded())) + (service == .constant ? 7 : 0) }
    var order: Int { servers * 100_000 + Int((offered * 100).rounded()) * 2 + (service == .constant ? 1 : 0) }
    var distribution: Distribution {
        service == .exponential ? .exponential(mean: Idealised.meanService) : .constant(Idealised.meanService)
    }
    var testDescription: String { "M/\(service == .exponential ? "M" : "D")/\(servers)/\(servers) at a = \(offered)" }

    static let all: [ErlangBCase] = [
        ErlangBCase(servers: 1, offered: 1, service: .exponential, nu: 1.044),
        // 10 circuits at 1 % blocking: the textbook table value.
        ErlangBCase(servers: 10, offered: 4.461, service: .exponential, nu: 15.14),
        // Erlang B is insensitive to the service distribution beyond its mean.
        ErlangBCase(servers: 10, offered: 4.461, service: .constant, nu: 13.57),
        ErlangBCase(servers: 10, offered: 10, service: .exponential, nu: 3.370),
        ErlangBCase(servers: 64, offered: 64, service: .exponential, nu: 8.493),
    ]
}

/// Synchronous direct invocations against Erlang B.
///
/// Clients invoke the function synchronously at Poisson rate λ; the function has reserved
/// concurrency c and c provisioned environments (no cold start); a throttled call (HTTP 429)
/// is not retried (`attempts: 0`), so it is lost: the M/G/c/c loss system, whose blocking
/// probability — the share of throttled calls, `throttle_rate` — is Erlang B(c, a) whatever
/// the distribution of the handler time.
@Suite struct ErlangBTests {
    static func pipeline(_ testCase: ErlangBCase, customers: Int, warmup: SimTime) -> PipelineSpec {
        let lambda = testCase.offered * Idealised.serviceRate
        let c = testCase.servers
        var assumptions = ModelAssumptions()
        assumptions.scalingInterval = .hours(24)
        return PipelineSpec(
            name: "erlang-b",
            run: RunSettings(duration: warmup + SimTime(seconds: Double(customers) / lambda), drain: .s(30),
                             warmup: .fixed(warmup), timeseriesInterval: .zero),
            account: AccountSpec(concurrency: max(1_000, c + 100)),
            assumptions: assumptions,
            groups: [TaskGroupSpec(name: "callers",
                                   invoke: DirectInvocationSpec(function: "server", retry: ClientRetryPolicy(attempts: 0)),
                                   arrivals: .poisson(rate: Rate(perSecond: lambda)))],
            queues: [],
            functions: [FunctionSpec(
                name: "server", timeout: Idealised.functionTimeout, reservedConcurrency: c, provisionedConcurrency: c,
                duration: testCase.distribution, coldStart: .constant(.zero), idleTimeout: .constant(.hours(24)))])
    }

    /// Loss systems forget their start within a few service times: 20 s of warm-up (20 mean
    /// handler times) leaves no measurable bias.
    @Test(arguments: ErlangBCase.all)
    func throttleRateMatchesErlangB(_ testCase: ErlangBCase) throws {
        let plan = testCase.plan
        let warmup = SimTime.s(20)
        var rates: [Double] = []
        var littleL: [Double] = []
        var littleXW: [Double] = []
        for r in 0..<plan.replications {
            let spec = Self.pipeline(testCase, customers: plan.customers, warmup: warmup)
            let result = try World.simulate(spec, replication: r, seed: testCase.seed)
            #expect(result.conservesMessages, "replication \(r): requests not conserved")
            #expect(result.value(.backlogEnd) == 0)
            // No retries: every throttled call is dropped and nothing else is.
            #expect(result.value(.dropped, "callers") == result.value(.throttles, "callers"))
            #expect(result.value(.attempts, "callers") == result.value(.sent, "callers"))
            #expect(result.value(.functionErrors, "server") == 0)
            #expect(result.value(.coldStarts, "server") == 0)
            #expect(result.value(.crashes, "server") == 0)
            #expect(result.value(.concurrencyPeak, "server") <= Double(testCase.servers))
            rates.append(result.value(.throttleRate, "callers"))
            littleL.append(result.value(.inSystemMean))
            littleXW.append(result.littleXW(duration: spec.run.duration))
        }
        let check = Check(statistic: "throttle_rate = B(c, a)",
                          theory: Analytic.erlangB(servers: testCase.servers, offered: testCase.offered),
                          values: rates, tolerance: .following(nu: testCase.nu, plan: plan, absolute: 0.0005))
        #expect(check.passes, "\(testCase.testDescription): \(check.failureMessage)")
        let littleCheck = LittleCheck(l: littleL, xw: littleXW, warmupEdge: true)
        #expect(littleCheck.passes, "Little's law is off by \(littleCheck.worst)")

        let parameters = "c = \(testCase.servers), λ = \(Report.number(testCase.offered))/s, "
            + "\(testCase.service.rawValue) handler of mean 1 s, no client retry; warm-up 20 s; "
            + "\(plan.replications) × \(Report.grouped(plan.customers)) calls"
        Report.shared.record(section: .erlangB, order: testCase.order, name: testCase.testDescription, rows: [
            ReportRow(caseName: testCase.testDescription, parameters: parameters, check: check),
            littleCheck.row(caseName: testCase.testDescription, parameters: parameters),
        ])
    }
}
