/// Tries the values a plan may give each setting, one setting at a time, so that a value the
/// setting can never take (`memory: 20GB`, a path with a typo) is reported before planning.
///
/// Conflicts with other settings (a reserved concurrency that, with the file's other
/// functions, exceeds the account) are left to the planner: they depend on the combination,
/// and the planner treats such a configuration as infeasible.
struct PlanChecker {
    /// The scenario as read.
    let base: Scenario
    /// Data files.
    let files: DataFiles
    /// Where diagnostics go.
    let sink: DiagnosticSink

    /// Checks every variable's path and values.
    func check(_ block: PlanBlock) {
        for variable in block.variables {
            let path = FieldPath.root.appending("plan").appending("vary").appending(variable.path)
            guard let first = variable.candidates.first else { continue }
            if let message = PathProbe.problem(with: variable.path, value: first, keyLocation: variable.keyLocation, base: base,
                                               files: files) {
                sink.error(variable.keyLocation, path, message)
                continue
            }
            for candidate in variable.candidates {
                var tree = base.document
                guard let placement = try? TreeEditor.assign(candidate, at: variable.path, in: &tree, location: variable.keyLocation,
                                                             relocate: false) else { continue }
                let (_, diagnostics) = ScenarioLoader.readVariant(tree, of: base, files: files)
                let context = "plan value \(variable.path)=\(candidate.flowText)"
                for diagnostic in ScenarioLoader.ordered(diagnostics) where diagnostic.severity == .error && diagnostic.kind != .conflict
                    && (diagnostic.path == placement.path.description || diagnostic.path.hasPrefix(placement.path.description + ".")) {
                    var located = diagnostic
                    located.context = context
                    sink.append([located])
                }
            }
        }
    }
}
