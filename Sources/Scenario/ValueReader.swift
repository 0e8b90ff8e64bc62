import SimCore

/// Reads typed values out of the source tree, reporting every mistake to a sink.
///
/// Each reader returns nil after reporting, so callers keep their default and go on: the goal
/// is every mistake of a file in one pass. Messages follow one pattern: what is wrong, then
/// what was expected in parentheses, quoting the user's own text.
struct ValueReader {
    /// Where diagnostics go.
    let sink: DiagnosticSink
    /// Data files (empirical durations, arrival traces), read once per load.
    let files: DataFiles

    // MARK: Structure

    /// A mapping with the given keys; reports unknown keys (with a suggestion) and a value that
    /// is not a mapping. Null reads as an empty mapping: `tasks-dlq:` is a queue with defaults.
    func mapping(_ node: SourceNode, _ path: FieldPath, keys: [String], expected: String) -> MappingView? {
        if node.isNull {
            return MappingView(mapping: SourceMapping(entries: [], location: node.location), path: path)
        }
        guard case .mapping(let mapping) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(expected))")
            return nil
        }
        for entry in mapping.entries where !keys.contains(entry.key.text) {
            sink.error(entry.key.location, path.appending(entry.key.text),
                       "unknown key '\(entry.key.text)' (\(Suggestions.hint(for: entry.key.text, in: keys)))", kind: .unknownKey)
        }
        return MappingView(mapping: mapping, path: path)
    }

    /// A mapping of user-named entries (groups, queues ...); null reads as empty.
    func entries(_ node: SourceNode, _ path: FieldPath, expected: String) -> [SourceEntry]? {
        if node.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(expected))")
            return nil
        }
        return mapping.entries
    }

    /// A required key's value; reports it missing (at the mapping) if absent or null.
    func required(_ view: MappingView, _ key: String, expected: String) -> SourceNode? {
        if let value = view[key] { return value }
        sink.error(view.location(of: key), view.path(key), "missing (expected \(expected); this key is required)")
        return nil
    }

    // MARK: Scalars

    /// The scalar of a node, reporting a mapping, list or null where a scalar belongs.
    func scalar(_ node: SourceNode, _ path: FieldPath, expected: String) -> SourceScalar? {
        guard let scalar = node.scalar, !scalar.isNull else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(expected))")
            return nil
        }
        return scalar
    }

    /// Text, such as a name or a description.
    func text(_ node: SourceNode, _ path: FieldPath, expected: String) -> String? {
        scalar(node, path, expected: expected)?.text
    }

    /// A whole number within `range`.
    func integer(_ node: SourceNode, _ path: FieldPath, _ range: IntegerRange) -> Int? {
        guard let scalar = scalar(node, path, expected: range.description) else { return nil }
        guard let value = Self.parseInteger(scalar.text) else {
            sink.error(scalar.location, path, "'\(scalar.text)' is not a whole number (expected \(range.description))")
            return nil
        }
        if let message = range.violation(value, text: scalar.text) {
            sink.error(scalar.location, path, message)
            return nil
        }
        return value
    }

    /// A non-negative whole number that fits 64 bits unsigned (seeds).
    func unsigned(_ node: SourceNode, _ path: FieldPath) -> UInt64? {
        let expected = "a whole number from 0 to 18446744073709551615"
        guard let scalar = scalar(node, path, expected: expected) else { return nil }
        guard let value = UInt64(scalar.text.filter { $0 != "_" }) else {
            sink.error(scalar.location, path, "'\(scalar.text)' is not a whole number of at least 0 (expected \(expected))")
            return nil
        }
        return value
    }

    /// A finite number within `range`.
    func number(_ node: SourceNode, _ path: FieldPath, _ range: NumberRange) -> Double? {
        guard let scalar = scalar(node, path, expected: range.description) else { return nil }
        guard let value = Double(scalar.text.filter { $0 != "_" }), value.isFinite else {
            sink.error(scalar.location, path, "'\(scalar.text)' is not a number (expected \(range.description))")
            return nil
        }
        if let message = range.violation(value, text: scalar.text) {
            sink.error(scalar.location, path, message)
            return nil
        }
        return value
    }

    /// A yes/no value: `true`/`false` (YAML 1.1's `yes`, `no`, `on`, `off` too).
    func bool(_ node: SourceNode, _ path: FieldPath) -> Bool? {
        guard let scalar = scalar(node, path, expected: "true or false") else { return nil }
        switch scalar.text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            sink.error(scalar.location, path, "'\(scalar.text)' is not true or false (expected true or false)")
            return nil
        }
    }

    /// One of a fixed set of words.
    func choice(_ node: SourceNode, _ path: FieldPath, _ options: [String], noun: String) -> String? {
        let expected = "one of: " + options.joined(separator: ", ")
        guard let scalar = scalar(node, path, expected: expected) else { return nil }
        guard options.contains(scalar.text) else {
            let hint = Suggestions.closest(to: scalar.text, in: options).map { "did you mean '\($0)'?" } ?? "expected \(expected)"
            sink.error(scalar.location, path, "'\(scalar.text)' is not \(noun) (\(hint))")
            return nil
        }
        return scalar.text
    }

    /// A duration with a unit, within `range`.
    func duration(_ node: SourceNode, _ path: FieldPath, _ range: DurationRange) -> SimTime? {
        guard let scalar = scalar(node, path, expected: "a duration such as 30s") else { return nil }
        let value: SimTime
        do {
            value = try DurationFormat.parseDuration(scalar.text)
        } catch {
            sink.error(scalar.location, path, error.description)
            return nil
        }
        if let message = range.violation(value, text: scalar.text) {
            sink.error(scalar.location, path, message)
            return nil
        }
        return value
    }

    /// A rate such as `2/s`; `positive` refuses `0/s`.
    func rate(_ node: SourceNode, _ path: FieldPath, positive: Bool) -> Rate? {
        guard let scalar = scalar(node, path, expected: "a rate such as 2/s, 120/min or 1000/h") else { return nil }
        let value: Rate
        do {
            value = try Rate.parse(scalar.text)
        } catch {
            sink.error(scalar.location, path, error.description)
            return nil
        }
        if positive, !(value.perSecond > 0) {
            sink.error(scalar.location, path, "'\(scalar.text)' is not positive (expected a rate above 0, such as 2/s)")
            return nil
        }
        // A sanity bound, so that no rate overflows an interval of virtual time.
        guard value.perSecond <= Self.maximumRatePerSecond else {
            sink.error(scalar.location, path,
                       "'\(scalar.text)' is above the maximum \(NumberText.grouped(Int(Self.maximumRatePerSecond)))/s (expected a rate of at most \(NumberText.grouped(Int(Self.maximumRatePerSecond)))/s)")
            return nil
        }
        return value
    }

    /// A size in bytes such as `4KB`, within `range`.
    func bytes(_ node: SourceNode, _ path: FieldPath, _ range: IntegerRange) -> Int? {
        size(node, path, range, example: "a size such as 4KB", parse: SizeFormat.parseBytes)
    }

    /// A memory size such as `512MB`, in MB, within `range` (in MB).
    func megabytes(_ node: SourceNode, _ path: FieldPath, _ range: IntegerRange) -> Int? {
        size(node, path, range, example: "a memory size such as 512MB", parse: SizeFormat.parseMegabytes)
    }

    /// A size read by `parse` and checked against `range`.
    private func size(_ node: SourceNode, _ path: FieldPath, _ range: IntegerRange, example: String,
                      parse: (String) throws(SizeFormat.SizeError) -> Int) -> Int? {
        guard let scalar = scalar(node, path, expected: example) else { return nil }
        let value: Int
        do {
            value = try parse(scalar.text)
        } catch {
            sink.error(scalar.location, path, error.description)
            return nil
        }
        if let message = range.violation(value, text: scalar.text) {
            sink.error(scalar.location, path, message)
            return nil
        }
        return value
    }

    /// The highest rate a scenario may give (one event a nanosecond).
    static let maximumRatePerSecond = 1e9

    /// A whole number as YAML writes it (`1000`, `1_000`, `+5`); nil for anything else.
    static func parseInteger(_ text: String) -> Int? {
        Int(text.filter { $0 != "_" })
    }
}
