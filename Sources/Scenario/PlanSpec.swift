/// The scenario's `plan:` block: what the capacity planner may change and what it minimises.
public struct PlanSpec: Hashable, Sendable {
    /// The quantity to make as small as possible while the SLO holds.
    public var minimize: PlanObjective
    /// The settings the planner may change, in file order.
    public var vary: [PlanVariable]

    /// Creates a plan.
    public init(minimize: PlanObjective = .cost, vary: [PlanVariable]) {
        self.minimize = minimize
        self.vary = vary
    }
}

/// What the planner minimises.
public enum PlanObjective: String, Hashable, Sendable, CaseIterable {
    /// The estimated cost of the run.
    case cost
    /// The monthly bill (`cost_per_month_usd`: the measured window scaled to 30 days, with
    /// AWS's tiers).
    case costPerMonth = "cost_per_month"
    /// The concurrency the configuration reserves (or uses).
    case concurrency
}

/// One setting the planner may change.
public struct PlanVariable: Hashable, Sendable {
    /// The dotted key path, e.g. `functions.worker.reserved_concurrency`.
    public var path: String
    /// The values it may take.
    public var domain: PlanDomain

    /// Creates a variable.
    public init(path: String, domain: PlanDomain) {
        self.path = path
        self.domain = domain
    }

    /// The assignment of one candidate value, to pass to ``Scenario/applying(_:)``.
    public func assignment(_ value: String) -> ParameterAssignment { ParameterAssignment(path: path, value: value) }
}

/// The values a planned setting may take.
public enum PlanDomain: Hashable, Sendable {
    /// Every whole number from `min` to `max`.
    case integerRange(min: Int, max: Int)
    /// These values, as YAML flow text (`512MB`, `1GB`), in file order.
    case values([String])
}
