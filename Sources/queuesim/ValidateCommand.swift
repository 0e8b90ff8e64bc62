import ArgumentParser
import Foundation
import Scenario

/// `queuesim validate FILE...`: checks scenario files without running them.
///
/// Every error and warning goes to standard error as `FILE:LINE:COLUMN: ...`, the format
/// editors and CI logs link to the source; a summary line per good file goes to standard
/// output. Exit status 2 if any file has an error, else 0 (warnings alone do not fail).
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them.",
        discussion: """
            Reads each file, checks every key, unit, range and reference, expands the sweep and \
            loads every point. Prints all errors and warnings as FILE:LINE:COLUMN: key.path: message \
            on standard error and 'FILE: ok (...)' for each good file on standard output.
            """
    )

    @Argument(help: "Scenario files to check.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let scenario = try ScenarioLoader.load(path: file)
                printError(scenario.warnings.map(\.description))
                print("\(file): ok (\(Self.summary(of: scenario)))")
            } catch {
                failed = true
                printError(error.diagnostics.map(\.description))
            }
        }
        if failed { throw ExitCode(2) }
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
