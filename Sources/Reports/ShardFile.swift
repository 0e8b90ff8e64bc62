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

    /// Writes a shard's runs (sorted into point-major order) atomically; returns the path.
    @discardableResult
    public static func write(_ runs: [CompletedRun], shard: Shard, identity: SweepIdentity,
                             in output: OutputFolder) throws(ReportError) -> String {
        let sorted = runs.sorted { $0.run < $1.run }
        let header = Header(identity: identity, shard: shard.number, shards: shard.count,
                            runs: sorted.map { [$0.run.point, $0.run.replication] })
        let path = output.file(name(shard))
        try AtomicFile.write(to: path) { sink throws(ReportError) in
            try sink.write(try PartialCoding.line(header) + "\n")
            for run in sorted { try sink.write(try PartialCoding.line(RunRecord(run)) + "\n") }
        }
        return path
    }

    /// Reads a shard file; errors name the file and line.
    public static func read(_ path: String) throws(PartialError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PartialError(path: path, reason: "cannot be read")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first, let header = PartialCoding.read(Header.self, from: first),
              header.identity.format == SweepIdentity.formatName else {
            throw PartialError(path: path + ":1", reason: "not a queuesim shard file (expected a \(SweepIdentity.formatName) header line, as `queuesim sweep --shard K/N` writes)")
        }
        guard header.identity.version == SweepIdentity.currentVersion else {
            throw PartialError(path: path + ":1", reason: "written in \(SweepIdentity.formatName) version \(header.identity.version), but this queuesim reads version \(SweepIdentity.currentVersion); run the shards and the merge with the same queuesim")
        }
        var runs: [CompletedRun] = []
        runs.reserveCapacity(lines.count - 1)
        for (offset, line) in lines.dropFirst().enumerated() {
            guard let record = PartialCoding.read(RunRecord.self, from: line), let run = record.completedRun else {
                throw PartialError(path: "\(path):\(offset + 2)", reason: "not a run record of \(SweepIdentity.formatName) version \(SweepIdentity.currentVersion)")
            }
            runs.append(run)
        }
        return Contents(path: path, header: header, runs: runs)
    }
}
