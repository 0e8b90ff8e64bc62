import Foundation
import Scenario

/// `queuesim import`: a template, and optionally logs and metrics, to a scenario.
///
/// The template is read into a ``Stack``; logs are fitted and metrics turned into arrival
/// schedules (a ``Workload``); the ``ScenarioBuilder`` writes the scenario document; the
/// ordinary scenario reader (``ScenarioLoader``) then validates that text, so an import never
/// writes a scenario `queuesim validate` would refuse. Nothing here writes files: the command
/// does, once everything succeeded.
public enum StackImport {
    /// A log or metrics file, with the function or queue it belongs to when the user said so
    /// (`--logs FN=FILE`).
    public struct InputFile: Sendable {
        public var target: String?
        public var path: String
        public var text: String
        public init(target: String?, path: String, text: String) {
            self.target = target
            self.path = path
            self.text = text
        }
    }

    public struct Input: Sendable {
        public var templatePath: String
        public var templateText: String
        public var parameters: [String: String]
        public var logs: [InputFile]
        public var metrics: [InputFile]
        /// Where the scenario will be written (nil: standard output); data files go beside it.
        public var outputPath: String?
        public init(templatePath: String, templateText: String, parameters: [String: String] = [:], logs: [InputFile] = [],
                    metrics: [InputFile] = [], outputPath: String? = nil) {
            self.templatePath = templatePath
            self.templateText = templateText
            self.parameters = parameters
            self.logs = logs
            self.metrics = metrics
            self.outputPath = outputPath
        }
    }

    public struct Output: Sendable {
        /// The scenario's YAML text.
        public var scenario: String
        /// Data files the scenario names (empirical samples), by path.
        public var dataFiles: [(path: String, text: String)]
        /// Not imported, placeholders, and the scenario reader's own warnings.
        public var warnings: [Diagnostic]
        /// What the fits found, one line each (distances, AIC), for standard error.
        public var fits: [String]
    }

    public static func run(_ input: Input) throws(ImportErrors) -> Output {
        let file = input.templatePath
        let root = try TemplateReader.read(input.templateText, file: file)
        let stackName = input.parameters["AWS::StackName"] ?? stem(of: file)
        let stack = try StackReader(root: root, file: file, parameters: input.parameters, stackName: stackName).read()
        let outputFolder = input.outputPath.map { ($0 as NSString).deletingLastPathComponent } ?? ""
        let outputStem = input.outputPath.map(stem(of:)) ?? stackName
        var fits: [String] = []
        let workload = try WorkloadReader(stack: stack, outputStem: outputStem).read(logs: input.logs, metrics: input.metrics, report: &fits)
        let (document, placeholders, notes) = try ScenarioBuilder(stack: stack, workload: workload, file: file, name: stackName).build()
        let (text, origins) = document.render(templateFile: (file as NSString).lastPathComponent)

        var warnings = stack.notImported + notes
        if !placeholders.isEmpty {
            warnings.append(Diagnostic(severity: .warning, file: input.outputPath ?? "<stdout>", location: .start, path: "",
                                       message: "\(placeholders.count) placeholder\(placeholders.count == 1 ? "" : "s") to fill (a template holds no workload; --logs and --metrics measure some): \(placeholders.joined(separator: ", "))"))
        }
        let scenarioWarnings = try validate(text, dataFiles: workload.dataFiles, origins: origins, input: input)
        warnings += scenarioWarnings
        let dataFiles = workload.dataFiles.sorted { $0.key < $1.key }.map {
            (path: outputFolder.isEmpty ? $0.key : (outputFolder as NSString).appendingPathComponent($0.key), text: $0.value)
        }
        return Output(scenario: text, dataFiles: dataFiles, warnings: warnings, fits: fits)
    }

    /// Loads the text with the scenario reader, the data files in a scratch folder; its errors
    /// are reported at the template line each value came from.
    private static func validate(_ text: String, dataFiles: [String: String], origins: [Int: TextPosition],
                                 input: Input) throws(ImportErrors) -> [Diagnostic] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for (name, content) in dataFiles {
                try content.write(toFile: (scratch as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        } catch {
            throw ImportErrors(file: input.templatePath, at: .start, "cannot write scratch files to check the scenario: \(error)")
        }
        let source = input.outputPath ?? "<stdout>"
        do throws(ScenarioErrors) {
            return try ScenarioLoader.load(yaml: text, source: source, baseDirectory: scratch).warnings.map { at(template: $0, origins, input) }
        } catch {
            throw ImportErrors(error.diagnostics.map { at(template: $0, origins, input) })
        }
    }

    /// A diagnostic of the imported scenario, placed at the template value its line came from.
    private static func at(template diagnostic: Diagnostic, _ origins: [Int: TextPosition], _ input: Input) -> Diagnostic {
        guard let position = origins[diagnostic.location.line] else { return diagnostic }
        var moved = diagnostic
        moved.file = input.templatePath
        moved.location = position
        moved.message += " (in the imported scenario, from this template value)"
        return moved
    }

    /// A file name without folder and extensions (`cdk.out/Stack.template.json` -> `Stack`).
    static func stem(of path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return String(name.split(separator: ".").first ?? Substring(name))
    }
}
