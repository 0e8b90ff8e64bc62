import Foundation

/// What a chart's numbers measure, and how a tick or a hover note writes them.
public enum ChartUnit: Sendable, Equatable {
    /// Durations in seconds, written in µs, ms, s, min or h as fits.
    case seconds
    /// A share from 0 to 1, written as a percentage.
    case fraction
    /// US dollars.
    case dollars
    /// A count of things per second.
    case perSecond
    /// A plain count or level.
    case count

    /// A value with its unit, three significant digits: `12.5 ms`, `3%`, `$0.0123`, `40 /s`.
    public func format(_ value: Double) -> String {
        switch self {
        case .seconds: Self.duration(value)
        case .fraction: ChartNumber.format(value * 100) + "%"
        case .dollars: (value < 0 ? "-$" : "$") + ChartNumber.format(abs(value))
        case .perSecond: ChartNumber.format(value) + " /s"
        case .count: ChartNumber.format(value)
        }
    }

    /// The unit as an axis label writes it after the quantity: `(s)`, `(%)`.
    public var axisSuffix: String {
        switch self {
        case .seconds: "time"
        case .fraction: "%"
        case .dollars: "US$"
        case .perSecond: "per second"
        case .count: "count"
        }
    }

    /// A duration in the unit that keeps its digits few.
    static func duration(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        if magnitude == 0 { return "0" }
        if magnitude < 1e-3 { return ChartNumber.format(seconds * 1e6) + " µs" }
        if magnitude < 1 { return ChartNumber.format(seconds * 1e3) + " ms" }
        if magnitude < 120 { return ChartNumber.format(seconds) + " s" }
        if magnitude < 7200 { return ChartNumber.format(seconds / 60) + " min" }
        return ChartNumber.format(seconds / 3600) + " h"
    }
}

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
