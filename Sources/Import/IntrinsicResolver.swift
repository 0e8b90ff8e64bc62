import Foundation
import Scenario

/// Evaluates CloudFormation's intrinsic functions against the template's Parameters
/// (`Default`, or a `--parameter` value), Conditions, Mappings, pseudo parameters and the
/// attributes of the template's own resources.
///
/// What cannot be evaluated (`Fn::ImportValue`, a reference to a resource attribute that is
/// not known before deployment) is recorded as a located problem, and the value is treated
/// as absent, so the property falls back to AWS's default and the problem is listed.
final class IntrinsicResolver {
    /// The template file, for locations.
    let file: String
    /// Parameter values by name, pseudo parameters included.
    private var parameters: [String: TemplateNode]
    private let conditionDefinitions: [String: TemplateNode]
    private var conditionValues: [String: Bool] = [:]
    private var evaluating: Set<String> = []
    private let mappings: TemplateNode?
    /// `Ref` and `Fn::GetAtt` of a resource: the value, or nil when it is not known.
    private let attribute: (_ logicalID: String, _ attribute: String?) -> String?
    /// Problems found while resolving (unresolvable values), in order.
    private(set) var problems: [Diagnostic] = []
    /// Mistakes that make the template unusable (a missing parameter value, a malformed intrinsic).
    private(set) var errors: [Diagnostic] = []

    init(file: String, parameters: [String: TemplateNode], conditions: [String: TemplateNode], mappings: TemplateNode?,
         attribute: @escaping (String, String?) -> String?) {
        self.file = file
        self.parameters = parameters
        self.conditionDefinitions = conditions
        self.mappings = mappings
        self.attribute = attribute
    }

    private func problem(_ at: TextPosition, _ message: String) {
        problems.append(Diagnostic(severity: .warning, file: file, location: at, path: "", message: message))
    }

    private func error(_ at: TextPosition, _ message: String) {
        errors.append(Diagnostic(file: file, location: at, path: "", message: message))
    }

    /// The value of a condition by name (evaluated once).
    func condition(_ name: String, at: TextPosition) -> Bool? {
        if let value = conditionValues[name] { return value }
        guard let definition = conditionDefinitions[name] else {
            error(at, "unknown condition '\(name)' (expected one of Conditions: \(conditionDefinitions.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        guard !evaluating.contains(name) else {
            error(at, "condition '\(name)' depends on itself (expected conditions without a cycle)")
            return nil
        }
        evaluating.insert(name)
        defer { evaluating.remove(name) }
        let value = boolean(definition)
        if let value { conditionValues[name] = value }
        return value
    }

    /// A condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`).
    func boolean(_ node: TemplateNode) -> Bool? {
        if let (name, argument) = node.intrinsic {
            switch name {
            case "Condition":
                guard let text = argument.scalar else { break }
                return condition(text, at: argument.at)
            case "Fn::Equals":
                guard let items = argument.items, items.count == 2 else { break }
                guard let a = resolve(items[0]), let b = resolve(items[1]) else { return nil }
                return canonical(a) == canonical(b)
            case "Fn::And", "Fn::Or":
                guard let items = argument.items, (2...10).contains(items.count) else { break }
                let values = items.map(boolean)
                guard !values.contains(where: { $0 == nil }) else { return nil }
                let all = values.compactMap { $0 }
                return name == "Fn::And" ? all.allSatisfy { $0 } : all.contains(true)
            case "Fn::Not":
                guard let items = argument.items, items.count == 1 else { break }
                return boolean(items[0]).map { !$0 }
            default:
                break
            }
            error(node.at, "malformed \(name) in a condition (expected Fn::Equals [a, b], Fn::And/Fn::Or [2-10 conditions], Fn::Not [condition] or Condition name)")
            return nil
        }
        if let text = node.scalar?.lowercased(), text == "true" || text == "false" { return text == "true" }
        error(node.at, "not a condition (expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)")
        return nil
    }

    /// A value with every intrinsic function evaluated; nil for `AWS::NoValue` and for what
    /// cannot be evaluated (recorded in ``problems``).
    func resolve(_ node: TemplateNode) -> TemplateNode? {
        if let (name, argument) = node.intrinsic, name != "Condition" {
            return function(name, argument, at: node.at)
        }
        switch node.kind {
        case .scalar:
            return node
        case .mapping(let entries):
            var resolved: [TemplateNode.Entry] = []
            for entry in entries {
                if let value = resolve(entry.value) { resolved.append(.init(key: entry.key, keyAt: entry.keyAt, value: value)) }
            }
            return TemplateNode(.mapping(resolved), at: node.at, via: node.via)
        case .sequence(let items):
            return TemplateNode(.sequence(items.compactMap(resolve)), at: node.at, via: node.via)
        }
    }

    private func function(_ name: String, _ argument: TemplateNode, at: TextPosition) -> TemplateNode? {
        switch name {
        case "Ref":
            guard let target = argument.scalar else { break }
            if target == "AWS::NoValue" { return nil }
            if let value = parameters[target] { return value.relocated(to: at) }
            if let value = attribute(target, nil) { return .text(value, at: at) }
            problem(at, "Ref \(target): not a parameter or a resource of this template (expected a name from Parameters or Resources)")
            return nil
        case "Fn::GetAtt":
            // [Resource, Attribute], or the dotted text CloudFormation also accepts.
            if let text = argument.scalar, let dot = text.firstIndex(of: ".") {
                let resource = String(text[..<dot]), attributeName = String(text[text.index(after: dot)...])
                if let value = attribute(resource, attributeName) { return .text(value, at: at) }
                problem(at, "Fn::GetAtt \(text) is known only after deployment or names no resource of this template (not imported)")
                return nil
            }
            guard let items = argument.items, items.count == 2, let resource = items[0].scalar else { break }
            guard let attributeName = resolve(items[1])?.scalar else { return nil }
            if let value = attribute(resource, attributeName) { return .text(value, at: at) }
            problem(at, "Fn::GetAtt \(resource).\(attributeName) is known only after deployment or names no resource of this template (not imported)")
            return nil
        case "Fn::Sub":
            return substitute(argument, at: at)
        case "Fn::Join":
            guard let items = argument.items, items.count == 2, let separator = items[0].scalar,
                  let list = resolve(items[1])?.items else { break }
            let parts = list.map { $0.scalar }
            guard !parts.contains(where: { $0 == nil }) else { break }
            return .text(parts.compactMap { $0 }.joined(separator: separator), at: at)
        case "Fn::Select":
            guard let items = argument.items, items.count == 2, let index = resolve(items[0])?.scalar.flatMap({ Int($0) }),
                  let list = resolve(items[1])?.items else { break }
            guard list.indices.contains(index) else {
                error(at, "Fn::Select index \(index) is outside the list of \(list.count) (expected 0 to \(list.count - 1))")
                return nil
            }
            return list[index].relocated(to: at)
        case "Fn::Split":
            guard let items = argument.items, items.count == 2, let separator = items[0].scalar,
                  let text = resolve(items[1])?.scalar else { break }
            return TemplateNode(.sequence(text.components(separatedBy: separator).map { .text($0, at: at) }), at: at)
        case "Fn::If":
            guard let items = argument.items, items.count == 3, let conditionName = items[0].scalar else { break }
            guard let value = condition(conditionName, at: items[0].at) else { return nil }
            return resolve(items[value ? 1 : 2])
        case "Fn::FindInMap":
            guard let items = argument.items, items.count == 3 else { break }
            let keys = items.map { resolve($0)?.scalar }
            guard let map = keys[0], let top = keys[1], let second = keys[2] else { return nil }
            guard let value = mappings?[map]?[top]?[second] else {
                error(at, "Fn::FindInMap [\(map), \(top), \(second)]: no such entry in Mappings (expected existing keys)")
                return nil
            }
            return resolve(value)?.relocated(to: at)
        case "Fn::GetAZs":
            let region = parameters["AWS::Region"]?.scalar ?? "us-east-1"
            return TemplateNode(.sequence(["a", "b", "c"].map { .text(region + $0, at: at) }), at: at)
        case "Fn::Base64":
            return resolve(argument)
        case "Fn::ImportValue":
            problem(at, "Fn::ImportValue reads another stack's export, which this template does not hold (not imported)")
            return nil
        default:
            problem(at, "\(name) is not evaluated by queuesim import (not imported)")
            return nil
        }
        error(at, "malformed \(name) (expected the form CloudFormation documents for it)")
        return nil
    }

    /// `Fn::Sub`: `${Name}` from the variables, parameters and resources; `${!Literal}` stays `${Literal}`.
    private func substitute(_ argument: TemplateNode, at: TextPosition) -> TemplateNode? {
        var template: String
        var variables: [String: String] = [:]
        if let text = argument.scalar {
            template = text
        } else if let items = argument.items, items.count == 2, let text = items[0].scalar, let entries = items[1].entries {
            template = text
            for entry in entries {
                guard let value = resolve(entry.value)?.scalar else { return nil }
                variables[entry.key] = value
            }
        } else {
            error(at, "malformed Fn::Sub (expected a string, or [string, {variables}])")
            return nil
        }
        var result = ""
        while let open = template.range(of: "${") {
            result += template[..<open.lowerBound]
            guard let close = template[open.upperBound...].firstIndex(of: "}") else {
                error(at, "Fn::Sub: '${' without a closing '}' (expected ${Name})")
                return nil
            }
            let name = String(template[open.upperBound..<close])
            template = String(template[template.index(after: close)...])
            if name.hasPrefix("!") { result += "${" + name.dropFirst() + "}"; continue }
            if let value = variables[name] { result += value; continue }
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2, parameters[name] == nil {
                guard let value = attribute(parts[0], parts[1]) else {
                    problem(at, "Fn::Sub ${\(name)} is known only after deployment or names no resource of this template (not imported)")
                    return nil
                }
                result += value
            } else if let value = parameters[name]?.scalar ?? parameters[name]?.items.map({ $0.compactMap(\.scalar).joined(separator: ",") }) {
                result += value
            } else if let value = attribute(name, nil) {
                result += value
            } else {
                problem(at, "Fn::Sub ${\(name)}: not a variable, parameter or resource of this template (not imported)")
                return nil
            }
        }
        return .text(result + template, at: at)
    }

    /// Text for comparison in `Fn::Equals`: a list joined by commas.
    private func canonical(_ node: TemplateNode) -> String {
        node.scalar ?? node.items?.map(canonical).joined(separator: ",") ?? ""
    }
}

extension TemplateNode {
    /// The same value, located where it is used; where it was defined is kept in `via`.
    func relocated(to position: TextPosition) -> TemplateNode {
        var copy = self
        copy.at = position
        return copy
    }
}
