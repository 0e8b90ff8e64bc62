import Foundation
import Yams

/// Turns YAML text into a ``SourceNode`` tree, converting every Yams error into a located
/// diagnostic.
///
/// Yams refuses a mapping with a duplicated key and says only where the *first* occurrence is.
/// To report the duplicate itself, with its key path, and to go on finding the file's other
/// mistakes, the parser renames the second occurrence in the text (a marker prefix that no
/// scenario uses), parses again, and reports the marked key while converting. Locations on an
/// edited line are shifted back, so every location refers to the file as the user wrote it.
enum SourceParser {
    /// Prefix given to a duplicated key so that Yams accepts the text.
    private static let duplicateMarker = "__queuesim_duplicate_"
    /// The most duplicates renamed before giving up (each one costs a parse).
    private static let maximumRenames = 50
    /// The most text parsed again for renamed duplicates, in bytes: a file of 1 MB gets 16
    /// renames, one of 8 MB two (duplicates cost about 15 s per MB when each of 50 renames
    /// parsed the whole file again). The first duplicate is always reported.
    static let renameBudgetBytes = 16 << 20

    /// How many duplicates of a text of `bytes` are renamed.
    static func renames(forTextOf bytes: Int) -> Int {
        max(1, min(maximumRenames, renameBudgetBytes / max(1, bytes)))
    }

    /// Parses `text`; returns nil (with diagnostics in `sink`) if it is not YAML at all.
    static func parse(_ text: String, sink: DiagnosticSink) -> SourceNode? {
        LoadCounts.parsedText()
        var text = unixLineEndings(text)
        var edits = TextEdits()
        let renames = Self.renames(forTextOf: text.utf8.count)
        // The renamed duplicates, reported here if the budget runs out before the file parses.
        var renamed: [(key: String, first: TextPosition, second: TextPosition)] = []
        for attempt in 0...renames {
            do {
                // The basic resolver: the converter reads scalars' text and style, never the
                // tags Yams would resolve, and the default resolver's regular expressions (run
                // again whenever Yams hashes a key to look for duplicates) were most of the
                // time spent loading a file of thousands of pipelines (Benchmarks/PROFILE.md).
                guard let node = try Yams.compose(yaml: text, .basic) else {
                    sink.error(.start, .root, "the file is empty (expected a mapping with name, run, groups, queues and functions)")
                    return nil
                }
                let converter = NodeConverter(sink: sink, edits: edits)
                let tree = converter.convert(node, path: .root)
                return converter.exceededLimit ? nil : tree
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let keys, let context) = error, attempt < renames {
                    let key = keys.first ?? ""
                    let first = edits.original(context.mark)
                    guard let second = findSecondOccurrence(of: key, after: context.mark, in: text) else {
                        reportRenamed(renamed, sink: sink)
                        sink.error(first, .root, "the key '\(key)' appears more than once in one mapping (expected each key once)")
                        return nil
                    }
                    renamed.append((key, first, edits.original(line: second.line, column: second.column)))
                    let marker = "\(duplicateMarker)\(attempt)__"
                    text = insert(marker, at: second, in: text)
                    edits.insertions.append(TextEdits.Insertion(line: second.line, column: second.column,
                                                                length: marker.unicodeScalars.count))
                    edits.duplicates[marker] = (key, first)
                    continue
                }
                reportRenamed(renamed, sink: sink)
                if case .duplicatedKeysInMapping(let keys, let context) = error, let key = keys.first,
                   let second = findSecondOccurrence(of: key, after: context.mark, in: text) {
                    // Where the next duplicate is, rather than where its key was first given.
                    sink.error(edits.original(line: second.line, column: second.column), .root,
                               "the key '\(key)' appears more than once in one mapping (expected each key once; it is first given at \(edits.original(context.mark)); the file has more duplicates than are looked for, so there may be more after it)")
                } else {
                    report(error, edits: edits, sink: sink)
                }
                return nil
            } catch {
                sink.error(.start, .root, "cannot read the file as YAML: \(error) (expected a YAML mapping)")
                return nil
            }
        }
        return nil
    }

    /// The duplicates renamed before the file stopped parsing, each at its second occurrence.
    private static func reportRenamed(_ renamed: [(key: String, first: TextPosition, second: TextPosition)], sink: DiagnosticSink) {
        for duplicate in renamed {
            sink.error(duplicate.second, .root,
                       "the key '\(duplicate.key)' appears more than once in one mapping (expected each key once; it is first given at \(duplicate.first))")
        }
    }

    /// The text with CR LF and lone CR line breaks as LF. libyaml counts every one of them as
    /// a line break, while the locating code here splits lines at LF (and Swift sees CR LF as
    /// one character, not LF): without this a file with Windows or classic Mac line endings got
    /// wrong columns, and a duplicate key or a syntax error on the wrong line.
    static func unixLineEndings(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Converts a Yams syntax error into a located diagnostic.
    private static func report(_ error: YamlError, edits: TextEdits, sink: DiagnosticSink) {
        switch error {
        case .scanner(let context, let problem, let mark, let yaml),
             .parser(let context, let problem, let mark, let yaml),
             .composer(let context, let problem, let mark, let yaml):
            let position = clamped(edits.original(mark), in: yaml)
            if character(atLine: mark.line, column: mark.column, in: yaml) == "\t" {
                sink.error(position, .root,
                           "invalid YAML: a tab character here (expected spaces: YAML does not allow tabs for indentation)")
                return
            }
            if problem == "but found another document" {
                sink.error(position, .root,
                           "a second YAML document starts here (expected one scenario a file; remove the '---' line)")
                return
            }
            var message = "invalid YAML: \(problem)"
            if let context, context.text != "expected a single document in the stream" {
                message += " (\(context.text) at \(clamped(edits.original(context.mark), in: yaml)))"
            }
            sink.error(position, .root, message)
        case .reader(let problem, let offset, _, let yaml):
            sink.error(location(ofCharacterOffset: offset ?? 0, in: yaml), .root,
                       "the text cannot be read: \(problem) (expected UTF-8 text)")
        case .duplicatedKeysInMapping(let keys, let context):
            sink.error(edits.original(context.mark), .root,
                       "the key '\(keys.first ?? "")' appears more than once in one mapping (expected each key once)")
        default:
            sink.error(.start, .root, "cannot read the file as YAML: \(error) (expected a YAML mapping)")
        }
    }

    /// A mark inside the text: libyaml places errors at the end of input on the line after
    /// the last one, which editors cannot show; that becomes the end of the last line.
    private static func clamped(_ position: TextPosition, in text: String) -> TextPosition {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line > lines.count, let last = lines.last else { return position }
        return TextPosition(line: lines.count, column: last.unicodeScalars.count + 1)
    }

    /// The character at a line and column, if any.
    private static func character(atLine line: Int, column: Int, in text: String) -> Unicode.Scalar? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        guard column >= 1, column <= scalars.count else { return nil }
        return scalars[column - 1]
    }

    /// The line and column of a character offset (Yams reports reader errors that way).
    private static func location(ofCharacterOffset offset: Int, in text: String) -> TextPosition {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return TextPosition(line: line, column: column)
    }

    /// Where the second `key` of the mapping whose first `key` is at `first` is written.
    ///
    /// In a flow mapping it is on the same line after a `,` or `{`; in a block mapping it is a
    /// later line indented like the first, before the mapping ends (a line indented less).
    static func findSecondOccurrence(of key: String, after first: Mark, in text: String) -> TextPosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let forms = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }

        func keyStarts(_ line: [Unicode.Scalar], at index: Int) -> Bool {
            for form in forms where index + form.count <= line.count && Array(line[index..<(index + form.count)]) == form {
                var next = index + form.count
                while next < line.count, line[next] == " " || line[next] == "\t" { next += 1 }
                guard next < line.count, line[next] == ":" else { continue }
                let after = next + 1
                if after == line.count || [" ", "\t", "\r", ",", "}"].contains(line[after]) { return true }
            }
            return false
        }

        // Same line: a flow mapping.
        let firstLine = lines[first.line - 1]
        var index = first.column
        while index < firstLine.count {
            var before = index - 1
            while before >= 0, firstLine[before] == " " || firstLine[before] == "\t" { before -= 1 }
            if before >= 0, firstLine[before] == "," || firstLine[before] == "{", keyStarts(firstLine, at: index) {
                return TextPosition(line: first.line, column: index + 1)
            }
            index += 1
        }
        // Later lines: a block mapping.
        for lineIndex in first.line..<lines.count {
            let line = lines[lineIndex]
            guard let start = line.firstIndex(where: { $0 != " " && $0 != "\r" }) else { continue }
            if line[start] == "#" { continue }
            if start + 1 < first.column { return nil }
            if start + 1 == first.column, keyStarts(line, at: start) {
                return TextPosition(line: lineIndex + 1, column: first.column)
            }
        }
        return nil
    }

    /// The text with `marker` inserted at a location.
    private static func insert(_ marker: String, at location: TextPosition, in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        lines[location.line - 1].insert(contentsOf: marker.unicodeScalars, at: location.column - 1)
        var view = String.UnicodeScalarView()
        for (index, line) in lines.enumerated() {
            if index > 0 { view.append("\n") }
            view.append(contentsOf: line)
        }
        return String(view)
    }

    /// The marker and original key of a renamed duplicate key, if `text` is one.
    static func renamedDuplicate(_ text: String, edits: TextEdits) -> (key: String, first: TextPosition)? {
        guard text.hasPrefix(duplicateMarker) else { return nil }
        for (marker, original) in edits.duplicates where text.hasPrefix(marker) {
            return original
        }
        return nil
    }
}

/// The renames made to parse a file with duplicated keys, to map locations back.
struct TextEdits {
    /// Text inserted at a location of the edited text.
    struct Insertion {
        var line: Int
        var column: Int
        var length: Int
    }

    /// Insertions in the order they were made (each in the coordinates of the text before it).
    var insertions: [Insertion] = []
    /// For each marker: the key it hides and where that key first appears.
    var duplicates: [String: (key: String, first: TextPosition)] = [:]

    /// The location in the user's file of a Yams mark in the edited text.
    func original(_ mark: Mark?) -> TextPosition {
        guard let mark else { return .start }
        return original(line: mark.line, column: mark.column)
    }

    /// The location in the user's file of a line and column of the edited text.
    func original(line: Int, column: Int) -> TextPosition {
        var column = column
        for insertion in insertions.reversed() where insertion.line == line && column > insertion.column {
            column -= insertion.length
        }
        return TextPosition(line: line, column: column)
    }
}
