/// What every chart shares: the title and subtitle, the plot area, the axes with their
/// ticks and labels, and the legend below the plot (never over the data).
struct ChartFrame {
    /// The whole chart's width in pixels.
    static let width = 760.0
    /// The plot area.
    let left = 88.0
    let top = 58.0
    let plotWidth = 760.0 - 88 - 28
    let plotHeight = 280.0

    var title: String
    var subtitle: String
    var xLabel: String
    var yLabel: String
    var x: ChartScale
    var y: ChartScale
    /// Legend entries: name, colour, and whether the swatch is a line or a marker.
    var legend: [(name: String, color: String, line: Bool)]
    /// The dash pattern of each line entry's swatch (as its line is drawn); empty: solid.
    var legendDashes: [String] = []

    /// The pixel column of an x value.
    func px(_ value: Double) -> Double { left + x.position(value) * plotWidth }
    /// The pixel row of a y value.
    func py(_ value: Double) -> Double { top + (1 - y.position(value)) * plotHeight }

    /// The legend's rows, each a list of (entry, left edge): entries wrap at the plot's width.
    var legendRows: [[(entry: Int, x: Double)]] {
        var rows: [[(entry: Int, x: Double)]] = []
        var row: [(entry: Int, x: Double)] = []
        var cursor = left
        for (i, item) in legend.enumerated() {
            let width = 30 + SVGText.width(SVGText.shortened(item.name, to: 48)) + 18
            if !row.isEmpty && cursor + width > left + plotWidth {
                rows.append(row)
                row = []
                cursor = left
            }
            row.append((i, cursor))
            cursor += width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// The chart's height: plot, tick labels, axis label and legend rows.
    var height: Double { top + plotHeight + 62 + Double(legendRows.count) * 20 + 8 }

    /// The SVG document of a chart whose marks are `marks`, drawn between the grid and the axes.
    /// `overlay` is drawn last and unclipped (the ring and label of a highlighted point).
    func svg(id: String, marks: String, overlay: String = "") -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(id)\" width=\"\(SVGText.coordinate(Self.width))\" "
        s += "height=\"\(SVGText.coordinate(height))\" viewBox=\"0 0 \(SVGText.coordinate(Self.width)) \(SVGText.coordinate(height))\" "
        // The font is set on the chart itself, so that it looks the same outside the page.
        s += "font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-labelledby=\"\(id)-title\">"
        s += "<title id=\"\(id)-title\">\(SVGText.escape(title))</title>"
        s += "<defs><clipPath id=\"\(id)-plot\"><rect x=\"\(c(left))\" y=\"\(c(top - 4))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight + 8))\"/></clipPath></defs>"
        s += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(c(Self.width))\" height=\"\(c(height))\" fill=\"#ffffff\"/>"
        s += "<text class=\"chart-title\" x=\"\(c(left))\" y=\"22\" font-size=\"16\" font-weight=\"bold\">\(SVGText.escape(title))</text>"
        if !subtitle.isEmpty {
            s += "<text class=\"chart-subtitle\" x=\"\(c(left))\" y=\"40\" font-size=\"12\" fill=\"#555555\">\(SVGText.escape(SVGText.shortened(subtitle, to: 110)))</text>"
        }
        s += "<rect class=\"plot-area\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" fill=\"#fafafa\" stroke=\"none\"/>"
        s += grid()
        // Axes under the marks: a series at 0 stays visible on the x axis.
        s += axes()
        s += "<g class=\"marks\" clip-path=\"url(#\(id)-plot)\">\(marks)</g>"
        s += overlay
        s += legendSVG()
        s += "</svg>"
        return s
    }

    private func c(_ value: Double) -> String { SVGText.coordinate(value) }

    /// Grid lines and tick labels of both axes.
    private func grid() -> String {
        var s = "<g class=\"ticks y-ticks\" font-size=\"11\" fill=\"#333333\">"
        for tick in y.ticks {
            let row = py(tick.value)
            s += "<line x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(c(row))\" y2=\"\(c(row))\" stroke=\"#e2e2e2\"/>"
            s += "<text x=\"\(c(left - 6))\" y=\"\(c(row + 4))\" text-anchor=\"end\">\(SVGText.escape(tick.label))</text>"
        }
        s += "</g><g class=\"ticks x-ticks\" font-size=\"11\" fill=\"#333333\">"
        // Labels that would run into each other are thinned to every k-th.
        let widest = x.ticks.map { SVGText.width(SVGText.shortened($0.label, to: 22), size: 11) }.max() ?? 0
        let spacing = plotWidth / Double(max(x.ticks.count, 1))
        let every = max(1, Int(((widest + 10) / spacing).rounded(.up)))
        for (i, tick) in x.ticks.enumerated() {
            let column = px(tick.value)
            s += "<line x1=\"\(c(column))\" x2=\"\(c(column))\" y1=\"\(c(top))\" y2=\"\(c(top + plotHeight))\" stroke=\"#eeeeee\"/>"
            let label = SVGText.shortened(tick.label, to: 22)
            guard i % every == 0 else { continue }
            s += "<text x=\"\(c(column))\" y=\"\(c(top + plotHeight + 16))\" text-anchor=\"middle\">\(SVGText.escape(label))"
            s += label == tick.label ? "" : SVGText.note(tick.label)
            s += "</text>"
        }
        return s + "</g>"
    }

    /// The two axis lines and their labels.
    private func axes() -> String {
        var s = "<g class=\"axes\" stroke=\"#333333\">"
        s += "<line class=\"axis x-axis\" x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(c(top + plotHeight))\" y2=\"\(c(top + plotHeight))\"/>"
        s += "<line class=\"axis y-axis\" x1=\"\(c(left))\" x2=\"\(c(left))\" y1=\"\(c(top))\" y2=\"\(c(top + plotHeight))\"/>"
        s += "</g>"
        s += "<text class=\"axis-label x-label\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(top + plotHeight + 38))\" text-anchor=\"middle\" font-size=\"12\">\(SVGText.escape(xLabel))</text>"
        let middle = top + plotHeight / 2
        s += "<text class=\"axis-label y-label\" x=\"18\" y=\"\(c(middle))\" transform=\"rotate(-90 18 \(c(middle)))\" text-anchor=\"middle\" font-size=\"12\">\(SVGText.escape(yLabel))</text>"
        return s
    }

    /// The legend, in rows under the axis label.
    private func legendSVG() -> String {
        guard !legend.isEmpty else { return "" }
        var s = "<g class=\"legend\" font-size=\"12\">"
        for (r, row) in legendRows.enumerated() {
            let rowY = top + plotHeight + 62 + Double(r) * 20
            for (entry, x) in row {
                let item = legend[entry]
                if item.line {
                    let dash = legendDashes.indices.contains(entry) && !legendDashes[entry].isEmpty ? " stroke-dasharray=\"\(legendDashes[entry])\"" : ""
                    s += "<line x1=\"\(c(x))\" x2=\"\(c(x + 22))\" y1=\"\(c(rowY))\" y2=\"\(c(rowY))\" stroke=\"\(item.color)\" stroke-width=\"3\"\(dash)/>"
                } else {
                    s += "<circle cx=\"\(c(x + 11))\" cy=\"\(c(rowY))\" r=\"5\" fill=\"\(item.color)\"/>"
                }
                let name = SVGText.shortened(item.name, to: 48)
                s += "<text x=\"\(c(x + 28))\" y=\"\(c(rowY + 4))\">\(SVGText.escape(name))\(name == item.name ? "" : SVGText.note(item.name))</text>"
            }
        }
        return s + "</g>"
    }
}
