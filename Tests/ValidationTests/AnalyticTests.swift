import Foundation
import Testing

/// The analytic helper against published table values and independent formulas.
@Suite struct AnalyticTests {
    /// Traffic that a published Erlang B table gives for a blocking probability and a number
    /// of circuits (the classic telephony tables; e.g. 10 circuits carry 4.461 Erlangs at 1 %).
    struct ErlangBTableEntry: Sendable, CustomTestStringConvertible {
        let servers: Int
        let offered: Double
        let blocking: Double
        var testDescription: String { "B(\(servers), \(offered)) = \(blocking)" }
    }

    static let erlangBTable: [ErlangBTableEntry] = [
        ErlangBTableEntry(servers: 1, offered: 0.0101, blocking: 0.01),
        ErlangBTableEntry(servers: 2, offered: 0.153, blocking: 0.01),
        ErlangBTableEntry(servers: 5, offered: 1.361, blocking: 0.01),
        ErlangBTableEntry(servers: 10, offered: 4.461, blocking: 0.01),
        ErlangBTableEntry(servers: 20, offered: 12.031, blocking: 0.01),
        ErlangBTableEntry(servers: 50, offered: 37.901, blocking: 0.01),
        ErlangBTableEntry(servers: 100, offered: 84.064, blocking: 0.01),
        ErlangBTableEntry(servers: 10, offered: 5.084, blocking: 0.02),
        ErlangBTableEntry(servers: 10, offered: 6.216, blocking: 0.05),
    ]

    /// Table loads are printed to 3–4 significant digits. Near these loads dB/B ≈ c·da/a, so the
    /// rounding (da up to 0.0005) moves B by up to 0.65 % (c = 2, a = 0.153); 1 % relative
    /// still catches any error of the formula.
    @Test(arguments: erlangBTable)
    func erlangBMatchesThePublishedTable(_ entry: ErlangBTableEntry) {
        let b = Analytic.erlangB(servers: entry.servers, offered: entry.offered)
        let pass = abs(b - entry.blocking) <= 0.01 * entry.blocking
        #expect(pass, "B = \(b)")
        Report.shared.record(section: .analytic, order: entry.servers * 10_000 + Int(entry.blocking * 1_000), name: entry.testDescription,
                             rows: [ReportRow(caseName: "Erlang B table", parameters: "c = \(entry.servers), a = \(entry.offered)",
                                              statistic: "B(c, a)", expected: Report.number(entry.blocking), observed: Report.number(b),
                                              relativeError: Report.signedPercent((b - entry.blocking) / entry.blocking),
                                              tolerance: "±1 % (table rounding)", pass: pass)])
    }

    @Test func erlangBMatchesTheDefinitionAndClosedForms() {
        // c = 1: a / (1 + a); c = 0: always blocked.
        for a in [0.1, 1, 7.5] { #expect(abs(Analytic.erlangB(servers: 1, offered: a) - a / (1 + a)) < 1e-15) }
        #expect(Analytic.erlangB(servers: 0, offered: 3) == 1)
        #expect(Analytic.erlangB(servers: 5, offered: 0) == 0)
        // The definition (a^c / c!) / Σ a^k / k!, summed in log space with lgamma.
        for (c, a) in [(3, 2.0), (12, 10.0), (64, 60.8), (150, 140.0)] {
            let logTerms = (0...c).map { k in Double(k) * log(a) - lgamma(Double(k) + 1) }
            let top = logTerms.max()!
            let direct = exp(logTerms[c] - top) / logTerms.map { exp($0 - top) }.reduce(0, +)
            let b = Analytic.erlangB(servers: c, offered: a)
            #expect(abs(b - direct) <= 1e-12 * direct, "B(\(c), \(a)) = \(b), direct \(direct)")
        }
        // The recursion stays finite where a^c and c! overflow a Double.
        let big = Analytic.erlangB(servers: 1_000, offered: 950)
        #expect(big.isFinite && big > 0 && big < 0.05)
    }

    @Test func erlangCMatchesKnownValues() {
        // M/M/1: the probability of waiting is the utilisation.
        for rho in [0.1, 0.5, 0.95] { #expect(abs(Analytic.erlangC(servers: 1, offered: rho) - rho) < 1e-15) }
        // Textbook values C(2, 1) = 1/3 and C(3, 2) = 4/9 (exact), and published values to 4
        // decimals: 10 Erlangs on 12 agents wait with probability 0.4494 (the call-centre
        // example), 8 Erlangs on 10 servers with 0.4092.
        var rows: [ReportRow] = []
        for (c, a, published) in [(2, 1.0, 1.0 / 3), (3, 2.0, 4.0 / 9), (12, 10.0, 0.4494), (10, 8.0, 0.4092)] {
            let value = Analytic.erlangC(servers: c, offered: a)
            let tolerance = c <= 3 ? 1e-15 : 5e-5
            let pass = abs(value - published) <= tolerance
            #expect(pass, "C(\(c), \(a)) = \(value)")
            rows.append(ReportRow(caseName: "Erlang C", parameters: "c = \(c), a = \(a)", statistic: "C(c, a)",
                                  expected: Report.number(published), observed: Report.number(value),
                                  tolerance: tolerance < 1e-9 ? "exact fraction" : "±0.00005 (4 decimals)", pass: pass))
        }
        Report.shared.record(section: .analytic, order: 1_000_000, name: "Erlang C", rows: rows)
        // The direct formula C = (a^c/c!)·c/(c − a) / (Σ_{k<c} a^k/k! + (a^c/c!)·c/(c − a)).
        for (c, a) in [(4, 3.2), (16, 15.2), (64, 60.8)] {
            var term = 1.0
            var below = 0.0
            for k in 0..<c {
                below += term
                term *= a / Double(k + 1)
            }
            let top = term * Double(c) / (Double(c) - a)
            let direct = top / (below + top)
            #expect(abs(Analytic.erlangC(servers: c, offered: a) - direct) <= 1e-12 * direct)
        }
    }

    @Test func mmcWaitAndTailFollowFromErlangC() {
        // M/M/1: Wq = ρ / (μ − λ); with μ = 1, λ = 0.8: 4 s.
        #expect(abs(Analytic.mmcWaitMean(arrivalRate: 0.8, serviceRate: 1, servers: 1) - 4) < 1e-12)
        // M/M/2 at λ = 1, μ = 1: C = 1/3, Wq = (1/3) / (2 − 1) = 1/3.
        #expect(abs(Analytic.mmcWaitMean(arrivalRate: 1, serviceRate: 1, servers: 2) - 1.0 / 3) < 1e-15)
        // The tail starts at C and integrates to Wq: ∫ C·e^(−θt) dt = C/θ.
        let (lambda, mu, c) = (15.2, 1.0, 16)
        let theta = Double(c) * mu - lambda
        let erlangC = Analytic.erlangC(servers: c, offered: lambda / mu)
        #expect(Analytic.mmcWaitTail(0, arrivalRate: lambda, serviceRate: mu, servers: c) == erlangC)
        #expect(abs(Analytic.mmcWaitTail(1 / theta, arrivalRate: lambda, serviceRate: mu, servers: c) - erlangC / M_E) < 1e-15)
        var integral = 0.0
        let step = 1e-3 / theta
        for i in 0..<20_000 {
            integral += Analytic.mmcWaitTail((Double(i) + 0.5) * step, arrivalRate: lambda, serviceRate: mu, servers: c) * step
        }
        let wait = Analytic.mmcWaitMean(arrivalRate: lambda, serviceRate: mu, servers: c)
        #expect(abs(integral - wait) <= 1e-6 * wait)
        // Little: L = λ·W = λ·Wq + a.
        #expect(abs(Analytic.mmcInSystemMean(arrivalRate: lambda, serviceRate: mu, servers: c) - (lambda * wait + lambda)) < 1e-12)
    }

    @Test func pollaczekKhinchineMatchesItsSpecialCases() {
        // M/D/1: ρ / (2μ(1 − ρ)); at ρ = 0.8 and μ = 1: 2 s.
        #expect(abs(Analytic.md1WaitMean(arrivalRate: 0.8, serviceRate: 1) - 2) < 1e-12)
        #expect(abs(Analytic.md1WaitMean(arrivalRate: 0.5, serviceRate: 2) - 0.25 / (2 * 2 * 0.75)) < 1e-15)
        // M/M/1 as M/G/1 with E[S²] = 2/μ²: P-K gives ρ/(μ − λ), Erlang C's M/M/1 wait.
        let pk = Analytic.pollaczekKhinchineWait(arrivalRate: 0.9, serviceMean: 1, serviceSecondMoment: 2)
        #expect(abs(pk - Analytic.mmcWaitMean(arrivalRate: 0.9, serviceRate: 1, servers: 1)) < 1e-12)
        // Deterministic service halves the M/M/1 wait.
        #expect(abs(Analytic.md1WaitMean(arrivalRate: 0.9, serviceRate: 1) - pk / 2) < 1e-12)
    }

    @Test func theStationarySamplerHasTheMMcDistribution() {
        for (c, lambda) in [(1, 0.8), (4, 3.2), (16, 8.0), (64, 60.8)] {
            let a = lambda
            let rho = a / Double(c)
            let stationary = Analytic.MMcStationary(arrivalRate: lambda, serviceRate: 1, servers: c)
            let expected = Analytic.mmcInSystemMean(arrivalRate: lambda, serviceRate: 1, servers: c)
            #expect(abs(stationary.mean - expected) <= 1e-12 * expected)
            // The textbook probabilities p_n = p0·a^n/n! (n < c), p0·a^c/c!·ρ^(n−c) (n >= c).
            var terms = [1.0]
            for n in 1...c { terms.append(terms[n - 1] * a / Double(n)) }
            let p0 = 1 / (terms[0..<c].reduce(0, +) + terms[c] / (1 - rho))
            // Below c the sampler inverts a cumulative table, weighted by 1 − C.
            for n in 0..<c {
                let step = stationary.belowCumulative[n] - (n > 0 ? stationary.belowCumulative[n - 1] : 0)
                let implied = (1 - stationary.waitProbability) * step
                #expect(abs(implied - p0 * terms[n]) <= 1e-12 + 1e-9 * p0 * terms[n], "P(N = \(n)) for c = \(c)")
            }
            // At or above c, P(N = c + k) = C·(1 − ρ)·ρ^k: the geometric inversion returns k
            // exactly for v in (ρ^(k+1), ρ^k].
            for k in [0, 1, 5, 40] {
                #expect(abs(stationary.waitProbability * (1 - rho) * pow(rho, Double(k)) - p0 * terms[c] * pow(rho, Double(k)))
                        <= 1e-12)
                let inside = pow(rho, Double(k)) * (1 - 1e-9) + pow(rho, Double(k + 1)) * 1e-9
                #expect(stationary.sample(stationary.waitProbability / 2, inside) == c + k)
            }
            // u >= C never samples a waiting state; the largest v lands on c − 1 at most.
            #expect(stationary.sample(min(0.999_999, stationary.waitProbability + 1e-9), 0.999_999_999) <= c - 1)
        }
    }
}
