import ArgumentParser
import Experiments
import Reports

/// `queuesim simulate FILE`: every replication of one scenario; a summary table, and
/// summary.csv, aggregate.csv, timeseries.csv and latency.csv (with `--report`, the HTML report).
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run every replication of a scenario and write summary, aggregate, time-series and latency CSV.",
        discussion: "With --format csv the content of summary.csv is printed. Exit status: 0 done, 1 failed run, 2 bad input."
    )

    @Argument(help: "The scenario file.")
    var file: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let scenario = try ScenarioInput.load([file], quiet: options.quiet)[0]
        if scenario.sweep != nil && !options.quiet {
            Console.error("\(scenario.source): note: the sweep: block is ignored by simulate; `queuesim sweep` runs its points")
        }
        try ExperimentOutput.run(
            scenario, options: options, command: "simulate", counting: .runs,
            experiment: { (experimentOptions, handling) throws(ExperimentError) in
                try Experiment.simulate(scenario, options: experimentOptions, handling: handling)
            },
            render: SummaryConsole.render)
    }
}
