import Foundation

/// How much work a load did, counted for tests that bound it: the YAML texts parsed, the sweep
/// values read and the variant trees (sweep points, path probes, plan values) read in full.
///
/// A load counts only while a test binds one with `LoadCounts.$current.withValue(counts) { ... }`
/// (a task-local value, so tests running side by side count apart); otherwise counting is a
/// nil check. A 560 KB sweep file took about 25 minutes to validate when each point read the
/// file's sweep block again; these counts are how a test sees that it does not.
///
/// `@unchecked Sendable`: the counts are only touched while holding `lock`.
public final class LoadCounts: @unchecked Sendable {
    /// The counts of the loads made in the current task, if a test asked for them.
    @TaskLocal public static var current: LoadCounts?

    private let lock = NSLock()
    private var texts = 0
    private var values = 0
    private var variants = 0

    /// Creates zero counts.
    public init() {}

    /// YAML texts parsed into trees (a scenario file, or a value given as text).
    public var textsParsed: Int { lock.withLock { texts } }
    /// Swept values read out of a `sweep:` block.
    public var sweepValuesRead: Int { lock.withLock { values } }
    /// Trees read in full besides the file's own: sweep points, path probes, plan values.
    public var variantsRead: Int { lock.withLock { variants } }

    static func parsedText() { current?.add { $0.texts += 1 } }
    static func readSweepValues(_ count: Int) { current?.add { $0.values += count } }
    static func readVariant() { current?.add { $0.variants += 1 } }

    private func add(_ change: (LoadCounts) -> Void) {
        lock.withLock { change(self) }
    }
}
