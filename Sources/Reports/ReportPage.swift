import Foundation

/// The report: one self-contained HTML page (inline SVG and CSS, no script, nothing fetched)
/// with every chart the data allows, in sections.
///
/// The page is also well-formed XML (XHTML syntax), so that tests and tools can parse it.
public enum ReportPage {
    /// The page's sections, each a heading and its charts' SVG.
    public static func sections(_ data: ReportData) -> [(heading: String, charts: [String])] {
        var sections: [(heading: String, charts: [String])] = []
        var counter = 0
        func id() -> String {
            counter += 1
            return "chart-\(counter)"
        }
        let comparison = CompareCharts.charts(data).map { $0.svg(id: id()) }
        if !comparison.isEmpty { sections.append(("Variants compared", comparison)) }
        let headline = HeadlineCharts.charts(data).map { $0.svg(id: id()) }
        if !headline.isEmpty { sections.append(("Outcomes", headline)) }
        let plan = PlanChart.charts(data).map { $0.svg(id: id()) }
        if !plan.isEmpty { sections.append(("Capacity plan", plan)) }
        let latency = LatencyCDFChart.charts(data).map { $0.svg(id: id()) }
        if !latency.isEmpty { sections.append(("Latency", latency)) }
        let sweep = SweepCharts.charts(data).map { $0.svg(id: id()) }
        if !sweep.isEmpty { sections.append(("Sweep", sweep)) }
        let timeseries = TimeSeriesCharts.charts(data).map { $0.svg(id: id()) }
        if !timeseries.isEmpty { sections.append(("Over time", timeseries)) }
        return sections
    }

    /// The whole page.
    public static func html(_ data: ReportData) -> String {
        let title = "queuesim report: \(data.name)"
        var page = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page += "<title>\(SVGText.escape(title))</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        page += "<h1>\(SVGText.escape(title))</h1>\n"
        var facts = ["from \(data.folder)"]
        if data.replications > 0 { facts.append("\(data.replications) replication\(data.replications == 1 ? "" : "s") per point") }
        if !data.parameterNames.isEmpty { facts.append("swept: \(data.parameterNames.joined(separator: ", "))") }
        page += "<p class=\"facts\">\(SVGText.escape(facts.joined(separator: " · ")))</p>\n"
        page += "<p class=\"hint\">Hover over a mark for its numbers. Every number comes from the CSV files listed at the end.</p>\n"
        page += NumbersTable.html(data)
        let sections = sections(data)
        if sections.isEmpty {
            page += "<p class=\"empty\">These files hold nothing to chart.</p>\n"
        }
        for section in sections {
            page += "<section>\n<h2>\(SVGText.escape(section.heading))</h2>\n"
            for chart in section.charts { page += "<figure>\(chart)</figure>\n" }
            page += "</section>\n"
        }
        page += "<footer><p>Data: \(data.files.map { "<code>\(SVGText.escape($0))</code>" }.joined(separator: ", ")). "
        page += "Columns are described in docs/OUTPUTS.md and notebooks-data/README.md.</p></footer>\n"
        page += "</body>\n</html>\n"
        return page
    }

    /// The page's style: readable type, charts one under another, nothing fetched.
    static let style = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 800px; color: #111111; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
        .facts, .hint, footer { color: #555555; font-size: 13px; }
        figure { margin: 16px 0; }
        svg.chart { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 100%; height: auto; }
        svg.chart .mark:hover { opacity: 0.75; }
        table.numbers { border-collapse: collapse; font-size: 12px; margin: 8px 0; display: block; overflow-x: auto; }
        table.numbers caption { text-align: left; color: #555555; padding-bottom: 4px; }
        table.numbers th, table.numbers td { padding: 3px 8px; border-bottom: 1px solid #e6e6e6; white-space: nowrap; }
        table.numbers td { text-align: right; font-variant-numeric: tabular-nums; }
        table.numbers th { text-align: left; }

        """

    /// The report's file name for a scenario name: its output folder's name
    /// (``OutputFolder/name(for:)``) and `.html`.
    public static func fileName(_ name: String) -> String { OutputFolder.name(for: name) + ".html" }

    /// Reads the CSV files in `folder` and writes the report into `reports` (created when
    /// missing), atomically; returns the report's path. Nothing is written when the folder
    /// cannot be read.
    public static func write(from folder: String, into reports: String) throws -> String {
        let data = try ReportFolder.read(folder)
        let output = try OutputFolder(creating: reports)
        let path = output.file(fileName(data.name))
        try AtomicFile.write(html(data), to: path)
        return path
    }
}
