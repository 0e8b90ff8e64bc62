import Foundation
@testable import Import
import Scenario
import Testing

/// Each template of the corpus imports to its expected scenario, byte for byte, with every
/// resource, property and mapping it cannot import listed.
@Suite struct CorpusTests {
    static let templates = ["sam-app.yaml", "cdk-stack.template.json", "plain-cfn.yaml"]

    @Test(arguments: templates)
    func importsToItsExpectedScenario(_ name: String) throws {
        let result = try StackImport.run(StackImport.Input(templatePath: name, templateText: Corpus.text(name), outputPath: "scenario.yml"))
        let expected = Corpus.text(StackImport.stem(of: name) + ".expected.yml")
        #expect(!expected.isEmpty)
        #expect(result.scenario == expected)
        // What `queuesim validate` would say: the text loads as it is.
        #expect(throws: Never.self) { try ScenarioLoader.load(yaml: result.scenario, source: "scenario.yml") }
    }

    @Test func samGlobalsParametersConditionsAndAliasesAreResolved() throws {
        let result = try StackImport.run(StackImport.Input(templatePath: "sam-app.yaml", templateText: Corpus.text("sam-app.yaml")))
        let scenario = try ScenarioLoader.load(yaml: result.scenario, source: "s.yml")
        let worker = try #require(scenario.pipeline.functions.first { $0.name == "OrderWorker" })
        #expect(worker.memoryMB == 512)                 // !Ref WorkerMemory, its Default
        #expect(worker.timeout == .s(15))               // Globals.Function.Timeout
        #expect(worker.architecture == .arm64)          // Globals.Function.Architectures
        #expect(worker.reservedConcurrency == 10)       // !If [IsProd, 50, 10] with Stage dev
        #expect(worker.provisionedConcurrency == 2)     // AutoPublishAlias: the events invoke the alias
        #expect(worker.trigger?.batchSize == 5)
        #expect(worker.trigger?.batchingWindow == .s(2))
        #expect(worker.trigger?.maximumConcurrency == 10)
        #expect(worker.trigger?.reportBatchItemFailures == true)
        #expect(scenario.pipeline.queues.map(\.name) == ["OrdersQueue", "OrdersDLQ", "NightlyFailures"])
        let nightly = try #require(scenario.pipeline.groups.first { $0.name == "NightlyEveryFiveMinutes" })
        #expect(nightly.invoke?.function == "Nightly")
        #expect(nightly.invoke?.asynchronous.onFailure == "NightlyFailures")
        let warnings = result.warnings.map(\.description)
        #expect(warnings.contains { $0.contains("sam-app.yaml:64:9") && $0.contains("a Kinesis event source is not imported") })
        #expect(warnings.contains { $0.contains("ProdOnlyQueue: not created: its Condition IsProd is false") })
        #expect(warnings.contains { $0.contains("not imported (no scenario key): Handler, CodeUri, Globals.Function.Runtime, Globals.Function.Tracing") })
        #expect(warnings.filter { $0.contains("placeholders to fill") }.count == 1)
    }

    @Test func aParameterGivenOnTheCommandLineWinsOverItsDefault() throws {
        let result = try StackImport.run(StackImport.Input(templatePath: "sam-app.yaml", templateText: Corpus.text("sam-app.yaml"),
                                                           parameters: ["Stage": "prod", "WorkerMemory": "1769"]))
        #expect(line(result.scenario, after: "OrderWorker", key: "memory") == "memory: 1769MB  # sam-app.yaml:48 MemorySize (--parameter WorkerMemory)")
        #expect(line(result.scenario, after: "OrderWorker", key: "reserved_concurrency")?.hasPrefix("reserved_concurrency: 50") == true)
        // With Stage=prod the conditional queue exists.
        #expect(result.scenario.contains("  ProdOnlyQueue:\n"))
    }

    @Test func cdkLongFormsAndHashedLogicalIDs() throws {
        let result = try StackImport.run(StackImport.Input(templatePath: "cdk-stack.template.json", templateText: Corpus.text("cdk-stack.template.json")))
        let scenario = try ScenarioLoader.load(yaml: result.scenario, source: "s.yml")
        #expect(scenario.pipeline.functions.map(\.name) == ["IngestHandler8D4E1F2A"])
        #expect(scenario.pipeline.functions[0].trigger?.queue == "IngestQueueB2A5E8F1")
        #expect(scenario.pipeline.queues[0].deadLetter == "IngestDeadLetterQueue7C3D2A11")
        let warnings = result.warnings.map(\.description)
        #expect(warnings.contains { $0.contains("IngestHandlerServiceRole3F1A2B7C: AWS::IAM::Role is not imported") })
        #expect(warnings.contains { $0.contains("CDKMetadata: AWS::CDK::Metadata is not imported") })
        // The scenario reader's own warning, placed at the template value it is about.
        #expect(warnings.contains { $0.hasPrefix("cdk-stack.template.json:14:25: warning: queues.IngestQueueB2A5E8F1.max_receive_count: 3 is below 5") })
    }

    @Test func plainCloudFormationFifoSeveralFunctionsOnOneQueueDeadLetterReaderAndAStreamMapping() throws {
        let result = try StackImport.run(StackImport.Input(templatePath: "plain-cfn.yaml", templateText: Corpus.text("plain-cfn.yaml")))
        let scenario = try ScenarioLoader.load(yaml: result.scenario, source: "s.yml")
        let pipeline = scenario.pipeline
        #expect(pipeline.queues.first { $0.name == "PaymentsQueue" }?.kind == .fifo)
        #expect(pipeline.queues.first { $0.name == "PaymentsQueue" }?.deadLetter == "PaymentsDLQ")
        #expect(pipeline.queues.first { $0.name == "PaymentsDLQ" }?.kind == .fifo)
        #expect(pipeline.functions.filter { $0.trigger?.queue == "AuditQueue" }.map(\.name) == ["AuditWriter", "AuditIndexer"])
        // Item 6: a function triggered by a dead-letter queue is imported as it is.
        #expect(pipeline.functions.first { $0.name == "DeadLetterReplayer" }?.trigger?.queue == "AuditDLQ")
        // The mapping invokes the alias that carries the provisioned concurrency; memory from Mappings.
        #expect(pipeline.functions.first { $0.name == "Charger" }?.provisionedConcurrency == 4)
        #expect(pipeline.functions.first { $0.name == "Charger" }?.memoryMB == 2048)
        let warnings = result.warnings.map(\.description)
        #expect(warnings.contains { $0.contains("plain-cfn.yaml:127:3") && $0.contains("a mapping from dynamodb") })
        #expect(warnings.contains { $0.contains("AuditIndexerMapping: not imported (no scenario key): FilterCriteria") })
        // ContentBasedDeduplication is a queue key now.
        #expect(!warnings.contains { $0.contains("ContentBasedDeduplication") })
        #expect(line(result.scenario, after: "PaymentsQueue", key: "content_based_deduplication")?.hasPrefix("content_based_deduplication: true") == true)
    }

    @Test func theRegionParameterSelectsTheMappingsEntry() throws {
        let result = try StackImport.run(StackImport.Input(templatePath: "plain-cfn.yaml", templateText: Corpus.text("plain-cfn.yaml"),
                                                           parameters: ["AWS::Region": "eu-west-1"]))
        #expect(line(result.scenario, after: "Charger", key: "memory")?.hasPrefix("memory: 1024MB") == true)
        // The hand-written DLQ ARN names us-east-1, but queues are matched by name.
        #expect(line(result.scenario, after: "AuditQueue", key: "dead_letter")?.hasPrefix("dead_letter: AuditDLQ") == true)
    }
}
