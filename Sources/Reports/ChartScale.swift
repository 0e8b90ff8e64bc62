import Foundation

/// Maps a range of data values to positions along an axis, linearly or by logarithm, and
/// chooses its ticks.
public struct ChartScale: Sendable, Equatable {
    /// One tick: where it goes and what it says.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
    }

    /// Whether positions follow the values or their logarithms.
    public var logarithmic: Bool
    /// The lowest and highest values shown.
    public var lower: Double
    public var upper: Double
    /// The ticks, in increasing order, inside `lower...upper`.
    public var ticks: [Tick]

    /// A scale covering `values` (nonpositive ones are left out of a logarithmic scale).
    ///
    /// A linear scale is widened to nice tick values (and to 0 when `includeZero`); a
    /// logarithmic one to whole decades.
    public init(covering values: [Double], unit: ChartUnit, logarithmic: Bool = false, includeZero: Bool = true,
                floor lowest: Double? = nil) {
        self.logarithmic = logarithmic
        let finite = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        if logarithmic {
            let low = finite.min() ?? 0.1, high = finite.max() ?? 1
            var first = floor(log10(low)), last = ceil(log10(high))
            if last <= first { last = first + 1 }
            if last - first > 9 { first = last - 9 }
            lower = pow(10, first)
            upper = pow(10, last)
            var ticks: [Tick] = []
            let decades = Int(last - first)
            for exponent in Int(first)...Int(last) {
                let base = pow(10, Double(exponent))
                ticks.append(Tick(value: base, label: Self.logLabel(base, unit: unit)))
                // Few decades leave room for 2 and 5 between them.
                if decades <= 2 && exponent < Int(last) {
                    for multiple in [2.0, 5.0] { ticks.append(Tick(value: base * multiple, label: Self.logLabel(base * multiple, unit: unit))) }
                }
            }
            self.ticks = ticks
            return
        }
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if includeZero { low = min(low, 0); high = max(high, 0) }
        // An axis that need not start at 0 keeps a margin, so no mark sits on its ends.
        if !includeZero && high > low {
            let margin = (high - low) * 0.05
            low -= margin
            high += margin
        }
        if let lowest { low = max(low, lowest) }
        if high <= low { high = low + (low == 0 ? 1 : abs(low) * 0.1) }
        // Durations tick in one unit for the whole axis, at nice values of that unit.
        let (factor, suffix) = unit == .seconds ? Self.durationUnit(span: high - low) : (1, "")
        let step = Self.niceStep((high - low) / factor / 5) * factor
        lower = floor(low / step) * step
        upper = ceil(high / step) * step
        if upper - lower < step { upper = lower + step }
        var ticks: [Tick] = []
        var value = lower
        while value <= upper + step / 2 {
            let rounded = abs(value) < step / 1e6 ? 0 : value
            let label = unit == .seconds && rounded != 0 ? ChartNumber.format(rounded / factor) + " " + suffix : unit.format(rounded)
            ticks.append(Tick(value: rounded, label: label))
            value += step
        }
        self.ticks = ticks
    }

    /// Evenly spaced category positions, labelled by the categories.
    public init(categories: [String]) {
        logarithmic = false
        lower = -0.5
        upper = Double(max(categories.count, 1)) - 0.5
        ticks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
    }

    /// How high an axis reaches for intervals: three times the highest value, or nil when no
    /// value is above 0. A lopsided interval of a few replications that disagree (a p99 of
    /// 4 s and 120 s) can reach a hundred times its mean; an axis that covered it would flatten
    /// every bar and line to nothing, so such an end is drawn to the top of the plot, open,
    /// and its hover note gives the number.
    public static func intervalCeiling(_ values: [Double]) -> Double? {
        let highest = values.filter(\.isFinite).max() ?? 0
        return highest > 0 ? highest * 3 : nil
    }

    /// Where a value lies from 0 (lower) to 1 (upper); values outside the range lie outside 0...1.
    public func position(_ value: Double) -> Double {
        if logarithmic {
            let v = max(value, lower / 10)
            return (log10(v) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// A logarithmic tick's label: durations of a second and more stay in seconds (`1000 s`
    /// reads better beside `100 s` than `16.7 min`).
    static func logLabel(_ value: Double, unit: ChartUnit) -> String {
        unit == .seconds && value >= 1 ? ChartNumber.format(value) + " s" : unit.format(value)
    }

    /// The unit a linear duration axis spanning `span` seconds ticks in: its size in seconds
    /// and its symbol.
    static func durationUnit(span: Double) -> (Double, String) {
        if span < 1 { return (1e-3, "ms") }
        if span <= 300 { return (1, "s") }
        if span <= 18_000 { return (60, "min") }
        return (3600, "h")
    }

    /// 1, 2 or 5 times a power of ten, the nearest at or above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, floor(log10(rough)))
        for multiple in [1.0, 2.0, 2.5, 5.0, 10.0] where multiple * power >= rough * 0.999 { return multiple * power }
        return 10 * power
    }
}
