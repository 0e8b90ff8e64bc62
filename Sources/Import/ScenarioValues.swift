import Foundation

/// Numbers written as the scenario format spells them (docs/SCENARIO-REFERENCE.md, Notation).
enum ScenarioValues {
    /// Whole seconds in the largest unit that divides them: `4d`, `2h`, `5m`, `45s`.
    static func duration(seconds: Int) -> String {
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// A duration in seconds with six significant digits, in ms below 10 s: `397.75ms`, `12.5s`.
    static func duration(_ seconds: Double) -> String {
        seconds < 10 ? "\(number(seconds * 1_000))ms" : "\(number(seconds))s"
    }

    /// A number with up to six significant digits, without exponent or trailing zeros.
    static func number(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        let digits = max(0, 5 - Int(floor(log10(abs(value)))))
        var text = String(format: "%.\(min(digits, 12))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Events per second as a rate, in the unit that keeps it whole where one does: `12/h`.
    static func rate(perSecond: Double) -> String {
        for (unit, size) in [("s", 1.0), ("min", 60.0), ("h", 3_600.0), ("d", 86_400.0)] {
            let value = perSecond * size
            if value >= 1, abs(value - value.rounded()) < 1e-9 { return "\(Int(value.rounded()))/\(unit)" }
        }
        return perSecond >= 1 ? "\(number(perSecond))/s" : "\(number(perSecond * 86_400))/d"
    }
}

/// EventBridge `rate(...)` and `cron(...)` expressions as the constant arrival rate of the
/// asynchronous invocations they make. Kept in one place so that it can switch to the
/// scenario format's own schedule expressions once those exist.
enum ScheduleExpression {
    /// The rate per second and how it was read, or why it cannot be.
    static func perSecond(_ expression: String) -> Result<(rate: Double, note: String), ImportNote> {
        let text = expression.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("rate("), text.hasSuffix(")") {
            let parts = text.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let value = Int(parts[0]), value > 0 else { return .failure(ImportNote("'\(text)' is not rate(VALUE UNIT)")) }
            let unit = parts[1].hasSuffix("s") ? parts[1].dropLast() : parts[1]
            let size: Int
            switch unit {
            case "minute": size = 60
            case "hour": size = 3_600
            case "day": size = 86_400
            default: return .failure(ImportNote("'\(text)': unknown unit \(parts[1]) (expected minutes, hours or days)"))
            }
            return .success((1 / Double(value * size), "\(text): one invocation every \(ScenarioValues.duration(seconds: value * size))"))
        }
        if text.hasPrefix("cron("), text.hasSuffix(")") {
            let fields = text.dropFirst(5).dropLast().split(separator: " ").map(String.init)
            guard fields.count == 6 else { return .failure(ImportNote("'\(text)' does not have the six fields of cron(minutes hours day-of-month month day-of-week year)")) }
            guard fields[2...].allSatisfy({ $0 == "*" || $0 == "?" }),
                  let minutes = values(fields[0], in: 0...59), let hours = values(fields[1], in: 0...23) else {
                return .failure(ImportNote("'\(text)' is not imported: only cron expressions that fire every day (day-of-month, month, day-of-week and year * or ?) become a rate"))
            }
            let perDay = minutes * hours
            return .success((Double(perDay) / 86_400, "\(text): \(perDay) invocations a day, as a constant rate (the times of day are not kept)"))
        }
        return .failure(ImportNote("'\(text)' is neither rate(...) nor cron(...)"))
    }

    /// How many values a cron field takes: `*`, `N`, `A-B`, `A/S`, `*/S`, and lists of these.
    private static func values(_ field: String, in range: ClosedRange<Int>) -> Int? {
        var set: Set<Int> = []
        for part in field.split(separator: ",") {
            let stepParts = part.split(separator: "/")
            let step = stepParts.count == 2 ? Int(stepParts[1]) : 1
            guard let step, step > 0, stepParts.count <= 2 else { return nil }
            let base = stepParts[0]
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if base.contains("-") {
                let ends = base.split(separator: "-").compactMap { Int($0) }
                guard ends.count == 2, ends[0] <= ends[1], range.contains(ends[0]), range.contains(ends[1]) else { return nil }
                bounds = ends[0]...ends[1]
            } else if let start = Int(base), range.contains(start) {
                bounds = start...(stepParts.count == 2 ? range.upperBound : start)
            } else {
                return nil
            }
            set.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return set.isEmpty ? nil : set.count
    }
}

/// Why a template value is not imported, said to the user.
struct ImportNote: Error, Sendable, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
}
