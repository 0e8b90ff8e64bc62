/// Why partial outputs (finished runs saved for a resume, shard files) cannot be used.
///
/// Always bad input (exit status 2): nothing is run or written after one.
public struct PartialError: Error, Equatable, CustomStringConvertible {
    /// The file or folder concerned.
    public var path: String
    /// What is wrong, and what to do.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
