/// Puts a value at a dotted key path of a source tree, for sweep points and plan candidates.
///
/// A path walks existing keys; entity names may contain dots (`orders.fifo`), so at each
/// mapping the longest run of path parts that names an existing key wins. A key that is not
/// written yet is created (with intermediate mappings) when it lies inside an existing entity
/// or a settings section, so `functions.worker.timeout` works when the file leaves the
/// timeout at its default. New entities are never created: `functions.wroker.memory` is a
/// typo, not a new function. Whether a created key exists in the format is left to the
/// loader, which reports unknown keys with a suggestion.
enum TreeEditor {
    /// Why a path cannot be assigned.
    struct PathError: Error {
        /// What is wrong (what was expected).
        var message: String
    }

    /// Where an assignment went.
    struct Placement {
        /// The keys the path resolved to (entity names with dots are one key).
        var path: FieldPath
        /// The first key that had to be created, if any.
        var created: FieldPath?
    }

    /// The collections whose entries are entities, which a path may not create.
    static let entityCollections: [String: String] = [
        "groups": "group", "queues": "queue", "functions": "function", "downstreams": "downstream",
    ]

    /// Assigns `value` at `path` in `root`. Created keys are located at `location`; with
    /// `relocate`, the value itself is moved to where the value it replaces was written.
    static func assign(_ value: SourceNode, at path: String, in root: inout SourceNode, location: TextPosition,
                       relocate: Bool) throws(PathError) -> Placement {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw PathError(message: "'\(path)' is not a key path (expected keys separated by single dots, such as functions.worker.memory)")
        }
        guard let first = parts.first, ScenarioReader.topLevelKeys.contains(first) else {
            throw PathError(message: "unknown key '\(parts[0])' (\(Suggestions.hint(for: parts[0], in: ScenarioReader.topLevelKeys)))")
        }
        guard !["sweep", "plan", "schedules"].contains(first) else {
            throw PathError(message: "a path into '\(first)' cannot be varied (expected a path into the pipeline, such as functions.worker.memory)")
        }
        var placement = Placement(path: .root, created: nil)
        root = try set(value, in: root, parts: parts[...], placement: &placement, location: location, relocate: relocate)
        return placement
    }

    /// `node` with `value` put at `parts` below it.
    private static func set(_ value: SourceNode, in node: SourceNode, parts: ArraySlice<String>, placement: inout Placement,
                            location: TextPosition, relocate: Bool) throws(PathError) -> SourceNode {
        guard let part = parts.first else { return relocate ? value.relocated(to: node.location) : value }
        switch node {
        case .mapping(var mapping):
            for count in stride(from: parts.count, to: 0, by: -1) {
                let key = parts.prefix(count).joined(separator: ".")
                guard let entry = mapping.entry(key) else { continue }
                placement.path = placement.path.appending(key)
                let child = try set(value, in: entry.value, parts: parts.dropFirst(count), placement: &placement,
                                    location: location, relocate: relocate)
                mapping.set(entry.key, child)
                return .mapping(mapping)
            }
            if placement.path.components.count == 1, let noun = entityCollections[placement.path.last] {
                let names = mapping.entries.map(\.key.text)
                let hint = names.isEmpty ? "expected a \(noun) defined under \(placement.path)" : Suggestions.hint(for: part, in: names)
                throw PathError(message: "no \(noun) named '\(part)' (\(hint))")
            }
            placement.path = placement.path.appending(part)
            placement.created = placement.created ?? placement.path
            // A relocated value (a planner's candidate) is reported where its new key would go.
            let keyLocation = relocate ? mapping.location : location
            let child = try set(value, in: .scalar(SourceScalar(text: "", isQuoted: false, location: keyLocation)),
                                parts: parts.dropFirst(), placement: &placement, location: location, relocate: relocate)
            mapping.set(SourceScalar(text: part, isQuoted: false, location: keyLocation), child)
            return .mapping(mapping)
        case .sequence(var sequence):
            guard let index = Int(part), sequence.items.indices.contains(index) else {
                throw PathError(message: "\(placement.path) is a list of \(sequence.items.count) items, so it has no item '\(part)' (expected an index from 0 to \(max(0, sequence.items.count - 1)))")
            }
            placement.path = placement.path.appending(part)
            sequence.items[index] = try set(value, in: sequence.items[index], parts: parts.dropFirst(), placement: &placement,
                                            location: location, relocate: relocate)
            return .sequence(sequence)
        case .scalar(let scalar):
            guard scalar.isNull else {
                throw PathError(message: "\(placement.path) is the single value '\(scalar.text)', so it has no key '\(part)' (expected a path that ends at \(placement.path))")
            }
            // A null (`tasks-dlq:`) is an empty mapping of settings.
            return try set(value, in: .mapping(SourceMapping(entries: [], location: scalar.location)), parts: parts,
                           placement: &placement, location: location, relocate: relocate)
        }
    }
}
