import Experiments
import Foundation

/// A shard's partial output, `shard-K-of-N.jsonl`: what `queuesim merge` combines.
///
/// JSON lines: the first is the ``Header`` (format and version, the sweep's identity, the
/// shard, the runs it holds), then one ``RunRecord`` per run in point-major order. The file
/// is written atomically once the shard's last run is done, so its presence means the shard
/// is complete.
public enum ShardFile {
    /// The first line of a shard file.
    public struct Header: Codable, Sendable {
        /// Which sweep.
        public var identity: SweepIdentity
        /// K.
        public var shard: Int
        /// N.
        public var shards: Int
        /// The runs held, as [point, replication] pairs in point-major order.
        public var runs: [[Int]]
    }

    /// What a shard file holds.
    public struct Contents: Sendable {
        /// Where it was read from.
        public var path: String
        /// Its header.
        public var header: Header
        /// Its runs, in file order.
        public var runs: [CompletedRun]
        /// The shard, when the header's K/N is valid.
        public var shard: Shard? { Shard(number: header.shard, count: header.shards) }
    }

    /// `shard-K-of-N.jsonl`.
    public static func name(_ shard: Shard) -> String { "shard-\(shard.number)-of-\(shard.count).jsonl" }

    /// Whether a file name is a shard file's.
    public static func isShardFile(_ name: String) -> Bool {
        name.hasPrefix("shard-") && name.hasSuffix(".jsonl") && name.contains("-of-")
    }

    /// Which runs a shard file holds and where: what a merge keeps of a shard while it checks
    /// the shards, so that it can read each run back when its turn comes instead of holding
    /// them all.
    public struct Listing: Sendable {
        /// Where it was read from.
        public var path: String
        /// Its header.
        public var header: Header
        /// Its runs, in file order.
        public var runs: [SweepRun]
        /// The bytes of each run's line in the file, in the same order.
        public var spans: [Range<Int>]
        /// The shard, when the header's K/N is valid.
        public var shard: Shard? { Shard(number: header.shard, count: header.shards) }
    }

    /// Writes a shard's runs (sorted into point-major order) atomically; returns the path.
    @discardableResult
    public static func write(_ runs: [CompletedRun], shard: Shard, identity: SweepIdentity,
                             in output: OutputFolder) throws(ReportError) -> String {
        var byRun: [SweepRun: CompletedRun] = [:]
        for run in runs { byRun[run.run] = run }
        return try write(runs.map(\.run), fetch: { (run: SweepRun) throws(PartialError) in
            guard let completed = byRun[run] else { throw PartialError(path: "\(run)", reason: "not made") }
            return completed
        }, shard: shard, identity: identity, in: output)
    }

    /// Writes a shard's runs (sorted into point-major order) atomically, fetching each when
    /// its line is written (from the saved runs, so that they are not held together); returns
    /// the path.
    @discardableResult
    public static func write(_ runs: [SweepRun], fetch: (SweepRun) throws(PartialError) -> CompletedRun, shard: Shard,
                             identity: SweepIdentity, in output: OutputFolder) throws(ReportError) -> String {
        let sorted = runs.sorted()
        let header = Header(identity: identity, shard: shard.number, shards: shard.count,
                            runs: sorted.map { [$0.point, $0.replication] })
        let path = output.file(name(shard))
        try AtomicFile.write(to: path) { sink throws(ReportError) in
            try sink.write(try PartialCoding.line(header) + "\n")
            for run in sorted {
                let completed: CompletedRun
                do throws(PartialError) {
                    completed = try fetch(run)
                } catch {
                    throw ReportError(path: path, reason: "cannot read back a finished run: \(error)")
                }
                try sink.write(try PartialCoding.line(RunRecord(completed)) + "\n")
            }
        }
        return path
    }

    /// Reads a shard file; errors name the file and line.
    public static func read(_ path: String) throws(PartialError) -> Contents {
        var runs: [CompletedRun] = []
        let header = try scan(path) { _, run in runs.append(run) }
        return Contents(path: path, header: header, runs: runs)
    }

    /// Reads a shard file a line at a time, checking every run in it but keeping only which
    /// runs it holds and where; errors name the file and line.
    public static func list(_ path: String) throws(PartialError) -> Listing {
        var runs: [SweepRun] = []
        var spans: [Range<Int>] = []
        let header = try scan(path) { span, run in
            runs.append(run.run)
            spans.append(span)
        }
        return Listing(path: path, header: header, runs: runs, spans: spans)
    }

    /// The run whose line is at `span` of the shard file at `path` (from its ``Listing``).
    public static func run(at span: Range<Int>, in path: String) throws(PartialError) -> CompletedRun {
        guard let file = FileHandle(forReadingAtPath: path) else { throw PartialError(path: path, reason: "cannot be read") }
        defer { try? file.close() }
        guard (try? file.seek(toOffset: UInt64(span.lowerBound))) != nil,
              let line = try? file.read(upToCount: span.count), line.count == span.count,
              let record = PartialCoding.read(RunRecord.self, from: line), let run = record.completedRun else {
            throw PartialError(path: path, reason: "changed while it was merged (a run at byte \(span.lowerBound) no longer reads back)")
        }
        return run
    }

    /// Reads the header, then hands each run with its line's bytes to `each`, one at a time.
    static func scan(_ path: String, each: (Range<Int>, CompletedRun) -> Void) throws(PartialError) -> Header {
        guard var lines = LineReader(path: path) else { throw PartialError(path: path, reason: "cannot be read") }
        guard let first = lines.next(), let header = PartialCoding.read(Header.self, from: first.line),
              header.identity.format == SweepIdentity.formatName else {
            throw PartialError(path: path + ":1", reason: "not a queuesim shard file (expected a \(SweepIdentity.formatName) header line, as `queuesim sweep --shard K/N` writes)")
        }
        guard header.identity.version == SweepIdentity.currentVersion else {
            throw PartialError(path: path + ":1", reason: "written in \(SweepIdentity.formatName) version \(header.identity.version), but this queuesim reads version \(SweepIdentity.currentVersion); run the shards and the merge with the same queuesim")
        }
        var number = 1
        while let (span, line) = lines.next() {
            number += 1
            guard let record = PartialCoding.read(RunRecord.self, from: line), let run = record.completedRun else {
                throw PartialError(path: "\(path):\(number)", reason: "not a run record of \(SweepIdentity.formatName) version \(SweepIdentity.currentVersion)")
            }
            each(span, run)
        }
        return header
    }
}

/// The non-empty lines of a file, one at a time, each with its bytes' place in the file: a
/// shard file is read without holding it whole.
struct LineReader {
    private let file: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    /// The file offset of `buffer[0]`.
    private var offset = 0
    private var atEnd = false

    init?(path: String) {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        self.file = file
    }

    /// The next non-empty line (without its line break) and its bytes in the file.
    mutating func next() -> (span: Range<Int>, line: Data)? {
        while true {
            if let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = start..<end
                start = end + 1
                if line.isEmpty { continue }
                return ((offset + line.lowerBound)..<(offset + line.upperBound), Data(buffer[line]))
            }
            guard !atEnd else {
                guard start < buffer.count else { return nil }
                let line = start..<buffer.count
                start = buffer.count
                return ((offset + line.lowerBound)..<(offset + line.upperBound), Data(buffer[line]))
            }
            // Keep the unfinished line, read on.
            buffer.removeFirst(start)
            offset += start
            start = 0
            if let block = try? file.read(upToCount: 1 << 20), !block.isEmpty {
                buffer.append(contentsOf: block)
            } else {
                atEnd = true
                try? file.close()
            }
        }
    }
}
