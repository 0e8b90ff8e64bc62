import ArgumentParser
import Experiments
import Reports

/// `queuesim sweep FILE`: every point of the scenario's `sweep:` block times every
/// replication, in parallel; a table of points, and the CSV files with a column per swept
/// parameter.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of a scenario's sweep: block and write summary, aggregate and time-series CSV.",
        discussion: "A progress bar is drawn on standard error when it is a terminal. With --format csv the content of summary.csv is printed. Exit status: 0 done, 1 failed run, 2 bad input."
    )

    @Argument(help: "The scenario file, with a sweep: block.")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let scenario = try ScenarioInput.load([file], quiet: options.quiet)[0]
        guard scenario.sweep?.points.isEmpty == false else {
            Console.error("error: \(ExperimentError.noSweep(scenario: scenario.name))")
            throw ExitCode(2)
        }
        try ExperimentOutput.run(
            scenario, options: options, command: "sweep", counting: .points,
            experiment: { (experimentOptions) throws(ExperimentError) in try Experiment.sweep(scenario, options: experimentOptions) },
            render: SweepConsole.render)
    }
}
