/// A plain-text table for the terminal: a header, a rule, aligned columns.
///
/// The first column (row labels) is left-aligned, the others right-aligned so that digits
/// line up. Widths count characters, which is right for the ASCII and `±` used here.
public struct TextTable: Sendable {
    /// The column headings.
    public var header: [String]
    /// The rows, each as long as the header.
    public var rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as lines of text, each ending in a line break.
    public var text: String {
        let count = header.count
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.prefix(count).enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.prefix(count).enumerated().map { i, cell in
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var text = line(header) + "\n"
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { text += line(row + Array(repeating: "", count: max(0, count - row.count))) + "\n" }
        return text
    }
}
