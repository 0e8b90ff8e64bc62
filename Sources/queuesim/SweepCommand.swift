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
        // The folder is made before the run, so that a bad --output fails at once.
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try ScenarioInput.writing { () throws(ReportError) in try OutputFolder(creating: folder) }
        let progress = options.progressBar(counting: .points)
        defer { progress?.finish() }
        let result = try ScenarioInput.running { () throws(ExperimentError) in
            try Experiment.sweep(scenario, options: options.experimentOptions(progress: progress))
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
            Console.out(SweepConsole.render(result))
            Console.out("\nwrote \(files.joined(separator: ", "))\n")
        case .csv:
            Console.out(summary.text)
        case .json:
            Console.out(JSONDocuments.encode(JSONDocuments.experiment(result, command: "sweep", files: files)))
        }
    }
}
