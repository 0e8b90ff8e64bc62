/// A dotted key path into a scenario file, such as `functions.worker.trigger.batch_size`.
///
/// Diagnostics print it and sweeps and plans address values with it, so a path copied from an
/// error message can be pasted into a `sweep:` block. List items are addressed by their index
/// from 0 (`groups.A.arrivals.schedule.1.rate`).
struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// The keys (and list indices) from the top of the file.
    var components: [String]

    /// The top of the file.
    static let root = FieldPath(components: [])

    /// The path one key deeper.
    func appending(_ key: String) -> FieldPath { FieldPath(components: components + [key]) }

    /// The path of a list item.
    func appending(index: Int) -> FieldPath { appending(String(index)) }

    /// The last key, or an empty string at the top.
    var last: String { components.last ?? "" }

    /// Whether `self` is `other` or lies inside it.
    func isWithin(_ other: FieldPath) -> Bool {
        components.count >= other.components.count && Array(components.prefix(other.components.count)) == other.components
    }

    /// The keys joined by dots.
    var description: String { components.joined(separator: ".") }
}
