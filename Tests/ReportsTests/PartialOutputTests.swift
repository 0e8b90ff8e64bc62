import Experiments
import Foundation
@testable import Reports
@testable import ServerlessModel
import SimCore
import Testing

/// Partial outputs: runs saved for a resume and shard files read back bit for bit, and
/// merges that refuse anything but every shard of one sweep once.
@Suite struct PartialOutputTests {
    /// Numbers whose text forms are easy to get wrong.
    static let awkward: [Double] = [0.1 + 0.2, 1e-300, Double.leastNonzeroMagnitude, -0.0, .infinity, -.infinity, 1.0 / 3, 0x1p60, .pi, 123_456.789e-7]

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-partial-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A sweep of two points with two replications of the tiny fixture each.
    static let plan = SweepPlan(scenario: "tiny", parameterNames: ["x"], points: [0, 1].map { index in
        ExperimentPoint(index: index, label: "x=\(index)", parameters: [ParameterValue(name: "x", value: "\(index)")],
                        pipeline: Fixtures.pipeline)
    })

    static func identity(text: String = "name: tiny") -> SweepIdentity { SweepIdentity(plan: plan, scenarioText: text) }

    static func completed(_ run: SweepRun) -> CompletedRun {
        var result = Fixtures.run(replication: run.replication, sent: Double(10 + run.point), latency: 2)
        result.scopes[1].values[.concurrencyMean] = awkward[(run.point * 2 + run.replication) % awkward.count]
        return CompletedRun(run: run, warmup: nil, result: result)
    }

    /// Every value of a run, by bit pattern, so that -0 and 0 or two NaNs are told apart.
    static func bits(_ run: CompletedRun) -> [String] {
        run.result.scopes.map { scope in
            "\(scope.kind) \(scope.scope) " + Metric.allCases.map { scope[$0].map { String($0.bitPattern, radix: 16) } ?? "-" }
                .joined(separator: " ")
                + " cdf " + scope.latencyQuantiles.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
        } + run.result.timeseries.map { "\($0)" }
            + ["\(run.run) \(run.result.seed) \(run.result.measuredFrom) \(run.result.end) \(run.result.events)"]
    }

    @Test func aRunReadsBackBitForBit() throws {
        var result = Fixtures.run(replication: 1, sent: 10, latency: 2)
        result.scopes[0].values = Dictionary(uniqueKeysWithValues: zip(Metric.allCases, Self.awkward + Self.awkward + Self.awkward + Self.awkward))
        result.scopes[2].values[.latencyMax] = .nan
        result.timeseries[1][.concurrency] = Double.leastNonzeroMagnitude
        result.timeseries[2][.latencyP99] = 0.1 + 0.2
        result.scopes[0].latencyQuantiles = [0.001, 0.1 + 0.2, 1.0 / 3.0, Double.leastNonzeroMagnitude, 7]
        let choice = WarmupChoice(warmup: .s(27), interval: .ms(600), intervals: 100, decidingSeries: "concurrency", unsettled: true)
        let run = CompletedRun(run: SweepRun(point: 3, replication: 1), warmup: choice, result: result)
        let line = try PartialCoding.line(RunRecord(run))
        #expect(!line.contains("\n"))
        let back = try #require(PartialCoding.read(RunRecord.self, from: Data(line.utf8))?.completedRun)
        #expect(Self.bits(back) == Self.bits(run))
        #expect(back.warmup == choice)
        #expect(back.result.scope("all")?[.latencyMax]?.isNaN == true)
        #expect(back.result.scopes[0].latencyQuantiles == result.scopes[0].latencyQuantiles)
    }

    @Test func theRunStoreKeepsFinishedRunsAndRefusesAnotherSweepsFolder() throws {
        let output = try OutputFolder(creating: try Self.folder())
        let store = RunStore(in: output, shard: nil, identity: Self.identity())
        #expect(!store.exists)
        try store.create()
        let runs = Self.plan.runs.prefix(3).map(Self.completed)
        for run in runs { try store.save(run) }
        #expect(store.savedCount == 3)
        let wanted = Set(Self.plan.runs.dropFirst())
        let loaded = try store.load(wanted: wanted)
        #expect(loaded.map(Self.bits) == runs.dropFirst().map(Self.bits))

        let other = RunStore(in: output, shard: nil, identity: Self.identity(text: "name: tiny\n# edited"))
        let refusal = #expect(throws: PartialError.self) { try other.load(wanted: wanted) }
        #expect(refusal?.reason.contains("not of this sweep") == true)

        try "{\"point\": 1}".write(toFile: store.path + "/run-1-1.json", atomically: true, encoding: .utf8)
        let damaged = #expect(throws: PartialError.self) { try store.load(wanted: wanted) }
        #expect(damaged?.path.hasSuffix("run-1-1.json") == true)

        try store.create()
        #expect(store.savedCount == 0)
        try store.remove()
        #expect(!store.exists)
        #expect(RunStore(in: output, shard: Shard("2/5"), identity: Self.identity()).path.hasSuffix(".partial-2-of-5"))
    }

    /// Writes the shards of the plan into a new folder each; returns the folders.
    static func writeShards(count: Int, identity: SweepIdentity = identity()) throws -> [String] {
        try (1...count).map { number in
            let shard = try #require(Shard(number: number, count: count))
            let folder = try Self.folder()
            try ShardFile.write(Self.plan.runs(in: shard).map(Self.completed), shard: shard, identity: identity,
                                in: try OutputFolder(creating: folder))
            return folder
        }
    }

    @Test func mergedShardsGiveEveryRunOfTheSweep() throws {
        let folders = try Self.writeShards(count: 3)
        let merged = try ShardMerge.merge(folders.reversed())
        #expect(merged.files.count == 3)
        #expect(merged.plan.runs == Self.plan.runs)
        #expect(merged.runs.sorted { $0.run < $1.run }.map(Self.bits) == Self.plan.runs.map(Self.completed).map(Self.bits))
        let expected = Self.plan.result(Self.plan.runs.map(Self.completed))
        #expect(SummaryCSV.table(merged.plan.result(merged.runs)) == SummaryCSV.table(expected))
        #expect(AggregateCSV.table(merged.plan.result(merged.runs)) == AggregateCSV.table(expected))
        #expect(TimeSeriesCSV.table(merged.plan.result(merged.runs)) == TimeSeriesCSV.table(expected))
    }

    @Test func missingDuplicatedAndForeignShardsAreNamed() throws {
        let folders = try Self.writeShards(count: 3)
        let missing = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge([folders[0], folders[2]]) }
        #expect(missing?.problems == ["missing shard 2/3"])

        let duplicated = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge(folders + [folders[1]]) }
        #expect(duplicated?.problems.count == 1)
        #expect(duplicated?.problems.first?.hasPrefix("duplicated shard 2/3: \(folders[1])/shard-2-of-3.jsonl, \(folders[1])/") == true)

        let other = try Self.writeShards(count: 3, identity: Self.identity(text: "name: tiny\nrun: {seed: 2}"))
        let foreign = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge([folders[0], folders[1], other[2]]) }
        #expect(foreign?.problems.first?.contains("shards of different scenario files, seeds or replication counts") == true)
        #expect(foreign?.problems.last == "missing shard 3/3")

        let split = try Self.writeShards(count: 2)
        let mixed = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge(folders + split) }
        #expect(mixed?.problems.contains { $0.contains("is one of 2 shards") } == true)

        let empty = try Self.folder()
        let nothing = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge([empty]) }
        #expect(nothing?.problems.first?.contains("no shard files") == true)
    }

    @Test func aCutOrForeignShardFileIsRefusedWithItsLine() throws {
        let folders = try Self.writeShards(count: 2)
        let path = folders[0] + "/shard-1-of-2.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let cut = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge(folders) }
        #expect(cut?.problems == ["\(path): holds 1 runs, but its header lists 2 (a damaged or cut copy?)"])

        try "point,replication\n".write(toFile: path, atomically: true, encoding: .utf8)
        let foreign = #expect(throws: ShardMerge.Failure.self) { try ShardMerge.merge(folders) }
        #expect(foreign?.problems.first?.hasPrefix("\(path):1: not a queuesim shard file") == true)
    }

    @Test func theFingerprintFollowsTheTextAndEveryPointsRunSettings() {
        #expect(Self.identity().fingerprint == Self.identity().fingerprint)
        #expect(Self.identity().fingerprint.count == 16)
        #expect(Self.identity().fingerprint != Self.identity(text: "name: tiny ").fingerprint)
        var reseeded = Self.plan
        reseeded.points[1].pipeline.run.seed = 43
        #expect(SweepIdentity(plan: reseeded, scenarioText: "name: tiny").fingerprint != Self.identity().fingerprint)
        var fewer = Self.plan
        fewer.points[0].pipeline.run.replications = 1
        #expect(SweepIdentity(plan: fewer, scenarioText: "name: tiny").fingerprint != Self.identity().fingerprint)
        // The data files' hash is part of the identity.
        let withFiles = SweepIdentity(plan: Self.plan, scenarioText: "name: tiny", dataFiles: "0123456789abcdef")
        #expect(withFiles.fingerprint != Self.identity().fingerprint)
        #expect(withFiles.fingerprint != SweepIdentity(plan: Self.plan, scenarioText: "name: tiny", dataFiles: "0123456789abcdee").fingerprint)
    }
}
