import Foundation

/// Numbers in the planner's messages: three significant digits, `s` after durations, digit
/// groups in counts of concurrency, `.` as the point whatever the locale.
enum PlanText {
    /// `14.2s`, `0.0123`, `3`.
    static func value(_ value: Double, seconds: Bool) -> String {
        guard value.isFinite else { return "-" }
        var text: String
        if value == value.rounded(), abs(value) < 1e15 {
            text = String(Int64(value))
        } else {
            let magnitude = abs(value)
            let decimals = magnitude > 0 ? min(6, max(0, 2 - Int(log10(magnitude).rounded(.down)))) : 0
            text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
        }
        return seconds ? text + "s" : text
    }

    /// A whole number with thousands separators: `1,340`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// `a + b`, or the largest `Int` where that overflows (sums of user-given limits).
    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
