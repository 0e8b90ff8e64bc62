/// How far the planner may go: replications, evaluations, and whether it starts from the
/// analytic guess.
public struct PlanSettings: Sendable {
    /// The most replications a configuration gets while an interval straddles its target;
    /// nil: four times the initial count, at least 8.
    public var maximumReplications: Int?
    /// The most configurations simulated before the search stops with what it has (a
    /// configuration rejected without simulating does not count).
    public var maximumEvaluations: Int
    /// Whether concurrency limits start at the Erlang C estimate; without it they start at
    /// their smallest value (which only costs more simulations).
    public var analyticGuess: Bool
    /// Called after every evaluation, on the calling thread.
    public var progress: (@Sendable (PlanProgress) -> Void)?

    /// Creates settings.
    public init(maximumReplications: Int? = nil, maximumEvaluations: Int = 200, analyticGuess: Bool = true,
                progress: (@Sendable (PlanProgress) -> Void)? = nil) {
        self.maximumReplications = maximumReplications
        self.maximumEvaluations = maximumEvaluations
        self.analyticGuess = analyticGuess
        self.progress = progress
    }
}

/// How far a plan has come, for a status line.
public struct PlanProgress: Sendable, Equatable {
    /// Configurations evaluated (infeasible ones included).
    public var evaluations: Int
    /// Simulation runs so far (pilot runs for an automatic warm-up included).
    public var simulations: Int
    /// The last configuration evaluated, `path=value, ...`.
    public var last: String
    /// Its verdict.
    public var verdict: PlanVerdict

    /// Creates a progress report.
    public init(evaluations: Int, simulations: Int, last: String, verdict: PlanVerdict) {
        self.evaluations = evaluations
        self.simulations = simulations
        self.last = last
        self.verdict = verdict
    }
}
