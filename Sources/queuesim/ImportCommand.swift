import ArgumentParser
import Foundation
import Import
import Reports
import Scenario

/// `queuesim import TEMPLATE`: a scenario from the user's stack (a CloudFormation, SAM or CDK
/// template), its Lambda logs and its queues' CloudWatch metrics.
///
/// The scenario goes to standard output, or to `-o FILE` (data files of empirical samples
/// beside it); warnings (what is not imported, the placeholders to fill) and what the fits
/// found go to standard error. A malformed template is a located error, exit status 2, and
/// nothing is written.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a scenario from a CloudFormation, SAM or CDK template, Lambda logs and CloudWatch metrics.",
        discussion: """
            Reads the template's SQS queues, Lambda functions, event source mappings and schedules \
            (YAML with short-form tags, or CDK's JSON), resolving parameters, conditions and intrinsic \
            functions. Every value carries a comment saying where it came from. Workload keys a template \
            cannot hold are placeholders, unless --logs (REPORT lines: handler time and cold starts \
            fitted by maximum likelihood, error rate) and --metrics (NumberOfMessagesSent: an arrival \
            schedule) measure them. The result is checked as `queuesim validate` checks a file. \
            See docs/IMPORT.md.
            """
    )

    @Argument(help: "The template: YAML or JSON (SAM's template.yaml, cdk.out/*.template.json).")
    var template: String

    @Option(name: .customLong("parameter"), help: ArgumentHelp("A template parameter's value (repeatable).", valueName: "Name=Value"))
    var parameters: [String] = []

    @Option(name: .customLong("logs"), help: ArgumentHelp("A function's CloudWatch log events, plain or as aws logs JSON (repeatable).", valueName: "[FUNCTION=]FILE"))
    var logs: [String] = []

    @Option(name: .customLong("metrics"), help: ArgumentHelp("A queue's NumberOfMessagesSent, as aws cloudwatch get-metric-data or get-metric-statistics JSON (repeatable).", valueName: "[QUEUE=]FILE"))
    var metrics: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: "The scenario file to write (default: standard output).")
    var output: String?

    func run() throws {
        var problems: [String] = []
        var values: [String: String] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                problems.append("error: --parameter '\(parameter)': expected Name=Value")
                continue
            }
            values[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        let templateText = read(template, what: "template", problems: &problems)
        let logFiles = logs.map { inputFile($0, problems: &problems) }
        let metricFiles = metrics.map { inputFile($0, problems: &problems) }
        guard problems.isEmpty, let templateText else {
            problems.forEach(Console.error)
            throw ExitCode(2)
        }
        let result: StackImport.Output
        do throws(ImportErrors) {
            result = try StackImport.run(StackImport.Input(
                templatePath: template, templateText: templateText, parameters: values,
                logs: logFiles.compactMap { $0 }, metrics: metricFiles.compactMap { $0 }, outputPath: output))
        } catch {
            error.diagnostics.forEach { Console.error($0.description) }
            throw ExitCode(2)
        }
        result.warnings.forEach { Console.error($0.description) }
        result.fits.forEach { Console.error("fit: " + $0) }
        try ScenarioInput.writing { () throws(ReportError) in
            for file in result.dataFiles { try AtomicFile.write(file.text, to: file.path) }
            if let output { try AtomicFile.write(result.scenario, to: output) }
        }
        if output == nil { Console.out(result.scenario) }
    }

    /// `FILE` or `NAME=FILE` (a path that exists is a file even with `=` in it).
    private func inputFile(_ argument: String, problems: inout [String]) -> StackImport.InputFile? {
        var target: String?
        var path = argument
        if !FileManager.default.fileExists(atPath: argument), let equals = argument.firstIndex(of: "=") {
            target = String(argument[..<equals])
            path = String(argument[argument.index(after: equals)...])
        }
        guard let text = read(path, what: "file", problems: &problems) else { return nil }
        return StackImport.InputFile(target: target, path: path, text: text)
    }

    private func read(_ path: String, what: String, problems: inout [String]) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append("\(path):1:1: cannot read the \(what) (expected a readable file)")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append("\(path):1:1: the \(what) is not UTF-8 text")
            return nil
        }
        return text
    }
}
