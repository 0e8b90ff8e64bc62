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

/// One setting the planner may change, with the settings tied to it.
public struct PlanVariable: Hashable, Sendable {
    /// The dotted key path, e.g. `functions.worker.reserved_concurrency`.
    public var path: String
    /// The values it may take.
    public var domain: PlanDomain
    /// Paths that move with it (`vary:` entries written `{same_as: path}`): each configuration
    /// gives them this variable's value, as when maximum concurrency follows reserved
    /// concurrency. In file order.
    public var tied: [String]

    /// Creates a variable.
    public init(path: String, domain: PlanDomain, tied: [String] = []) {
        self.path = path
        self.domain = domain
        self.tied = tied
    }

    /// The path and the paths tied to it.
    public var paths: [String] { [path] + tied }

    /// The assignments of one candidate value (to the path and every tied path), to pass to
    /// ``Scenario/applying(_:)``.
    public func assignments(_ value: String) -> [ParameterAssignment] {
        paths.map { ParameterAssignment(path: $0, value: value) }
    }
}

/// The values a planned setting may take.
public enum PlanDomain: Hashable, Sendable {
    /// Every whole number from `min` to `max`.
    case integerRange(min: Int, max: Int)
    /// These values, as YAML flow text (`512MB`, `1GB`), in file order.
    case values([String])
}
