import ArgumentParser
import Foundation

/// The `queuesim` command: simulate, validate, sweep, compare and plan SQS -> Lambda pipelines.
@main
struct QueuesimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queuesim",
        abstract: "Simulate queue-driven serverless pipelines (SQS -> Lambda) in virtual time.",
        subcommands: [SimulateCommand.self, SweepCommand.self, MergeCommand.self, CompareCommand.self, PlanCommand.self,
                      ValidateCommand.self, ImportCommand.self, ReportCommand.self, ColumnsCommand.self]
    )

    /// Runs the command; a usage mistake (unknown flag, bad value) exits with status 2, the
    /// status of every bad input, rather than ArgumentParser's 64.
    static func main() {
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
}
