@testable import Experiments
import Scenario
import ServerlessModel
import Testing
import Foundation

/// Shards: `K/N` parsing and how runs are dealt; sweeps made in slices, or partly with
/// warm-ups already known, give the result of the sweep made at once.
@Suite struct ShardTests {
    /// Three points, three replications, a minute each.
    static func yaml(warmup: String) -> String {
        """
        name: shard-test
        run:
          duration: 1m
          warmup: \(warmup)
          seed: 9
          replications: 3
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 3/s}}}
        queues:
          tasks: {visibility_timeout: 5m}
        functions:
          worker:
            timeout: 30s
            reserved_concurrency: 2
            duration: {exponential: {mean: 400ms}}
            trigger: {queue: tasks, batch_size: 1}
        sweep:
          functions.worker.reserved_concurrency: [1, 2, 4]
        """
    }

    static func runs(points: Int, replications: Int) -> [SweepRun] {
        (0..<points).flatMap { p in (0..<replications).map { SweepRun(point: p, replication: $0) } }
    }

    /// Everything a point's files are made of, for exact comparison.
    static func fingerprint(_ result: ExperimentResult) -> [String] {
        result.points.flatMap { point in
            ["point \(point.index) \(point.label) warm-up \(point.pipeline.run.warmup) \(String(describing: point.warmup))"]
                + point.runs.flatMap(\.fingerprint) + point.aggregates.map { "\($0)" }
        }
    }

    @Test func shardsAreReadAsKOfNFromOne() {
        #expect(Shard("3/7") == Shard(number: 3, count: 7))
        #expect(Shard("1/1")?.description == "1/1")
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/3/5", ""] {
            #expect(Shard(bad) == nil, "\(bad)")
        }
    }

    @Test func runsAreDealtOneAtATimeIntoDisjointSlicesThatDifferByAtMostOne() throws {
        let all = Self.runs(points: 5, replications: 3)
        for count in [1, 3, 7, 15, 20] {
            let slices = try (1...count).map { try #require(Shard(number: $0, count: count)).slice(of: all, wholePoints: false) }
            #expect(slices.flatMap { $0 }.sorted() == all, "N = \(count)")
            let sizes = slices.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "N = \(count): \(sizes)")
            // Run i of the point-major list goes to shard (i mod N) + 1.
            for (i, run) in all.enumerated() { #expect(slices[i % count].contains(run)) }
        }
    }

    @Test func automaticWarmUpDealsWholePointsWhenThereAreEnough() throws {
        let all = Self.runs(points: 5, replications: 3)
        let slices = try (1...2).map { try #require(Shard(number: $0, count: 2)).slice(of: all, wholePoints: true) }
        #expect(Set(slices[0].map(\.point)) == [0, 2, 4])
        #expect(Set(slices[1].map(\.point)) == [1, 3])
        #expect(slices.flatMap { $0 }.sorted() == all)
        // More shards than points: whole points would leave shards idle, so runs are dealt.
        let many = try (1...7).map { try #require(Shard(number: $0, count: 7)).slice(of: all, wholePoints: true) }
        #expect(many.allSatisfy { $0.count == 2 || $0.count == 3 })
        #expect(many.flatMap { $0 }.sorted() == all)
    }

    @Test(arguments: ["10s", "auto"])
    func slicesMadeApartGiveTheSweepMadeAtOnce(warmup: String) throws {
        let scenario = try ScenarioLoader.load(yaml: Self.yaml(warmup: warmup), source: "shard-test.yml")
        let options = ExperimentOptions(jobs: 2)
        let whole = try Experiment.sweep(scenario, options: options)
        let plan = try SweepPlan(scenario, options: options)
        #expect(plan.runs.count == 9)
        for count in [1, 3, 7] {
            var made: [CompletedRun] = []
            for number in 1...count {
                // A fresh plan per shard, as on another machine: pilots are run again there.
                let shardPlan = try SweepPlan(scenario, options: options)
                made += try shardPlan.execute(shardPlan.runs(in: try #require(Shard(number: number, count: count))), options: options)
            }
            #expect(made.count == 9)
            #expect(Self.fingerprint(plan.result(made.shuffled())) == Self.fingerprint(whole), "N = \(count)")
        }
        if warmup == "auto" { #expect(whole.points.allSatisfy { $0.warmup != nil }) }
    }

    @Test func aKnownWarmUpSkipsThePilotAndGivesTheSameRuns() throws {
        let scenario = try ScenarioLoader.load(yaml: Self.yaml(warmup: "auto"), source: "shard-test.yml")
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 1))
        let first = try plan.execute([SweepRun(point: 1, replication: 0)], options: ExperimentOptions(jobs: 1))
        let choice = try #require(first.first?.warmup)

        let phases = PhaseLog()
        let options = ExperimentOptions(jobs: 1, progress: { phases.record($0.phase) })
        let rest = try plan.execute([SweepRun(point: 1, replication: 1), SweepRun(point: 1, replication: 2)],
                                    knownWarmups: [1: choice], options: options)
        #expect(phases.phases == [.replications, .replications])
        let whole = try Experiment.sweep(scenario, options: ExperimentOptions(jobs: 1))
        #expect((first + rest).flatMap(\.result.fingerprint) == whole.points[1].runs.flatMap(\.fingerprint))
        #expect(rest.allSatisfy { $0.warmup == whole.points[1].warmup })
    }

    @Test func finishedRunsAreHandedOverAsTheyAreMadeAndAFailureToSaveStopsTheSweep() throws {
        let scenario = try ScenarioLoader.load(yaml: Self.yaml(warmup: "10s"), source: "shard-test.yml")
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 1))
        let saved = PhaseLog()
        let made = try plan.execute(plan.runs, options: ExperimentOptions(jobs: 2)) { (run: CompletedRun) throws(ExperimentError) in
            saved.save(run.run)
        }
        #expect(saved.runs.sorted() == plan.runs)
        #expect(made.map(\.run) == plan.runs)
        #expect(throws: ExperimentError.saveFailed("disk full")) {
            try plan.execute(plan.runs, options: ExperimentOptions(jobs: 1)) { (_: CompletedRun) throws(ExperimentError) in
                throw .saveFailed("disk full")
            }
        }
        #expect(throws: ExperimentError.self) { try plan.execute([SweepRun(point: 5, replication: 0)], options: ExperimentOptions(jobs: 1)) }
    }
}

/// What a sweep reported, collected from worker threads.
final class PhaseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storedPhases: [ExperimentProgress.Phase] = []
    private var storedRuns: [SweepRun] = []

    func record(_ phase: ExperimentProgress.Phase) { lock.withLock { storedPhases.append(phase) } }
    func save(_ run: SweepRun) { lock.withLock { storedRuns.append(run) } }
    var phases: [ExperimentProgress.Phase] { lock.withLock { storedPhases } }
    var runs: [SweepRun] { lock.withLock { storedRuns } }
}
