import ServerlessModel
import SimCore

/// Reading of message sizes: a size (`4KB`) or a distribution of sizes
/// (`{lognormal: {median: 4KB, p99: 600KB}}`, `{mixture: [{weight: 0.95, dist: 2KB}, ...]}`).
extension ValueReader {
    /// The families a size distribution may take.
    static let sizeFamilies = ["uniform", "lognormal", "exponential", "mixture"]

    /// What a message size looks like, for messages.
    static let sizeExpected = "a size such as 4KB or a distribution of sizes such as {lognormal: {median: 4KB, p99: 600KB}}"

    /// The valid sizes of an SQS message.
    static let messageSizeRange = IntegerRange(minimum: 1, maximum: SizeDistribution.maximumBytes, noun: "a message size",
                                               unit: .bytes)

    /// A group's `message_size`: a constant size or a distribution of sizes.
    func messageSize(_ node: SourceNode, _ path: FieldPath) -> MessageSizeValue? {
        switch node {
        case .scalar: return bytes(node, path, Self.messageSizeRange).map { .constant($0) }
        case .sequence:
            sink.error(node.location, path, "found a list (expected \(Self.sizeExpected))")
            return nil
        case .mapping: return sizeDistribution(node, path).map { .distribution(SizeDistribution(bytes: $0)) }
        }
    }

    /// A distribution of sizes, as a ``Distribution`` whose nanoseconds are bytes.
    private func sizeDistribution(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        if case .scalar = node { return bytes(node, path, Self.messageSizeRange).map { .constant(.ns(Int64($0))) } }
        guard case .mapping(let mapping) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(Self.sizeExpected))")
            return nil
        }
        guard let (family, value) = singleFamily(mapping, path, families: Self.sizeFamilies, noun: "size distribution",
                                                 expected: Self.sizeExpected) else { return nil }
        let path = path.appending(family)
        func size(_ view: MappingView, _ key: String) -> SimTime? {
            required(view, key, expected: Self.messageSizeRange.description)
                .flatMap { bytes($0, view.path(key), Self.messageSizeRange) }.map { .ns(Int64($0)) }
        }
        switch family {
        case "uniform":
            guard let view = parameters(value, path, ["min", "max"], "{uniform: {min: 1KB, max: 64KB}}") else { return nil }
            let (low, high) = (size(view, "min"), size(view, "max"))
            guard let low, let high else { return nil }
            guard high >= low else {
                sink.error(view.location(of: "max"), view.path("max"), "max is below min (expected a max of at least the min)")
                return nil
            }
            return .uniform(min: low, max: high)
        case "lognormal":
            guard let view = parameters(value, path, ["median", "p99"], "{lognormal: {median: 4KB, p99: 600KB}}") else { return nil }
            let (median, p99) = (size(view, "median"), size(view, "p99"))
            guard let median, let p99 else { return nil }
            guard p99 >= median else {
                sink.error(view.location(of: "p99"), view.path("p99"), "p99 is below the median (expected a p99 of at least the median)")
                return nil
            }
            return .lognormal(median: median, p99: p99)
        case "exponential":
            guard let view = parameters(value, path, ["mean"], "{exponential: {mean: 8KB}}"), let mean = size(view, "mean")
            else { return nil }
            return .exponential(mean: mean)
        case "mixture":
            return sizeMixture(value, path)
        default:
            return nil
        }
    }

    /// `[{weight: 0.95, dist: 2KB}, {weight: 0.05, dist: {uniform: {min: 256KB, max: 1MiB}}}]`.
    private func sizeMixture(_ node: SourceNode, _ path: FieldPath) -> Distribution? {
        mixture(node, path, expected: "a list of components such as [{weight: 0.95, dist: 2KB}, {weight: 0.05, dist: 900KB}]",
                componentExpected: Self.sizeExpected) { sizeDistribution($0, $1) }
    }
}

/// A group's `message_size`: one size, or a distribution of sizes.
enum MessageSizeValue {
    case constant(Int)
    case distribution(SizeDistribution)
}
