import Scenario
import Yams

/// Reads a template file, YAML or JSON (JSON is YAML to the parser, so CDK's
/// `*.template.json` keeps its line numbers too), into a ``TemplateNode`` tree.
///
/// CloudFormation's short-form tags become long forms here: `!Ref X` is `{Ref: X}`,
/// `!GetAtt A.B` is `{Fn::GetAtt: [A, B]}`, `!Sub s` is `{Fn::Sub: s}` and so on. A tag that is
/// not one of CloudFormation's is a located error.
enum TemplateReader {
    /// The short-form tags CloudFormation's YAML accepts, and their long names.
    static let shortForms: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
        "!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
        "!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue",
        "!GetAZs": "Fn::GetAZs", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform",
        "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString", "!ForEach": "Fn::ForEach",
    ]

    /// Parses `text`; `file` names it in errors.
    static func read(_ text: String, file: String) throws(ImportErrors) -> TemplateNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw located(error, file: file)
        } catch {
            throw ImportErrors(file: file, at: .start, "cannot read the template: \(error) (expected YAML or JSON)")
        }
        guard let node else {
            throw ImportErrors(file: file, at: .start, "the template is empty (expected a mapping with Resources)")
        }
        var problems: [Diagnostic] = []
        let tree = convert(node, file: file, problems: &problems)
        guard problems.isEmpty else { throw ImportErrors(problems) }
        guard tree.entries != nil else {
            throw ImportErrors(file: file, at: tree.at, "the template is not a mapping (expected a mapping with Resources)")
        }
        return tree
    }

    private static func position(_ mark: Mark?) -> TextPosition {
        mark.map { TextPosition(line: $0.line, column: $0.column) } ?? .start
    }

    private static func convert(_ node: Node, file: String, problems: inout [Diagnostic]) -> TemplateNode {
        let at = position(node.mark)
        let plain: TemplateNode
        switch node {
        case .scalar(let scalar):
            plain = .text(scalar.string, at: at)
        case .mapping(let mapping):
            var entries: [TemplateNode.Entry] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    problems.append(Diagnostic(file: file, location: position(key.mark), path: "",
                                               message: "a key that is not text (expected a plain key)"))
                    continue
                }
                entries.append(.init(key: name, keyAt: position(key.mark), value: convert(value, file: file, problems: &problems)))
            }
            plain = TemplateNode(.mapping(entries), at: at)
        case .sequence(let sequence):
            plain = TemplateNode(.sequence(sequence.map { convert($0, file: file, problems: &problems) }), at: at)
        case .alias:
            plain = .text("", at: at)
        }
        let tag = node.tag.description
        guard tag.hasPrefix("!"), !tag.hasPrefix("!!") else { return plain }
        guard let long = shortForms[tag] else {
            problems.append(Diagnostic(file: file, location: at, path: "",
                                       message: "unknown tag \(tag) (expected a CloudFormation short form: \(shortForms.keys.sorted().joined(separator: ", ")))"))
            return plain
        }
        var argument = plain
        // `!GetAtt Resource.Attribute` is the scalar form of `[Resource, Attribute]`.
        if long == "Fn::GetAtt", let text = plain.scalar, let dot = text.firstIndex(of: ".") {
            argument = TemplateNode(.sequence([.text(String(text[..<dot]), at: at),
                                               .text(String(text[text.index(after: dot)...]), at: at)]), at: at)
        }
        return TemplateNode(.mapping([.init(key: long, keyAt: at, value: argument)]), at: at)
    }

    private static func located(_ error: YamlError, file: String) -> ImportErrors {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML/JSON: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return ImportErrors(file: file, at: position(mark), message + " (expected a well-formed template)")
        case .duplicatedKeysInMapping(let keys, let context):
            return ImportErrors(file: file, at: position(context.mark),
                                "the key '\(keys.first ?? "")' appears more than once in this mapping (expected each key once)")
        case .reader(let problem, _, _, _):
            return ImportErrors(file: file, at: .start, "cannot read the template: \(problem) (expected UTF-8 text)")
        default:
            return ImportErrors(file: file, at: .start, "cannot read the template: \(error) (expected YAML or JSON)")
        }
    }
}
