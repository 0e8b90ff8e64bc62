/// A scenario's `sweep:` block: values to try for some settings, and every combination.
public struct Sweep: Hashable, Sendable {
    /// How the value lists combine.
    public var mode: SweepMode
    /// The swept settings in file order.
    public var parameters: [SweepParameter]
    /// Every point, validated, in order (grid: the last parameter changes fastest); each is
    /// read when it is asked for.
    public var points: SweepPoints

    /// Creates a sweep.
    init(mode: SweepMode, parameters: [SweepParameter], points: SweepPoints) {
        self.mode = mode
        self.parameters = parameters
        self.points = points
    }
}

/// How a sweep's value lists combine.
public enum SweepMode: String, Hashable, Sendable, CaseIterable {
    /// Every combination (cartesian product).
    case grid
    /// The i-th values of every list together; the lists must be equally long.
    case zip
}

/// One swept setting: a dotted key path and the values to try, as YAML text.
public struct SweepParameter: Hashable, Sendable {
    /// The dotted key path, e.g. `functions.worker.reserved_concurrency`.
    public var path: String
    /// The values, as YAML flow text (`16`, `512MB`, `{exponential: {mean: 1s}}`).
    public var values: [String]

    /// Creates a parameter.
    public init(path: String, values: [String]) {
        self.path = path
        self.values = values
    }
}

/// A value put at a dotted key path of a scenario file.
public struct ParameterAssignment: Hashable, Sendable, CustomStringConvertible {
    /// The dotted key path, e.g. `functions.worker.memory`.
    public var path: String
    /// The value as YAML flow text, e.g. `1GB` or `{uniform: {min: 1s, max: 2s}}`.
    public var value: String

    /// Creates an assignment.
    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    /// `path=value`.
    public var description: String { "\(path)=\(value)" }
}

/// One point of a sweep: its settings and the scenario they make.
public struct SweepPoint: Hashable, Sendable {
    /// The position in the sweep, from 0.
    public var index: Int
    /// `path=value, path=value`, for tables and messages.
    public var label: String
    /// The values of this point, one per swept parameter.
    public var assignments: [ParameterAssignment]
    /// The scenario with these values (its own `sweep` is nil).
    public var scenario: Scenario

    /// Creates a point.
    public init(index: Int, label: String, assignments: [ParameterAssignment], scenario: Scenario) {
        self.index = index
        self.label = label
        self.assignments = assignments
        self.scenario = scenario
    }
}
