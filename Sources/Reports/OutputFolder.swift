import Foundation
import SimCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder that CSV files are written into, each atomically.
public struct OutputFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// The folder at `path`, created with its parents if missing.
    public init(creating path: String) throws(ReportError) {
        guard !path.isEmpty else { throw ReportError(path: path, reason: "the folder name is empty") }
        // Made one component at a time (rather than with FileManager) so that a failure names
        // the component at fault and says why in the system's words.
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: prefix, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw ReportError(path: path, reason: "\(prefix) is a file, not a folder") }
                continue
            }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ReportError(path: path, reason: "cannot create the folder \(prefix): \(AtomicFile.systemError())")
            }
        }
        self.path = path
    }

    /// The folder (or report file) name of a scenario name; two different names never get
    /// the same one.
    ///
    /// A name made only of ASCII letters, digits, `.`, `_` and `-` (and not only of dots) is
    /// its own folder name: `shared-queue`. Any other name keeps its letters and digits (of
    /// any script), `.`, `_` and `-`, has every other character replaced by `-` and is cut to
    /// 64 characters, and gets `-` and eight hexadecimal digits of a hash of the whole name:
    /// `a b` becomes `a-b-` and a hash while `a-b` stays `a-b`; `..` becomes `scenario-` and
    /// a hash; `日本語` and `中文名` keep their letters and differ by their hashes.
    public static func name(for scenario: String) -> String {
        func plain(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "._-".contains(c)) }
        if !scenario.isEmpty, scenario.count <= 64, scenario.allSatisfy(plain), !scenario.allSatisfy({ $0 == "." }) {
            return scenario
        }
        var kept = String(scenario.prefix(64).map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        if kept.allSatisfy({ $0 == "." || $0 == "-" }) { kept = "scenario" }
        var hash = Fingerprint()
        hash.add(scenario)
        return kept + "-" + hash.hex.prefix(8)
    }

    /// The name of a comparison: `compare-` and every variant's name joined by `-vs-`, so
    /// that `compare A B C` and `compare A B D` never share a folder (a name too long for a
    /// folder is cut and hashed by ``name(for:)``).
    public static func comparisonName(of variants: [String]) -> String {
        "compare-" + variants.map(name(for:)).joined(separator: "-vs-")
    }

    /// The path of a file in the folder.
    public func file(_ name: String) -> String { Self.join(path, name) }

    /// Writes a table as `name`, atomically, and returns the file's path.
    @discardableResult
    public func write(_ table: CSVTable, as name: String) throws(ReportError) -> String {
        let target = file(name)
        try AtomicFile.write(to: target) { sink throws(ReportError) in try Self.writeRows(table, to: &sink) }
        return target
    }

    /// A table's header and rows, a line at a time.
    static func writeRows(_ table: CSVTable, to sink: inout AtomicFile.Sink) throws(ReportError) {
        try CSVRows(table).write(to: &sink)
    }
}
