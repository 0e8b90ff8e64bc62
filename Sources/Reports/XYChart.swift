/// A chart of series over an x axis: lines (with 95% interval bands), or markers (with
/// interval whiskers), on linear, logarithmic or category scales.
public struct XYChart: Sendable {
    /// One point of a series.
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        /// The 95% interval around `y`, when there is one.
        public var low: Double?
        public var high: Double?
        /// What hovering over the point says.
        public var note: String
        /// Drawn larger, ringed and labelled (the plan's chosen configuration).
        public var highlighted = false
        /// The label of a highlighted point.
        public var label = "chosen"

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil, note: String, highlighted: Bool = false) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
            self.note = note
            self.highlighted = highlighted
        }
    }

    /// One series.
    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        /// Joined by a line (else markers only, with whiskers for intervals).
        public var line = true
        /// Its colour; nil picks the next of the palette.
        public var color: String?
        /// What the band between the points' `low` and `high` is, for its hover note.
        public var band = "95% confidence interval"

        public init(name: String, points: [Point], line: Bool = true, color: String? = nil,
                    band: String = "95% confidence interval") {
            self.name = name
            self.points = points
            self.line = line
            self.color = color
            self.band = band
        }
    }

    public var title: String
    public var subtitle = ""
    public var xLabel: String
    public var xUnit: ChartUnit
    public var xLogarithmic = false
    /// Category names for the x axis (x values are their indices), nil for a numeric axis.
    public var xCategories: [String]?
    /// Whether a numeric x axis starts at 0.
    public var xIncludesZero = true
    public var yLabel: String
    public var yUnit: ChartUnit
    /// Whether the y axis is logarithmic (the latency CDF's tail: the share of messages slower).
    public var yLogarithmic = false
    /// Whether the y axis starts at 0 (off where small differences matter, such as costs).
    public var yIncludesZero = true
    public var series: [Series]

    public init(title: String, subtitle: String = "", xLabel: String, xUnit: ChartUnit, yLabel: String, yUnit: ChartUnit,
                series: [Series]) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.xUnit = xUnit
        self.yLabel = yLabel
        self.yUnit = yUnit
        self.series = series
    }

    /// The chart as an SVG element with the id `id`.
    public func svg(id: String) -> String {
        let points = series.flatMap(\.points)
        let x = xCategories.map { ChartScale(categories: $0) }
            ?? ChartScale(covering: points.map(\.x), unit: xUnit, logarithmic: xLogarithmic, includeZero: xIncludesZero)
        // Intervals of quantities that cannot be negative are cut at 0 (a wide interval from few
        // replications can reach below it).
        let floor: Double? = points.allSatisfy { $0.y >= 0 } ? 0 : nil
        let ceiling = ChartScale.intervalCeiling(points.map(\.y)) ?? .infinity
        let y = ChartScale(covering: points.flatMap { [$0.y, $0.low ?? $0.y, min($0.high ?? $0.y, ceiling)] }, unit: yUnit,
                           logarithmic: yLogarithmic, includeZero: yIncludesZero, floor: floor)
        let colors = series.enumerated().map { $0.element.color ?? SVGText.color($0.offset) }
        let dashes = Self.dashes(series)
        var frame = ChartFrame(title: title, subtitle: subtitle, xLabel: xLabel, yLabel: yLabel, x: x, y: y,
                               legend: series.enumerated().map { (name: $0.element.name, color: colors[$0.offset], line: $0.element.line) })
        frame.legendDashes = dashes
        // Markers of several series at the same category are set side by side, not on top of
        // each other.
        let shared = Dictionary(grouping: series.flatMap { Set($0.points.map(\.x)) }, by: { $0 }).contains { $0.value.count > 1 }
        let dodging = xCategories != nil && shared && series.allSatisfy { !$0.line }
        let offsets = series.indices.map { dodging ? (Double($0) - Double(series.count - 1) / 2) * min(0.12, 0.6 / Double(series.count)) : 0 }
        var marks = ""
        var overlay = ""
        // A highlighted position gets a label once; its points a ring each, or, when set side
        // by side, a shaded column behind them.
        for x in Set(points.filter(\.highlighted).map(\.x)).sorted() {
            let column = frame.px(x)
            let text = points.first { $0.highlighted && $0.x == x }?.label ?? "chosen"
            if dodging {
                let half = frame.plotWidth / Double(max(xCategories?.count ?? 1, 1)) * 0.42
                marks += "<rect class=\"highlight\" x=\"\(SVGText.coordinate(column - half))\" y=\"\(SVGText.coordinate(frame.top))\" width=\"\(SVGText.coordinate(2 * half))\" height=\"\(SVGText.coordinate(frame.plotHeight))\" fill=\"#fff1b8\"/>"
                overlay += label(text, at: column, y: frame.top + 14, anchor: "middle")
            } else {
                let top = points.filter { $0.highlighted && $0.x == x }.map { frame.py($0.y) }.min() ?? frame.top
                let right = frame.x.position(x) > 0.7
                overlay += label(text, at: column + (right ? -14 : 14), y: max(top - 12, frame.top + 12), anchor: right ? "end" : "start")
            }
        }
        for (index, series) in series.enumerated() {
            marks += mark(series, color: colors[index], dash: dashes[index], frame: frame, offset: offsets[index])
            guard !dodging else { continue }
            for point in series.points where point.highlighted {
                overlay += "<circle class=\"highlight\" cx=\"\(SVGText.coordinate(frame.px(point.x)))\" cy=\"\(SVGText.coordinate(frame.py(point.y)))\" r=\"11\" fill=\"none\" stroke=\"#111111\" stroke-width=\"2.5\"/>"
            }
        }
        return frame.svg(id: id, marks: marks, overlay: overlay)
    }

    /// The label of the highlighted position.
    private func label(_ text: String, at x: Double, y: Double, anchor: String) -> String {
        "<text class=\"highlight-label\" x=\"\(SVGText.coordinate(x))\" y=\"\(SVGText.coordinate(y))\" text-anchor=\"\(anchor)\" font-size=\"12\" font-weight=\"bold\">\(SVGText.escape(text))</text>"
    }

    /// Dash patterns that keep lines apart where they coincide (one group's line under
    /// `all`'s, variants that do not differ): the first line solid, the next dashed ever
    /// shorter, so that each one drawn over another leaves gaps through which it shows.
    static let dashPatterns = ["", "9 5", "3 4", "12 4 3 4", "6 3", "2 6", "14 3", "4 2 1 2"]

    /// Each series' dash pattern; solid for all where there is one line.
    static func dashes(_ series: [Series]) -> [String] {
        guard series.filter(\.line).count > 1 else { return series.map { _ in "" } }
        return series.indices.map { dashPatterns[$0 % dashPatterns.count] }
    }

    /// A series' band or whiskers, line and markers; `offset` shifts it along x (in x units).
    private func mark(_ series: Series, color: String, dash: String, frame: ChartFrame, offset: Double) -> String {
        func c(_ v: Double) -> String { SVGText.coordinate(v) }
        let name = SVGText.escape(series.name)
        var s = "<g class=\"series\" data-series=\"\(name)\">"
        let withInterval = series.points.filter { $0.low != nil && $0.high != nil }
        if series.line && withInterval.count >= 2 {
            // The band: along the upper ends, back along the lower ends.
            let upper = withInterval.map { "\(c(frame.px($0.x))),\(c(frame.py(min($0.high ?? $0.y, frame.y.upper))))" }
            let lower = withInterval.reversed().map { "\(c(frame.px($0.x))),\(c(frame.py(max($0.low ?? $0.y, frame.y.lower))))" }
            s += "<path class=\"mark band\" d=\"M\((upper + lower).joined(separator: " L"))Z\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\">"
            s += SVGText.note("\(series.name): \(series.band)") + "</path>"
        }
        if series.line && series.points.count >= 2 {
            let path = series.points.map { "\(c(frame.px($0.x))),\(c(frame.py($0.y)))" }.joined(separator: " L")
            let dashing = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            s += "<path class=\"mark line\" d=\"M\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\"\(dashing)>"
            s += SVGText.note(series.name) + "</path>"
        }
        for point in series.points {
            let cx = frame.px(point.x + offset), cy = frame.py(point.y)
            if !series.line, let rawLow = point.low, let rawHigh = point.high {
                let low = max(rawLow, frame.y.lower), high = min(rawHigh, frame.y.upper)
                s += "<path class=\"whisker\" d=\"M\(c(cx)),\(c(frame.py(low))) L\(c(cx)),\(c(frame.py(high))) M\(c(cx - 4)),\(c(frame.py(low))) L\(c(cx + 4)),\(c(frame.py(low))) M\(c(cx - 4)),\(c(frame.py(high))) L\(c(cx + 4)),\(c(frame.py(high)))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            }
            // Points of a dense line (a time series) are invisible: drawn, they would make the
            // line look dotted; they still carry their numbers on hover.
            if series.line && series.points.count > 60 {
                s += "<circle class=\"mark point\" cx=\"\(c(cx))\" cy=\"\(c(cy))\" r=\"4\" fill=\"\(color)\" fill-opacity=\"0\">"
            } else {
                let radius = series.line ? 3.0 : 5.0
                s += "<circle class=\"mark point\" cx=\"\(c(cx))\" cy=\"\(c(cy))\" r=\"\(c(radius))\" fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"1\">"
            }
            s += SVGText.note(point.note) + "</circle>"
        }
        return s + "</g>"
    }
}
