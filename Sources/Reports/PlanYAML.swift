import Experiments
import ServerlessModel

/// The recommended settings as a YAML fragment to paste into the scenario: the plan's dotted
/// paths unfolded into nested mappings.
public enum PlanYAML {
    /// The collections whose keys are entity names, which may contain dots.
    static let entityCollections = ["groups", "queues", "functions", "downstreams"]

    /// The fragment of a plan's recommendation; nil when nothing meets the SLO.
    public static func fragment(_ result: PlanResult) -> String? {
        guard result.meetsSLO else { return nil }
        return fragment(result.recommendedSettings, pipeline: result.pipeline)
    }

    /// The fragment of some settings (dotted path and YAML value); entity names are matched against the pipeline's, so
    /// `functions.orders.fifo.memory` unfolds under the function `orders.fifo`.
    public static func fragment(_ settings: [ParameterValue], pipeline: PipelineSpec) -> String {
        let root = Node()
        for setting in settings {
            var node = root
            let keys = keyPath(setting.name, pipeline: pipeline)
            for key in keys.dropLast() { node = node.child(key) }
            node.set(keys.last ?? setting.name, setting.value)
        }
        var text = ""
        root.write(to: &text, indent: 0)
        return text
    }

    /// The keys of a dotted path, entity names kept whole.
    static func keyPath(_ path: String, pipeline: PipelineSpec) -> [String] {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let section = parts.first, entityCollections.contains(section), parts.count > 1 else { return parts }
        let names: [String]
        switch section {
        case "groups": names = pipeline.groups.map(\.name)
        case "queues": names = pipeline.queues.map(\.name)
        case "functions": names = pipeline.functions.map(\.name)
        default: names = pipeline.downstreams.map(\.name)
        }
        let rest = parts.dropFirst().joined(separator: ".")
        // The longest name that the rest of the path starts with, as the loader resolves it.
        guard let name = names.filter({ rest == $0 || rest.hasPrefix($0 + ".") }).max(by: { $0.count < $1.count }) else {
            return parts
        }
        let remainder = rest.dropFirst(name.count).split(separator: ".").map(String.init)
        return [section, name] + remainder
    }

    /// A key as YAML: plain when it is safe, double-quoted otherwise.
    static func key(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.-/".unicodeScalars.contains(scalar))
        } && !text.hasPrefix("-") && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(text.lowercased())
        guard !plain else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A mapping being built, keys in first-seen order.
    private final class Node {
        var keys: [String] = []
        var children: [String: Node] = [:]
        var values: [String: String] = [:]

        func child(_ key: String) -> Node {
            if let existing = children[key] { return existing }
            let node = Node()
            if values[key] == nil, !keys.contains(key) { keys.append(key) }
            children[key] = node
            return node
        }

        func set(_ key: String, _ value: String) {
            if !keys.contains(key) { keys.append(key) }
            values[key] = value
        }

        func write(to text: inout String, indent: Int) {
            let pad = String(repeating: " ", count: indent)
            for key in keys {
                if let value = values[key] {
                    text += "\(pad)\(PlanYAML.key(key)): \(value)\n"
                } else if let child = children[key] {
                    text += "\(pad)\(PlanYAML.key(key)):\n"
                    child.write(to: &text, indent: indent + 2)
                }
            }
        }
    }
}
