import Experiments
import Reports
import Scenario

/// What `simulate`, `sweep` and `merge` share: write an experiment's summary, aggregate,
/// time-series and latency CSV (and with `--report` the HTML report), and print the result
/// in the chosen format.
enum ExperimentOutput {
    /// Runs `experiment` for `scenario` and writes and prints what it produced.
    ///
    /// The estimate is checked and the output folder made and checked before the run
    /// (``RunOptions/prepare(folder:pipelines:savesRuns:)``), so that a bad `--output` or a
    /// run too large fails at once and nothing is simulated for nothing.
    static func run(
        _ scenario: Scenario, options: RunOptions, command: String, counting unit: ProgressBar.Unit,
        experiment: (ExperimentOptions) throws(ExperimentError) -> ExperimentResult,
        render: (ExperimentResult) -> String
    ) throws {
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try options.prepare(folder: folder, pipelines: [scenario.pipeline])
        let progress = options.progressBar(counting: unit)
        defer { progress?.finish() }
        let result = try ScenarioInput.running { () throws(ExperimentError) in
            try experiment(options.experimentOptions(progress: progress))
        }
        progress?.finish()
        try publish(result, to: output, format: options.format, quiet: options.quiet, report: options.report,
                    command: command, render: render)
    }

    /// The files every experiment writes, by name, each made from the whole result: a new
    /// per-run file (another CSV of every (point, replication)) is one more entry here, and
    /// `simulate`, `sweep` and `merge` all write it.
    static let tables: [(name: String, table: @Sendable (ExperimentResult) -> CSVTable)] = [
        ("summary.csv", SummaryCSV.table),
        ("aggregate.csv", AggregateCSV.table),
        ("timeseries.csv", TimeSeriesCSV.table),
        ("latency.csv", LatencyCSV.table),
    ]

    /// Writes the result's files into `output` (and with `report` the HTML report of them) and
    /// prints the result in `format`.
    static func publish(
        _ result: ExperimentResult, to output: OutputFolder, format: OutputFormat, quiet: Bool, report: Bool,
        command: String, render: (ExperimentResult) -> String
    ) throws {
        let summary = SummaryCSV.table(result)
        var files = try ScenarioInput.writing { () throws(ReportError) in
            var set = tables.map { ($0.name, $0.name == "summary.csv" ? summary : $0.table(result)) }
            // Per tenant, from simulate alone: shard files and saved runs do not keep tenants,
            // so a merged sweep could not write the same file.
            if command == "simulate", let tenants = TenantsCSV.table(result) { set.append(("tenants.csv", tenants)) }
            return try output.write(set: set, command: command)
        }
        if report { files.append(try ReportOutput.write(from: output.path)) }

        guard !quiet else { return }
        switch format {
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
