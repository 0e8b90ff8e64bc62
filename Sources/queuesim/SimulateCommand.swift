import ArgumentParser
import Experiments
import Reports

/// `queuesim simulate FILE`: every replication of one scenario; a summary table, and
/// summary.csv, aggregate.csv and timeseries.csv.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run every replication of a scenario and write summary, aggregate and time-series CSV.",
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
        // The folder is made before the run, so that a bad --output fails at once.
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try ScenarioInput.writing { () throws(ReportError) in try OutputFolder(creating: folder) }
        let progress = options.progressBar(counting: .runs)
        defer { progress?.finish() }
        let result = try ScenarioInput.running { () throws(ExperimentError) in
            try Experiment.simulate(scenario, options: options.experimentOptions(progress: progress))
        }
        progress?.finish()

        let summary = SummaryCSV.table(result)
        let files = try ScenarioInput.writing { () throws(ReportError) in
            [
                try output.write(summary, as: "summary.csv"),
                try output.write(AggregateCSV.table(result), as: "aggregate.csv"),
                try output.write(TimeSeriesCSV.table(result), as: "timeseries.csv"),
            ]
        }

        guard !options.quiet else { return }
        switch options.format {
        case .table:
            Console.out(SummaryConsole.render(result))
            Console.out("\nwrote \(files.joined(separator: ", "))\n")
        case .csv:
            Console.out(summary.text)
        case .json:
            Console.out(JSONDocuments.encode(JSONDocuments.experiment(result, command: "simulate", files: files)))
        }
    }
}
