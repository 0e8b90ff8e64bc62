import ArgumentParser
import Foundation
import Reports
import Scenario

/// `queuesim validate FILE...`: checks scenario files without running them.
///
/// Every error and warning goes to standard error as `FILE:LINE:COLUMN: ...`, the format
/// editors and CI logs link to the source; a summary line per good file goes to standard
/// output. Exit status 2 if any file has an error, else 0 (warnings alone do not fail). With
/// `--format json` standard output is one JSON document of every file and diagnostic instead.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them.",
        discussion: """
            Reads each file, checks every key, unit, range and reference, expands the sweep and \
            loads every point. Prints all errors and warnings as FILE:LINE:COLUMN: key.path: message \
            on standard error and 'FILE: ok (...)' for each good file on standard output. \
            With --format json, one JSON document on standard output instead: per file, whether it \
            is valid, its summary and every diagnostic with severity, line, column, key path and message.
            """
    )

    /// How the results are printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "Scenario files to check.")
    var files: [String]

    @Option(name: .long, help: "What to print: table (lines for people and editors) or json.")
    var format: Format = .table

    func run() throws {
        var failed = false
        var reports: [FileReport] = []
        for file in files {
            do {
                let scenario = try ScenarioLoader.load(path: file)
                reports.append(FileReport(file: file, valid: true, summary: Self.summary(of: scenario),
                                          diagnostics: scenario.warnings.map(DiagnosticReport.init)))
                guard format == .table else { continue }
                printError(scenario.warnings.map(\.description))
                print("\(file): ok (\(Self.summary(of: scenario)))")
            } catch {
                failed = true
                reports.append(FileReport(file: file, valid: false, summary: nil, diagnostics: error.diagnostics.map(DiagnosticReport.init)))
                if format == .table { printError(error.diagnostics.map(\.description)) }
            }
        }
        if format == .json { print(JSONDocuments.encode(ValidationReport(files: reports)), terminator: "") }
        if failed { throw ExitCode(2) }
    }

    /// `validate --format json`: every file's outcome.
    struct ValidationReport: Encodable {
        var format = "queuesim-validate"
        var version = 1
        var files: [FileReport]
    }

    /// One file's outcome.
    struct FileReport: Encodable {
        var file: String
        var valid: Bool
        /// "3 groups, 2 queues, ..." for a valid file.
        var summary: String?
        var diagnostics: [DiagnosticReport]
    }

    /// One diagnostic, its parts as fields (the text as it came from the file: JSON escapes
    /// control characters itself).
    struct DiagnosticReport: Encodable {
        var severity: String
        var file: String
        var line: Int
        var column: Int
        var path: String
        var context: String?
        var message: String

        init(_ diagnostic: Diagnostic) {
            severity = diagnostic.severity.rawValue
            file = diagnostic.file
            line = diagnostic.location.line
            column = diagnostic.location.column
            path = diagnostic.path
            context = diagnostic.context
            message = diagnostic.message
        }
    }

    /// "3 groups, 2 queues, 1 function, 8 sweep points".
    static func summary(of scenario: Scenario) -> String {
        let pipeline = scenario.pipeline
        var parts = [count(pipeline.groups.count, "group"), count(pipeline.queues.count, "queue"),
                     count(pipeline.functions.count, "function")]
        if !pipeline.containers.isEmpty { parts.append(count(pipeline.containers.count, "container service")) }
        if let sweep = scenario.sweep { parts.append(count(sweep.points.count, "sweep point")) }
        return parts.joined(separator: ", ")
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func printError(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
