import ArgumentParser

/// `queuesim validate FILE...`: checks scenario files without running them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check scenario files without running them.")

    @Argument(help: "Scenario files to check.")
    var files: [String]

    func run() throws {
        // Written by the Scenario work (issue 3).
        throw ExitCode(2)
    }
}
