import ServerlessModel

/// The numbers behind a report's charts as a table at the top of every page: the mean (and
/// 95% interval) of the key metrics and of every ``HeadlineMetrics`` count that is not 0, per
/// task group and `all` (per point of a sweep, per variant of a comparison), or every
/// configuration of a plan. A reader who wants one number does not have to read it off a
/// chart, and nothing the tables show is left out of the page.
enum NumbersTable {
    /// The metrics shown, in order, where some row has them.
    static let metrics: [Metric] = [.sent, .succeeded] + HeadlineMetrics.shownWhenNonZero
        + [.latencyP50, .latencyP99, .throughput, .throttleRate, .costUSD]

    /// One table's heading row and body rows, or nil when the data has no numbers.
    static func table(_ data: ReportData) -> (caption: String, header: [String], rows: [[String]])? {
        if !data.comparison.isEmpty {
            let rows = data.comparison.filter { $0.kind == "all" }.map { ($0.variant, $0.metric, $0.mean, $0.ci95Low, $0.ci95High) }
            return build(caption: "All groups, per variant: mean over the replications [95% interval]", label: "variant", rows)
        }
        if !data.aggregates.isEmpty {
            let sweep = !data.parameterNames.isEmpty
            let rows = data.aggregates.filter { sweep ? $0.kind == "all" : ($0.kind == "group" || $0.kind == "all") }.map { row in
                (sweep ? zip(data.parameterNames, row.parameters).map { "\($0)=\($1)" }.joined(separator: ", ") : row.scope,
                 row.metric, row.mean, row.ci95Low, row.ci95High)
            }
            return build(caption: sweep ? "All groups, per sweep point: mean over the replications [95% interval]"
                                        : "Per task group and all: mean over the replications [95% interval]",
                         label: sweep ? "point" : "scope", rows)
        }
        if let plan = data.plan, !plan.evaluations.isEmpty {
            let header = ["evaluation"] + plan.paths + ["status", "cost per run"]
            let rows = plan.evaluations.map { evaluation in
                ["\(evaluation.index)\(evaluation.recommended ? " (chosen)" : "")"] + evaluation.values
                    + [evaluation.status, evaluation.cost.map { ChartUnit.dollars.format($0) } ?? "-"]
            }
            return ("Every configuration evaluated", header, rows)
        }
        return nil
    }

    /// A table of (row label, metric, mean, low, high) values, a column per metric present.
    private static func build(caption: String, label: String,
                              _ values: [(String, String, Double, Double?, Double?)]) -> (caption: String, header: [String], rows: [[String]])? {
        let labels = LatencyCDFChart.unique(values.map(\.0))
        let shown = metrics.filter { metric in
            let column = values.filter { $0.1 == metric.rawValue }
            return !column.isEmpty && !(HeadlineMetrics.shownWhenNonZero.contains(metric) && column.allSatisfy { $0.2 == 0 })
        }
        guard !labels.isEmpty, !shown.isEmpty else { return nil }
        var index: [String: (Double, Double?, Double?)] = [:]
        for value in values { index["\(value.0)\u{0}\(value.1)"] = (value.2, value.3, value.4) }
        let rows = labels.map { row in
            [row] + shown.map { metric -> String in
                guard let (mean, low, high) = index["\(row)\u{0}\(metric.rawValue)"] else { return "-" }
                return cell(mean, low: low, high: high, style: ConsoleNumber.style(of: metric))
            }
        }
        return (caption, [label] + shown.map { $0.rawValue }, rows)
    }

    /// `mean ± half-width`, or `mean [low, high]` for an interval kept in its range.
    static func cell(_ mean: Double, low: Double?, high: Double?, style: ConsoleNumber.Style) -> String {
        guard let low, let high else { return ConsoleNumber.format(mean, style: style) }
        let scale = max(abs(mean), abs(low), abs(high), .leastNormalMagnitude)
        if abs((high - mean) - (mean - low)) <= 1e-9 * scale {
            return ConsoleNumber.format(mean, halfWidth: (high - low) / 2, style: style)
        }
        return ConsoleNumber.format(mean, style: style) + " [" + ConsoleNumber.format(low, style: style) + ", "
            + ConsoleNumber.format(high, style: style) + "]"
    }

    /// The table as XHTML, or empty.
    static func html(_ data: ReportData) -> String {
        guard let table = table(data) else { return "" }
        var html = "<section>\n<h2>Numbers</h2>\n<table class=\"numbers\">\n<caption>\(SVGText.escape(table.caption))</caption>\n<thead><tr>"
        html += table.header.map { "<th>\(SVGText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.enumerated().map { $0.offset == 0 ? "<th>\(SVGText.escape($0.element))</th>" : "<td>\(SVGText.escape($0.element))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }
}
