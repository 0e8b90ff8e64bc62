import Scenario
import ServerlessModel

/// Why nothing meets the SLO, in words a user can act on: what still fails, what limit
/// stopped the search, and how much concurrency queueing theory says would be needed.
enum PlanExplanation {
    /// The explanation of a search's failure.
    static func explain(_ failure: SearchFailure?, evaluator: PlanEvaluator, estimates: [String: CapacityEstimate],
                        stoppedEarly: Bool) -> String {
        guard let failure else {
            return stoppedEarly
                ? "the search stopped after \(evaluator.simulated) simulated configurations (the planner's limit) before any met the SLO"
                : "no configuration meets the SLO"
        }
        let knobs = evaluator.knobs
        switch failure {
        case .infeasible(let evaluation):
            return "the configuration \(evaluator.label(evaluation.configuration)) cannot be used: \(evaluation.reason)"

        case .exhausted(let evaluation, let limits):
            let keys = relaxable(evaluation)
            guard !limits.isEmpty else {
                let scopes = unique(evaluation.checks.filter { $0.outcome != .met }.map(\.constraint.scopeName))
                let others = knobs.contains { $0.role == .other } ? ", and no value of the other settings helped" : ""
                return "no concurrency limit the plan varies affects \(list(scopes))\(others): \(evaluation.reason); "
                    + "vary one that does (such as the reserved concurrency of its function) or relax \(keys)"
            }
            let tops = limits.map { "\(knobs[$0].variable.path) = \(knobs[$0].value(at: knobs[$0].count - 1))" }
            var text = "even with \(list(tops)) (the top of \(limits.count == 1 ? "its range" : "their ranges")), \(evaluation.reason)"
            let functions = unique(limits.compactMap { knobs[$0].function })
            let found = functions.compactMap { estimates[$0] }
            if let stuck = found.first(where: { $0.unreachable != nil }), let target = stuck.unreachable {
                text += "; no concurrency meets \(target): one message's work in \(stuck.function) takes "
                    + "\(PlanText.value(stuck.serviceSeconds, seconds: true)) on average, too slow for the target however "
                    + "short the queue: relax \(keys) or make the work faster"
                return text
            }
            let needed = found.reduce(0) { PlanText.saturatingSum($0, $1.concurrency ?? 0) }
            let top = limits.reduce(0) { PlanText.saturatingSum($0, knobs[$1].number(at: knobs[$1].count - 1) ?? 0) }
            if needed > top {
                text += "; needs about \(PlanText.grouped(needed)) concurrent executions (Erlang C on an offered load of "
                    + "\(PlanText.value(found.reduce(0) { $0 + $1.offeredLoad }, seconds: false))): widen the range or relax \(keys)"
            } else {
                text += "; more concurrency does not help, so something else limits it (retries, throttles, a downstream "
                    + "limit, cold starts): change that or relax \(keys)"
            }
            return text

        case .account(let failing, let rejected, let limits):
            let keys = relaxable(failing)
            let demand = accountDemand(rejected, evaluator: evaluator)
            let functions = unique(limits.compactMap { knobs[$0].function })
            // Each blamed limit needs at least one more than it had; queueing theory may ask more.
            var needed = 0
            var parts: [String] = []
            for part in accountDemand(failing, evaluator: evaluator).parts {
                var reserved = part.reserved
                if functions.contains(part.function) {
                    reserved = max(PlanText.saturatingSum(reserved, 1), estimates[part.function]?.concurrency ?? 0)
                    parts.append("\(part.function) about \(PlanText.grouped(reserved))")
                }
                needed = PlanText.saturatingSum(needed, reserved)
            }
            return "\(failing.reason) at \(evaluator.label(failing.configuration)); needs about \(PlanText.grouped(needed)) "
                + "concurrent executions reserved (\(parts.joined(separator: ", "))); the account allows "
                + "\(PlanText.grouped(demand.concurrency)) with \(PlanText.grouped(demand.unreservedMinimum)) unreserved, so at most "
                + "\(PlanText.grouped(max(0, demand.available))) can be reserved: raise the quota (account.concurrency) or relax \(keys)"
        }
    }

    /// The reserved concurrency of an evaluated configuration.
    private static func accountDemand(_ evaluation: PlanEvaluation, evaluator: PlanEvaluator) -> AccountDemand {
        let indices = evaluator.knobs.map { knob in
            knob.index(of: evaluation.configuration.values[knob.position]) ?? 0
        }
        return evaluator.accountDemand(indices)
    }

    /// The SLO keys an evaluation misses, as `latency_p99 or dead_lettered`.
    private static func relaxable(_ evaluation: PlanEvaluation) -> String {
        let keys = unique(evaluation.checks.filter { $0.outcome != .met }.map { check in
            check.constraint.key == "unfinished" ? "the latency targets" : check.constraint.key
        })
        return keys.isEmpty ? "the SLO" : keys.joined(separator: " or ")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "nothing"
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}
