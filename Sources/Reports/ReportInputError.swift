/// Why a folder of CSV files cannot be made into a report: bad input (exit status 2).
public struct ReportInputError: Error, Equatable, CustomStringConvertible {
    /// The file or folder at fault.
    public var path: String
    /// The line (from 1) and column (from 1) at fault, when a place in a file is.
    public var line: Int?
    public var column: Int?
    /// What was expected and what was found.
    public var reason: String

    /// Creates an error.
    public init(path: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `FILE:LINE:COLUMN: reason`, the form editors link to.
    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(reason)"
    }
}
