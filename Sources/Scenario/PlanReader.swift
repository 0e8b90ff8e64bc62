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
            for entry in entries {
                if let (domain, candidates) = domain(entry.value, view.path("vary").appending(entry.key.text)) {
                    spec.vary.append(PlanVariable(path: entry.key.text, domain: domain))
                    block.variables.append(PlanBlock.Variable(path: entry.key.text, keyLocation: entry.key.location,
                                                              candidates: candidates))
                }
            }
        }
        if !hasObjective {
            sink.warning(node.location, path,
                         "there is no slo block, so every configuration meets it (expected an slo block with the targets the plan must meet)")
        }
        return (spec, block)
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
            guard let view = values.mapping(node, path, keys: ["min", "max"], expected: "a range such as {min: 1, max: 100}")
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
