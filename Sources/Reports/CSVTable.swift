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
    /// comma, a quote or a line break (a sweep value such as `{min: 1s, max: 2s}`). Text that a
    /// spreadsheet would run as a formula (a name from the scenario starting with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return) is quoted with an apostrophe first, `"'=SUM(A1)"`,
    /// which spreadsheets show as text; so is text that starts with an apostrophe, so that
    /// ``CSVFile`` can take exactly one off again. Numbers (`-1.5`) stay as they are.
    public static func escape(_ field: String) -> String {
        if let first = field.unicodeScalars.first, formulaStarts.contains(first), Double(field) == nil {
            return "\"'" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// First characters that make a spreadsheet read a cell as a formula (OWASP's list), and
    /// the apostrophe that marks one as text.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "'"]
}
