import Scenario

/// The scenario the import writes, as an ordered tree of keys with a comment on each value.
///
/// The import builds this document, writes it as YAML text, and the ordinary `Scenario`
/// reader then validates the text: there is one reader of scenarios.
struct ScenarioDocument: Sendable {
    /// One key: a scalar (YAML text) with its provenance, a nested block, or a list of flow
    /// items (one a line).
    struct Entry: Sendable {
        enum Value: Sendable {
            case scalar(Sourced)
            case block([Entry])
            case list([Sourced])
        }
        var key: String
        var value: Value
        /// A comment on the key's own line for blocks and lists.
        var comment: String?

        static func scalar(_ key: String, _ value: Sourced) -> Entry { Entry(key: key, value: .scalar(value)) }
        static func block(_ key: String, _ entries: [Entry], comment: String? = nil) -> Entry {
            Entry(key: key, value: .block(entries), comment: comment)
        }
    }

    /// Comment lines at the top of the file.
    var header: [String] = []
    var entries: [Entry] = []

    /// The YAML text, and for each line (from 1) the template position its value came from.
    func render(templateFile: String) -> (text: String, origins: [Int: TextPosition]) {
        var lines = header.map { "# " + $0 }
        var origins: [Int: TextPosition] = [:]
        func emit(_ entries: [Entry], indent: String) {
            for entry in entries {
                let key = Self.key(entry.key)
                switch entry.value {
                case .scalar(let value):
                    lines.append("\(indent)\(key): \(value.yaml)  # \(value.provenance.comment(file: templateFile))")
                    if let at = value.provenance.position { origins[lines.count] = at }
                case .block(let children):
                    lines.append("\(indent)\(key):\(children.isEmpty ? " {}" : "")" + (entry.comment.map { "  # " + $0 } ?? ""))
                    emit(children, indent: indent + "  ")
                case .list(let items):
                    lines.append("\(indent)\(key):" + (entry.comment.map { "  # " + $0 } ?? ""))
                    for item in items {
                        lines.append("\(indent)  - \(item.yaml)  # \(item.provenance.comment(file: templateFile))")
                        if let at = item.provenance.position { origins[lines.count] = at }
                    }
                }
            }
        }
        emit(entries, indent: "")
        return (lines.joined(separator: "\n") + "\n", origins)
    }

    /// A key as YAML: plain when that is safe, else double-quoted.
    static func key(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            && !(text.first.map { "-.".contains($0) } ?? false)
        return safe ? text : quoted(text)
    }

    /// A double-quoted YAML string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
