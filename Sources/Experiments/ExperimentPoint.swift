import ServerlessModel

/// One configuration to run: a pipeline and how it is labelled in outputs.
///
/// A plain `simulate` has one point (index 0, no parameters); a sweep has one per expanded
/// sweep point; `compare` has one per variant.
public struct ExperimentPoint: Sendable {
    /// The position in the experiment, from 0 (the `point` column).
    public var index: Int
    /// `path=value, ...` for tables; empty for a single point.
    public var label: String
    /// The swept values of this point, one per swept parameter, in parameter order.
    public var parameters: [ParameterValue]
    /// The pipeline to run.
    public var pipeline: PipelineSpec

    /// Creates a point.
    public init(index: Int, label: String = "", parameters: [ParameterValue] = [], pipeline: PipelineSpec) {
        self.index = index
        self.label = label
        self.parameters = parameters
        self.pipeline = pipeline
    }
}

/// The value a sweep point gives one swept parameter.
public struct ParameterValue: Hashable, Sendable, Codable {
    /// The dotted key path, which is also the CSV column name.
    public var name: String
    /// The value as written in YAML (`16`, `512MB`).
    public var value: String

    /// Creates a parameter value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
