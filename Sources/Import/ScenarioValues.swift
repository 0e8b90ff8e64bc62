import Foundation
import Scenario
import ServerlessModel
import SimCore

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
/// asynchronous invocations they make. The expression is read by the scenario format's own
/// parser (``ScheduleExpressionParser``), so that what EventBridge refuses is refused here
/// alike; a cron expression's rate is its firings over the four weeks from the format's
/// calendar start (``ScheduleSpec/defaultRunStart``), which keeps weekdays and hours in the
/// average but not the times themselves.
enum ScheduleRate {
    /// Four weeks, in seconds.
    static let window: Int64 = 28 * 86_400

    /// The rate per second and how it was read, or why it cannot be.
    static func perSecond(_ expression: String) -> Result<(rate: Double, note: String), ImportNote> {
        let text = expression.trimmingCharacters(in: .whitespaces)
        switch ScheduleExpressionParser.parse(text) {
        case .failure(let error):
            return .failure(ImportNote(error.message))
        case .success(.rate(let interval)):
            let seconds = interval.nanoseconds / 1_000_000_000
            return .success((1 / Double(seconds), "\(text): one invocation every \(ScenarioValues.duration(seconds: Int(seconds)))"))
        case .success(let cron):
            var count = 0
            var time = SimTime.zero
            while let next = cron.nextFiring(after: time, calendarStart: ScheduleSpec.defaultRunStart), next <= .s(window) {
                count += 1
                time = next
            }
            guard count > 0 else { return .failure(ImportNote("'\(text)' does not fire in four weeks: not imported")) }
            return .success((Double(count) / Double(window),
                             "\(text): \(count) invocations in four weeks, as a constant rate (the times they fire at are not kept)"))
        }
    }
}

/// Why a template value is not imported, said to the user.
struct ImportNote: Error, Sendable, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
}
