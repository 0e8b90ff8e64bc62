import SimCore

/// How much memory a run may take for the messages it holds, and what a message costs.
///
/// A run's messages alive live in the ``MessagePool``: a 64-byte slot each, in a store that
/// doubles as it grows, plus a 4-byte id in the queue's deque (which doubles too). A backlog
/// that grows without bound (arrivals above capacity over a long run) would take all the
/// machine's memory and be killed; instead the run stops when the pool would pass its budget,
/// with a message naming the queue and the time (``WorldError/backlogBeyondBudget(queue:at:messages:budgetBytes:)``).
public enum MemoryBudget {
    /// Bytes per message alive, a named assumption: the 64-byte slot and the 4-byte queue
    /// entry, each in storage that doubles (so up to twice that), rounded to 128. The issue
    /// that asked for the budget measured about 120 bytes per queued message of an overloaded
    /// run (resident memory over messages alive); Benchmarks/PROFILE.md keeps the layout.
    public static let bytesPerMessage = 128

    /// The default of `--max-memory`, a named assumption: 4 GiB, what a laptop can give one
    /// process without swapping; the estimate and the backlog budget both use it.
    public static let defaultBytes = 4 << 30

    /// The most messages alive within `bytes`.
    public static func messages(within bytes: Int) -> Int { max(1, bytes / bytesPerMessage) }

    /// Bytes in the largest binary unit that reads well: `4 GiB`, `512 MiB`, `1.5 GiB`.
    public static func text(bytes: Int) -> String { text(bytes: Double(bytes)) }

    /// See ``text(bytes:)-(Int)``.
    public static func text(bytes: Double) -> String {
        for (unit, size) in [("TiB", 1_099_511_627_776.0), ("GiB", 1_073_741_824.0), ("MiB", 1_048_576.0), ("KiB", 1_024.0)]
            where bytes >= size {
            let value = bytes / size
            let rounded = value >= 100 ? value.rounded() : (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded)) \(unit)" : "\(rounded) \(unit)"
        }
        return "\(Int(bytes.rounded())) B"
    }

    /// A time of the run for people: `1h9m58.25s`, `41.3s`.
    public static func clock(_ time: SimTime) -> String {
        let total = time.seconds
        let hours = Int(total / 3_600), minutes = Int(total.truncatingRemainder(dividingBy: 3_600) / 60)
        let seconds = (total.truncatingRemainder(dividingBy: 60) * 100).rounded(.down) / 100
        let secondsText = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        return (hours > 0 ? "\(hours)h" : "") + (hours > 0 || minutes > 0 ? "\(minutes)m" : "") + secondsText + "s"
    }

    /// A whole number with thousands separators.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }
}
