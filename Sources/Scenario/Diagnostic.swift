/// A position in a scenario file.
///
/// Lines and columns start at 1; columns count Unicode scalars, as libyaml (inside Yams) does,
/// so a location points at the same character an editor shows for ASCII files.
public struct TextPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file, for mistakes that belong to no particular place in it.
    public static let start = TextPosition(line: 1, column: 1)

    /// Earlier in the file first.
    public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `LINE:COLUMN`.
    public var description: String { "\(line):\(column)" }
}

/// One mistake (or doubtful setting) in a scenario file, located at the text that causes it.
///
/// Printed as `FILE:LINE:COLUMN: key.path: what is wrong (what was expected)`, the format
/// compilers use, so editors and terminals make it clickable. Warnings carry `warning:` after
/// the location.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Whether the scenario can still run.
    public enum Severity: String, Hashable, Sendable {
        /// The scenario is refused.
        case error
        /// The scenario runs, but a setting is probably not what the user wants.
        case warning
    }

    /// What kind of mistake, for code that reacts to some of them (sweep paths).
    public enum Kind: Hashable, Sendable {
        /// A key that the format does not have.
        case unknownKey
        /// A valid value that conflicts with another setting (a timeout above the queue's
        /// visibility timeout); a planner trying values one at a time ignores these.
        case conflict
        /// A key that cannot be set beside another key the file sets, whatever its value
        /// (`reserved_concurrency` on a function with `managed_instances`): a planner's value
        /// there can never be used, so trying values reports it.
        case excludedKey
        /// Any other mistake.
        case other
    }

    /// Error or warning.
    public var severity: Severity
    /// The file as the user named it.
    public var file: String
    /// Where in the file.
    public var location: TextPosition
    /// The dotted key path of the value at fault; empty for syntax errors.
    public var path: String
    /// What is wrong, then what was expected in parentheses.
    public var message: String
    /// Which variant of the file was read, e.g. `sweep point 3 (functions.worker.memory=1GB)`.
    public var context: String?
    /// The kind of mistake.
    public var kind: Kind

    /// Creates a diagnostic.
    public init(severity: Severity = .error, file: String, location: TextPosition, path: String, message: String,
                context: String? = nil, kind: Kind = .other) {
        self.severity = severity
        self.file = file
        self.location = location
        self.path = path
        self.message = message
        self.context = context
        self.kind = kind
    }

    /// `FILE:LINE:COLUMN: [warning: ][context: ][key.path: ]message`, one printable line:
    /// control characters, terminal escape sequences and bidirectional overrides that came
    /// from the file are written escaped (``TerminalText/escaped(_:)``).
    public var description: String {
        var text = "\(TerminalText.escaped(file)):\(location.line):\(location.column): "
        if severity == .warning { text += "warning: " }
        if let context { text += "\(TerminalText.escaped(context)): " }
        if !path.isEmpty { text += "\(TerminalText.escaped(path)): " }
        return text + TerminalText.escaped(message)
    }
}

/// Text from a file made safe to print on a terminal.
public enum TerminalText {
    /// The text with every control character (a line break, a tab, ESC, which starts the
    /// terminal's escape sequences) and every invisible reordering character (the
    /// bidirectional overrides and isolates, which make text read differently from what it
    /// is) written as Swift writes it, `\u{1B}`; a backslash is kept as it is.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E || scalar.value == 0x200F
    }
}

/// The mistakes that keep a scenario file from loading, all of them at once.
///
/// Warnings found in the same file are included, so that a user fixing the errors sees the
/// whole picture in one pass.
public struct ScenarioErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// Errors and warnings in reading order.
    public var diagnostics: [Diagnostic]

    /// Creates the error from diagnostics, at least one of which should be an error.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Only the warnings.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// One diagnostic a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
