import ServerlessModel

/// Reads a whole scenario tree: the top-level keys, the pipeline, the cross-checks and the
/// `slo:`, `plan:` and `sweep:` blocks (the latter two only as written; the loader expands the
/// sweep and tries the plan's values, which needs the scenario read first).
struct ScenarioReader {
    /// The top-level keys of a scenario file.
    static let topLevelKeys = ["name", "description", "run", "account", "prices", "assumptions", "groups", "queues",
                               "functions", "downstreams", "front_doors", "schedules", "containers", "sweep", "slo", "plan"]

    /// The readers and the sink.
    let values: ValueReader

    /// What one reading produced: the scenario (if no error) and the blocks still to finish.
    struct Result {
        /// The scenario without sweep points (nil if the file has errors).
        var scenario: Scenario?
        /// The sweep block as written.
        var sweep: SweepBlock?
        /// Where the plan's variables are written, for trying their values.
        var plan: PlanBlock?
    }

    /// Reads a tree.
    func read(_ tree: SourceNode, source: String, baseDirectory: String?) -> Result {
        let sink = values.sink
        let pipelineReader = PipelineReader(values: values)
        guard let root = values.mapping(tree, .root, keys: Self.topLevelKeys,
                                        expected: "a mapping with name, run, groups, queues and functions") else {
            return Result()
        }
        let rootLocation = root.mapping.location

        var name = ""
        if let value = values.required(root, "name", expected: "a name such as shared-queue") {
            name = values.text(value, root.path("name"), expected: "a name such as shared-queue") ?? ""
            if name.contains("/") {
                sink.error(value.location, root.path("name"),
                           "'\(name)' contains '/' (expected a name usable as a folder name, such as shared-queue)")
            }
        }
        let description = root["description"].flatMap { values.text($0, root.path("description"), expected: "free text") } ?? ""

        let (run, runView) = pipelineReader.run(root["run"], rootLocation: rootLocation)
        let (account, accountView) = pipelineReader.account(root["account"])
        var pipeline = ReadPipeline(run: run, runView: runView, account: account, accountView: accountView)
        pipeline.names = EntityNames(root: root)
        pipeline.prices = pipelineReader.prices(root["prices"])
        pipeline.assumptions = pipelineReader.assumptions(root["assumptions"])
        pipeline.groups = pipelineReader.groups(root["groups"], rootLocation: rootLocation)
        pipeline.queues = pipelineReader.queues(root["queues"], rootLocation: rootLocation)
        pipeline.functions = pipelineReader.functions(root["functions"], rootLocation: rootLocation)
        pipeline.downstreams = pipelineReader.downstreams(root["downstreams"])
        pipeline.frontDoors = pipelineReader.frontDoors(root["front_doors"])
        pipeline.containers = pipelineReader.containers(root["containers"])

        pipeline.schedules = pipelineReader.schedules(root["schedules"])

        PipelineChecks(pipeline: pipeline, sink: sink).run()
        PipelineWarnings(pipeline: pipeline, sink: sink).run()

        let groupNames = pipeline.names.groups.ordered
        let slo = root["slo"].flatMap { ObjectiveReader(values: values).read($0, groupNames: groupNames) }
        let plan = root["plan"].flatMap { PlanReader(values: values).read($0, hasObjective: slo != nil) }
        let sweep = root["sweep"].flatMap { SweepReader(values: values).read($0) }

        var result = Result(sweep: sweep, plan: plan?.block)
        guard !sink.hasErrors else { return result }
        var spec = PipelineSpec(
            name: name, run: pipeline.run, account: pipeline.account, prices: pipeline.prices,
            assumptions: pipeline.assumptions, groups: pipeline.groups.map(\.spec), queues: pipeline.queues.map(\.spec),
            functions: pipeline.functions.map(\.spec), downstreams: pipeline.downstreams.map(\.spec)
        )
        spec.frontDoors = pipeline.frontDoors.map(\.spec)
        spec.containers = pipeline.containers.map(\.spec)
        spec.schedules = pipeline.schedules.map(\.spec)
        result.scenario = Scenario(pipeline: spec, description: description, sweep: nil, slo: slo, plan: plan?.spec,
                                   source: source, warnings: [], document: tree, baseDirectory: baseDirectory)
        return result
    }
}
