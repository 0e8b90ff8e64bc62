import Scenario
import ServerlessModel

/// Why a search for the least concurrency found no passing configuration.
enum SearchFailure {
    /// The configuration still failing when the limits that could help were all at their
    /// largest values (or no varied limit affects the failing scope: `limits` is empty).
    case exhausted(PlanEvaluation, limits: [Int])
    /// Raising the limits that could help would reserve more than the account allows:
    /// `failing` is the last configuration simulated, `rejected` the one the account refused.
    case account(failing: PlanEvaluation, rejected: PlanEvaluation, limits: [Int])
    /// The configuration does not load at all (a conflict the values create).
    case infeasible(PlanEvaluation)
}

/// The capacity planner's search: the cheapest configuration whose SLO holds with confidence.
///
/// Concurrency limits are monotone: more reserved, maximum or provisioned concurrency never
/// lengthens a queue wait. So for fixed values of the other settings, the least concurrency
/// that passes is found without trying every value:
///
/// 1. **Start** at the analytic guess (Erlang C on the offered load `λ·E[S]`).
/// 2. **Gallop up** while the configuration fails: raise only the limits that can affect the
///    failing constraints (a group's function's limits; every limit for `all`), by 1, 2, 4,
///    ... index steps, until it passes, hits the top of a range, or would reserve more than
///    the account allows. A failure that only one limit can affect marks that limit's value as
///    too small.
/// 3. **Descend** limit by limit, others fixed: gallop down from the passing value until a
///    failure (or the smallest value) brackets the least passing value, then bisect. One pass
///    suffices: lowering a limit can only make the others' least values larger, never smaller,
///    and each is already bracketed from below.
///
/// The other settings (memory, batch size, ...) are searched coordinate by coordinate: each
/// value of one setting, the rest fixed at the best so far, with the least concurrency found
/// again for each (warm-started from the best's limits), until a round improves nothing. Long
/// integer ranges get a geometric ladder, then a bracket refinement around the best rung.
///
/// The planner keeps the least concurrency for each setting of the others even when it
/// minimises cost: with the others fixed, more concurrency only adds idle pollers' empty
/// receives and cold starts, so it never costs less beyond the noise.
struct PlanSearch {
    /// Evaluates (and remembers) configurations.
    let evaluator: PlanEvaluator
    /// What is minimised among passing configurations.
    let objective: PlanObjective
    /// The plan's settings, by position.
    let knobs: [PlanKnob]
    /// Positions of the concurrency limits, in plan order.
    let limits: [Int]
    /// Positions of the other settings, in plan order.
    let others: [Int]
    /// The groups whose messages each function handles.
    let reaching: [String: Set<String>]
    /// The starting index of every knob.
    let start: [Int]

    /// The first failure met, for the explanation when nothing passes.
    private(set) var failure: SearchFailure?

    /// A search of the evaluator's plan on `pipeline` (the scenario's), from `start`.
    init(evaluator: PlanEvaluator, objective: PlanObjective, pipeline: PipelineSpec, start: [Int]) {
        self.evaluator = evaluator
        self.objective = objective
        knobs = evaluator.knobs
        limits = knobs.filter { $0.role == .concurrency }.map(\.position)
        others = knobs.filter { $0.role == .other }.map(\.position)
        reaching = CapacityModel.groupsReaching(pipeline)
        self.start = start
    }

    /// Runs the search; returns the best passing evaluation, or nil.
    mutating func run() throws(PlanSearchStop) -> PlanEvaluation? {
        var incumbent = try leastConcurrency(from: start)
        guard !others.isEmpty else { return incumbent?.evaluation }
        var current = incumbent?.indices ?? start
        for _ in 0..<3 {
            var improved = false
            for j in others {
                let ladder = knobs[j].ladder()
                for rung in ladder where rung != current[j] {
                    var trial = incumbent?.indices ?? current
                    trial[j] = rung
                    let found = try leastConcurrency(from: trial)
                    if let found, better(found.evaluation, than: incumbent?.evaluation) {
                        incumbent = found
                        improved = true
                    }
                }
                if knobs[j].count > ladder.count, let best = incumbent {
                    if let refined = try refine(j, around: best, ladder: ladder), better(refined.evaluation, than: incumbent?.evaluation) {
                        incumbent = refined
                        improved = true
                    }
                }
                current = incumbent?.indices ?? current
            }
            if !improved { break }
        }
        return incumbent?.evaluation
    }

    /// Whether `candidate` beats `incumbent` on the objective (ties keep the incumbent).
    private func better(_ candidate: PlanEvaluation, than incumbent: PlanEvaluation?) -> Bool {
        guard let incumbent else { return true }
        let (a, b) = (candidate.objective(objective), incumbent.objective(objective))
        return a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    /// Narrows the bracket around the best rung of a long range: midpoints toward each
    /// neighbouring rung, moving to a better one, halving until the neighbours are adjacent.
    private mutating func refine(_ j: Int, around best: (indices: [Int], evaluation: PlanEvaluation),
                                 ladder: [Int]) throws(PlanSearchStop) -> (indices: [Int], evaluation: PlanEvaluation)? {
        var centre = best
        let position = best.indices[j]
        var left = ladder.last { $0 < position } ?? position
        var right = ladder.first { $0 > position } ?? position
        var moved = false
        while centre.indices[j] - left > 1 || right - centre.indices[j] > 1 {
            let c = centre.indices[j]
            let probe = c - left > 1 ? left + (c - left) / 2 : c + (right - c) / 2
            var trial = centre.indices
            trial[j] = probe
            if let found = try leastConcurrency(from: trial), better(found.evaluation, than: centre.evaluation) {
                if probe < c { right = c } else { left = c }
                centre = found
                moved = true
            } else if probe < c {
                left = probe
            } else {
                right = probe
            }
        }
        return moved ? centre : nil
    }

    /// The least concurrency limits that pass with the other settings as in `base`, starting
    /// the limits at `base`'s values; nil (and `failure` set) when none passes.
    mutating func leastConcurrency(from base: [Int]) throws(PlanSearchStop) -> (indices: [Int], evaluation: PlanEvaluation)? {
        var x = fitAccount(base)
        var known: [Int: Int] = [:]  // limit → the largest index known to fail
        var step: [Int: Int] = [:]
        var evaluation = try evaluator.evaluate(x)
        var previous: (indices: [Int], evaluation: PlanEvaluation)?

        // Gallop up until the configuration passes.
        while !evaluation.verdict.passes {
            if evaluation.verdict == .infeasible {
                guard let last = previous, !evaluator.accountDemand(x).fits else {
                    note(.infeasible(evaluation))
                    return nil
                }
                // The raise overshot the account: retry the smallest raise before giving up.
                let blamed = raisable(last.evaluation, at: last.indices)
                var smallest = last.indices
                for k in blamed { smallest[k] = knobs[k].index(smallest[k], raisedBy: 1) }
                if smallest != x, evaluator.accountDemand(smallest).fits {
                    for k in blamed { step[k] = 1 }
                    x = smallest
                    evaluation = try evaluator.evaluate(x)
                    continue
                }
                note(.account(failing: last.evaluation, rejected: evaluation, limits: blamed))
                return nil
            }
            let blamed = raisable(evaluation, at: x)
            guard !blamed.isEmpty else {
                note(.exhausted(evaluation, limits: self.blamed(evaluation)))
                return nil
            }
            for k in sole(evaluation) { known[k] = max(known[k] ?? -1, x[k]) }
            previous = (x, evaluation)
            for k in blamed {
                let size = step[k, default: 1]
                x[k] = knobs[k].index(x[k], raisedBy: size)
                step[k] = size < Int.max / 2 ? size * 2 : size
            }
            evaluation = try evaluator.evaluate(x)
        }

        // Descend each limit to its least passing value, the others fixed.
        for k in limits {
            var high = x[k]
            var low = known[k] ?? -1
            if low < 0 {
                var stride = 1
                while high > 0 {
                    var y = x
                    y[k] = max(0, high - stride)
                    let trial = try evaluator.evaluate(y)
                    if trial.verdict.passes {
                        high = y[k]
                        x = y
                        evaluation = trial
                        stride = stride < Int.max / 2 ? stride * 2 : stride
                    } else {
                        low = y[k]
                        break
                    }
                }
            }
            while high - low > 1 {
                var y = x
                y[k] = low + (high - low) / 2
                let trial = try evaluator.evaluate(y)
                if trial.verdict.passes {
                    high = y[k]
                    x = y
                    evaluation = trial
                } else {
                    low = y[k]
                }
            }
        }
        return (x, evaluation)
    }

    /// The limits lowered, largest reservation first, until the reserved concurrency fits the
    /// account: a first guess (or a warm start) may ask for more than it allows.
    func fitAccount(_ base: [Int]) -> [Int] {
        var x = base
        let reserving = limits.filter { knobs[$0].reserves }
        while !evaluator.accountDemand(x).fits {
            let lowerable = reserving.filter { x[$0] > 0 }
            guard let largest = lowerable.max(by: { (knobs[$0].number(at: x[$0]) ?? 0) < (knobs[$1].number(at: x[$1]) ?? 0) })
            else { break }
            x[largest] -= 1
        }
        return x
    }

    /// The limits that can affect a constraint the evaluation does not meet.
    ///
    /// A miss of `all` that comes with misses of single groups is put down to those groups
    /// (the overall percentile cannot exceed every group's): only when no group misses does it
    /// blame every limit. Otherwise one slow group would raise every group's concurrency.
    func blamed(_ evaluation: PlanEvaluation) -> [Int] {
        var open = evaluation.checks.filter { $0.outcome != .met }.map(\.constraint)
        if open.contains(where: { $0.kind == .group }) { open.removeAll { $0.kind == .all } }
        return limits.filter { k in open.contains { affects(k, $0) } }
    }

    /// The blamed limits that can still go up.
    private func raisable(_ evaluation: PlanEvaluation, at x: [Int]) -> [Int] {
        blamed(evaluation).filter { x[$0] < knobs[$0].count - 1 }
    }

    /// The limits that alone affect some unmet constraint: their current value is too small
    /// whatever the others are.
    private func sole(_ evaluation: PlanEvaluation) -> [Int] {
        var result: Set<Int> = []
        for check in evaluation.checks where check.outcome != .met {
            let affecting = limits.filter { affects($0, check.constraint) }
            if affecting.count == 1, let only = affecting.first { result.insert(only) }
        }
        return result.sorted()
    }

    /// Whether a limit can affect a constraint: a function's limit affects the groups whose
    /// messages it handles (and `all`); the account quota affects everything.
    func affects(_ k: Int, _ constraint: PlanConstraint) -> Bool {
        guard constraint.kind == .group, let function = knobs[k].function else { return true }
        return reaching[function]?.contains(constraint.scope) ?? false
    }

    /// Keeps the first failure: the one with the other settings at their starting values.
    private mutating func note(_ failure: SearchFailure) {
        if self.failure == nil { self.failure = failure }
    }
}
