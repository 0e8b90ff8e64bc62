import Foundation
@testable import Import
import Scenario
import Testing

/// Intrinsic functions, short and long forms, and the located errors of malformed templates.
@Suite struct TemplateTests {
    /// A template of one queue with `properties` and a function reading it.
    static func template(queue properties: String, parameters: String = "", conditions: String = "", extra: String = "") -> String {
        """
        Parameters:
          Seconds: {Type: Number, Default: 45}
          Names: {Type: CommaDelimitedList, Default: "a,b,c"}
        \(parameters)
        Conditions:
          Always: !Equals [1, 1]
        \(conditions)
        Resources:
          Tasks:
            Type: AWS::SQS::Queue
            Properties:
        \(properties)
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              Timeout: 5
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              EventSourceArn: !GetAtt Tasks.Arn
              FunctionName: !Ref Worker
        \(extra)
        """
    }

    private func visibility(_ properties: String, parameters: [String: String] = [:]) -> String? {
        guard let output = imported(Self.template(queue: properties), parameters: parameters) else { return nil }
        return line(output.scenario, after: "Tasks", key: "visibility_timeout")
    }

    @Test func shortAndLongFormsGiveTheSameValue() {
        #expect(visibility("      VisibilityTimeout: !Ref Seconds")?.hasPrefix("visibility_timeout: 45s  # template.yaml:") == true)
        #expect(visibility("      VisibilityTimeout: {Ref: Seconds}")?.hasPrefix("visibility_timeout: 45s") == true)
        #expect(visibility("      VisibilityTimeout: !If [Always, 60, 30]")?.hasPrefix("visibility_timeout: 1m") == true)
        #expect(visibility("      VisibilityTimeout: {\"Fn::If\": [Always, 60, 30]}")?.hasPrefix("visibility_timeout: 1m") == true)
    }

    @Test func everyFormOfGetAttNamesTheQueue() {
        for form in ["!GetAtt Tasks.Arn", "!GetAtt [Tasks, Arn]", "{\"Fn::GetAtt\": [Tasks, Arn]}", "{\"Fn::GetAtt\": Tasks.Arn}",
                     "!Sub '${Tasks.Arn}'", "!Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:Tasks'"] {
            let yaml = Self.template(queue: "      DelaySeconds: 1").replacingOccurrences(of: "EventSourceArn: !GetAtt Tasks.Arn", with: "EventSourceArn: \(form)")
            let output = imported(yaml)
            #expect(output.flatMap { line($0.scenario, after: "trigger", key: "queue") }?.hasPrefix("queue: Tasks  #") == true, "\(form)")
        }
    }

    @Test func stringFunctions() {
        #expect(visibility("      VisibilityTimeout: !Join ['', ['1', '2', '0']]")?.hasPrefix("visibility_timeout: 2m") == true)
        #expect(visibility("      VisibilityTimeout: !Select [1, [10, 20, 30]]")?.hasPrefix("visibility_timeout: 20s") == true)
        #expect(visibility("      VisibilityTimeout: !Select [0, !Split [',', '90,5']]")?.hasPrefix("visibility_timeout: 90s") == true)
        #expect(visibility("      VisibilityTimeout: !Sub '${Seconds}0'")?.hasPrefix("visibility_timeout: 450s") == true)
        #expect(visibility("      VisibilityTimeout: !Sub ['${A}${B}', {A: '3', B: !Ref Seconds}]")?.hasPrefix("visibility_timeout: 345s") == true)
    }

    @Test func conditionsCombine() {
        let conditions = """
          Prod: !Equals [!Ref Stage, prod]
          NotProd: !Not [Condition: Prod]
          Both: !And [!Condition Always, !Condition NotProd]
          Either: !Or [!Condition Prod, !Equals [!Ref Seconds, 45]]
        """
        let parameters = "  Stage: {Type: String, Default: dev}"
        let yaml = Self.template(queue: "      VisibilityTimeout: !If [Both, 61, 62]\n      DelaySeconds: !If [Either, 7, 8]",
                                 parameters: parameters, conditions: conditions)
        let output = imported(yaml)
        #expect(output.flatMap { line($0.scenario, after: "Tasks", key: "visibility_timeout") }?.hasPrefix("visibility_timeout: 61s") == true)
        #expect(output.flatMap { line($0.scenario, after: "Tasks", key: "delay") }?.hasPrefix("delay: 7s") == true)
        let prod = imported(yaml, parameters: ["Stage": "prod"])
        #expect(prod.flatMap { line($0.scenario, after: "Tasks", key: "visibility_timeout") }?.hasPrefix("visibility_timeout: 62s") == true)
    }

    @Test func noValueLeavesAWSsDefaultAndSaysSo() {
        #expect(visibility("      VisibilityTimeout: !Ref AWS::NoValue") == "visibility_timeout: 30s  # AWS default: no VisibilityTimeout in template.yaml:9")
    }

    @Test func anImportValueIsListedWithItsLocationAndTheDefaultApplies() throws {
        let output = try #require(imported(Self.template(queue: "      VisibilityTimeout: !ImportValue shared-visibility")))
        #expect(line(output.scenario, after: "Tasks", key: "visibility_timeout")?.hasPrefix("visibility_timeout: 30s  # AWS default") == true)
        #expect(output.warnings.map(\.description).contains(
            "template.yaml:12:26: warning: Fn::ImportValue reads another stack's export, which this template does not hold (not imported)"))
    }

    @Test func aMacroOtherThanSAMsIsListed() throws {
        let output = try #require(imported("Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\n" + Self.template(queue: "      DelaySeconds: 1")))
        #expect(output.warnings.contains { $0.message.contains("the macro AWS::LanguageExtensions is not expanded") })
        #expect(!output.warnings.contains { $0.message.contains("AWS::Serverless-2016-10-31") })
    }

    @Test func aYAMLSyntaxErrorIsLocated() {
        let errors = importErrors("Resources:\n  Tasks:\n    Type: AWS::SQS::Queue\n   Properties: {\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("template.yaml:4:") == true)
        #expect(errors.first?.contains("invalid YAML/JSON") == true)
    }

    @Test func aJSONSyntaxErrorIsLocated() {
        let errors = importErrors("{\n \"Resources\": {\n  \"Q\": {\"Type\": \"AWS::SQS::Queue\",}\n  ]\n}\n")
        #expect(errors.first?.hasPrefix("template.yaml:4:3:") == true)
    }

    @Test func anUnknownTagIsLocated() {
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: !Reff Seconds"))
        #expect(errors.first?.hasPrefix("template.yaml:12:26: unknown tag !Reff (expected a CloudFormation short form:") == true)
    }

    @Test func aParameterWithoutAValueIsAnErrorAtTheParameter() {
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: !Ref Missing", parameters: "  Missing: {Type: Number}"))
        #expect(errors == ["template.yaml:4:3: Parameters.Missing: has no Default and no value (expected --parameter Missing=VALUE)"])
    }

    @Test func anUnknownParameterOnTheCommandLineIsAnError() {
        let errors = importErrors(Self.template(queue: "      DelaySeconds: 1"), parameters: ["Sekonds": "1"])
        #expect(errors.first?.contains("--parameter Sekonds: no such parameter (expected one of: Seconds, Names,") == true)
    }

    @Test func aValueOutsideAWSsRangeIsAnErrorAtTheValue() {
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: 50000"))
        #expect(errors == ["template.yaml:12:26: Resources.Tasks.VisibilityTimeout: 50000 is outside 0 - 43200 (AWS's range for VisibilityTimeout)"])
    }

    @Test func aNonNumberIsAnErrorAtTheValue() {
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: soon"))
        #expect(errors == ["template.yaml:12:26: Resources.Tasks.VisibilityTimeout: 'soon' is not a whole number (expected a count from 0 to 43200)"])
    }

    @Test func theScenarioReadersErrorsArePlacedAtTheTemplateValue() {
        // Function timeout 5 s above the queue's visibility timeout of 2 s: the scenario
        // reader refuses it, and the error points at the template's VisibilityTimeout.
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: 2"))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("template.yaml:") == true)
        #expect(errors.first?.contains("(in the imported scenario, from this template value)") == true)
    }

    @Test func aStandardQueueWithAFifoDeadLetterQueueIsRefusedAtTheRedrive() {
        let extra = """
          Dead:
            Type: AWS::SQS::Queue
            Properties: {FifoQueue: true}
        """
        let errors = importErrors(Self.template(queue: "      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 5}", extra: extra))
        #expect(errors.first?.hasPrefix("template.yaml:12:44:") == true, "\(errors)")
        #expect(errors.first?.contains("AWS requires the same type") == true)
    }

    @Test func fifoThroughputAndDeduplicationPropertiesBecomeQueueKeys() throws {
        let high = try #require(imported(Self.template(queue: """
              FifoQueue: true
              DeduplicationScope: messageGroup
              FifoThroughputLimit: perMessageGroupId
              ContentBasedDeduplication: true
        """)))
        #expect(line(high.scenario, after: "Tasks", key: "high_throughput")?.hasPrefix("high_throughput: true") == true)
        #expect(line(high.scenario, after: "Tasks", key: "content_based_deduplication")?.hasPrefix("content_based_deduplication: true") == true)
        // One of the two keeps the normal quota, and says so.
        let half = try #require(imported(Self.template(queue: """
              FifoQueue: true
              FifoThroughputLimit: perMessageGroupId
        """)))
        #expect(line(half.scenario, after: "Tasks", key: "high_throughput")?.hasPrefix("high_throughput: false") == true)
        #expect(half.warnings.contains { $0.message.contains("high throughput needs DeduplicationScope: messageGroup and FifoThroughputLimit: perMessageGroupId together") })
        // A standard queue has neither: not imported, and said so.
        let standard = try #require(imported(Self.template(queue: "      ContentBasedDeduplication: true")))
        #expect(line(standard.scenario, after: "Tasks", key: "content_based_deduplication") == nil)
        #expect(standard.warnings.contains { $0.message.contains("apply to FIFO queues: not imported for a standard queue") })
    }

    @Test func aTemplateWithoutResourcesIsAnError() {
        #expect(importErrors("Description: nothing\n") == ["template.yaml:1:1: the template has no Resources (expected a mapping of resources)"])
    }

    @Test func aMalformedIntrinsicIsAnError() {
        let errors = importErrors(Self.template(queue: "      VisibilityTimeout: !Select [1]"))
        #expect(errors == ["template.yaml:12:26: malformed Fn::Select (expected the form CloudFormation documents for it)"])
    }

    @Test func aDisabledMappingIsNotATrigger() throws {
        let yaml = Self.template(queue: "      DelaySeconds: 1").replacingOccurrences(of: "      FunctionName: !Ref Worker", with: "      FunctionName: !Ref Worker\n      Enabled: false")
        let output = try #require(imported(yaml))
        #expect(line(output.scenario, after: "Worker", key: "trigger") == nil)
        #expect(output.warnings.contains { $0.message.contains("the mapping is disabled (Enabled: false)") })
    }

    @Test func provisionedPollersBecomeTheTriggersProvisionedMode() throws {
        func yaml(_ config: String) -> String {
            Self.template(queue: "      DelaySeconds: 1").replacingOccurrences(
                of: "      FunctionName: !Ref Worker", with: "      FunctionName: !Ref Worker\n      ProvisionedPollerConfig: \(config)")
        }
        let output = try #require(imported(yaml("{MinimumPollers: 4, MaximumPollers: 40}")))
        #expect(output.scenario.contains("""
                  provisioned_pollers:
                    minimum: 4  # template.yaml:22 ProvisionedPollerConfig.MinimumPollers
                    maximum: 40  # template.yaml:22 ProvisionedPollerConfig.MaximumPollers

            """))
        let scenario = try ScenarioLoader.load(yaml: output.scenario, source: "s.yml")
        #expect(scenario.pipeline.functions[0].trigger?.provisionedPollers != nil)
        // AWS's defaults (2 and 200) where the config leaves them out.
        let defaults = try #require(imported(yaml("{}")))
        #expect(defaults.scenario.contains("minimum: 2  # AWS default: no ProvisionedPollerConfig.MinimumPollers"))
        #expect(defaults.scenario.contains("maximum: 200  # AWS default: no ProvisionedPollerConfig.MaximumPollers"))
        // AWS refuses provisioned mode with a maximum concurrency; so does the scenario reader.
        let both = yaml("{MinimumPollers: 4}").replacingOccurrences(of: "      FunctionName: !Ref Worker\n", with: "      FunctionName: !Ref Worker\n      ScalingConfig: {MaximumConcurrency: 5}\n")
        #expect(importErrors(both).first?.contains("provisioned_pollers cannot be combined with maximum_concurrency") == true)
    }

    @Test func scheduleExpressions() {
        func rate(_ text: String) -> Double? { try? ScheduleRate.perSecond(text).get().rate }
        #expect(rate("rate(1 minute)") == 1.0 / 60)
        #expect(rate("rate(2 hours)") == 1.0 / 7_200)
        #expect(rate("cron(0/15 * * * ? *)") == 96.0 / 86_400)
        #expect(rate("cron(0 8-17 * * ? *)") == 10.0 / 86_400)
        // Weekdays only: 20 firings in four weeks.
        #expect(rate("cron(0 12 ? * MON-FRI *)") == 20.0 / (28 * 86_400))
        // EventBridge's rules, through the scenario format's parser.
        #expect(rate("rate(5 minute)") == nil)
        #expect(rate("rate(5 fortnights)") == nil)
        #expect(rate("cron(0 12 * * * *)") == nil)
        #expect(ScenarioValues.rate(perSecond: 1.0 / 300) == "12/h")
        #expect(ScenarioValues.rate(perSecond: 1.0 / 86_400) == "1/d")
    }
}
