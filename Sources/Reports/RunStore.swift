import Experiments
import Foundation

/// The finished runs of a sweep in progress, one file per run in a hidden folder of the
/// output folder (`.partial/`, or `.partial-K-of-N/` for shard K of N), so that a sweep
/// killed half-way loses only the runs it was making.
///
/// Each run is written atomically (``AtomicFile``) as `run-P-R.json` the moment it
/// finishes; `identity.json` says which sweep the folder belongs to. `--resume` reads them
/// back (``load(wanted:)``), refusing a folder of another scenario, seed or replication
/// count, and the folder is removed once the sweep's final files are written.
public struct RunStore: Sendable {
    /// The folder's path.
    public let path: String
    /// The sweep it belongs to.
    public let identity: SweepIdentity

    /// The store of a sweep (or one shard of it) in an output folder.
    public init(in output: OutputFolder, shard: Shard?, identity: SweepIdentity) {
        path = output.file(shard.map { ".partial-\($0.number)-of-\($0.count)" } ?? ".partial")
        self.identity = identity
    }

    /// Whether a folder is there (left by an interrupted run).
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The runs saved in the folder (not counting `identity.json`), without reading them.
    public var savedCount: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter(Self.isRunFile).count
    }

    /// Starts an empty store: any earlier folder is removed, and the identity written.
    public func create() throws(ReportError) {
        try remove()
        _ = try OutputFolder(creating: path)
        try AtomicFile.write(try PartialCoding.line(identity) + "\n", to: file("identity.json"))
    }

    /// Opens the folder for more runs, creating it (with its identity) if missing.
    public func open() throws(ReportError) {
        if !FileManager.default.fileExists(atPath: file("identity.json")) { try create() }
    }

    /// Removes the folder and everything in it.
    public func remove() throws(ReportError) {
        guard exists else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw ReportError(path: path, reason: "cannot remove the folder of finished runs: \(error.localizedDescription)")
        }
    }

    /// Saves a finished run, atomically.
    public func save(_ run: CompletedRun) throws(ReportError) {
        try AtomicFile.write(try PartialCoding.line(RunRecord(run)) + "\n",
                             to: file(Self.fileName(run.run)))
    }

    /// The saved runs among `wanted`; others (another shard's, left by a different slicing)
    /// are ignored. Throws when the folder belongs to another sweep or a run file does
    /// not read back.
    public func load(wanted: Set<SweepRun>) throws(PartialError) -> [CompletedRun] {
        var runs: [CompletedRun] = []
        try scan(wanted: wanted) { runs.append($0) }
        return runs.sorted { $0.run < $1.run }
    }

    /// Reads the saved runs among `wanted` one at a time, in file name order, and hands each
    /// to `each` (which need not keep it); checks as ``load(wanted:)`` does.
    public func scan(wanted: Set<SweepRun>, each: (CompletedRun) -> Void) throws(PartialError) {
        guard exists else { return }
        let identityFile = file("identity.json")
        // A run killed between making the folder and writing its identity saved nothing.
        if savedCount == 0 && !FileManager.default.fileExists(atPath: identityFile) { return }
        guard let data = FileManager.default.contents(atPath: identityFile),
              let saved = PartialCoding.read(SweepIdentity.self, from: data) else {
            throw PartialError(path: identityFile, reason: "missing or unreadable, so the finished runs beside it cannot be trusted; run again without --resume to start over")
        }
        guard saved == identity else {
            throw PartialError(path: path, reason: "holds runs of \(saved.summary), not of this sweep, \(identity.summary) (the scenario file, --seed or --replications changed); run again without --resume to start over")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names.sorted() where Self.isRunFile(name) {
            let run = try read(file: name)
            if wanted.contains(run.run) { each(run) }
        }
    }

    /// A saved run, read back (a sweep's files are made from them one at a time).
    public func read(_ run: SweepRun) throws(PartialError) -> CompletedRun {
        try read(file: Self.fileName(run))
    }

    private func read(file name: String) throws(PartialError) -> CompletedRun {
        let runFile = file(name)
        guard let data = FileManager.default.contents(atPath: runFile),
              let record = PartialCoding.read(RunRecord.self, from: data), let run = record.completedRun,
              name == Self.fileName(run.run) else {
            throw PartialError(path: runFile, reason: "not a finished run of queuesim \(SweepIdentity.formatName) version \(SweepIdentity.currentVersion); remove it, or run again without --resume to start over")
        }
        return run
    }

    /// `run-P-R.json`.
    static func fileName(_ run: SweepRun) -> String { "run-\(run.point)-\(run.replication).json" }

    /// Whether a file name is a saved run (not the identity, not a temporary file).
    static func isRunFile(_ name: String) -> Bool {
        name.hasPrefix("run-") && name.hasSuffix(".json")
    }

    private func file(_ name: String) -> String { path + "/" + name }
}
