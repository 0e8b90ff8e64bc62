import Foundation
import SimCore

/// Reads the data files a scenario names (empirical durations, arrival traces), relative to
/// the scenario file's folder, each once per load (a sweep reads every point from the cache).
///
/// A data file must be a regular file inside that folder (or a folder below it): an absolute
/// path, a `..` or a symbolic link that leads out of it is refused, so that a scenario cannot
/// make the tool read, and quote in its errors, a file elsewhere (`/etc/shadow` when run as
/// root). Devices, FIFOs and folders are refused before anything is read (a FIFO would block
/// the load). Messages about a file's lines never quote more of it than the offending number.
///
/// `@unchecked Sendable`: a sweep's points share it (``SweepPoints``), and the cache is only
/// touched while holding `lock`.
final class DataFiles: @unchecked Sendable {
    /// The folder relative paths start from; nil for the current directory.
    let baseDirectory: String?
    /// File texts (or why they could not be read) by resolved path.
    private var cache: [String: Result<String, DataFileError>] = [:]
    private let lock = NSLock()

    /// Creates a reader for files next to a scenario.
    init(baseDirectory: String?) { self.baseDirectory = baseDirectory }

    /// Why a data file could not be read.
    struct DataFileError: Error {
        /// "no such file", "not UTF-8 text".
        var reason: String
    }

    /// A hash of every data file read so far (its path as named and its text), in path
    /// order; nil when none was read. Shards made on machines whose data files differ then
    /// carry different fingerprints, and `merge` refuses them.
    var fingerprint: String? {
        let read = lock.withLock { cache }.compactMap { path, result in (try? result.get()).map { (path, $0) } }
        guard !read.isEmpty else { return nil }
        var hash = Fingerprint()
        for (path, text) in read.sorted(by: { $0.0 < $1.0 }) {
            hash.add(path)
            hash.add(text)
        }
        return hash.hex
    }

    /// The text of a file named in the scenario.
    func text(of name: String) -> Result<String, DataFileError> {
        let path = resolve(name)
        return lock.withLock {
            if let cached = cache[path] { return cached }
            let result = read(name, at: path)
            cache[path] = result
            return result
        }
    }

    private func read(_ name: String, at path: String) -> Result<String, DataFileError> {
        if name.hasPrefix("/") || name.hasPrefix("~") {
            return .failure(DataFileError(reason: "it is not a relative path"))
        }
        let folder = Self.realPath(baseDirectory.flatMap { $0.isEmpty ? nil : $0 } ?? ".")
        guard let real = Self.realPath(path) else { return .failure(DataFileError(reason: "no such file")) }
        guard let folder, real.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            return .failure(DataFileError(reason: "it is outside the scenario file's folder"))
        }
        var info = stat()
        guard stat(real, &info) == 0 else { return .failure(DataFileError(reason: "no such file")) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(DataFileError(reason: "it is a folder"))
        default: return .failure(DataFileError(reason: "it is not a regular file (a device, FIFO or socket)"))
        }
        guard let data = FileManager.default.contents(atPath: real) else {
            return .failure(DataFileError(reason: "it is not readable"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(DataFileError(reason: "it is not UTF-8 text"))
        }
        return .success(text)
    }

    /// The path with every symbolic link, `.` and `..` resolved, or nil if it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The path of a file named in the scenario.
    func resolve(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        guard let baseDirectory, !baseDirectory.isEmpty else { return name }
        return baseDirectory.hasSuffix("/") ? baseDirectory + name : baseDirectory + "/" + name
    }

    /// What is wrong with a data line's field, for a message that must not quote the file: a
    /// number or a duration (the offending value) is quoted as not being `what`, anything else
    /// only described.
    static func problem(with field: String, isNot what: String) -> String {
        guard field.count <= 40, Double(field) != nil || (try? DurationFormat.parseDuration(field)) != nil else {
            return field.isEmpty ? "the field is empty" : "the field is not a number"
        }
        return "'\(field)' is not \(what)"
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
    /// The `file` key of `view` and the text of the file it names (inside the scenario file's
    /// folder), or nil after reporting why it cannot be had.
    func dataFile(_ view: MappingView, describing what: String, format: String, example: String)
        -> (node: SourceNode, name: String, contents: String)? {
        guard let node = required(view, "file", expected: "\(what), \(format)"),
              let name = text(node, view.path("file"), expected: "a file name such as \(example)") else { return nil }
        switch files.text(of: name) {
        case .failure(let error):
            sink.error(node.location, view.path("file"),
                       "cannot read '\(name)': \(error.reason) (expected \(what), a path relative to the scenario file's folder and inside it)")
            return nil
        case .success(let contents):
            return (node, name, contents)
        }
    }
}
