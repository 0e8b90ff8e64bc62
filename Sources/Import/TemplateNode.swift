import Scenario

/// A value of a CloudFormation template, as written, with where it was written.
///
/// YAML's short-form tags (`!Ref X`, `!GetAtt Q.Arn`, `!Sub ...`) are turned into the long
/// forms (`{Ref: X}`, `{Fn::GetAtt: [Q, Arn]}`) when the file is read, so that everything
/// after the reader sees one form, whichever tool wrote the template.
struct TemplateNode: Sendable {
    /// One key of a mapping, with the key's own position (for "not imported" lists).
    struct Entry: Sendable {
        var key: String
        var keyAt: TextPosition
        var value: TemplateNode
    }

    enum Kind: Sendable {
        case scalar(String)
        case mapping([Entry])
        case sequence([TemplateNode])
    }

    var kind: Kind
    /// Where the value starts in the template file.
    var at: TextPosition
    /// Where a resolved value came from when that is not `at`: a parameter's default, a
    /// `--parameter` (shown in the scenario's comments).
    var via: String?

    init(_ kind: Kind, at: TextPosition, via: String? = nil) {
        self.kind = kind
        self.at = at
        self.via = via
    }

    static func text(_ text: String, at: TextPosition, via: String? = nil) -> TemplateNode {
        TemplateNode(.scalar(text), at: at, via: via)
    }

    /// The scalar's text, or nil for a mapping or list.
    var scalar: String? {
        if case .scalar(let text) = kind { return text }
        return nil
    }

    /// The mapping's entries, or nil.
    var entries: [Entry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The list's items, or nil.
    var items: [TemplateNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value of `key` in a mapping.
    subscript(key: String) -> TemplateNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The entry of `key` in a mapping.
    func entry(_ key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// The one key of a single-key mapping whose key is an intrinsic function's name
    /// (`Ref`, `Fn::...`, `Condition`), with its argument.
    var intrinsic: (name: String, argument: TemplateNode)? {
        guard let entries, entries.count == 1 else { return nil }
        let key = entries[0].key
        guard key == "Ref" || key.hasPrefix("Fn::") || key == "Condition" else { return nil }
        return (key, entries[0].value)
    }
}
