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
        } catch {
            for file in written { unlink(file.path) }
            throw error
        }
        return try commit(set: Array(zip(tables.map(\.name), written)), command: command, limit: remaining,
                          interruption: interruption)
    }

    /// Writes the manifest of files already written completely beside their targets, then
    /// renames the manifest and the files into place and removes the previous set's files that
    /// the new one lacks. On failure before the first rename, every temporary file is removed.
    func commit(set files: [(name: String, file: AtomicFile.Temporary)], command: String, limit: Int? = nil,
                interruption: Interruption? = nil) throws(ReportError) -> [String] {
        let previous = (try? OutputManifest.read(path)) ?? nil
        var written = files.map(\.file)
        do {
            let entries = files.map { OutputManifest.Entry(name: $0.name, bytes: $0.file.bytes, fnv1a64: $0.file.hash) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let manifest = String(decoding: (try? encoder.encode(OutputManifest(command: command, files: entries))) ?? Data(),
                                  as: UTF8.self) + "\n"
            written.insert(try AtomicFile.temporary(for: file(OutputManifest.fileName), limit: limit) { sink throws(ReportError) in
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
        let names = Set(files.map(\.name))
        for entry in previous?.files ?? [] where !names.contains(entry.name) { unlink(self.file(entry.name)) }
        return files.map { file($0.name) }
    }
}

/// An output set written as an experiment runs: files whose rows come a run at a time
/// (summary, time series, latency) are open beside their targets from the start and appended
/// to, files made of the whole result (aggregate.csv) are added at the end, and then the set
/// is committed as ``OutputFolder/write(set:command:)`` does, so that it stays one set
/// (`manifest.json`) and nothing is in place before every file is complete.
///
/// `@unchecked Sendable`: an experiment appends from its worker threads one run at a time
/// (``ParallelRunner`` serialises them), and commits after the last.
public final class StreamedSet: @unchecked Sendable {
    private let folder: OutputFolder
    private let command: String
    /// Every file of the set, in the set's order; nil where it is added at the end.
    private var files: [(name: String, pending: AtomicFile.Pending?, rows: Int)]
    private var done = false

    /// Opens the streamed files of a set in `folder`, each with its header; `order` is every
    /// file's name in the set's order, streamed or not.
    public init(in folder: OutputFolder, command: String, order: [String], streamed headers: [String: [String]]) throws(ReportError) {
        self.folder = folder
        self.command = command
        files = []
        Self.removeLeftovers(of: order, in: folder)
        do {
            for name in order {
                guard let header = headers[name] else {
                    files.append((name, nil, 0))
                    continue
                }
                var pending = try AtomicFile.Pending(for: folder.file(name))
                var line = ""
                CSVTable.appendLine(header, to: &line)
                try pending.sink.write(line)
                files.append((name, pending, 0))
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Removes the temporary files of these names that a killed run left behind: its files
    /// are open for the whole run, so a kill leaves them (`.NAME.tmp-PID-*`, hidden, never in
    /// the set). Only those of a process that is no longer running, so that two runs writing
    /// one folder do not remove each other's.
    static func removeLeftovers(of names: [String], in folder: OutputFolder) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            let prefix = ".\(name).tmp-"
            for entry in entries where entry.hasPrefix(prefix) {
                guard let pid = entry.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }),
                      pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
                unlink(folder.file(entry))
            }
        }
    }

    /// Appends rows to a streamed file.
    public func append(_ rows: [[String]], to name: String) throws(ReportError) {
        guard let f = files.firstIndex(where: { $0.name == name }), files[f].pending != nil else {
            throw ReportError(path: folder.file(name), reason: "not a streamed file of this output set")
        }
        var line = ""
        for row in rows {
            line.removeAll(keepingCapacity: true)
            CSVTable.appendLine(row, to: &line)
            try files[f].pending?.sink.write(line)
        }
        files[f].rows += rows.count
    }

    /// Completes the set with the files made at the end and puts it in place; a streamed
    /// file in `droppedWhenEmpty` that got no rows is left out of the set. Returns the paths.
    public func commit(_ tables: [String: CSVRows], droppedWhenEmpty: Set<String> = []) throws(ReportError) -> [String] {
        var written: [(name: String, file: AtomicFile.Temporary)] = []
        do {
            for f in files.indices {
                let name = files[f].name
                if files[f].pending != nil {
                    if files[f].rows == 0 && droppedWhenEmpty.contains(name) {
                        files[f].pending?.abandon()
                        files[f].pending = nil
                        continue
                    }
                    guard let file = try files[f].pending?.finish() else { continue }
                    files[f].pending = nil
                    written.append((name, file))
                } else if let table = tables[name] {
                    written.append((name, try AtomicFile.temporary(for: folder.file(name)) { sink throws(ReportError) in
                        try table.write(to: &sink)
                    }))
                }
            }
        } catch {
            for file in written { unlink(file.file.path) }
            abandon()
            throw error
        }
        done = true
        return try folder.commit(set: written, command: command)
    }

    /// Removes every file not yet committed (the experiment failed).
    public func abandon() {
        for f in files.indices {
            files[f].pending?.abandon()
            files[f].pending = nil
        }
    }

    deinit {
        if !done { abandon() }
    }
}
