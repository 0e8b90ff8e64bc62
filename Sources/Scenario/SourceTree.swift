/// A YAML value of a scenario file, with the location where it was written.
///
/// Yams' `Node` is not `Sendable` (anchors are classes) and resolves types with YAML 1.1 rules
/// (`on` is a boolean). The loader wants neither: it reads plain text and decides the type from
/// the key, and it keeps the tree inside ``Scenario`` so sweeps and plans can edit it later.
/// So the Yams tree is converted once into this one.
enum SourceNode: Hashable, Sendable {
    /// A scalar: text, however it was written.
    case scalar(SourceScalar)
    /// A mapping of keys to values, in file order.
    case mapping(SourceMapping)
    /// A list.
    case sequence(SourceSequence)

    /// Where the value starts.
    var location: TextPosition {
        switch self {
        case .scalar(let scalar): scalar.location
        case .mapping(let mapping): mapping.location
        case .sequence(let sequence): sequence.location
        }
    }

    /// The scalar, if this is one.
    var scalar: SourceScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// Whether this is YAML's null (`~`, `null`, or nothing after the colon).
    var isNull: Bool { scalar?.isNull ?? false }

    /// How the value is called in a message about its type: "a mapping", "a list", "'abc'".
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "nothing" : "'\(scalar.text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The value in YAML flow style, for labels and for re-parsing (`{exponential: {mean: 1s}}`).
    var flowText: String {
        switch self {
        case .scalar(let scalar): scalar.flowText
        case .mapping(let mapping):
            "{" + mapping.entries.map { "\($0.key.flowText): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        case .sequence(let sequence): "[" + sequence.items.map(\.flowText).joined(separator: ", ") + "]"
        }
    }

    /// The same value with every location replaced, for values that come from elsewhere
    /// (a planner's candidate) and should be reported where they are applied.
    func relocated(to location: TextPosition) -> SourceNode {
        switch self {
        case .scalar(var scalar):
            scalar.location = location
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping.location = location
            mapping.entries = mapping.entries.map { entry in
                var key = entry.key
                key.location = location
                return SourceEntry(key: key, value: entry.value.relocated(to: location))
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.location = location
            sequence.items = sequence.items.map { $0.relocated(to: location) }
            return .sequence(sequence)
        }
    }
}

/// A scalar's text and how it was written.
struct SourceScalar: Hashable, Sendable {
    /// The text, after YAML's unquoting and escapes.
    var text: String
    /// Quoted or block scalars are always text: `"16"` is not a number, `"~"` is not null.
    var isQuoted: Bool
    /// Where it starts (at the opening quote if quoted).
    var location: TextPosition

    /// Whether this is YAML's null.
    var isNull: Bool {
        !isQuoted && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    /// The scalar as YAML flow text that reads back the same.
    var flowText: String {
        let needsQuotes = isQuoted || text.isEmpty
            || text.contains(where: { ":#,[]{}&*!|>'\"%@`\n\t".contains($0) })
            || text.first == " " || text.last == " " || text.first == "-" && text.count == 1
        guard needsQuotes else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}

/// A mapping's entries in file order.
struct SourceMapping: Hashable, Sendable {
    /// The entries; keys are unique (duplicates are reported and dropped when reading).
    var entries: [SourceEntry]
    /// Where the mapping starts (its first key, or `{`).
    var location: TextPosition

    /// The entry with this key.
    func entry(_ key: String) -> SourceEntry? { entries.first { $0.key.text == key } }

    /// The value of this key.
    subscript(key: String) -> SourceNode? { entry(key)?.value }

    /// Sets or adds a key's value, keeping file order.
    mutating func set(_ key: SourceScalar, _ value: SourceNode) {
        if let index = entries.firstIndex(where: { $0.key.text == key.text }) {
            entries[index].value = value
        } else {
            entries.append(SourceEntry(key: key, value: value))
        }
    }
}

/// One `key: value` of a mapping.
struct SourceEntry: Hashable, Sendable {
    /// The key (always a scalar in a scenario).
    var key: SourceScalar
    /// The value.
    var value: SourceNode
}

/// A list's items.
struct SourceSequence: Hashable, Sendable {
    /// The items in file order.
    var items: [SourceNode]
    /// Where the list starts (its first `-`, or `[`).
    var location: TextPosition
}
