import ServerlessModel

/// A scenario file, read and validated: the pipeline to simulate and how to run and judge it.
///
/// Made only by ``ScenarioLoader``, so a `Scenario` value is always valid: every reference
/// resolves, every number is in its AWS range, every sweep point loads.
public struct Scenario: Hashable, Sendable {
    /// The pipeline with its run settings, account, prices, assumptions and entities.
    public var pipeline: PipelineSpec
    /// Free text from the file's `description:` (empty if none).
    public var description: String
    /// The `sweep:` block with every point validated, if the file has one.
    public var sweep: Sweep?
    /// The `slo:` block, if any.
    public var slo: ServiceLevelObjective?
    /// The `plan:` block, if any.
    public var plan: PlanSpec?
    /// The file it was read from, as the user named it.
    public var source: String
    /// Settings that are valid but probably not what the user wants.
    public var warnings: [Diagnostic]
    /// A hash of the data files the scenario and its sweep points read (traces, empirical
    /// durations, tenant tables), or nil if it reads none.
    public var dataFilesFingerprint: String?

    /// The tree it was read from, so variants (sweep points, plan candidates) can be made by
    /// editing values and reading again, with every check applied to them too.
    let document: SourceNode
    /// The folder data files are read from.
    let baseDirectory: String?

    /// Creates a scenario; only the loader does.
    init(pipeline: PipelineSpec, description: String, sweep: Sweep?, slo: ServiceLevelObjective?, plan: PlanSpec?,
         source: String, warnings: [Diagnostic], document: SourceNode, baseDirectory: String?) {
        self.pipeline = pipeline
        self.description = description
        self.sweep = sweep
        self.slo = slo
        self.plan = plan
        self.source = source
        self.warnings = warnings
        self.document = document
        self.baseDirectory = baseDirectory
    }

    /// The scenario's name (required in the file).
    public var name: String { pipeline.name }

    /// Every sweep point, read now (``SweepPoints`` reads one at a time); empty without a
    /// `sweep:` block.
    public var sweepPoints: [SweepPoint] { sweep.map { Array($0.points) } ?? [] }

    /// The scenario with some values replaced, as a sweep point or a planner's candidate:
    /// each assignment's YAML text is put at its dotted path and the file is read again, so
    /// the variant passes every check. Errors name the assignments.
    public func applying(_ assignments: [ParameterAssignment]) throws(ScenarioErrors) -> Scenario {
        try ScenarioLoader.variant(of: self, assigning: assignments)
    }
}
