/// Expands a sweep block into points and loads every one of them.
///
/// Each point is the file's tree with the point's values put at their paths, read again with
/// every check, so a value that is fine alone but not with the rest of the file (reserved
/// concurrency over the account) is caught before anything runs. Errors of a point carry its
/// label and are located at the value in the sweep block when the value is at fault. A point
/// is let go once checked: ``SweepPoints`` reads it again when it is asked for.
struct SweepExpander {
    /// The scenario without its sweep.
    let base: Scenario
    /// Data files, shared by all points.
    let files: DataFiles
    /// Where diagnostics go.
    let sink: DiagnosticSink

    /// Points with errors reported in full; the rest are counted.
    static let maximumReportedPoints = 20

    /// The expanded sweep, or nil (with diagnostics) if a path or a point is wrong.
    func expand(_ block: SweepBlock) -> Sweep? {
        guard checkPaths(block) else { return nil }
        let baseWarnings = Set(base.warnings.map(\.description))
        var pointWarnings = PointWarnings()
        var failed = 0
        // A point's tree leaves the sweep block out: each point reads its tree in full, and
        // with the block (every swept value) in it, a sweep of n points read n times n values.
        let points = SweepPoints(document: Self.withoutSweep(base.document), block: block, source: base.source,
                                 baseDirectory: base.baseDirectory, files: files)
        for index in points.indices {
            let (tree, assignments) = points.variant(at: index)
            let context = "sweep point \(index) (\(Self.contextLabel(assignments)))"
            let (scenario, diagnostics) = points.read(tree)
            if scenario != nil {
                for warning in diagnostics where !baseWarnings.contains(warning.description) {
                    pointWarnings.add(warning, context: context)
                }
            } else {
                failed += 1
                if failed <= Self.maximumReportedPoints {
                    sink.append(ScenarioLoader.ordered(diagnostics).filter { $0.severity == .error }.map { withContext($0, context) })
                }
            }
        }
        sink.append(pointWarnings.diagnostics(points: points.count))
        if failed > Self.maximumReportedPoints, let first = block.parameters.first {
            // Context rather than a path, so that it stays after the point errors it counts.
            sink.append([Diagnostic(file: sink.file, location: first.keyLocation, path: "",
                                    message: "\(NumberText.grouped(failed - Self.maximumReportedPoints)) more sweep points have errors (expected every point to load; fix the ones above first)",
                                    context: "sweep")])
        }
        return failed == 0 ? Sweep(mode: block.mode, parameters: block.parameters.map { SweepParameter(path: $0.path, values: $0.values.map(\.flowText)) },
                                   points: points) : nil
    }

    /// Values named in a point's messages; the point's index names the rest.
    static let maximumValuesInContext = 6

    /// A point's values for its messages: a sweep of 100 settings labelled each of its
    /// thousands of warnings with all 100 (4 KB each, held until printed).
    static func contextLabel(_ assignments: [ParameterAssignment]) -> String {
        guard assignments.count > maximumValuesInContext else { return SweepPoints.label(assignments) }
        let shown = SweepPoints.label(Array(assignments.prefix(maximumValuesInContext)))
        return "\(shown) and \(NumberText.grouped(assignments.count - maximumValuesInContext)) more"
    }

    /// The tree without its top-level `sweep:` entry.
    static func withoutSweep(_ document: SourceNode) -> SourceNode {
        guard case .mapping(var mapping) = document else { return document }
        mapping.entries.removeAll { $0.key.text == "sweep" }
        return .mapping(mapping)
    }

    /// Checks that every path addresses something that can exist, trying its first value:
    /// a path that creates a key the format does not have is reported at the sweep key.
    private func checkPaths(_ block: SweepBlock) -> Bool {
        var valid = true
        for parameter in block.parameters {
            let path = FieldPath.root.appending("sweep").appending(parameter.path)
            if let message = PathProbe.problem(with: parameter.path, value: parameter.values[0], keyLocation: parameter.keyLocation,
                                               base: base, files: files) {
                sink.error(parameter.keyLocation, path, message)
                valid = false
            }
        }
        return valid
    }

    /// The diagnostic, labelled with the point it belongs to.
    private func withContext(_ diagnostic: Diagnostic, _ context: String) -> Diagnostic {
        var diagnostic = diagnostic
        diagnostic.context = context
        return diagnostic
    }
}

/// The warnings of a sweep's points, one per place: a warning that every point (or many)
/// gets at the same key is printed once, with the first point's words and the number of
/// points, not once per point (a 1,000-point sweep printed the same warning 1,000 times).
struct PointWarnings {
    private struct Place: Hashable {
        var location: TextPosition
        var path: String
    }

    private var order: [Place] = []
    private var first: [Place: Diagnostic] = [:]
    private var count: [Place: Int] = [:]

    /// Records a point's warning; `context` names the point.
    mutating func add(_ warning: Diagnostic, context: String) {
        let place = Place(location: warning.location, path: warning.path)
        count[place, default: 0] += 1
        guard first[place] == nil else { return }
        var labelled = warning
        labelled.context = context
        first[place] = labelled
        order.append(place)
    }

    /// Places printed in full for one key path. A warning that each swept value gets at its
    /// own place has as many places as values: a 1,200-value sweep printed 1,200 lines.
    static let maximumPlacesPerPath = SweepExpander.maximumReportedPoints

    /// One diagnostic per place, in the order first seen, at most ``maximumPlacesPerPath``
    /// of them for a key path and then one that counts the points left out; `points` is the
    /// sweep's size.
    func diagnostics(points: Int) -> [Diagnostic] {
        var shown: [String: Int] = [:]
        var leftOut: [(first: Diagnostic, points: Int)] = []
        var leftOutIndex: [String: Int] = [:]
        var result: [Diagnostic] = []
        for place in order {
            guard var diagnostic = first[place], let count = count[place] else { continue }
            guard shown[place.path, default: 0] < Self.maximumPlacesPerPath else {
                if let index = leftOutIndex[place.path] {
                    leftOut[index].points += count
                } else {
                    leftOutIndex[place.path] = leftOut.count
                    leftOut.append((diagnostic, count))
                }
                continue
            }
            shown[place.path, default: 0] += 1
            if count > 1, let context = diagnostic.context {
                let share = count == points ? "all \(NumberText.grouped(count)) sweep points" : "\(NumberText.grouped(count)) of \(NumberText.grouped(points)) sweep points"
                diagnostic.context = "\(share), such as \(context)"
            }
            result.append(diagnostic)
        }
        return result + leftOut.map { first, count in
            var counted = first
            counted.context = "sweep"
            counted.message = "\(NumberText.grouped(count)) more sweep points warn at this key, not printed (expected what the warnings above it expect)"
            return counted
        }
    }
}

/// Checks whether a dotted path of a sweep or plan addresses something that can exist.
enum PathProbe {
    /// The message if `path` cannot be assigned in `base`, or creates a key the format lacks.
    static func problem(with path: String, value: SourceNode, keyLocation: TextPosition, base: Scenario,
                        files: DataFiles) -> String? {
        // Without the sweep block: a probe per swept path read every swept value again.
        var tree = SweepExpander.withoutSweep(base.document)
        let placement: TreeEditor.Placement
        do {
            placement = try TreeEditor.assign(value, at: path, in: &tree, location: keyLocation, relocate: false)
        } catch {
            return error.message
        }
        guard let created = placement.created else { return nil }
        // The created keys carry the sweep key's location; an unknown key there is the path's
        // fault, not the value's.
        let (_, diagnostics) = ScenarioLoader.readVariant(tree, of: base, files: files)
        let unknown = diagnostics.first { diagnostic in
            diagnostic.kind == .unknownKey && diagnostic.location == keyLocation
                && (diagnostic.path == created.description || diagnostic.path.hasPrefix(created.description + "."))
        }
        guard let unknown else { return nil }
        return unknown.message
    }
}
