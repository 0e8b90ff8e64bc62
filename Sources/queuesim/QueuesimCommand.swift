import ArgumentParser
import Foundation
import Scenario

/// The `queuesim` command: simulate, validate, sweep, compare and plan SQS -> Lambda pipelines.
@main
struct QueuesimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queuesim",
        abstract: "Simulate queue-driven serverless pipelines (SQS -> Lambda) in virtual time.",
        discussion: """
            Shell completions: `queuesim --generate-completion-script bash` (or zsh, fish) prints a \
            script to install; `make install` installs all three.
            """,
        version: "queuesim \(QueuesimVersion.number)",
        subcommands: [SimulateCommand.self, SweepCommand.self, MergeCommand.self, CompareCommand.self, PlanCommand.self,
                      ValidateCommand.self, ImportCommand.self, ReportCommand.self, ColumnsCommand.self]
    )

    /// Runs the command; a usage mistake (unknown flag, bad value) exits with status 2, the
    /// status of every bad input, rather than ArgumentParser's 64.
    static func main() {
        if let word = CommandLine.arguments.dropFirst().first, let message = unknownSubcommand(word) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Self.exit(withError: ExitCode(2))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Self.exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }

    /// The message for a first word that is no subcommand (`simulat`), with the closest one,
    /// or nil for a subcommand, an option or a file name ArgumentParser can report itself.
    static func unknownSubcommand(_ word: String) -> String? {
        guard !word.hasPrefix("-"), !word.contains("/"), !word.contains(".") else { return nil }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(word) else { return nil }
        let hint = Suggestions.closest(to: word, in: names).map { " (did you mean '\($0)'?)" } ?? ""
        return "error: unknown command '\(TerminalText.escaped(word))'\(hint); the commands are \(names.joined(separator: ", ")); see queuesim --help"
    }
}
