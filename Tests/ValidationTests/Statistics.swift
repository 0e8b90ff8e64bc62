import Foundation
import SimCore

/// How much simulation a validation case gets, and how its tolerances follow from that.
///
/// The normal `swift test` runs the **fast** plan: a few seconds per case in a debug build.
/// `QUEUESIM_LONG_VALIDATION=1` selects the **long** plan, which `make validation` uses to
/// regenerate `docs/VALIDATION.md`.
enum ValidationMode {
    /// Whether the long plan was asked for.
    static let isLong: Bool = ProcessInfo.processInfo.environment["QUEUESIM_LONG_VALIDATION"] == "1"

    /// Where to write the validation table, if anywhere (`QUEUESIM_VALIDATION_REPORT`).
    static let reportPath: String? = {
        guard let path = ProcessInfo.processInfo.environment["QUEUESIM_VALIDATION_REPORT"], !path.isEmpty else { return nil }
        return path
    }()

    static var name: String { isLong ? "long" : "fast" }
}

/// Replications of a stochastic case: `replications` independent runs of about `customers`
/// measured messages each.
struct Plan: Sendable, Equatable {
    var replications: Int
    var customers: Int

    var total: Int { replications * customers }

    /// Fast: 10 replications of 5,000 customers, 2–4 s of a debug build on one core.
    static let fast = Plan(replications: 10, customers: 5_000)

    /// Long: 40 replications sharing enough customers that the expected 95 % half-width of the
    /// mean wait is about 2.5 % (`N = (2.1·ν / 0.025)²`), but at least 1 and at most 10 million
    /// customers (a case then takes up to about a minute in a release build).
    static func long(nu: Double) -> Plan {
        let wanted = (2.1 * nu / 0.025) * (2.1 * nu / 0.025)
        let total = min(10_000_000.0, max(1_000_000.0, wanted))
        let replications = 40
        return Plan(replications: replications, customers: Int((total / Double(replications)).rounded(.up)))
    }

    /// The plan of the current mode.
    static func current(nu: Double) -> Plan { ValidationMode.isLong ? .long(nu: nu) : .fast }
}

/// A tolerance: the 95 % interval must lie within `theory ± max(relative·|theory|, absolute)`.
struct Tolerance: Sendable, Equatable {
    var relative: Double
    var absolute: Double

    /// The half-width of the allowed band around `theory`.
    func band(_ theory: Double) -> Double { max(relative * abs(theory), absolute) }

    /// The tolerance that follows from a sample size.
    ///
    /// `nu` is the statistic's relative asymptotic standard deviation per customer,
    /// `ν = σ / θ` with `σ² = lim n·Var(mean of n customers)`, measured by an independent
    /// reference simulator (docs/validation/reference.c, 40 million customers, batch means).
    /// The expected 95 % half-width of the mean over `R` replications of `n` customers is
    /// then `h = t(0.975, R − 1)·ν / √(R·n)` (relative), and the tolerance is `3·h`, rounded
    /// up to the next half per cent. A case passes when its interval lies within
    /// `theory ± tolerance`, which needs `|mean − theory| <= tolerance − h ≈ 2·h`, about 4
    /// standard errors: a correct model rarely fails by chance (well under 1 % of cases, the
    /// spread of the estimated half-width included), and a model off by more than the
    /// tolerance cannot pass.
    ///
    /// `absolute` is a floor for statistics whose theoretical value is so small that no
    /// feasible run sees it (M/M/64 at ρ = 0.5 waits with probability 4·10⁻⁷).
    static func following(nu: Double, plan: Plan, absolute: Double) -> Tolerance {
        let t = ConfidenceInterval.studentT(probability: 0.975, degreesOfFreedom: plan.replications - 1)
        let h = t * nu / Double(plan.total).squareRoot()
        return Tolerance(relative: (3 * h * 200).rounded(.up) / 200, absolute: absolute)
    }

    var description: String {
        if absolute > 0 && relative > 0 { return "±\(Report.percent(relative)) or ±\(Report.number(absolute))" }
        if absolute > 0 { return "±\(Report.number(absolute))" }
        return "±\(Report.percent(relative))"
    }
}

/// One statistic of one case: its replication values against the theory.
struct Check: Sendable {
    var statistic: String
    var theory: Double
    var values: [Double]
    var tolerance: Tolerance

    var interval: ConfidenceInterval? { ConfidenceInterval(values) }
    var mean: Double { interval?.mean ?? .nan }
    var relativeError: Double { theory != 0 ? (mean - theory) / theory : .nan }

    /// Whether the whole 95 % interval lies within the tolerance band around the theory.
    var passes: Bool {
        guard let interval, let low = interval.low, let high = interval.high else { return false }
        let band = tolerance.band(theory)
        return low >= theory - band && high <= theory + band
    }

    var failureMessage: String {
        let ci = interval.map { "\($0.mean) [\($0.low ?? .nan), \($0.high ?? .nan)]" } ?? "none"
        return "\(statistic): theory \(theory), simulated \(ci), tolerance \(tolerance.description)"
    }
}
