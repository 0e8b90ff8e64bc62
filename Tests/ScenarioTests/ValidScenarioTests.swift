import Foundation
import ServerlessModel
import SimCore
import Testing
import Yams
@testable import Scenario

/// Valid files load into the right typed values: every arrival and distribution family, the
/// AWS defaults for omitted keys, and the tables users may override.
@Suite("Valid scenarios")
struct ValidScenarioTests {
    let all: Scenario
    let minimal: Scenario

    init() throws {
        all = try ScenarioLoader.load(path: TestFiles.example("all-features.yml"))
        minimal = try ScenarioLoader.load(path: TestFiles.example("minimal.yml"))
    }

    private func group(_ name: String) throws -> TaskGroupSpec {
        try #require(all.pipeline.groups.first { $0.name == name })
    }

    private func function(_ name: String) throws -> FunctionSpec {
        try #require(all.pipeline.functions.first { $0.name == name })
    }

    private func queue(_ name: String) throws -> QueueSpec {
        try #require(all.pipeline.queues.first { $0.name == name })
    }

    @Test func examplesLoadWithoutWarnings() {
        #expect(all.warnings.isEmpty)
        // minimal's sweep gives reserved concurrency 2 and 4 with no maximum_concurrency: the
        // over-pull warning, once for each of the two values (each in 2 of its 8 points).
        #expect(minimal.warnings.map(\.path) == Array(repeating: "functions.worker.reserved_concurrency", count: 2))
        #expect(minimal.warnings.allSatisfy { $0.message.contains("(over-pull)") && $0.context?.hasPrefix("2 of 8 sweep points") == true })
        #expect(all.name == "all-features")
        #expect(all.description == "Every arrival process and distribution family, both queue types, a chain.")
        #expect(all.source.hasSuffix("all-features.yml"))
        #expect(all.sweep == nil)
    }

    @Test func runAccountPricesAndAssumptions() {
        let run = all.pipeline.run
        #expect(run == RunSettings(duration: .hours(1), drain: .minutes(30), warmup: .fixed(.minutes(5)), seed: 42,
                                   replications: 5, timeseriesInterval: .s(30)))
        #expect(all.pipeline.account == AccountSpec(concurrency: 2_000, unreservedMinimum: 200, scalingPer10s: 500))
        var prices = PriceTable()
        prices.lambdaRequestsPerMillion = 0.25
        prices.sqsFifoPerMillion = 0.6
        #expect(all.pipeline.prices == prices)
        var assumptions = ModelAssumptions()
        assumptions.pollerStart = 2
        assumptions.pollerMinimum = 2
        assumptions.pollerScaleUpPerMinute = 60
        assumptions.throttleRetryInitial = .ms(500)
        assumptions.receiveTime = .ms(25)
        assumptions.invokeLatency = .zero
        assumptions.deleteTime = .ms(5)
        #expect(all.pipeline.assumptions == assumptions)
    }

    @Test func everyArrivalFamily() throws {
        #expect(try group("steady").arrivals == .poisson(rate: Rate(perSecond: 2)))
        #expect(try group("steady").messageSize == 4_096)
        #expect(try group("metronome").arrivals == .constant(rate: Rate(perSecond: 1)))
        // `on` and `off` are booleans in YAML 1.1; as keys here they are just names.
        #expect(try group("spiky").arrivals == .bursts(rate: Rate(perSecond: 20), on: .s(10), off: .s(50),
                                                       baseRate: Rate(perSecond: 1)))
        #expect(try group("spiky").messageSize == 256 * 1_024)
        #expect(try group("daily").arrivals == .schedule([
            RateStep(at: .zero, rate: Rate(perSecond: 1)), RateStep(at: .minutes(10), rate: Rate(perSecond: 20)),
            RateStep(at: .minutes(40), rate: Rate(perSecond: 0)),
        ]))
        #expect(try group("nightly").arrivals == .batch(every: .minutes(5), size: 1_000, start: .s(30)))
        // Rows of other groups are skipped, rows without a group are kept, times are sorted.
        #expect(try group("replay").arrivals == .trace([.ms(500), .ms(1_500), .ms(2_500)]))
        #expect(try group("replay").messageSize == 1 << 20)
    }

    @Test func fifoGroupKeys() throws {
        #expect(try group("steady").fifoGroupKey == .group)
        #expect(try group("nightly").fifoGroupKey == .keys(16))
        #expect(try group("replay").fifoGroupKey == .fixed("tenant-7"))
        let yaml = minimalYAML(group: "fifo_group_key: message", fifo: true)
        #expect(loadValid(yaml)?.pipeline.groups.first?.fifoGroupKey == .message)
        let quoted = minimalYAML(group: "fifo_group_key: \"16\"", fifo: true)
        #expect(loadValid(quoted)?.pipeline.groups.first?.fifoGroupKey == .fixed("16"))
    }

    @Test func queues() throws {
        let tasks = try queue("tasks")
        #expect(tasks == QueueSpec(name: "tasks", kind: .standard, visibilityTimeout: .minutes(7), retention: .s(86_400),
                                   delay: .s(2), maxReceiveCount: 5, deadLetter: "tasks-dlq", duplicateProbability: 0.001,
                                   inFlightLimit: 1_000))
        // `tasks-dlq:` with no value is a queue with every default.
        #expect(try queue("tasks-dlq") == QueueSpec(name: "tasks-dlq"))
        // Names with dots (FIFO queue names end in .fifo) are plain names.
        #expect(try queue("orders.fifo").kind == .fifo)
        #expect(try queue("orders.fifo").deadLetter == "orders-dlq.fifo")
    }

    @Test func aTriggerOrAContainerServiceMayReadADeadLetterQueue() {
        // AWS: a dead-letter queue is an ordinary queue; reading it is how dead letters are processed.
        let scenario = loadValid("""
            name: replay
            run: {duration: 10m}
            groups:
              A: {queue: tasks, arrivals: {poisson: {rate: 2/s}}}
            queues:
              tasks: {visibility_timeout: 2m, dead_letter: tasks-dlq, max_receive_count: 5}
              tasks-dlq: {dead_letter: last}
              last: {}
            functions:
              worker: {timeout: 10s, trigger: {queue: tasks}}
              replayer: {trigger: {queue: tasks-dlq}}
            containers:
              archiver: {queue: last}
            """)
        #expect(scenario?.pipeline.functions.map { $0.trigger?.queue } == ["tasks", "tasks-dlq"])
        #expect(scenario?.warnings.isEmpty == true)
    }

    @Test func everyDistributionFamily() throws {
        let worker = try function("worker")
        #expect(worker.duration == .lognormal(median: .ms(800), p99: .s(3)))
        #expect(worker.perMessage == .exponential(mean: .ms(20)))
        #expect(worker.coldStart == .gamma(shape: 2, mean: .ms(300)))
        #expect(worker.idleTimeout == .uniform(min: .minutes(5), max: .minutes(15)))
        let orderer = try function("orderer")
        let mixture = try #require(MixtureComponent.normalised([
            (9, .normal(mean: .s(1), stddev: .ms(200))), (1, .pareto(shape: 2.5, minimum: .s(2))),
        ]))
        #expect(orderer.duration == .mixture(mixture))
        #expect(orderer.coldStart == .weibull(shape: 1.5, scale: .ms(250)))
        let samples = try #require(EmpiricalSamples(seconds: [300, 420.5, 600, 900], source: "durations.csv"))
        #expect(orderer.idleTimeout == .empirical(samples))
        #expect(try function("reporter").duration == .lognormal(mu: -2, sigma: 0.5))
        let api = try #require(all.pipeline.downstreams.first)
        #expect(api.latency == .lognormal(median: .ms(200), p99: .s(1)))
    }

    @Test func functionsAndTriggers() throws {
        let worker = try function("worker")
        #expect(worker.memoryMB == 1_024)
        #expect(worker.architecture == .arm64)
        #expect(worker.timeout == .minutes(1))
        #expect(worker.reservedConcurrency == 50)
        #expect(worker.provisionedConcurrency == 5)
        #expect(worker.errorRate == 0.01)
        #expect(worker.downstream == "api")
        #expect(worker.outputQueue == "results")
        #expect(worker.trigger == TriggerSpec(queue: "tasks", batchSize: 100, batchingWindow: .s(2), maximumConcurrency: 40,
                                              reportBatchItemFailures: true))
        #expect(try function("orderer").trigger == TriggerSpec(queue: "orders.fifo", batchSize: 10))
    }

    @Test func downstreamLimits() throws {
        let api = try #require(all.pipeline.downstreams.first)
        #expect(api.limits == [
            "steady": DownstreamLimit(rate: Rate(perSecond: 2), burst: 2),
            "spiky": DownstreamLimit(rate: Rate(perSecond: 1)),
            "all": DownstreamLimit(rate: Rate(perSecond: 50), concurrency: 20),
        ])
    }

    @Test func serviceLevelObjectiveAndPlan() throws {
        let slo = try #require(all.slo)
        #expect(slo.overall == ServiceLevelTargets(latencyP50: .s(1), latencyP99: .s(10), throttleRate: 0.01, deadLettered: 0,
                                                   downstreamViolations: 100))
        #expect(slo.groups["spiky"] == ServiceLevelTargets(latencyP99: .s(30), latencyP999: .minutes(1)))
        // A group's own targets replace the overall ones; the rest still apply.
        let spiky = slo.targets(forGroup: "spiky")
        #expect(spiky.latencyP99 == .s(30))
        #expect(spiky.latencyP50 == .s(1))
        #expect(slo.targets(forGroup: "steady") == slo.overall)
        let plan = try #require(all.plan)
        #expect(plan == PlanSpec(minimize: .cost, vary: [
            PlanVariable(path: "functions.worker.reserved_concurrency", domain: .integerRange(min: 1, max: 200)),
            PlanVariable(path: "functions.worker.memory", domain: .values(["512MB", "1GB", "2GB"])),
        ]))
    }

    @Test func awsDefaultsForOmittedKeys() throws {
        let pipeline = minimal.pipeline
        #expect(pipeline.run == RunSettings(duration: .minutes(10)))
        #expect(pipeline.account == AccountSpec())
        #expect(pipeline.prices == PriceTable())
        #expect(pipeline.assumptions == ModelAssumptions())
        #expect(pipeline.queues == [QueueSpec(name: "tasks")])
        #expect(pipeline.groups == [TaskGroupSpec(name: "A", queue: "tasks", arrivals: .poisson(rate: Rate(perSecond: 2)))])
        #expect(pipeline.functions == [FunctionSpec(name: "worker", trigger: TriggerSpec(queue: "tasks"))])
        #expect(pipeline.downstreams.isEmpty)
        #expect(minimal.slo == nil)
        #expect(minimal.plan == nil)
        // The defaults are AWS's.
        let queue = QueueSpec(name: "q")
        #expect(queue.visibilityTimeout == .s(30) && queue.retention == .s(4 * 86_400) && queue.delay == .zero)
        let function = FunctionSpec(name: "f")
        #expect(function.memoryMB == 128 && function.timeout == .s(3) && function.reservedConcurrency == nil)
        #expect(TriggerSpec(queue: "q").batchSize == 10)
    }

    @Test func warmupAutoAndSizesAndUnits() {
        let yaml = """
            name: units
            run: {duration: 90m, warmup: auto, drain: 1.5h}
            groups:
              A: {queue: q, arrivals: {poisson: {rate: 1000/h}}, message_size: 1.5KB}
            queues:
              q: {visibility_timeout: 0s, retention: 60s, delay: 900s}
            functions:
              f: {memory: 10240MB, timeout: 900s}
            """
        let scenario = loadValid(yaml)
        #expect(scenario?.pipeline.run.warmup == .auto)
        #expect(scenario?.pipeline.run.drain == .minutes(90))
        #expect(scenario?.pipeline.groups.first?.messageSize == 1_536)
        #expect(scenario?.pipeline.functions.first?.memoryMB == 10_240)
        #expect(scenario?.pipeline.queues.first?.visibilityTimeout == .zero)
    }

    @Test func yamlMergeKeysShareSettings() {
        let yaml = """
            name: anchors
            run: {duration: 10m}
            groups:
              A: {queue: q, arrivals: {poisson: {rate: 1/s}}}
            queues:
              q: {visibility_timeout: 5m}
            functions:
              one: &common
                memory: 1GB
                timeout: 20s
              two:
                <<: *common
                timeout: 30s
            """
        let functions = loadValid(yaml)?.pipeline.functions ?? []
        #expect(functions.map(\.memoryMB) == [1_024, 1_024])
        #expect(functions.map(\.timeout) == [.s(20), .s(30)])
    }

    @Test func yamlBooleansAndQuotedScalars() {
        let yaml = minimalYAML(trigger: "report_batch_item_failures: yes")
        #expect(loadValid(yaml)?.pipeline.functions.first?.trigger?.reportBatchItemFailures == true)
        // A quoted size is still a size: quotes only keep YAML from reading a value as a number.
        let quoted = minimalYAML(function: "memory: \"1GB\"")
        #expect(loadValid(quoted)?.pipeline.functions.first?.memoryMB == 1_024)
    }

    @Test func aGroupKeyOfMessagesThatReachAFIFOQueueThroughAChainHasNoWarning() throws {
        let yaml = """
            name: t
            run: {duration: 10m}
            groups:
              A: {queue: in, fifo_group_key: 4, arrivals: {poisson: {rate: 1/s}}}
            queues:
              in: {visibility_timeout: 1m}
              out.fifo: {type: fifo, visibility_timeout: 1m}
            functions:
              first: {timeout: 10s, output_queue: out.fifo, trigger: {queue: in}}
              second: {timeout: 10s, trigger: {queue: out.fifo}}
            """
        let scenario = try #require(loadValid(yaml))
        #expect(scenario.warnings.isEmpty)
    }

    @Test func loadFromYamsNode() throws {
        let text = try String(contentsOfFile: TestFiles.example("minimal.yml"), encoding: .utf8)
        let node = try #require(try Yams.compose(yaml: text))
        let scenario = try ScenarioLoader.load(node: node, source: "minimal.yml")
        #expect(scenario.pipeline == minimal.pipeline)
        #expect(scenario.sweepPoints.count == 8)
    }
}

/// A small valid scenario with extra lines in the group, function or trigger.
func minimalYAML(group: String = "", function: String = "", trigger: String = "", fifo: Bool = false) -> String {
    """
    name: t
    run: {duration: 10m}
    groups:
      A:
        queue: q
        arrivals: {poisson: {rate: 1/s}}
        \(group)
    queues:
      q: {type: \(fifo ? "fifo" : "standard"), visibility_timeout: 5m}
    functions:
      f:
        timeout: 10s
        \(function)
        trigger:
          queue: q
          \(trigger)
    """
}
