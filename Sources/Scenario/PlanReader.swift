/// The plan's variables as written, for trying their values once the scenario is read.
struct PlanBlock {
    /// One `vary:` entry.
    struct Variable {
        /// The dotted path.
        var path: String
        /// Where the path is written.
        var keyLocation: TextPosition
        /// The values to try: every listed value, or a range's min and max.
        var candidates: [SourceNode]
    }

    /// The variables in file order.
    var variables: [Variable]
}

/// Reading of `plan:`: what the planner minimises and the settings it may vary.
struct PlanReader {
    /// The readers and the sink.
    let values: ValueReader

    /// The keys of `plan:`.
    static let keys = ["minimize", "vary"]

    /// Reads the block; warns when there is no SLO for the plan to meet.
    func read(_ node: SourceNode, hasObjective: Bool) -> (spec: PlanSpec, block: PlanBlock)? {
        let sink = values.sink
        let path = FieldPath.root.appending("plan")
        guard let view = values.mapping(node, path, keys: Self.keys,
                                        expected: "a plan such as {minimize: cost, vary: {functions.worker.reserved_concurrency: {min: 1, max: 100}}}")
        else { return nil }
        var spec = PlanSpec(vary: [])
        var block = PlanBlock(variables: [])
        if let value = view["minimize"],
           let text = values.choice(value, view.path("minimize"), PlanObjective.allCases.map(\.rawValue), noun: "a plan objective") {
            spec.minimize = PlanObjective(rawValue: text) ?? .cost
        }
        if let varyNode = values.required(view, "vary", expected: "the settings to vary, such as {functions.worker.reserved_concurrency: {min: 1, max: 100}}"),
           let entries = values.entries(varyNode, view.path("vary"), expected: "settings to vary, by dotted path") {
            if entries.isEmpty {
                sink.error(varyNode.location, view.path("vary"),
                           "found no settings (expected at least one, such as {functions.worker.reserved_concurrency: {min: 1, max: 100}})")
            }
            var ties: [(path: String, leader: String, node: SourceNode, keyLocation: TextPosition)] = []
            for entry in entries {
                let entryPath = view.path("vary").appending(entry.key.text)
                if Self.isTie(entry.value) {
                    if let leader = tie(entry.value, entryPath) { ties.append((entry.key.text, leader.text, leader.node, entry.key.location)) }
                } else if let (domain, candidates) = domain(entry.value, entryPath) {
                    spec.vary.append(PlanVariable(path: entry.key.text, domain: domain))
                    block.variables.append(PlanBlock.Variable(path: entry.key.text, keyLocation: entry.key.location,
                                                              candidates: candidates))
                }
            }
            // A tied entry takes its leader's values: it is checked with them, and set with it.
            for tie in ties {
                let tiePath = view.path("vary").appending(tie.path).appending("same_as")
                guard let index = spec.vary.firstIndex(where: { $0.path == tie.leader }) else {
                    let tiedToo = ties.contains { $0.path == tie.leader }
                    let untied = spec.vary.map(\.path)
                    sink.error(tie.node.location, tiePath, tiedToo
                        ? "'\(tie.leader)' is itself tied to another entry (expected the path of an entry with its own values: \(untied.joined(separator: ", ")))"
                        : "'\(tie.leader)' is not a vary entry (\(Suggestions.hint(for: tie.leader, in: untied)))")
                    continue
                }
                spec.vary[index].tied.append(tie.path)
                block.variables.append(PlanBlock.Variable(path: tie.path, keyLocation: tie.keyLocation,
                                                          candidates: block.variables.first { $0.path == tie.leader }?.candidates ?? []))
            }
        }
        if !hasObjective {
            sink.warning(node.location, path,
                         "there is no slo block, so every configuration meets it (expected an slo block with the targets the plan must meet)")
        }
        return (spec, block)
    }

    /// Whether an entry is written `{same_as: ...}`.
    static func isTie(_ node: SourceNode) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.entries.contains { $0.key.text == "same_as" }
    }

    /// The leader's path of an entry written `{same_as: path}`, with where it is written; nil
    /// for any other entry.
    private func tie(_ node: SourceNode, _ path: FieldPath) -> (text: String, node: SourceNode)? {
        guard let view = values.mapping(node, path, keys: ["same_as"], expected: "{same_as: path} alone"),
              let leader = view["same_as"],
              let scalar = values.scalar(leader, view.path("same_as"), expected: "the dotted path of another vary entry")
        else { return nil }
        return (scalar.text, leader)
    }

    /// `{min: 1, max: 200}` or a list of values.
    private func domain(_ node: SourceNode, _ path: FieldPath) -> (PlanDomain, [SourceNode])? {
        let sink = values.sink
        switch node {
        case .sequence(let list):
            guard !list.items.isEmpty else {
                sink.error(node.location, path, "found an empty list (expected at least one value to try)")
                return nil
            }
            return (.values(list.items.map(\.flowText)), list.items)
        case .mapping:
            guard let view = values.mapping(node, path, keys: ["min", "max", "same_as"],
                                           expected: "a range such as {min: 1, max: 100}, or {same_as: path}")
            else { return nil }
            let bound = { (key: String) -> (Int, SourceNode)? in
                guard let value = values.required(view, key, expected: "a whole number"),
                      let scalar = values.scalar(value, view.path(key), expected: "a whole number") else { return nil }
                guard let number = ValueReader.parseInteger(scalar.text) else {
                    sink.error(scalar.location, view.path(key), "'\(scalar.text)' is not a whole number (expected a whole number; list other values instead, such as [512MB, 1GB])")
                    return nil
                }
                return (number, value)
            }
            let low = bound("min")
            let high = bound("max")
            guard let low, let high else { return nil }
            guard high.0 >= low.0 else {
                sink.error(high.1.location, view.path("max"), "max \(high.0) is below min \(low.0) (expected a max of at least the min)")
                return nil
            }
            return (.integerRange(min: low.0, max: high.0), [low.1, high.1])
        case .scalar:
            sink.error(node.location, path, "found \(node.kindDescription) (expected a range such as {min: 1, max: 100} or a list of values)")
            return nil
        }
    }
}
