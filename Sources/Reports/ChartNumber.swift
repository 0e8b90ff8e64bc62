import Foundation

/// Numbers for people: three significant digits, no exponent, thousands as k and M.
public enum ChartNumber {
    /// `0.0123`, `1.5`, `250`, `12.5k`, `3M`.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude >= 1e6 { return significant(value / 1e6) + "M" }
        if magnitude >= 1e4 { return significant(value / 1e3) + "k" }
        return significant(value)
    }

    /// Three significant digits, trailing zeros removed.
    static func significant(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        let digits = max(0, 2 - Int(floor(log10(magnitude))))
        var text = String(format: "%.\(min(digits, 9))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
