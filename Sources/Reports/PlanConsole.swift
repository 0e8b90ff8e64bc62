import Experiments
import Foundation
import ServerlessModel

/// The console summary of `plan`: the recommendation as YAML to paste (or why there is
/// none), and a table of every configuration evaluated.
public enum PlanConsole {
    /// The whole summary.
    public static func render(_ result: PlanResult, file: String) -> String {
        let configurations = result.simulatedConfigurations
        let rejected = result.evaluations.count - configurations
        var text = "\(result.scenario): plan minimising \(result.objective.rawValue); "
        text += "\(result.simulations) simulation\(result.simulations == 1 ? "" : "s") of \(configurations) configuration\(configurations == 1 ? "" : "s")"
        if rejected > 0 { text += " (\(rejected) more rejected without simulating)" }
        text += ", seed \(result.seed), \(replicationsRun(result))\n"
        text += "SLO, met with 95% confidence (the upper end of each interval within the target):\n"
        for line in targetLines(result) { text += "  \(line)\n" }
        if !result.estimates.isEmpty {
            text += "first guess (Erlang C on the offered load): "
            text += result.estimates.map { estimate in
                let needed = estimate.concurrency.map { String($0) } ?? (estimate.unreachable != nil ? "none meets" : "?")
                return "\(estimate.function) \(needed) (load \(ConsoleNumber.format(estimate.offeredLoad, style: .plain)))"
            }.joined(separator: ", ") + "\n"
        }
        text += "\n" + table(result).text + disagreements(result) + "\n"
        for check in result.selfChecks { text += "self-check: \(check.text)\n" }
        if let recommendation = result.recommendation, let fragment = PlanYAML.fragment(result) {
            text += "recommended: configuration \(recommendation.index)"
            if let cost = recommendation.cost {
                text += ", cost \(cell(cost, style: .usd)) per run"
            }
            if let monthly = recommendation.costPerMonth {
                text += " (\(ConsoleNumber.format(monthly.mean, halfWidth: monthly.halfWidth, style: .usd)) per month)"
            }
            if let concurrency = recommendation.concurrency { text += ", concurrency \(concurrency)" }
            text += "\npaste into \(file):\n\n" + fragment
        } else {
            text += "no configuration meets the SLO: \(result.explanation ?? "")\n"
        }
        if result.stoppedEarly {
            text += "note: the search stopped at the planner's limit of simulated configurations; the result is the best found so far\n"
        }
        return text
    }

    /// `3 replications per configuration` or `2 to 8 replications per configuration (2 to
    /// start, more while an interval straddled a target)`: those run, not those allowed.
    static func replicationsRun(_ result: PlanResult) -> String {
        let counts = result.evaluations.filter(\.simulated).map(\.replications)
        guard let low = counts.min(), let high = counts.max() else {
            return "no configuration simulated (\(result.initialReplications) replications each would have been run)"
        }
        let noun = high == 1 ? "replication" : "replications"
        guard low != high else { return "\(low) \(noun) per configuration" }
        return "\(low) to \(high) \(noun) per configuration (\(result.initialReplications) to start, more while an interval "
            + "straddled a target, at most \(result.maximumReplications))"
    }

    /// The targets, one scope per line: `group A: latency_p99 <= 30s, dead_lettered <= 0`.
    static func targetLines(_ result: PlanResult) -> [String] {
        var order: [String] = []
        var byScope: [String: [String]] = [:]
        for constraint in result.constraints {
            let name = constraint.scopeName
            if byScope[name] == nil { order.append(name) }
            let target = constraint.key == "unfinished"
                ? "unfinished <= \(ConsoleNumber.format(constraint.target, style: .percent)) of sent"
                : "\(constraint.key) <= \(targetText(constraint))"
            byScope[name, default: []].append(target)
        }
        return order.map { "\($0): " + (byScope[$0] ?? []).joined(separator: ", ") }
    }

    /// The table of evaluations: values, the worst scope of each SLO key, cost, verdict.
    public static func table(_ result: PlanResult) -> TextTable {
        var keys: [String] = []
        for constraint in result.constraints where !keys.contains(constraint.key) { keys.append(constraint.key) }
        var table = TextTable(header: ["#"] + result.paths.map(heading) + keys.map { "\($0) (worst)" }
                              + ["cost", "reps", "result", "failing constraint"])
        for evaluation in result.evaluations {
            var row = ["\(evaluation.index)\(evaluation.index == result.recommended ? "*" : "")"] + evaluation.configuration.values
            for key in keys {
                row.append(worst(evaluation.checks.filter { $0.constraint.key == key }))
            }
            row.append(evaluation.cost.map { cell($0, style: .usd) } ?? "-")
            row.append(evaluation.simulated ? String(evaluation.replications) : "-")
            row.append(evaluation.verdict.passes ? "pass" : evaluation.verdict == .fail ? "FAIL" : evaluation.verdict.rawValue)
            row.append(evaluation.brief)
            table.rows.append(row)
        }
        // TextTable right-aligns every column but the first; padding the reasons to one
        // width reads them left-aligned.
        let width = table.rows.map { $0.last?.count ?? 0 }.max() ?? 0
        for i in table.rows.indices {
            let reason = table.rows[i].removeLast()
            table.rows[i].append(reason + String(repeating: " ", count: width - reason.count))
        }
        return table
    }

    /// A short heading for a plan path: `worker-A reserved` for
    /// `functions.worker-A.reserved_concurrency`.
    static func heading(_ path: String) -> String {
        var text = path.hasPrefix("functions.") ? String(path.dropFirst("functions.".count)) : path
        for (long, short) in [(".reserved_concurrency", " reserved"), (".trigger.maximum_concurrency", " max concurrency"),
                              (".provisioned_concurrency", " provisioned")] where text.hasSuffix(long) {
            text = String(text.dropLast(long.count)) + short
        }
        return text
    }

    /// The check furthest from its target (relative to it), as `B 24.1 ± 2.0 s`.
    static func worst(_ checks: [ConstraintCheck]) -> String {
        func severity(_ check: ConstraintCheck) -> Double {
            if check.withoutValue > 0 { return .infinity }
            guard let estimate = check.estimate else { return -.infinity }
            let value = estimate.ci95High ?? estimate.mean
            let target = check.constraint.target
            return target > 0 ? value / target : (value > 0 ? .greatestFiniteMagnitude : 0)
        }
        guard let check = checks.max(by: { severity($0) < severity($1) }) else { return "-" }
        if check.withoutValue > 0 { return "\(check.constraint.scope) none succeeded" }
        guard let estimate = check.estimate else { return "-" }
        let style = style(check.constraint)
        return "\(check.constraint.scope) " + cell(estimate, style: style)
    }

    /// An estimate as `mean ± half-width`, or `mean [low, high]` when its interval was kept in
    /// the measure's range and is lopsided; marked as the summary marks replications that
    /// disagree (``SummaryConsole/disagreementMark``).
    static func cell(_ estimate: PlanEstimate, style: ConsoleNumber.Style) -> String {
        var text: String
        if !estimate.isSymmetric, let low = estimate.ci95Low, let high = estimate.ci95High {
            text = ConsoleNumber.format(estimate.mean, style: style) + " [" + ConsoleNumber.format(low, style: style) + ", "
                + ConsoleNumber.format(high, style: style) + "]"
        } else {
            text = ConsoleNumber.format(estimate.mean, halfWidth: estimate.halfWidth, style: style)
        }
        return estimate.replicationsDisagree ? text + " " + SummaryConsole.disagreementMark : text
    }

    /// The note under the table naming every constrained value whose replications disagree so
    /// much that a mean hides it, with their range; empty when there is none.
    static func disagreements(_ result: PlanResult) -> String {
        var lines: [String] = []
        for evaluation in result.evaluations {
            for check in evaluation.checks {
                guard let estimate = check.estimate, estimate.replicationsDisagree, let spread = estimate.spread else { continue }
                let style = style(check.constraint)
                lines.append("  configuration \(evaluation.index) \(check.constraint.scope) \(check.constraint.key): "
                             + "\(ConsoleNumber.format(spread.lowerBound, style: style)) to "
                             + "\(ConsoleNumber.format(spread.upperBound, style: style)) over \(estimate.n) replications")
            }
        }
        guard !lines.isEmpty else { return "" }
        return "\n" + SummaryConsole.disagreementLegend + ":\n" + lines.joined(separator: "\n") + "\n"
    }

    private static func style(_ constraint: PlanConstraint) -> ConsoleNumber.Style {
        switch constraint.measure {
        case .metric(let metric): ConsoleNumber.style(of: metric)
        case .unfinishedShare: .percent
        }
    }

    private static func targetText(_ constraint: PlanConstraint) -> String {
        CSVNumber.format(constraint.target) + (constraint.isSeconds ? "s" : "")
    }
}
