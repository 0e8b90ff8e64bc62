import Scenario

/// What the planner's check of its own answer found for one concurrency limit.
public struct PlanSelfCheck: Sendable, Equatable {
    /// The limit's plan path.
    public var path: String
    /// Whether the constrained metrics fell (or stayed) as the limit rose at every value
    /// evaluated with the other settings at the answer's.
    public var monotone: Bool
    /// The values of the limit evaluated with the others at the answer's, ascending.
    public var values: [String]
    /// The answer's value before the check, and after it (lower where the check found a
    /// passing value the search had stepped over).
    public var before: String
    public var after: String
    /// Where the response was not monotone: from the last failing value below the first rise
    /// (or the range's start) to the rise's upper value or the answer before the check,
    /// whichever is higher; nil when it was monotone.
    public var stretch: (low: String, high: String)?
    /// The constraint whose response rose (`all latency_p99`), or whose verdict did.
    public var constraint: String?

    public static func == (a: PlanSelfCheck, b: PlanSelfCheck) -> Bool {
        a.path == b.path && a.monotone == b.monotone && a.values == b.values && a.before == b.before && a.after == b.after
            && a.stretch?.low == b.stretch?.low && a.stretch?.high == b.stretch?.high && a.constraint == b.constraint
    }

    /// One line for people: `all latency_p99 is not monotone in functions.f.reserved_concurrency
    /// between 3 and 6: checked every value from 4 up; the least that passes is 4`.
    public var text: String {
        guard !monotone, let stretch, let constraint else {
            return "\(path): monotone at the \(values.count) values checked (\(values.first ?? "-") to \(values.last ?? "-")) "
                + "with the other settings at the answer's"
        }
        let found = "checked every value from \(stretch.low) up to \(after), the least that passes"
        return "\(constraint) is not monotone in \(path) between \(stretch.low) and \(stretch.high): \(found)"
    }
}

/// The planner's check of its own answer.
///
/// The search gallops and bisects each concurrency limit on the assumption that more
/// concurrency never makes a constraint worse. That holds for a queue and its servers, not
/// for everything a pipeline does (bursts meeting the poller ramp, throttles, batching
/// windows): a bisection can step over a passing value below the one it returns. So after
/// the search, for each limit of the answer, the other settings fixed:
///
/// 1. **Neighbourhood**: the values one below and one above the answer are evaluated.
/// 2. **Probes**: each gap between values evaluated below the answer gets its midpoint.
/// 3. **Monotonicity**: over every value evaluated (ascending), a pass below a confident
///    failure, or a constraint that fails somewhere on the line and whose interval at a higher
///    value lies wholly above its interval at a lower one, is a rise.
/// 4. **Exhaustive where needed**: after a rise, every value from the last failure below the
///    rise upward is evaluated until one passes: that is the least passing value. Below that
///    failure the values evaluated showed the response falling, and the check takes it as
///    monotone there (`docs/experiments.md`, "The planner's self-check").
extension PlanSearch {
    /// Checks every limit of `answer`; returns the answer (lowered where a limit was) and
    /// what each check found.
    mutating func selfCheck(_ answer: PlanEvaluation) throws(PlanSearchStop) -> (PlanEvaluation, [PlanSelfCheck]) {
        var x = knobs.map { knob in knob.index(of: answer.configuration.values[knob.position]) ?? 0 }
        var best = answer
        var checks: [PlanSelfCheck] = []
        for k in limits where knobs[k].count > 1 {
            let before = x[k]
            // 1. The neighbourhood.
            for neighbour in [before - 1, before + 1] where neighbour >= 0 && neighbour < knobs[k].count {
                _ = try evaluate(x, k, neighbour)
            }
            // 2. A probe in every gap below the answer.
            let below = line(x, k).map(\.index).filter { $0 < before }
            for (low, high) in zip(below, below.dropFirst()) where high - low > 1 {
                _ = try evaluate(x, k, low + (high - low) / 2)
            }
            // 3. A rise anywhere on the line?
            let points = line(x, k)
            var check = PlanSelfCheck(path: knobs[k].variable.path, monotone: true, values: points.map { knobs[k].value(at: $0.index) },
                                      before: knobs[k].value(at: before), after: knobs[k].value(at: before))
            if let rise = Self.rise(points) {
                // 4. Every value from the last failure below the rise up to the first pass.
                let floor = points.last { $0.index < rise.low && !$0.evaluation.verdict.passes }?.index ?? -1
                var candidate = floor + 1
                while candidate < before {
                    let evaluation = try evaluate(x, k, candidate)
                    if evaluation.verdict.passes { break }
                    candidate += 1
                }
                if candidate < before, let evaluation = evaluator.known(with(x, k, candidate)) {
                    x[k] = candidate
                    best = evaluation
                }
                check.monotone = false
                check.stretch = (knobs[k].value(at: max(0, floor)), knobs[k].value(at: max(rise.high, before)))
                check.constraint = rise.constraint
                check.after = knobs[k].value(at: x[k])
                check.values = line(x, k).map { knobs[k].value(at: $0.index) }
            }
            checks.append(check)
        }
        return (best, checks)
    }

    /// `x` with limit `k` at `index`.
    private func with(_ x: [Int], _ k: Int, _ index: Int) -> [Int] {
        var y = x
        y[k] = index
        return y
    }

    private mutating func evaluate(_ x: [Int], _ k: Int, _ index: Int) throws(PlanSearchStop) -> PlanEvaluation {
        try evaluator.evaluate(with(x, k, index))
    }

    /// The simulated configurations that differ from `x` only in limit `k`, by its index.
    private func line(_ x: [Int], _ k: Int) -> [(index: Int, evaluation: PlanEvaluation)] {
        return evaluator.evaluations.compactMap { evaluation -> (index: Int, evaluation: PlanEvaluation)? in
            guard evaluation.simulated else { return nil }
            let values = evaluation.configuration.values
            for knob in knobs where knob.position != k && values[knob.position] != knob.value(at: x[knob.position]) { return nil }
            guard let index = knobs[k].index(of: values[k]) else { return nil }
            return (index, evaluation)
        }.sorted { $0.index < $1.index }
    }

    /// The first rise on a line of evaluations in ascending order of a limit: a pass below a
    /// confident failure, or an interval of a constraint that fails somewhere on the line lying
    /// wholly above the interval at a lower value. `low` and `high` are the two values' indices.
    static func rise(_ points: [(index: Int, evaluation: PlanEvaluation)]) -> (low: Int, high: Int, constraint: String)? {
        let failing = Set(points.flatMap { $0.evaluation.checks.filter { $0.outcome != .met }.map(\.constraint) })
        for (i, lower) in points.enumerated() {
            for upper in points[(i + 1)...] {
                if lower.evaluation.verdict.passes, upper.evaluation.verdict == .fail {
                    let missed = upper.evaluation.checks.first { $0.outcome == .violated }?.constraint
                    return (lower.index, upper.index, missed.map { "\($0.scopeName) \($0.key)" } ?? "the SLO")
                }
                for check in upper.evaluation.checks where failing.contains(check.constraint) {
                    guard let high = check.estimate, let low = lower.evaluation.check(check.constraint)?.estimate else { continue }
                    if (high.ci95Low ?? high.mean) > (low.ci95High ?? low.mean) {
                        return (lower.index, upper.index, "\(check.constraint.scopeName) \(check.constraint.key)")
                    }
                }
            }
        }
        return nil
    }
}
