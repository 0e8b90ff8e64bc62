import ArgumentParser

/// The `queuesim` command: simulate, validate, sweep, compare and plan SQS -> Lambda pipelines.
@main
struct QueuesimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queuesim",
        abstract: "Simulate queue-driven serverless pipelines (SQS -> Lambda) in virtual time.",
        subcommands: [ValidateCommand.self]
    )
}
