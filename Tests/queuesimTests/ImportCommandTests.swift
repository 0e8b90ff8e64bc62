import Foundation
import Testing

/// `queuesim import` end to end: what it writes, where, and what a bad template does.
@Suite struct ImportCommandTests {
    static let template = """
        Parameters:
          Visibility: {Type: Number, Default: 60}
        Resources:
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: !Ref Visibility
          Runner:
            Type: AWS::Lambda::Function
            Properties:
              Timeout: 10
              Runtime: python3.12
          RunnerMapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              EventSourceArn: !GetAtt Jobs.Arn
              FunctionName: !Ref Runner
        """

    @Test func writesAScenarioThatValidatesAndListsWhatItDidNotImport() throws {
        let folder = try CLI.workspace(["template.yaml": Self.template])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["import", "template.yaml", "--parameter", "Visibility=90", "-o", "imported.yml"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("template.yaml:12:7: warning: Resources.Runner: not imported (no scenario key): Runtime"))
        #expect(outcome.standardError.contains("placeholders to fill"))
        let text = String(decoding: try CLI.bytes(folder, "imported.yml"), as: UTF8.self)
        #expect(text.contains("visibility_timeout: 90s  # template.yaml:7 VisibilityTimeout (--parameter Visibility)"))
        let validate = try CLI.run(["validate", "imported.yml"], in: folder)
        #expect(validate.status == 0)
        #expect(validate.standardOutput == "imported.yml: ok (1 group, 1 queue, 1 function)\n")
    }

    @Test func withoutAnOutputFileTheScenarioGoesToStandardOutput() throws {
        let folder = try CLI.workspace(["template.yaml": Self.template])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["import", "template.yaml"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("\nqueues:\n  Jobs:\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["template.yaml"])
    }

    @Test func aMalformedTemplateExitsWithTwoALocatedErrorAndWritesNothing() throws {
        let folder = try CLI.workspace(["template.yaml": Self.template.replacingOccurrences(of: "!Ref Visibility", with: "!Reference Visibility")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["import", "template.yaml", "-o", "imported.yml"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix("template.yaml:7:26: unknown tag !Reference (expected a CloudFormation short form:"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("imported.yml").path))
    }

    @Test func aMissingLogFileOrABadParameterExitsWithTwo() throws {
        let folder = try CLI.workspace(["template.yaml": Self.template])
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try CLI.run(["import", "template.yaml", "--logs", "Runner=nope.log", "-o", "imported.yml"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.standardError == "nope.log:1:1: cannot read the file (expected a readable file)\n")
        let parameter = try CLI.run(["import", "template.yaml", "--parameter", "Visibility"], in: folder)
        #expect(parameter.status == 2)
        #expect(parameter.standardError.contains("--parameter 'Visibility': expected Name=Value"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["template.yaml"])
    }
}
