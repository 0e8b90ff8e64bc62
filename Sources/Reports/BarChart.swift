/// Side-by-side bars: one cluster per category (a scope), one bar per variant, with 95%
/// interval whiskers and an asterisk over a bar that differs significantly from the first.
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable {
        public var value: Double
        public var low: Double?
        public var high: Double?
        /// Whether the paired difference to the first variant excludes 0; nil for the first.
        public var significant: Bool?
        /// What hovering over the bar says.
        public var note: String

        public init(value: Double, low: Double? = nil, high: Double? = nil, significant: Bool? = nil, note: String) {
            self.value = value
            self.low = low
            self.high = high
            self.significant = significant
            self.note = note
        }
    }

    public var title: String
    public var subtitle = ""
    public var categoryLabel: String
    public var yLabel: String
    public var yUnit: ChartUnit
    /// The clusters (scopes).
    public var categories: [String]
    /// The bars of each cluster (variants), in legend order.
    public var groups: [String]
    /// `bars[category][group]`, nil where the variant lacks the scope.
    public var bars: [[Bar?]]

    public init(title: String, subtitle: String = "", categoryLabel: String, yLabel: String, yUnit: ChartUnit,
                categories: [String], groups: [String], bars: [[Bar?]]) {
        self.title = title
        self.subtitle = subtitle
        self.categoryLabel = categoryLabel
        self.yLabel = yLabel
        self.yUnit = yUnit
        self.categories = categories
        self.groups = groups
        self.bars = bars
    }

    /// The chart as an SVG element with the id `id`.
    public func svg(id: String) -> String {
        let all = bars.flatMap { $0.compactMap { $0 } }
        // Room above the highest whisker for the significance mark; intervals of quantities
        // that cannot be negative are cut at 0.
        let ceiling = ChartScale.intervalCeiling(all.map(\.value)) ?? .infinity
        let highest = all.map { max($0.value, min($0.high ?? $0.value, ceiling)) }.max() ?? 0
        let floor: Double? = all.allSatisfy { $0.value >= 0 } ? 0 : nil
        let y = ChartScale(covering: all.flatMap { [$0.value, $0.low ?? $0.value, min($0.high ?? $0.value, ceiling)] } + [0, highest * 1.08],
                           unit: yUnit, floor: floor)
        let frame = ChartFrame(title: title, subtitle: subtitle, xLabel: categoryLabel, yLabel: yLabel,
                               x: ChartScale(categories: categories), y: y,
                               legend: groups.enumerated().map { (name: $0.element, color: SVGText.color($0.offset), line: false) })
        func c(_ v: Double) -> String { SVGText.coordinate(v) }
        let slot = frame.plotWidth / Double(max(categories.count, 1))
        let barWidth = min(48, slot * 0.8 / Double(max(groups.count, 1)))
        var marks = ""
        for (i, cluster) in bars.enumerated() {
            let center = frame.px(Double(i))
            for (g, bar) in cluster.enumerated() {
                guard let bar else { continue }
                let color = SVGText.color(g)
                let left = center - barWidth * Double(groups.count) / 2 + barWidth * Double(g)
                let top = frame.py(max(bar.value, 0)), bottom = frame.py(min(bar.value, 0))
                marks += "<g class=\"series\" data-series=\"\(SVGText.escape(groups[g]))\">"
                marks += "<rect class=\"mark bar\" x=\"\(c(left + 1))\" y=\"\(c(top))\" width=\"\(c(barWidth - 2))\" height=\"\(c(max(bottom - top, 0.5)))\" fill=\"\(color)\""
                marks += bar.significant == true ? " stroke=\"#111111\" stroke-width=\"2\">" : ">"
                marks += SVGText.note(bar.note) + "</rect>"
                let middle = left + barWidth / 2
                var markTop = top
                if let low = bar.low, let high = bar.high {
                    let ly = frame.py(max(low, frame.y.lower)), hy = frame.py(min(high, frame.y.upper))
                    // An end beyond the axis is drawn open, as an arrowhead at the top.
                    let end = high > frame.y.upper
                        ? "M\(c(middle - 5)),\(c(hy + 7)) L\(c(middle)),\(c(hy)) L\(c(middle + 5)),\(c(hy + 7))"
                        : "M\(c(middle - 5)),\(c(hy)) L\(c(middle + 5)),\(c(hy))"
                    marks += "<path class=\"whisker\" d=\"M\(c(middle)),\(c(ly)) L\(c(middle)),\(c(hy)) M\(c(middle - 5)),\(c(ly)) L\(c(middle + 5)),\(c(ly)) \(end)\" stroke=\"#111111\" stroke-width=\"1.5\" fill=\"none\">"
                    marks += SVGText.note("95% interval \(yUnit.format(low)) to \(yUnit.format(high))") + "</path>"
                    markTop = min(markTop, hy)
                }
                if bar.significant == true {
                    marks += "<text class=\"significant\" x=\"\(c(middle))\" y=\"\(c(max(markTop - 4, frame.top + 10)))\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">*"
                    marks += SVGText.note("significantly different from \(groups.first ?? "the first")") + "</text>"
                }
                marks += "</g>"
            }
        }
        return frame.svg(id: id, marks: marks)
    }
}
