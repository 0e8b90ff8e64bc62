import ServerlessModel
import SimCore
import Testing
@testable import Scenario

/// Sweep expansion (grid and zip), paths that create omitted keys, errors that name the point,
/// and variants made through the public `applying` API.
@Suite("Sweeps and variants")
struct SweepTests {
    /// A scenario with a dotted queue name, a schedule, and no account block.
    static let base = """
        name: sweep
        run: {duration: 10m}
        groups:
          A:
            queue: orders.fifo
            arrivals:
              schedule:
                - {at: 0s, rate: 1/s}
                - {at: 5m, rate: 4/s}
        queues:
          orders.fifo: {type: fifo, visibility_timeout: 2m}
        functions:
          worker:
            timeout: 10s
            trigger: {queue: orders.fifo}
        """

    @Test func gridIsTheCartesianProductWithTheLastKeyFastest() throws {
        let scenario = try ScenarioLoader.load(path: TestFiles.example("minimal.yml"))
        let sweep = try #require(scenario.sweep)
        #expect(sweep.mode == .grid)
        #expect(sweep.parameters == [
            SweepParameter(path: "functions.worker.reserved_concurrency", values: ["2", "4", "8", "16"]),
            SweepParameter(path: "functions.worker.trigger.batch_size", values: ["1", "10"]),
        ])
        let points = sweep.points
        #expect(points.map(\.index) == Array(0..<8))
        let values = points.map { point in
            (point.scenario.pipeline.functions[0].reservedConcurrency, point.scenario.pipeline.functions[0].trigger?.batchSize)
        }
        #expect(values.map(\.0) == [2, 2, 4, 4, 8, 8, 16, 16])
        #expect(values.map(\.1) == [1, 10, 1, 10, 1, 10, 1, 10])
        #expect(points[3].label == "functions.worker.reserved_concurrency=4, functions.worker.trigger.batch_size=10")
        #expect(points[3].assignments == [
            ParameterAssignment(path: "functions.worker.reserved_concurrency", value: "4"),
            ParameterAssignment(path: "functions.worker.trigger.batch_size", value: "10"),
        ])
        #expect(points.allSatisfy { $0.scenario.sweep == nil })
        // Everything not swept is the base scenario's.
        #expect(points[0].scenario.pipeline.groups == scenario.pipeline.groups)
    }

    @Test func zipTakesTheIthValueOfEachList() throws {
        let yaml = Self.base + """

            sweep:
              mode: zip
              functions.worker.memory: [512MB, 1GB, 2GB]
              functions.worker.timeout: [10s, 20s, 30s]
            """
        let points = try #require(loadValid(yaml)?.sweepPoints)
        #expect(points.map { $0.scenario.pipeline.functions[0].memoryMB } == [512, 1_024, 2_048])
        #expect(points.map { $0.scenario.pipeline.functions[0].timeout } == [.s(10), .s(20), .s(30)])
        #expect(points[2].label == "functions.worker.memory=2GB, functions.worker.timeout=30s")
    }

    @Test func pathsCreateOmittedKeysReachListItemsAndDottedNames() throws {
        let yaml = Self.base + """

            sweep:
              account.concurrency: [500, 2000]
              queues.orders.fifo.visibility_timeout: [1m]
              groups.A.arrivals.schedule.1.rate: [8/s]
              functions.worker.duration: [1s, {exponential: {mean: 1s}}]
            """
        let points = try #require(loadValid(yaml)?.sweepPoints)
        #expect(points.count == 4)
        #expect(points.map(\.scenario.pipeline.account.concurrency) == [500, 500, 2_000, 2_000])
        #expect(points.allSatisfy { $0.scenario.pipeline.queues[0].visibilityTimeout == .minutes(1) })
        #expect(points[0].scenario.pipeline.groups[0].arrivals == .schedule([
            RateStep(at: .zero, rate: Rate(perSecond: 1)), RateStep(at: .minutes(5), rate: Rate(perSecond: 8)),
        ]))
        #expect(points[0].scenario.pipeline.functions[0].duration == .constant(.s(1)))
        #expect(points[1].scenario.pipeline.functions[0].duration == .exponential(mean: .s(1)))
        #expect(points[1].assignments.last?.value == "{exponential: {mean: 1s}}")
    }

    @Test func aBadPointIsNamedAndLocatedAtItsValue() {
        let yaml = Self.base + """

            sweep:
              functions.worker.memory: [512MB, 20GB]
            """
        #expect(diagnostics(ofYAML: yaml) == [
            "test.yml:17:36: sweep point 1 (functions.worker.memory=20GB): functions.worker.memory: 20GB is above the maximum 10,240MB (expected a memory size from 128MB to 10,240MB)",
        ])
    }

    @Test func aPointThatConflictsWithTheRestOfTheFileIsReported() {
        let yaml = Self.base + """

              helper: {reserved_concurrency: 885}
            sweep:
              functions.worker.reserved_concurrency: [2, 4, 8, 16]
            """
        #expect(diagnostics(ofYAML: yaml) == [
            "test.yml:16:34: sweep point 3 (functions.worker.reserved_concurrency=16): functions.helper.reserved_concurrency: reserved concurrency adds up to 901 (worker 16, helper 885), above the 900 the account can reserve: account.concurrency 1,000 minus unreserved_minimum 100 (expected a total of at most 900)",
        ] + [(2, 43), (4, 46)].enumerated().map { point, value in
            "test.yml:18:\(value.1): warning: sweep point \(point) (functions.worker.reserved_concurrency=\(value.0)): functions.worker.reserved_concurrency: \(value.0) is below the 5 concurrent batches the event source mapping of queue 'orders.fifo' starts with (assumption poller_start), and its trigger sets no maximum_concurrency: the mapping pulls batches the function cannot run, they are throttled and can be dead-lettered without failing (over-pull) (expected trigger.maximum_concurrency at most \(value.0), as AWS advises)"
        })
    }

    @Test func manyBadPointsAreCounted() {
        let values = (1...30).map { "\($0 * 1_000)GB" }.joined(separator: ", ")
        let yaml = Self.base + "\nsweep:\n  functions.worker.memory: [\(values)]\n"
        // Every value is above Lambda's 10,240MB, so all 30 points fail.
        let found = diagnostics(ofYAML: yaml)
        #expect(found.count == SweepExpander.maximumReportedPoints + 1)
        #expect(found.last == "test.yml:17:3: sweep: 10 more sweep points have errors (expected every point to load; fix the ones above first)")
    }

    @Test func pointWarningsAreReportedOnceWithTheirPoint() throws {
        let yaml = Self.base + """

            sweep:
              queues.orders.fifo.visibility_timeout: [2m, 30s, 40s]
            """
        let scenario = try #require(loadValid(yaml))
        #expect(scenario.warnings.map(\.description) == [
            "test.yml:17:47: warning: sweep point 1 (queues.orders.fifo.visibility_timeout=30s): queues.orders.fifo.visibility_timeout: 30s is below 6 x the timeout of function 'worker' plus its batching window (6 x 10s + 0s = 1m) (expected at least 1m, as AWS recommends)",
            "test.yml:17:52: warning: sweep point 2 (queues.orders.fifo.visibility_timeout=40s): queues.orders.fifo.visibility_timeout: 40s is below 6 x the timeout of function 'worker' plus its batching window (6 x 10s + 0s = 1m) (expected at least 1m, as AWS recommends)",
        ])
        #expect(scenario.sweepPoints[1].scenario.warnings.count == 1)
    }

    /// Sweeping the timeout moves the visibility-timeout warning of the queue in every point:
    /// it is printed once, with the number of points, not once per point.
    @Test func aWarningOfEveryPointIsPrintedOnceWithACount() throws {
        let values = (21...120).map { "\($0)s" }.joined(separator: ", ")
        let yaml = Self.base + "\nsweep:\n  functions.worker.timeout: [\(values)]\n"
        let scenario = try #require(loadValid(yaml))
        let warnings = scenario.warnings.map(\.description)
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains(": warning: all 100 sweep points, such as sweep point 0 (functions.worker.timeout=21s): queues.orders.fifo.visibility_timeout: 2m is below 6 x the timeout") == true, "\(warnings)")
    }

    /// A warning each swept value gets at its own place (reserved concurrency below the
    /// mapping's start, for every value of a 30-value sweep) is printed for the first points
    /// and then counted: a 1,200-value sweep printed 1,200 lines of the same warning.
    @Test func warningsAtManyValuesOfOneKeyAreCountedAfterTheFirst() throws {
        let values = (0..<30).map { _ in "2" }.joined(separator: ", ")
        let yaml = Self.base + "\nsweep:\n  functions.worker.reserved_concurrency: [\(values)]\n"
        let scenario = try #require(loadValid(yaml))
        let warnings = scenario.warnings.map(\.description)
        let limit = SweepExpander.maximumReportedPoints
        #expect(warnings.count == limit + 1, "\(warnings)")
        #expect(warnings.prefix(limit).allSatisfy { $0.contains(": warning: sweep point ") && $0.contains("is below the 5 concurrent batches") })
        // The count is located at the first value it leaves out (column 43, then 3 a value).
        #expect(warnings.last == "test.yml:17:\(43 + 3 * limit): warning: sweep: functions.worker.reserved_concurrency: 10 more sweep points warn at this key, not printed (expected what the warnings above it expect)")
    }

    @Test func applyingMakesAValidatedVariant() throws {
        let scenario = try ScenarioLoader.load(path: TestFiles.example("all-features.yml"))
        let variant = try scenario.applying([
            ParameterAssignment(path: "functions.worker.memory", value: "2GB"),
            ParameterAssignment(path: "functions.reporter.reserved_concurrency", value: "7"),
        ])
        #expect(variant.pipeline.functions[0].memoryMB == 2_048)
        #expect(variant.pipeline.functions[2].reservedConcurrency == 7)
        #expect(variant.plan == scenario.plan)
        // Every check applies to a variant; errors name the assignments and point at the setting.
        #expect(throws: ScenarioErrors.self) { try scenario.applying([ParameterAssignment(path: "functions.worker.memory", value: "64MB")]) }
        do {
            _ = try scenario.applying([ParameterAssignment(path: "functions.worker.memory", value: "64MB")])
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(scenario.source):73:13: functions.worker.memory=64MB: functions.worker.memory: 64MB is below the minimum 128MB (expected a memory size from 128MB to 10,240MB)",
            ])
        }
        do {
            _ = try scenario.applying([ParameterAssignment(path: "functions.wroker.memory", value: "1GB")])
        } catch {
            #expect(error.diagnostics.map(\.message) == ["no function named 'wroker' (did you mean 'worker'?)"])
        }
    }
}
