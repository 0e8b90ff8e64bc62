/// A CSV table: a header row and data rows of already formatted fields.
public struct CSVTable: Sendable, Equatable {
    /// The column names.
    public var header: [String]
    /// The rows, each as long as the header.
    public var rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as RFC 4180 text: comma-separated, `\n` line ends, a final line end.
    public var text: String {
        var text = ""
        Self.appendLine(header, to: &text)
        for row in rows { Self.appendLine(row, to: &text) }
        return text
    }

    /// Appends one record to `text`.
    static func appendLine(_ fields: [String], to text: inout String) {
        for (i, field) in fields.enumerated() {
            if i > 0 { text.append(",") }
            text.append(escape(field))
        }
        text.append("\n")
    }

    /// A field as it appears in the file: quoted, with inner quotes doubled, when it holds a
    /// comma, a quote or a line break (a sweep value such as `{min: 1s, max: 2s}`).
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
