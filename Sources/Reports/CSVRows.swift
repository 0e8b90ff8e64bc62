/// A CSV file's header and rows made as they are written, one at a time: a table too large to
/// hold whole, such as a sweep's `aggregate.csv` (26 rows a scope of each point, each with the
/// point's swept values: 16.8 GiB held for 100 points of 2,001 scopes and 100 settings;
/// Benchmarks/PROFILE.md, "Sweep files").
public struct CSVRows {
    /// The column names.
    public var header: [String]
    /// Hands every row, in order, to its argument.
    private let produce: (_ row: ([String]) throws(ReportError) -> Void) throws(ReportError) -> Void

    /// Rows made by `produce`, which hands each to the function it is given.
    public init(header: [String], produce: @escaping (_ row: ([String]) throws(ReportError) -> Void) throws(ReportError) -> Void) {
        self.header = header
        self.produce = produce
    }

    /// The rows of a table held already.
    public init(_ table: CSVTable) {
        self.init(header: table.header) { (row: ([String]) throws(ReportError) -> Void) throws(ReportError) in
            for fields in table.rows { try row(fields) }
        }
    }

    /// Writes the header and rows, a line at a time.
    func write(to sink: inout AtomicFile.Sink) throws(ReportError) {
        var line = ""
        CSVTable.appendLine(header, to: &line)
        try sink.write(line)
        try produce { (fields: [String]) throws(ReportError) in
            line.removeAll(keepingCapacity: true)
            CSVTable.appendLine(fields, to: &line)
            try sink.write(line)
        }
    }
}
