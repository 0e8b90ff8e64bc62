import Foundation
import SimCore

/// Reads the data files a scenario names (empirical durations, arrival traces), relative to
/// the scenario file's folder, each once per load (a sweep reads every point from the cache).
final class DataFiles {
    /// The folder relative paths start from; nil for the current directory.
    let baseDirectory: String?
    /// File texts (or why they could not be read) by resolved path.
    private var cache: [String: Result<String, DataFileError>] = [:]

    /// Creates a reader for files next to a scenario.
    init(baseDirectory: String?) { self.baseDirectory = baseDirectory }

    /// Why a data file could not be read.
    struct DataFileError: Error {
        /// "no such file", "not UTF-8 text".
        var reason: String
    }

    /// The text of a file named in the scenario.
    func text(of name: String) -> Result<String, DataFileError> {
        let path = resolve(name)
        if let cached = cache[path] { return cached }
        let result: Result<String, DataFileError>
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            result = .failure(DataFileError(reason: "no such file"))
        } else if isDirectory.boolValue {
            result = .failure(DataFileError(reason: "it is a folder"))
        } else if let data = FileManager.default.contents(atPath: path) {
            if let text = String(data: data, encoding: .utf8) {
                result = .success(text)
            } else {
                result = .failure(DataFileError(reason: "it is not UTF-8 text"))
            }
        } else {
            result = .failure(DataFileError(reason: "it is not readable"))
        }
        cache[path] = result
        return result
    }

    /// The path of a file named in the scenario.
    func resolve(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        guard let baseDirectory, !baseDirectory.isEmpty else { return name }
        return baseDirectory.hasSuffix("/") ? baseDirectory + name : baseDirectory + "/" + name
    }

    /// The meaningful lines of a data file: numbered from 1, without blank lines and `#`
    /// comments, and without a header (a first line whose first field is not a number).
    static func dataLines(_ text: String) -> [(number: Int, fields: [String])] {
        var rows: [(number: Int, fields: [String])] = []
        var sawData = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if !sawData, let first = fields.first, Double(first) == nil, (try? DurationFormat.parseDuration(first)) == nil {
                sawData = true
                continue
            }
            sawData = true
            rows.append((index + 1, fields))
        }
        return rows
    }

    /// Seconds from a data file's field: a plain number of seconds, or a duration with a unit.
    static func seconds(_ field: String) -> Double? {
        if let value = Double(field) { return value.isFinite && value >= 0 ? value : nil }
        return (try? DurationFormat.parseDuration(field))?.seconds
    }
}

extension ValueReader {
    /// The `file` key of `view` and the text of the file it names (relative to the scenario
    /// file's folder), or nil after reporting why it cannot be had.
    func dataFile(_ view: MappingView, describing what: String, format: String, example: String)
        -> (node: SourceNode, name: String, contents: String)? {
        guard let node = required(view, "file", expected: "\(what), \(format)"),
              let name = text(node, view.path("file"), expected: "a file name such as \(example)") else { return nil }
        switch files.text(of: name) {
        case .failure(let error):
            sink.error(node.location, view.path("file"),
                       "cannot read '\(name)': \(error.reason) (expected \(what), relative to the scenario file's folder)")
            return nil
        case .success(let contents):
            return (node, name, contents)
        }
    }
}
