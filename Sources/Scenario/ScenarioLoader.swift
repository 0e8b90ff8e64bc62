import Foundation
import Yams

/// Loads scenario files: YAML text to a validated ``Scenario``, or every mistake at once.
///
/// Loading reads the file, checks every value and reference, expands the sweep and loads each
/// of its points, and tries the plan's values, all before anything runs. Errors come back as
/// ``ScenarioErrors``, each located `FILE:LINE:COLUMN: key.path: what is wrong (what was
/// expected)`; warnings come back with the scenario.
public enum ScenarioLoader {
    /// Loads the scenario file at `path`; data files it names are relative to its folder.
    public static func load(path: String) throws(ScenarioErrors) -> Scenario {
        let location = TextPosition.start
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioErrors([Diagnostic(file: path, location: location, path: "",
                                             message: "cannot read the file: no such file (expected a scenario file)")])
        }
        // Measured before reading: a 50 MB file was read whole (75 MB) only to be refused.
        if !isDirectory.boolValue, let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           let refusal = sizeRefusal(bytes: size, source: path) {
            throw refusal
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioErrors([Diagnostic(file: path, location: location, path: "",
                                             message: "cannot read the file: \(isDirectory.boolValue ? "it is a folder" : "it is not readable") (expected a scenario file)")])
        }
        if let refusal = sizeRefusal(bytes: data.count, source: path) { throw refusal }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioErrors([Diagnostic(file: path, location: location, path: "",
                                             message: "the file is not UTF-8 text (expected a YAML scenario file)")])
        }
        return try load(yaml: text, source: path)
    }

    /// Loads a scenario from YAML text. `source` names it in messages; data files are read
    /// relative to `baseDirectory`, by default the folder of `source`.
    public static func load(yaml: String, source: String, baseDirectory: String? = nil) throws(ScenarioErrors) -> Scenario {
        if let refusal = sizeRefusal(bytes: yaml.utf8.count, source: source) { throw refusal }
        let sink = DiagnosticSink(file: source)
        guard let tree = SourceParser.parse(yaml, sink: sink) else { throw ScenarioErrors(sink.diagnostics) }
        return try load(tree: tree, source: source, baseDirectory: baseDirectory ?? directory(of: source), sink: sink)
    }

    /// Loads a scenario from a Yams node tree (composed with `Yams.compose`, so that nodes
    /// carry their locations).
    public static func load(node: Node, source: String, baseDirectory: String? = nil) throws(ScenarioErrors) -> Scenario {
        let sink = DiagnosticSink(file: source)
        let converter = NodeConverter(sink: sink, edits: TextEdits())
        let tree = converter.convert(node, path: .root)
        guard !converter.exceededLimit else { throw ScenarioErrors(sink.diagnostics) }
        return try load(tree: tree, source: source, baseDirectory: baseDirectory ?? directory(of: source), sink: sink)
    }

    /// The largest scenario file, a named assumption: 8 MiB. Loading takes 70-150 times a
    /// file's size in memory (YAML nodes, then the located tree), so 8 MiB stays near 1 GB;
    /// the largest shipped and benchmark files (4,000 pipelines) are about 1.5 MB. Long
    /// traces and distributions belong in data files (`trace: {file: ...}`), which are read apart.
    public static let maximumFileBytes = 8 << 20

    /// The error for a file above ``maximumFileBytes``, if it is.
    static func sizeRefusal(bytes: Int, source: String) -> ScenarioErrors? {
        guard bytes > maximumFileBytes else { return nil }
        return ScenarioErrors([Diagnostic(
            file: source, location: .start, path: "",
            message: "the file is \(NumberText.grouped(bytes)) bytes, above the \(NumberText.bytes(maximumFileBytes)) a scenario file may have (expected a scenario of ordinary size: put long traces and distributions in data files, `trace: {file: ...}`, or split the scenario)")])
    }

    /// Reads a tree, then expands its sweep and tries its plan values.
    static func load(tree: SourceNode, source: String, baseDirectory: String?, sink: DiagnosticSink) throws(ScenarioErrors) -> Scenario {
        let files = DataFiles(baseDirectory: baseDirectory)
        let reader = ScenarioReader(values: ValueReader(sink: sink, files: files))
        let result = reader.read(tree, source: source, baseDirectory: baseDirectory)
        guard var scenario = result.scenario else { throw ScenarioErrors(ordered(sink.diagnostics)) }
        scenario.warnings = sink.diagnostics.filter { $0.severity == .warning }
        if let block = result.sweep {
            scenario.sweep = SweepExpander(base: scenario, files: files, sink: sink).expand(block)
        }
        if let block = result.plan {
            PlanChecker(base: scenario, files: files, sink: sink).check(block)
        }
        let diagnostics = ordered(sink.diagnostics)
        guard !sink.hasErrors else { throw ScenarioErrors(diagnostics) }
        scenario.warnings = diagnostics.filter { $0.severity == .warning }
        scenario.dataFilesFingerprint = files.fingerprint
        return scenario
    }

    /// Reads one variant tree (a sweep point, a plan candidate) without expanding anything:
    /// the scenario if it is valid, and its diagnostics.
    static func readVariant(_ tree: SourceNode, of base: Scenario, files: DataFiles) -> (Scenario?, [Diagnostic]) {
        readVariant(tree, source: base.source, baseDirectory: base.baseDirectory, files: files)
    }

    /// Reads one variant tree of the file `source`.
    static func readVariant(_ tree: SourceNode, source: String, baseDirectory: String?, files: DataFiles) -> (Scenario?, [Diagnostic]) {
        LoadCounts.readVariant()
        let sink = DiagnosticSink(file: source)
        let reader = ScenarioReader(values: ValueReader(sink: sink, files: files))
        var scenario = reader.read(tree, source: source, baseDirectory: baseDirectory).scenario
        scenario?.warnings = sink.diagnostics.filter { $0.severity == .warning }
        return (sink.hasErrors ? nil : scenario, sink.diagnostics)
    }

    /// A scenario with values replaced (``Scenario/applying(_:)``).
    static func variant(of base: Scenario, assigning assignments: [ParameterAssignment]) throws(ScenarioErrors) -> Scenario {
        let context = assignments.map(\.description).joined(separator: ", ")
        var tree = base.document
        var problems: [Diagnostic] = []
        for assignment in assignments {
            let value: SourceNode
            if assignment.value.isEmpty {
                value = .scalar(SourceScalar(text: "", isQuoted: false, location: base.document.location))
            } else {
                let valueSink = DiagnosticSink(file: base.source)
                guard let parsed = SourceParser.parse(assignment.value, sink: valueSink) else {
                    let reason = valueSink.diagnostics.first?.message ?? "invalid YAML"
                    problems.append(Diagnostic(file: base.source, location: base.document.location, path: assignment.path,
                                               message: "the value '\(assignment.value)' cannot be read: \(reason)", context: context))
                    continue
                }
                value = parsed
            }
            do {
                _ = try TreeEditor.assign(value, at: assignment.path, in: &tree, location: base.document.location, relocate: true)
            } catch {
                problems.append(Diagnostic(file: base.source, location: base.document.location, path: assignment.path,
                                           message: error.message, context: context))
            }
        }
        guard problems.isEmpty else { throw ScenarioErrors(problems) }
        let (scenario, diagnostics) = readVariant(tree, of: base, files: DataFiles(baseDirectory: base.baseDirectory))
        guard let scenario else {
            throw ScenarioErrors(ordered(diagnostics).map { var d = $0; d.context = context; return d })
        }
        return scenario
    }

    /// Diagnostics of the file itself in file order, then those of sweep points and plan
    /// values in the order they were found.
    static func ordered(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let own = diagnostics.enumerated().filter { $0.element.context == nil }
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }.map(\.element)
        return own + diagnostics.filter { $0.context != nil }
    }

    /// The folder of a file path, or nil for a bare file name (the current directory).
    static func directory(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
