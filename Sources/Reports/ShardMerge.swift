import Experiments
import Foundation

/// `queuesim merge`: the shard files of one sweep, checked and put back together.
///
/// Refused, naming every problem and writing nothing: shards of different sweeps (scenario
/// file, seed or replications differ) or of different shard counts, a missing shard
/// (`missing shard 3/7`), a shard found twice (`duplicated shard 2/7: a, b`), a shard file
/// that lacks runs its header lists, and any run held by two shards or by none.
public enum ShardMerge {
    /// Every problem found, one message each.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// A complete sweep rebuilt from its shards.
    public struct Merged: Sendable {
        /// The sweep as the shards describe it.
        public var plan: SweepPlan
        /// Every run of it.
        public var runs: [CompletedRun]
        /// The shard files read, in the order given.
        public var files: [String]
    }

    /// The shard files named by `inputs`: each a shard file, or a folder whose
    /// `shard-K-of-N.jsonl` files are taken (in name order).
    public static func shardFiles(_ inputs: [String]) throws(Failure) -> [String] {
        var files: [String] = []
        var problems: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                problems.append("\(input): no such file or folder")
                continue
            }
            guard isDirectory.boolValue else {
                files.append(input)
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []).filter(ShardFile.isShardFile)
            if names.isEmpty {
                problems.append("\(input): no shard files (shard-K-of-N.jsonl, written by `queuesim sweep --shard K/N`)")
            }
            let folder = input.hasSuffix("/") ? input : input + "/"
            files += names.sorted { ordered($0, $1) }.map { folder + $0 }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return files
    }

    /// Reads and checks the shard files of `inputs` (see ``shardFiles(_:)``), holding every run.
    public static func merge(_ inputs: [String]) throws(Failure) -> Merged {
        let index = try self.index(inputs)
        var runs: [CompletedRun] = []
        for listing in index.listings {
            for span in listing.spans {
                do throws(PartialError) {
                    runs.append(try ShardFile.run(at: span, in: listing.path))
                } catch {
                    throw Failure(problems: [error.description])
                }
            }
        }
        return Merged(plan: index.plan, runs: runs, files: index.files)
    }

    /// A complete sweep's shards, checked, with where each run is: its runs are read back one
    /// at a time (``run(_:)``), so that a merge holds one run, not all of them.
    public struct Index: Sendable {
        /// The sweep as the shards describe it.
        public var plan: SweepPlan
        /// The shard files read, in the order given.
        public var files: [String]
        /// What each holds, in the same order.
        public var listings: [ShardFile.Listing]
        /// Each run's shard (by position in `listings`) and line.
        private var places: [SweepRun: (listing: Int, span: Range<Int>)] = [:]

        init(plan: SweepPlan, files: [String], listings: [ShardFile.Listing]) {
            self.plan = plan
            self.files = files
            self.listings = listings
            for (l, listing) in listings.enumerated() {
                for (run, span) in zip(listing.runs, listing.spans) { places[run] = (l, span) }
            }
        }

        /// The runs of the sweep.
        public var runCount: Int { places.count }

        /// A run of the sweep, read back from its shard; nil when no shard holds it.
        public func run(_ run: SweepRun) throws(PartialError) -> CompletedRun? {
            guard let place = places[run] else { return nil }
            return try ShardFile.run(at: place.span, in: listings[place.listing].path)
        }
    }

    /// Reads and checks the shard files of `inputs` (see ``shardFiles(_:)``) a line at a
    /// time, keeping only which runs each holds and where.
    public static func index(_ inputs: [String]) throws(Failure) -> Index {
        let files = try shardFiles(inputs)
        var listings: [ShardFile.Listing] = []
        var problems: [String] = []
        for file in files {
            do throws(PartialError) {
                listings.append(try ShardFile.list(file))
            } catch {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty, let first = listings.first else { throw Failure(problems: problems) }
        try check(listings, first: first)
        return Index(plan: first.header.identity.plan, files: files, listings: listings)
    }

    /// Checks that the shards are all the shards of one sweep, each once, and that together
    /// they hold every run of it once.
    static func check(_ contents: [ShardFile.Listing], first: ShardFile.Listing) throws(Failure) {
        var problems: [String] = []
        let identity = first.header.identity
        let count = first.header.shards
        var byNumber: [Int: [String]] = [:]
        for content in contents {
            let header = content.header
            guard header.identity == identity else {
                problems.append("\(content.path): holds \(header.identity.summary), but \(first.path) holds \(identity.summary): shards of different scenario files, seeds or replication counts cannot be merged")
                continue
            }
            guard let shard = content.shard else {
                problems.append("\(content.path): shard \(header.shard)/\(header.shards) is not a shard K/N with 1 ≤ K ≤ N")
                continue
            }
            guard shard.count == count else {
                problems.append("\(content.path): shard \(shard) is one of \(shard.count) shards, but \(first.path) is one of \(count): merge the shards of one split")
                continue
            }
            // A damaged copy is still found (so it is not also reported missing).
            byNumber[shard.number, default: []].append(content.path)
            let listed = header.runs.compactMap { $0.count == 2 ? SweepRun(point: $0[0], replication: $0[1]) : nil }
            if listed.count != header.runs.count || listed != content.runs {
                problems.append("\(content.path): holds \(content.runs.count) runs, but its header lists \(header.runs.count) (a damaged or cut copy?)")
            }
        }
        for number in 1...max(1, count) {
            guard let paths = byNumber[number] else {
                problems.append("missing shard \(number)/\(count)")
                continue
            }
            if paths.count > 1 { problems.append("duplicated shard \(number)/\(count): \(paths.joined(separator: ", "))") }
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }

        // Each shard complete and once: now every run of the sweep must be in exactly one.
        var holder: [SweepRun: String] = [:]
        for content in contents {
            for run in content.runs {
                if let other = holder[run] {
                    problems.append("run (\(run)) is in both \(other) and \(content.path)")
                } else {
                    holder[run] = content.path
                }
            }
        }
        let expected = identity.plan.runs
        let sweepRuns = Set(expected)
        let unknown = holder.keys.filter { !sweepRuns.contains($0) }.sorted()
        for run in unknown.prefix(10) { problems.append("\(holder[run] ?? ""): holds run (\(run)), which the sweep does not have") }
        let lacking = expected.filter { holder[$0] == nil }
        for run in lacking.prefix(10) { problems.append("no shard holds run (\(run))") }
        if lacking.count > 10 { problems.append("... and \(lacking.count - 10) more runs that no shard holds") }
        guard problems.isEmpty else { throw Failure(problems: problems) }
    }

    /// Shard file names in shard order (shard-2 before shard-10).
    static func ordered(_ a: String, _ b: String) -> Bool {
        func key(_ name: String) -> (Int, Int, String) {
            let digits = name.split { !$0.isNumber }.compactMap { Int($0) }
            return (digits.count > 1 ? digits[1] : 0, digits.first ?? 0, name)
        }
        return key(a) < key(b)
    }
}
