import ServerlessModel

/// Why an experiment could not produce results.
public enum ExperimentError: Error, Equatable, CustomStringConvertible {
    /// An option is out of range (bad input: exit status 2).
    case invalidOption(String)
    /// `sweep` was asked of a scenario without a `sweep:` block (bad input).
    case noSweep(scenario: String)
    /// `compare` needs at least two variants (bad input).
    case tooFewVariants(Int)
    /// `compare`'s variants do not send the same workload, so replications cannot be paired
    /// (bad input): each entry names a group and how it differs.
    case unpairedWorkloads([String])
    /// A run failed (exit status 1).
    case runFailed(point: Int, replication: Int, WorldError)
    /// A finished run could not be saved for a later resume or merge (exit status 1).
    case saveFailed(String)

    /// Whether the mistake is the user's input rather than a failed run.
    public var isBadInput: Bool {
        switch self {
        case .invalidOption, .noSweep, .tooFewVariants, .unpairedWorkloads: true
        case .runFailed, .saveFailed: false
        }
    }

    public var description: String {
        switch self {
        case .invalidOption(let message):
            message
        case .noSweep(let scenario):
            "scenario '\(scenario)' has no sweep: block (expected `sweep:` with at least one parameter; use `queuesim simulate` for a single point)"
        case .tooFewVariants(let count):
            "compare needs at least two scenario files (got \(count))"
        case .unpairedWorkloads(let differences):
            "the variants do not send the same workload, so common random numbers cannot pair their replications: "
                + differences.joined(separator: "; ")
                + " (expected the same groups with the same arrivals, message sizes, message group keys and tenants in every file, "
                + "or --unpaired to compare them with Welch intervals)"
        case .runFailed(let point, let replication, let error):
            "run failed at point \(point), replication \(replication): \(error)"
        case .saveFailed(let message):
            message
        }
    }
}
