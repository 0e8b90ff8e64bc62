import Foundation

/// A CSV file read back: its header and records, each record with the line it starts on,
/// so that a bad value can be reported as `FILE:LINE:COLUMN`.
///
/// Reads RFC 4180 as ``CSVTable`` writes it: comma-separated, fields quoted when they hold a
/// comma, quote or line break, inner quotes doubled, an apostrophe before text that would run
/// as a spreadsheet formula; `\n` or `\r\n` line ends.
public struct CSVFile: Sendable {
    /// One record.
    public struct Record: Sendable {
        /// The line (from 1) the record starts on.
        public var line: Int
        /// The fields.
        public var fields: [String]
        /// The column (from 1, in characters) each field starts at.
        public var columns: [Int]
    }

    /// The file's path, for messages.
    public var path: String
    /// The column names.
    public var header: [String]
    /// The records after the header.
    public var records: [Record]
    private var index: [String: Int]

    /// Reads and parses the file at `path`.
    public init(path: String) throws(ReportInputError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportInputError(path: path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportInputError(path: path, reason: "the file is not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    /// Parses CSV text; `path` names it in errors.
    public init(text: String, path: String) throws(ReportInputError) {
        var records = try Self.parse(text, path: path)
        guard !records.isEmpty else { throw ReportInputError(path: path, reason: "the file is empty; expected a header row") }
        let header = records.removeFirst()
        self.path = path
        self.header = header.fields
        self.records = records
        var index: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() where index[name] == nil { index[name] = i }
        self.index = index
        for record in records where record.fields.count != header.fields.count {
            throw ReportInputError(path: path, line: record.line, column: 1,
                                   reason: "expected \(header.fields.count) fields as in the header, found \(record.fields.count)")
        }
    }

    /// Whether the file has a column.
    public func has(_ column: String) -> Bool { index[column] != nil }

    /// The position of a column that the file must have.
    public func require(_ column: String) throws(ReportInputError) -> Int {
        guard let i = index[column] else {
            throw ReportInputError(path: path, line: 1, column: 1, reason: "expected a column named `\(column)` in the header")
        }
        return i
    }

    /// The columns strictly between two columns (the run-time named ones, such as swept
    /// parameters); an error when the header has them the wrong way round.
    public func columns(after first: Int, before last: Int) throws(ReportInputError) -> Range<Int> {
        guard first < last else {
            throw ReportInputError(path: path, line: 1, column: 1,
                                   reason: "expected column `\(header[first])` before `\(header[last])` in the header")
        }
        return (first + 1)..<last
    }

    /// The text of a field.
    public func text(_ record: Record, _ column: Int) -> String { record.fields[column] }

    /// A number field; nil when blank.
    public func number(_ record: Record, _ column: Int) throws(ReportInputError) -> Double? {
        let field = record.fields[column]
        if field.isEmpty { return nil }
        guard let value = Double(field), value.isFinite else {
            throw ReportInputError(path: path, line: record.line, column: record.columns[column],
                                   reason: "expected a number in column `\(header[column])`, found `\(field)`")
        }
        return value
    }

    /// A number field that must be there.
    public func requiredNumber(_ record: Record, _ column: Int) throws(ReportInputError) -> Double {
        guard let value = try number(record, column) else {
            throw ReportInputError(path: path, line: record.line, column: record.columns[column],
                                   reason: "expected a number in column `\(header[column])`, found a blank field")
        }
        return value
    }

    /// A whole-number field that must be there.
    public func integer(_ record: Record, _ column: Int) throws(ReportInputError) -> Int {
        let field = record.fields[column]
        guard let value = Int(field) else {
            throw ReportInputError(path: path, line: record.line, column: record.columns[column],
                                   reason: "expected a whole number in column `\(header[column])`, found `\(field)`")
        }
        return value
    }

    /// Splits text into records of fields.
    static func parse(_ text: String, path: String) throws(ReportInputError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var columns: [Int] = []
        var field = ""
        var line = 1
        var column = 1
        var recordLine = 1
        var fieldColumn = 1
        var quoted = false
        var fieldWasQuoted = false
        var quoteStart = (line: 1, column: 1)
        var afterQuote = false
        var atRecordStart = true
        var iterator = Array(text.unicodeScalars)[...]

        func endField() {
            // A quoted field that starts with an apostrophe was kept from running as a
            // formula (``CSVTable/escape(_:)``): the apostrophe is not part of the text.
            if fieldWasQuoted, field.unicodeScalars.first == "'" { field.unicodeScalars.removeFirst() }
            fieldWasQuoted = false
            fields.append(field)
            columns.append(fieldColumn)
            field = ""
            afterQuote = false
        }
        while let scalar = iterator.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if iterator.first == "\"" {
                        field.unicodeScalars.append("\"")
                        _ = iterator.popFirst()
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    field.unicodeScalars.append(scalar)
                    if scalar == "\n" { line += 1; column = 0 }
                }
                column += 1
                continue
            }
            switch scalar {
            case ",":
                endField()
                atRecordStart = false
                fieldColumn = column + 1
            case "\r" where iterator.first == "\n":
                break
            case "\n":
                endField()
                records.append(Record(line: recordLine, fields: fields, columns: columns))
                fields = []
                columns = []
                line += 1
                column = 0
                recordLine = line
                fieldColumn = 1
                atRecordStart = true
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                fieldWasQuoted = true
                quoteStart = (line, column)
                atRecordStart = false
            default:
                if afterQuote {
                    throw ReportInputError(path: path, line: line, column: column,
                                           reason: "expected a comma or a line end after a closing quote, found `\(scalar)`")
                }
                field.unicodeScalars.append(scalar)
                atRecordStart = false
            }
            column += 1
        }
        if quoted {
            throw ReportInputError(path: path, line: quoteStart.line, column: quoteStart.column,
                                   reason: "the quoted field opened here is not closed before the end of the file")
        }
        if !atRecordStart || !field.isEmpty || !fields.isEmpty {
            endField()
            records.append(Record(line: recordLine, fields: fields, columns: columns))
        }
        return records
    }
}
