/// Collects the diagnostics of one reading of a scenario file.
///
/// Reading goes on after a mistake, so a user sees every mistake at once. To keep one mistake
/// from causing a cascade of others (a bad timeout checked against a visibility timeout), the
/// sink remembers which paths failed, and the cross-checks skip values that did.
final class DiagnosticSink {
    /// The file as the user named it.
    let file: String
    /// Everything found so far, in order.
    private(set) var diagnostics: [Diagnostic] = []
    /// Paths at which an error was reported.
    private var failedPaths: [FieldPath] = []

    /// Creates an empty sink for a file.
    init(file: String) { self.file = file }

    /// Reports an error.
    func error(_ location: TextPosition, _ path: FieldPath, _ message: String, kind: Diagnostic.Kind = .other) {
        diagnostics.append(Diagnostic(file: file, location: location, path: path.description, message: message, kind: kind))
        failedPaths.append(path)
    }

    /// Reports a warning.
    func warning(_ location: TextPosition, _ path: FieldPath, _ message: String) {
        diagnostics.append(Diagnostic(severity: .warning, file: file, location: location, path: path.description,
                                      message: message))
    }

    /// Adds diagnostics found elsewhere (a data file, a sweep point).
    func append(_ more: [Diagnostic]) { diagnostics.append(contentsOf: more) }

    /// Whether an error was reported at, inside or above `path`.
    func hasFailed(_ path: FieldPath) -> Bool {
        failedPaths.contains { $0.isWithin(path) || path.isWithin($0) }
    }

    /// Whether an error was reported at `path` itself or above it (a collection that is not
    /// a mapping), as opposed to somewhere inside it.
    func hasFailedAtOrAbove(_ path: FieldPath) -> Bool {
        failedPaths.contains { path.isWithin($0) }
    }

    /// Whether any error was reported.
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
