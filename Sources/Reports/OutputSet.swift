import Foundation
import SimCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of one run in an output folder, as `manifest.json` lists them: each file's name,
/// size and FNV-1a hash.
///
/// Each file is atomic on its own (``AtomicFile``); the manifest makes the set one. A set is
/// written in two steps: every file, the manifest included, is first written completely
/// beside its target and flushed, so that a full disk or any other failure changes nothing;
/// then the manifest and the files are renamed into place, the manifest first. A kill during
/// those renames can leave a new file beside an old one, but never unnoticed: the manifest
/// already lists the new set, and `report` refuses a folder whose files are not the ones it
/// lists. Files of the previous set that the new one does not have are removed last.
public struct OutputManifest: Codable, Equatable, Sendable {
    /// One file of the set.
    public struct Entry: Codable, Equatable, Sendable {
        public var name: String
        public var bytes: Int
        /// 64-bit FNV-1a of the content, 16 hexadecimal digits.
        public var fnv1a64: String
    }

    public var format = "queuesim-outputs"
    public var version = 1
    /// The command that wrote the set (`simulate`, `sweep`, `merge`, `compare`, `plan`).
    public var command: String
    public var files: [Entry]

    /// The manifest's name in an output folder.
    public static let fileName = "manifest.json"

    /// The manifest of `folder`, nil when it has none (a folder written before manifests, or
    /// by hand).
    public static func read(_ folder: String) throws(ReportInputError) -> OutputManifest? {
        let path = OutputFolder.join(folder, fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONDecoder().decode(OutputManifest.self, from: data), manifest.format == "queuesim-outputs"
        else { throw ReportInputError(path: path, reason: "not a queuesim manifest (expected the manifest.json a queuesim command wrote)") }
        guard manifest.version == 1 else {
            throw ReportInputError(path: path, reason: "manifest version \(manifest.version) is not supported (expected 1)")
        }
        return manifest
    }

    /// The names of the files of `folder`'s set after checking that each is the file the
    /// manifest lists; nil when the folder has no manifest.
    public static func verifiedFiles(in folder: String) throws(ReportInputError) -> [String]? {
        guard let manifest = try read(folder) else { return nil }
        for entry in manifest.files {
            let path = OutputFolder.join(folder, entry.name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReportInputError(path: path, reason: "missing: \(fileName) lists it (the run writing this folder was interrupted; run it again)")
            }
            var hash = Fingerprint()
            hash.add(bytes: [UInt8](data))
            guard data.count == entry.bytes, hash.hex == entry.fnv1a64 else {
                throw ReportInputError(path: path, reason: "not the file \(fileName) lists: the folder mixes two runs' files (the run writing it was interrupted; run it again)")
            }
        }
        return manifest.files.map(\.name)
    }
}

extension OutputFolder {
    /// The path of `name` in `folder`.
    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Writes `tables` as one set with its manifest (``OutputManifest``) and returns the
    /// files' paths. On failure before anything is renamed (a full disk), the folder is left
    /// as it was.
    @discardableResult
    public func write(set tables: [(name: String, table: CSVTable)], command: String) throws(ReportError) -> [String] {
        try write(set: tables, command: command, interruption: nil)
    }

    /// What a test makes happen during ``write(set:command:)``.
    enum Interruption {
        /// The process dies after this many renames (the manifest's is the first): the
        /// write stops with an error and leaves everything as a kill would.
        case killedAfterRenames(Int)
        /// The disk fills up once this many bytes of the set's files have been written.
        case diskFullAfter(bytes: Int)
    }

    func write(set tables: [(name: String, table: CSVTable)], command: String,
               interruption: Interruption?) throws(ReportError) -> [String] {
        let previous = (try? OutputManifest.read(path)) ?? nil
        var written: [AtomicFile.Temporary] = []
        var remaining: Int?
        if case .diskFullAfter(let bytes) = interruption { remaining = bytes }
        do {
            for (name, table) in tables {
                let file = try AtomicFile.temporary(for: file(name), limit: remaining) { sink throws(ReportError) in
                    try Self.writeRows(table, to: &sink)
                }
                remaining = remaining.map { $0 - file.bytes }
                written.append(file)
            }
            let entries = zip(tables, written).map { OutputManifest.Entry(name: $0.0.name, bytes: $0.1.bytes, fnv1a64: $0.1.hash) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let manifest = String(decoding: (try? encoder.encode(OutputManifest(command: command, files: entries))) ?? Data(),
                                  as: UTF8.self) + "\n"
            written.insert(try AtomicFile.temporary(for: file(OutputManifest.fileName), limit: remaining) { sink throws(ReportError) in
                try sink.write(manifest)
            }, at: 0)
        } catch {
            for file in written { unlink(file.path) }
            throw error
        }
        for (index, file) in written.enumerated() {
            if case .killedAfterRenames(let count) = interruption, index == count {
                throw ReportError(path: file.target, reason: "killed (test)")
            }
            do {
                try AtomicFile.commit(file)
            } catch {
                for later in written[(index + 1)...] { unlink(later.path) }
                throw error
            }
        }
        let names = Set(tables.map(\.name))
        for entry in previous?.files ?? [] where !names.contains(entry.name) { unlink(self.file(entry.name)) }
        return tables.map { file($0.name) }
    }
}
