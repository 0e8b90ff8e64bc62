import Experiments
import Foundation
import ServerlessModel

/// Numbers for people: three significant digits, units where they help, `mean ± half-width`.
///
/// The half-width is printed with the mean's decimals, so `0.523 ± 0.041` lines up and no
/// digit suggests more precision than the interval allows.
public enum ConsoleNumber {
    /// How a metric reads.
    public enum Style: Sendable {
        /// A count of things: whole numbers where they are whole.
        case count
        /// A duration in seconds.
        case seconds
        /// A rate per second.
        case rate
        /// A fraction shown as a percentage.
        case percent
        /// Money in US dollars.
        case usd
        /// Any other quantity.
        case plain
    }

    /// The style of a metric, read from its column name's unit suffix (`_s`, `_usd`,
    /// `_rate`) so that metrics added to the model later read sensibly without a change here.
    public static func style(of metric: Metric) -> Style {
        let name = metric.rawValue
        if metric == .throughput { return .rate }
        if name.hasSuffix("_s") { return .seconds }
        if name.hasSuffix("_usd") { return .usd }
        if name.hasSuffix("_rate") { return .percent }
        if name.hasSuffix("_mean") { return .plain }
        return .count
    }

    /// `mean` or `mean ± halfWidth` in a style; `-` for nil.
    public static func format(_ mean: Double?, halfWidth: Double? = nil, style: Style) -> String {
        guard let mean, mean.isFinite else { return "-" }
        let scale = style == .percent ? 100.0 : 1.0
        // Rounding noise of a mean of exact opposites (a paired difference of equal counts)
        // is zero, not 0.000000.
        let value = abs(mean * scale) < 1e-12 ? 0 : mean * scale
        // A mean near zero with a wide interval takes its precision from the interval.
        let reference = halfWidth.map { max(abs(value), abs($0 * scale)) } ?? value
        let whole = value == value.rounded() && (halfWidth.map { $0 == $0.rounded() } ?? true)
        let decimals = decimals(for: whole ? value : reference, style: whole ? style : (style == .count ? .plain : style))
        var text = fixed(value, decimals)
        if let halfWidth, halfWidth.isFinite { text += " ± " + fixed(halfWidth * scale, decimals) }
        switch style {
        case .seconds: return text + " s"
        case .percent: return text + "%"
        case .usd: return text.hasPrefix("-") ? "-$" + text.dropFirst() : "$" + text
        case .rate: return text + "/s"
        case .count, .plain: return text
        }
    }

    /// An aggregate as `mean ± halfWidth`, or `mean [low, high]` when its interval is lopsided
    /// (kept inside the metric's range); `-` for nil.
    public static func format(_ aggregate: MetricAggregate?, style: Style) -> String {
        guard let aggregate else { return "-" }
        guard !aggregate.isSymmetric, let low = aggregate.ci95Low, let high = aggregate.ci95High else {
            return format(aggregate.mean, halfWidth: aggregate.halfWidth, style: style)
        }
        return format(aggregate.mean, style: style) + " [" + format(low, style: style) + ", " + format(high, style: style) + "]"
    }

    /// Decimals that give three significant digits (none for whole counts, at least two for
    /// dollars, at most six).
    static func decimals(for value: Double, style: Style) -> Int {
        if style == .count, value == value.rounded() { return 0 }
        let magnitude = abs(value)
        var decimals = magnitude > 0 ? 2 - Int(log10(magnitude).rounded(.down)) : 0
        decimals = min(6, max(0, decimals))
        return style == .usd ? max(2, decimals) : decimals
    }

    /// A value with a fixed number of decimals, `.` as the point whatever the locale.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
