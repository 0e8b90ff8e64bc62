import Scenario

/// Why an import wrote nothing: every located mistake found, `FILE:LINE:COLUMN: path: ...`.
public struct ImportErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    init(file: String, at location: TextPosition, path: String = "", _ message: String) {
        diagnostics = [Diagnostic(file: file, location: location, path: path, message: message)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
