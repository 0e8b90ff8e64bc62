/// Tries the values a plan may give each setting, one setting at a time, so that a value the
/// setting can never take (`memory: 20GB`, a path with a typo) is reported before planning.
///
/// Conflicts with other settings (a reserved concurrency that, with the file's other
/// functions, exceeds the account) are left to the planner: they depend on the combination,
/// and the planner treats such a configuration as infeasible. A key that the file's other keys
/// exclude whatever its value (`reserved_concurrency` on Managed Instances) is reported once:
/// no value of it can run (it passed validate and failed at the plan's start).
struct PlanChecker {
    /// The scenario as read.
    let base: Scenario
    /// Data files.
    let files: DataFiles
    /// Where diagnostics go.
    let sink: DiagnosticSink

    /// Checks every variable's path and values.
    func check(_ block: PlanBlock) {
        // A sweep block beside the plan is not read again for every value tried.
        let document = SweepExpander.withoutSweep(base.document)
        for variable in block.variables {
            let path = FieldPath.root.appending("plan").appending("vary").appending(variable.path)
            guard let first = variable.candidates.first else { continue }
            if let message = PathProbe.problem(with: variable.path, value: first, keyLocation: variable.keyLocation, base: base,
                                               files: files) {
                sink.error(variable.keyLocation, path, message)
                continue
            }
            var excluded: Set<String> = []
            for candidate in variable.candidates {
                var tree = document
                guard let placement = try? TreeEditor.assign(candidate, at: variable.path, in: &tree, location: variable.keyLocation,
                                                             relocate: false) else { continue }
                let (_, diagnostics) = ScenarioLoader.readVariant(tree, of: base, files: files)
                let context = "plan value \(variable.path)=\(candidate.flowText)"
                for diagnostic in ScenarioLoader.ordered(diagnostics) where diagnostic.severity == .error && diagnostic.kind != .conflict
                    && (diagnostic.path == placement.path.description || diagnostic.path.hasPrefix(placement.path.description + ".")) {
                    var located = diagnostic
                    located.context = context
                    if diagnostic.kind == .excludedKey {
                        // Whatever the value: once, at the plan's key.
                        guard excluded.insert(diagnostic.path + diagnostic.message).inserted else { continue }
                        located.location = variable.keyLocation
                        located.context = "plan values of \(variable.path)"
                    }
                    sink.append([located])
                }
            }
        }
    }
}
