import ServerlessModel
import SimCore

/// The valid range of a whole-number setting, and how to say it.
struct IntegerRange {
    /// How bounds are printed.
    enum Unit {
        /// A count: `10,000`.
        case count
        /// Megabytes: `10,240MB`.
        case megabytes
        /// Bytes, printed in the largest exact binary unit: `1MiB`, `256KB`.
        case bytes
    }

    /// The smallest valid value.
    var minimum: Int
    /// The largest valid value, if bounded.
    var maximum: Int?
    /// What the value is, for the message: "a batch size".
    var noun: String = "a whole number"
    /// How to print the bounds.
    var unit: Unit = .count

    /// "a batch size from 1 to 10,000", "a whole number of at least 0".
    var description: String {
        if let maximum { return "\(noun) from \(format(minimum)) to \(format(maximum))" }
        return "\(noun) of at least \(format(minimum))"
    }

    /// The message if `value` is out of range.
    func violation(_ value: Int, text: String) -> String? {
        if value < minimum { return "\(text) is below the minimum \(format(minimum)) (expected \(description))" }
        if let maximum, value > maximum {
            return "\(text) is above the maximum \(format(maximum)) (expected \(description))"
        }
        return nil
    }

    /// A bound in the setting's unit.
    func format(_ value: Int) -> String {
        switch unit {
        case .count: NumberText.grouped(value)
        case .megabytes: "\(NumberText.grouped(value))MB"
        case .bytes: NumberText.bytes(value)
        }
    }
}

/// The valid range of a decimal setting, and how to say it.
struct NumberRange {
    /// The smallest valid value, if bounded below.
    var minimum: Double?
    /// Whether the minimum itself is invalid (a shape must be above 0).
    var minimumExclusive = false
    /// The largest valid value, if bounded above.
    var maximum: Double?
    /// What the value is, for the message: "a probability".
    var noun: String

    /// A probability: from 0 to 1.
    static let probability = NumberRange(minimum: 0, maximum: 1, noun: "a probability")
    /// A non-negative amount.
    static func nonNegative(_ noun: String) -> NumberRange { NumberRange(minimum: 0, noun: noun) }
    /// A positive amount.
    static func positive(_ noun: String) -> NumberRange { NumberRange(minimum: 0, minimumExclusive: true, noun: noun) }

    /// "a probability from 0 to 1", "a shape above 0".
    var description: String {
        switch (minimum, maximum) {
        case let (low?, high?): "\(noun) from \(NumberText.decimal(low)) to \(NumberText.decimal(high))"
        case let (low?, nil): minimumExclusive ? "\(noun) above \(NumberText.decimal(low))" : "\(noun) of at least \(NumberText.decimal(low))"
        case let (nil, high?): "\(noun) of at most \(NumberText.decimal(high))"
        case (nil, nil): noun
        }
    }

    /// The message if `value` is out of range.
    func violation(_ value: Double, text: String) -> String? {
        if let minimum {
            if minimumExclusive, value <= minimum { return "\(text) is not above \(NumberText.decimal(minimum)) (expected \(description))" }
            if value < minimum { return "\(text) is below the minimum \(NumberText.decimal(minimum)) (expected \(description))" }
        }
        if let maximum, value > maximum {
            return "\(text) is above the maximum \(NumberText.decimal(maximum)) (expected \(description))"
        }
        return nil
    }
}

/// The valid range of a duration setting, and how to say it.
struct DurationRange {
    /// The shortest valid duration.
    var minimum: SimTime = .zero
    /// Whether zero is refused (a run must last some time).
    var positive = false
    /// The longest valid duration, if bounded.
    var maximum: SimTime?
    /// What the value is, for the message: "a visibility timeout".
    var noun = "a duration"
    /// The bounds as AWS documents them (`900s`, not `15m`), where that reads better.
    var minimumText: String?
    /// See ``minimumText``.
    var maximumText: String?

    /// The minimum as printed.
    private var low: String { minimumText ?? minimum.description }
    /// The maximum as printed.
    private var high: String { maximumText ?? maximum?.description ?? "" }

    /// Any duration of at least 0.
    static let any = DurationRange()
    /// A duration above 0.
    static func positive(_ noun: String = "a duration") -> DurationRange { DurationRange(positive: true, noun: noun) }

    /// "a visibility timeout from 0s to 12h", "a duration above 0s".
    var description: String {
        let above = positive && minimum == .zero ? "above 0s" : nil
        switch (above, maximum) {
        case (let above?, .some): return "\(noun) \(above) and at most \(high)"
        case (let above?, nil): return "\(noun) \(above)"
        case (nil, .some): return "\(noun) from \(low) to \(high)"
        case (nil, nil): return "\(noun) of at least \(low)"
        }
    }

    /// The message if `value` is out of range.
    func violation(_ value: SimTime, text: String) -> String? {
        if positive, value <= .zero { return "\(text) is not positive (expected \(description))" }
        if value < minimum { return "\(text) is below the minimum \(low) (expected \(description))" }
        if let maximum, value > maximum { return "\(text) is above the maximum \(high) (expected \(description))" }
        return nil
    }
}

/// Numbers printed for people: `10,000`, `0.5`, `256KB`.
enum NumberText {
    /// A whole number with thousands separators.
    static func grouped(_ value: Int) -> String { MemoryBudget.grouped(value) }

    /// A decimal without a needless `.0`.
    static func decimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Bytes in the largest binary unit that is exact.
    static func bytes(_ value: Int) -> String {
        for (suffix, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KB", 1 << 10)] where value != 0 && value % size == 0 {
            return "\(grouped(value / size))\(suffix)"
        }
        return "\(grouped(value))B"
    }
}
