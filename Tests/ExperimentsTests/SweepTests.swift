@testable import Experiments
import Scenario
import ServerlessModel
import Testing

/// Sweeps from scenario files: every point times every replication, labelled.
@Suite struct SweepTests {
    static let yaml = """
        name: sweep-test
        run:
          duration: 1m
          seed: 3
          replications: 2
        groups:
          A:
            queue: tasks
            arrivals: {poisson: {rate: 2/s}}
        queues:
          tasks:
            visibility_timeout: 5m
        functions:
          worker:
            timeout: 30s
            reserved_concurrency: 2
            duration: 200ms
            trigger:
              queue: tasks
              batch_size: 1
        sweep:
          functions.worker.reserved_concurrency: [1, 4]
          functions.worker.memory: [512MB, 1GB]
        """

    @Test func everyPointRunsEveryReplicationInOrderWithItsParameters() throws {
        let scenario = try ScenarioLoader.load(yaml: Self.yaml, source: "sweep-test.yml")
        let result = try Experiment.sweep(scenario, options: ExperimentOptions(jobs: 2))
        #expect(result.parameterNames == ["functions.worker.reserved_concurrency", "functions.worker.memory"])
        #expect(result.points.map(\.index) == [0, 1, 2, 3])
        #expect(result.points.map { $0.runs.map(\.replication) } == Array(repeating: [0, 1], count: 4))
        #expect(result.points.map { $0.parameter("functions.worker.reserved_concurrency") } == ["1", "1", "4", "4"])
        #expect(result.points.map { $0.parameter("functions.worker.memory") } == ["512MB", "1GB", "512MB", "1GB"])
        // Each point's runs read its pipeline, with its values; the result keeps its run settings only.
        let plan = try SweepPlan(scenario, options: ExperimentOptions(jobs: 2))
        #expect((0..<4).map { plan.pipeline(at: $0).functions[0].reservedConcurrency } == [1, 1, 4, 4])
        #expect(result.points.allSatisfy { $0.pipeline.functions.isEmpty && $0.pipeline.run.replications == 2 })
        // Every point sees the same arrivals (same seed): common random numbers across the sweep.
        let sent = result.points.map { $0.aggregate(.sent, scope: "A")?.mean }
        #expect(Set(sent).count == 1)
    }

    @Test func aScenarioWithoutASweepIsBadInput() throws {
        let plain = Self.yaml.components(separatedBy: "sweep:")[0]
        let scenario = try ScenarioLoader.load(yaml: plain, source: "plain.yml")
        #expect(throws: ExperimentError.noSweep(scenario: "sweep-test")) {
            try Experiment.sweep(scenario, options: ExperimentOptions(jobs: 1))
        }
    }
}
