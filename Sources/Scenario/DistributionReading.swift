import SimCore

/// Reading of random durations: a plain duration (a constant) or `{family: {parameters}}`.
extension ValueReader {
    /// The distribution families of the scenario format.
    static let distributionFamilies = ["exponential", "uniform", "normal", "lognormal", "gamma", "weibull", "pareto",
                                       "empirical", "mixture"]

    /// What a distribution looks like, for messages.
    static let distributionExpected = "a duration such as 1s or a distribution such as {exponential: {mean: 1s}}"

    /// A random duration.
    func distribution(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        switch node {
        case .scalar:
            return duration(node, path, .any).map { Distribution.constant($0) }
        case .sequence:
            sink.error(node.location, path, "found a list (expected \(Self.distributionExpected))")
            return nil
        case .mapping(let mapping):
            guard let (family, value) = singleFamily(mapping, path, families: Self.distributionFamilies,
                                                     noun: "distribution", expected: Self.distributionExpected)
            else { return nil }
            return distribution(family: family, value, path.appending(family))
        }
    }

    /// The one `family: parameters` entry of a mapping such as `{poisson: {rate: 2/s}}`.
    func singleFamily(_ mapping: SourceMapping, _ path: FieldPath, families: [String], noun: String,
                      expected: String) -> (String, SourceNode)? {
        guard let first = mapping.entries.first else {
            sink.error(mapping.location, path, "found an empty mapping (expected \(expected))")
            return nil
        }
        for extra in mapping.entries.dropFirst() {
            sink.error(extra.key.location, path.appending(extra.key.text),
                       "\(Self.article(noun)) \(noun) has one family, and '\(first.key.text)' is given already (expected one of: \(families.joined(separator: ", ")))")
        }
        guard families.contains(first.key.text) else {
            sink.error(first.key.location, path.appending(first.key.text),
                       "unknown \(noun) '\(first.key.text)' (\(Suggestions.hint(for: first.key.text, in: families)))",
                       kind: .unknownKey)
            return nil
        }
        guard mapping.entries.count == 1 else { return nil }
        return (first.key.text, first.value)
    }

    /// The parameters of one family.
    private func distribution(family: String, _ node: SourceNode, _ path: FieldPath) -> Distribution? {
        switch family {
        case "mixture": return mixture(node, path)
        case "exponential":
            guard let view = parameters(node, path, ["mean"], "{exponential: {mean: 1s}}"),
                  let mean = requiredDuration(view, "mean", .positive("a mean")) else { return nil }
            return .exponential(mean: mean)
        case "uniform":
            guard let view = parameters(node, path, ["min", "max"], "{uniform: {min: 1s, max: 3s}}") else { return nil }
            let low = requiredDuration(view, "min", .any)
            let high = requiredDuration(view, "max", .any)
            guard let low, let high else { return nil }
            guard high >= low else {
                sink.error(view.location(of: "max"), view.path("max"),
                           "max \(high) is below min \(low) (expected a max of at least the min)")
                return nil
            }
            return .uniform(min: low, max: high)
        case "normal":
            guard let view = parameters(node, path, ["mean", "stddev"], "{normal: {mean: 1s, stddev: 200ms}}") else { return nil }
            // The normal is truncated at 0 by rejection, so the mean must be positive for the
            // sampler to accept draws often enough.
            let mean = requiredDuration(view, "mean", .positive("a mean"))
            let stddev = requiredDuration(view, "stddev", .any)
            guard let mean, let stddev else { return nil }
            return .normal(mean: mean, stddev: stddev)
        case "lognormal": return lognormal(node, path)
        case "gamma":
            guard let view = parameters(node, path, ["shape", "mean"], "{gamma: {shape: 2, mean: 1s}}") else { return nil }
            let shape = requiredNumber(view, "shape", .positive("a shape"))
            let mean = requiredDuration(view, "mean", .positive("a mean"))
            guard let shape, let mean else { return nil }
            return .gamma(shape: shape, mean: mean)
        case "weibull":
            guard let view = parameters(node, path, ["shape", "scale"], "{weibull: {shape: 1.5, scale: 1s}}") else { return nil }
            let shape = requiredNumber(view, "shape", .positive("a shape"))
            let scale = requiredDuration(view, "scale", .positive("a scale"))
            guard let shape, let scale else { return nil }
            return .weibull(shape: shape, scale: scale)
        case "pareto":
            guard let view = parameters(node, path, ["shape", "min"], "{pareto: {shape: 2.5, min: 100ms}}") else { return nil }
            let shape = requiredNumber(view, "shape", .positive("a shape"))
            let minimum = requiredDuration(view, "min", .positive("a minimum"))
            guard let shape, let minimum else { return nil }
            return .pareto(shape: shape, minimum: minimum)
        case "empirical": return empirical(node, path)
        default: return nil
        }
    }

    /// `{median, p99}` as engineers read them off a dashboard, or `{mu, sigma}` in log-seconds.
    private func lognormal(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        let example = "{lognormal: {median: 1s, p99: 4s}} or {lognormal: {mu: 0, sigma: 0.5}}"
        guard let view = parameters(node, path, ["median", "p99", "mu", "sigma"], example) else { return nil }
        let byPercentiles = view.has("median") || view.has("p99")
        if byPercentiles {
            for key in ["mu", "sigma"] where view.has(key) {
                sink.error(view.keyLocation(of: key), view.path(key),
                           "'\(key)' cannot be combined with median and p99 (expected either median and p99, or mu and sigma)")
            }
            let median = requiredDuration(view, "median", .positive("a median"))
            let p99 = requiredDuration(view, "p99", .positive("a p99"))
            guard let median, let p99, !view.has("mu"), !view.has("sigma") else { return nil }
            guard p99 >= median else {
                sink.error(view.location(of: "p99"), view.path("p99"),
                           "p99 \(p99) is below the median \(median) (expected a p99 of at least the median)")
                return nil
            }
            return .lognormal(median: median, p99: p99)
        }
        let mu = requiredNumber(view, "mu", NumberRange(noun: "a number (log-seconds)"))
        let sigma = requiredNumber(view, "sigma", .nonNegative("a sigma"))
        guard let mu, let sigma else { return nil }
        return .lognormal(mu: mu, sigma: sigma)
    }

    /// Observed durations from a file, one number of seconds a line.
    private func empirical(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        guard let view = parameters(node, path, ["file"], "{empirical: {file: durations.csv}}"),
              let (fileNode, name, contents) = dataFile(view, describing: "a file of durations",
                                                        format: "one number of seconds a line", example: "durations.csv")
        else { return nil }
        let filePath = view.path("file")
        var seconds: [Double] = []
        for row in DataFiles.dataLines(contents) {
            guard row.fields.count == 1 else {
                sink.error(fileNode.location, filePath,
                           "\(name) line \(row.number) has \(row.fields.count) fields (expected one number of seconds of at least 0 a line)")
                return nil
            }
            guard let value = DataFiles.seconds(row.fields[0]) else {
                sink.error(fileNode.location, filePath,
                           "\(name) line \(row.number): \(DataFiles.problem(with: row.fields[0], isNot: "a duration")) (expected one number of seconds of at least 0 a line)")
                return nil
            }
            seconds.append(value)
        }
        guard let samples = EmpiricalSamples(seconds: seconds, source: name) else {
            sink.error(fileNode.location, filePath, "\(name) has no durations (expected one number of seconds a line)")
            return nil
        }
        return .empirical(samples)
    }

    /// `[{weight: 0.9, dist: ...}, {weight: 0.1, dist: ...}]`.
    private func mixture(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        let expected = "a list of components such as [{weight: 0.9, dist: 1s}, {weight: 0.1, dist: 5s}]"
        guard case .sequence(let list) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(expected))")
            return nil
        }
        guard !list.items.isEmpty else {
            sink.error(node.location, path, "found an empty list (expected \(expected))")
            return nil
        }
        var parts: [(weight: Double, distribution: Distribution)] = []
        var complete = true
        for (index, item) in list.items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let view = mapping(item, itemPath, keys: ["weight", "dist"], expected: "a component {weight: 0.5, dist: 1s}") else {
                complete = false
                continue
            }
            let weight = requiredNumber(view, "weight", .nonNegative("a weight"))
            let component = required(view, "dist", expected: Self.distributionExpected).flatMap { distribution($0, view.path("dist")) }
            if let weight, let component { parts.append((weight, component)) } else { complete = false }
        }
        guard complete else { return nil }
        guard let components = MixtureComponent.normalised(parts) else {
            sink.error(node.location, path, "the weights add up to 0 (expected weights with a sum above 0)")
            return nil
        }
        return .mixture(components)
    }

    // MARK: Helpers shared by the families

    /// "a" or "an" before a noun.
    static func article(_ noun: String) -> String {
        guard let first = noun.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// A family's parameter mapping.
    func parameters(_ node: SourceNode, _ path: FieldPath, _ keys: [String], _ example: String) -> MappingView? {
        mapping(node, path, keys: keys, expected: "parameters, as in \(example)")
    }

    /// A required duration parameter.
    func requiredDuration(_ view: MappingView, _ key: String, _ range: DurationRange) -> SimTime? {
        required(view, key, expected: range.description).flatMap { duration($0, view.path(key), range) }
    }

    /// A required number parameter.
    func requiredNumber(_ view: MappingView, _ key: String, _ range: NumberRange) -> Double? {
        required(view, key, expected: range.description).flatMap { number($0, view.path(key), range) }
    }
}
