import Yams

/// Converts a Yams `Node` tree into a ``SourceNode`` tree.
///
/// Along the way it reports what the scenario format does not allow in any mapping: keys that
/// are not plain names, and duplicated keys (the ones Yams let through because they differ in
/// YAML type, like `yes` and `"yes"`, and the ones ``SourceParser`` renamed). It also applies
/// YAML merge keys (`<<: *defaults`), which Yams' `compose` leaves in place, so that users can
/// share settings between functions with anchors.
final class NodeConverter {
    /// Where diagnostics go.
    let sink: DiagnosticSink
    /// Renames made to get past duplicated keys.
    let edits: TextEdits
    /// Values converted so far: aliases can make a small file expand exponentially
    /// ("billion laughs"), and a scenario never needs more than this.
    private var converted = 0
    /// The most values a scenario may expand to.
    static let maximumValues = 1_000_000
    /// Whether the limit was reached (and reported); the tree is then incomplete.
    private(set) var exceededLimit = false

    /// Creates a converter.
    init(sink: DiagnosticSink, edits: TextEdits) {
        self.sink = sink
        self.edits = edits
    }

    /// Converts one node.
    func convert(_ node: Node, path: FieldPath) -> SourceNode {
        converted += 1
        guard converted <= Self.maximumValues else {
            if !exceededLimit {
                exceededLimit = true
                sink.error(edits.original(node.mark), .root,
                           "the file expands to more than \(NumberText.grouped(Self.maximumValues)) values through aliases (expected a scenario of ordinary size)")
            }
            return .scalar(SourceScalar(text: "", isQuoted: false, location: edits.original(node.mark)))
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(convert(scalar))
        case .sequence(let sequence):
            var items: [SourceNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(convert(item, path: path.appending(index: index)))
            }
            return .sequence(SourceSequence(items: items, location: edits.original(sequence.mark)))
        case .mapping(let mapping):
            return .mapping(convert(mapping, path: path))
        case .alias(let alias):
            // `compose` resolves aliases itself; an alias left here has no target.
            sink.error(edits.original(alias.mark), path, "the alias has no anchor (expected an '&anchor' defined before it)")
            return .scalar(SourceScalar(text: "", isQuoted: false, location: edits.original(alias.mark)))
        }
    }

    /// A scalar, quoted or plain.
    private func convert(_ scalar: Node.Scalar) -> SourceScalar {
        // Only the style tells quoted text from plain: Yams resolves tags lazily and stores the
        // result in a shared `Tag` instance (keys become `str` once compared), so tags are no guide.
        SourceScalar(text: scalar.string, isQuoted: scalar.style != .plain, location: edits.original(scalar.mark))
    }

    /// A mapping: keys checked, duplicates dropped, merge keys applied.
    private func convert(_ mapping: Node.Mapping, path: FieldPath) -> SourceMapping {
        var result = SourceMapping(entries: [], location: edits.original(mapping.mark))
        var firstSeen: [String: TextPosition] = [:]
        var merged: [SourceEntry] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                sink.error(edits.original(keyNode.mark), path,
                           "a key must be a name, not \(keyNode.mapping == nil ? "a list" : "a mapping") (expected a plain key such as 'timeout')")
                continue
            }
            var key = convert(keyScalar)
            if let (original, first) = SourceParser.renamedDuplicate(key.text, edits: edits) {
                key.text = original
                sink.error(key.location, path.appending(original),
                           "duplicate key '\(original)' (expected each key once in a mapping; it is first given at \(first))")
                continue
            }
            if !key.isQuoted, key.text == "<<" {
                merged.append(contentsOf: mergeEntries(valueNode, path: path))
                continue
            }
            if let first = firstSeen[key.text] {
                sink.error(key.location, path.appending(key.text),
                           "duplicate key '\(key.text)' (expected each key once in a mapping; it is first given at \(first))")
                continue
            }
            firstSeen[key.text] = key.location
            result.entries.append(SourceEntry(key: key, value: convert(valueNode, path: path.appending(key.text))))
        }
        // Keys written in the mapping win over merged ones, as YAML specifies.
        for entry in merged where firstSeen[entry.key.text] == nil {
            firstSeen[entry.key.text] = entry.key.location
            result.entries.append(entry)
        }
        return result
    }

    /// The entries a merge key (`<<`) brings in: one mapping or a list of mappings.
    private func mergeEntries(_ node: Node, path: FieldPath) -> [SourceEntry] {
        let sources: [Node]
        switch node {
        case .mapping: sources = [node]
        case .sequence(let sequence): sources = Array(sequence)
        default: sources = [node]
        }
        var entries: [SourceEntry] = []
        for source in sources {
            guard case .mapping(let mapping) = source else {
                sink.error(edits.original(source.mark), path.appending("<<"),
                           "a merge key needs a mapping (expected '<<: *anchor' of a mapping)")
                continue
            }
            for entry in convert(mapping, path: path).entries where !entries.contains(where: { $0.key.text == entry.key.text }) {
                entries.append(entry)
            }
        }
        return entries
    }
}
