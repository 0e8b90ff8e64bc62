/// A sweep's points, each read when it is asked for: the file's tree without its sweep block,
/// the point's values put at their paths, read again with every check.
///
/// Points share the file's tree and its data files; a point's tree and pipeline exist only
/// while it is used. Holding every point loaded took about 460 KB a point for a file of 1,000
/// pipelines (459 MB for 1,000 points; Benchmarks/PROFILE.md, "Sweep files"). The loader has
/// read every point once (``SweepExpander``), and a point read again is the same tree read
/// from the same data files with the same checks, so it is valid too.
public struct SweepPoints: RandomAccessCollection, Hashable, Sendable {
    /// The file's tree without its `sweep:` entry.
    let document: SourceNode
    /// How the values combine.
    let mode: SweepMode
    /// The swept settings, their values with their locations in the sweep block.
    let parameters: [SweepBlock.Parameter]
    /// The file, as the user named it, and the folder data files are read from.
    let source: String
    let baseDirectory: String?
    /// The data files read while loading, which every point reads from.
    let files: DataFiles
    /// How many points there are.
    public let count: Int

    init(document: SourceNode, block: SweepBlock, source: String, baseDirectory: String?, files: DataFiles) {
        self.document = document
        mode = block.mode
        parameters = block.parameters
        self.source = source
        self.baseDirectory = baseDirectory
        self.files = files
        count = block.pointCount
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The point at `position`, read now.
    public subscript(position: Int) -> SweepPoint {
        let (tree, assignments) = variant(at: position)
        let (scenario, _) = read(tree)
        guard let scenario else { preconditionFailure("sweep point \(position) loaded before and not now") }
        return SweepPoint(index: position, label: Self.label(assignments), assignments: assignments, scenario: scenario)
    }

    /// The tree of point `position` and its values.
    func variant(at position: Int) -> (tree: SourceNode, assignments: [ParameterAssignment]) {
        var tree = document
        var assignments: [ParameterAssignment] = []
        let block = SweepBlock(mode: mode, parameters: parameters)
        for (parameter, valueIndex) in zip(parameters, block.combination(at: position)) {
            let value = parameter.values[valueIndex]
            // The loader checked every path, so assigning cannot fail here.
            _ = try? TreeEditor.assign(value, at: parameter.path, in: &tree, location: parameter.keyLocation, relocate: false)
            assignments.append(ParameterAssignment(path: parameter.path, value: value.flowText))
        }
        return (tree, assignments)
    }

    /// A point's tree read in full: the scenario if it is valid, and its diagnostics.
    func read(_ tree: SourceNode) -> (Scenario?, [Diagnostic]) {
        ScenarioLoader.readVariant(tree, source: source, baseDirectory: baseDirectory, files: files)
    }

    /// `path=value, path=value`.
    static func label(_ assignments: [ParameterAssignment]) -> String {
        assignments.map(\.description).joined(separator: ", ")
    }

    /// Two sweeps' points are the same when they are made of the same tree and values (the
    /// data files are those the tree names).
    public static func == (a: SweepPoints, b: SweepPoints) -> Bool {
        a.document == b.document && a.mode == b.mode && a.parameters == b.parameters && a.source == b.source
            && a.baseDirectory == b.baseDirectory
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(document)
        hasher.combine(mode)
        hasher.combine(parameters)
    }
}
