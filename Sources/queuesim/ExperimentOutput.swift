import Experiments
import Reports
import Scenario

/// What `simulate` and `sweep` share: run an experiment, write its summary, aggregate,
/// time-series and latency CSV (and with `--report` the HTML report), and print the result
/// in the chosen format.
enum ExperimentOutput {
    /// Runs `experiment` for `scenario` and writes and prints what it produced.
    ///
    /// The output folder is made before the run, so that a bad `--output` fails at once and
    /// nothing is simulated for nothing.
    static func run(
        _ scenario: Scenario, options: RunOptions, command: String, counting unit: ProgressBar.Unit,
        experiment: (ExperimentOptions) throws(ExperimentError) -> ExperimentResult,
        render: (ExperimentResult) -> String
    ) throws {
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try ScenarioInput.writing { () throws(ReportError) in try OutputFolder(creating: folder) }
        let progress = options.progressBar(counting: unit)
        defer { progress?.finish() }
        let result = try ScenarioInput.running { () throws(ExperimentError) in
            try experiment(options.experimentOptions(progress: progress))
        }
        progress?.finish()

        let summary = SummaryCSV.table(result)
        var files = try ScenarioInput.writing { () throws(ReportError) in
            [
                try output.write(summary, as: "summary.csv"),
                try output.write(AggregateCSV.table(result), as: "aggregate.csv"),
                try output.write(TimeSeriesCSV.table(result), as: "timeseries.csv"),
                try output.write(LatencyCSV.table(result), as: "latency.csv"),
            ]
        }
        if options.report { files.append(try ReportOutput.write(from: folder)) }

        guard !options.quiet else { return }
        switch options.format {
        case .table:
            Console.out(render(result))
            Console.out("\nwrote \(files.joined(separator: ", "))\n")
        case .csv:
            Console.out(summary.text)
        case .json:
            Console.out(JSONDocuments.encode(JSONDocuments.experiment(result, command: command, files: files)))
        }
    }
}
