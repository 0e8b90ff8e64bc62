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
    /// The share of messages slower than a latency, written as the percentile it marks:
    /// 0.01 is `p99`, 0.001 `p99.9` (the latency CDF's tail axis).
    case slowerShare

    /// A value with its unit, three significant digits: `12.5 ms`, `3%`, `$0.0123`, `40 /s`.
    public func format(_ value: Double) -> String {
        switch self {
        case .seconds: Self.duration(value)
        case .fraction: ChartNumber.format(value * 100) + "%"
        case .dollars: (value < 0 ? "-$" : "$") + ChartNumber.format(abs(value))
        case .perSecond: ChartNumber.format(value) + " /s"
        case .count: ChartNumber.format(value)
        case .slowerShare: Self.percentile(slower: value)
        }
    }

    /// `p99.99` for a share slower of 0.0001: as many decimals as the share needs, so that the
    /// nines of the tail are not rounded to `p100`.
    static func percentile(slower share: Double) -> String {
        let percent = share * 100
        let decimals = percent > 0 ? min(6, max(0, Int(ceil(-log10(percent) - 1e-9)))) : 0
        return "p" + String(format: "%.\(decimals)f", 100 - percent)
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
