import Experiments
import Reports
import Scenario
import ServerlessModel

/// What `simulate`, `sweep` and `merge` share: write an experiment's summary, aggregate,
/// time-series and latency CSV (and with `--report` the HTML report), and print the result
/// in the chosen format.
enum ExperimentOutput {
    /// Runs `experiment` for `scenario` and writes and prints what it produced.
    ///
    /// The estimate is checked and the output folder made and checked before the run
    /// (``RunOptions/prepare(folder:pipelines:savesRuns:keepsRunMetrics:)``), so that a bad
    /// `--output` or a run too large fails at once and nothing is simulated for nothing. Each
    /// run's rows are written as it finishes (``ExperimentFiles``) and the run let go, so
    /// memory does not grow with the runs.
    static func run(
        _ scenario: Scenario, options: RunOptions, command: String, counting unit: ProgressBar.Unit,
        experiment: (ExperimentOptions, RunHandling) throws(ExperimentError) -> ExperimentResult,
        render: (ExperimentResult) -> String
    ) throws {
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try options.prepare(folder: folder, pipelines: [scenario.pipeline])
        let files = try ScenarioInput.writing { () throws(ReportError) in
            try ExperimentFiles(in: output, command: command, files: ExperimentFiles.experimentSet(tenants: command == "simulate"),
                                parameterNames: [])
        }
        let progress = options.progressBar(counting: unit)
        defer { progress?.finish() }
        let name = scenario.pipeline.name
        let handling = RunHandling(retention: retention(options.format)) { (_: Int, run: RunResult) throws(ExperimentError) in
            try written { () throws(ReportError) in try files.add(run, scenario: name, point: 0, parameters: []) }
        }
        let result = try files.abandoningOnFailure {
            try ScenarioInput.running { () throws(ExperimentError) in
                try experiment(options.experimentOptions(progress: progress), handling)
            }
        }
        progress?.finish()
        try publish(result, files: files, to: output, format: options.format, quiet: options.quiet, report: options.report,
                    command: command, render: render)
    }

    /// What an experiment keeps of each run once its rows are written: nothing, or with
    /// `--format json` its metrics, which the document lists run by run.
    static func retention(_ format: OutputFormat) -> RunRetention {
        format == .json ? .metrics : .none
    }

    /// Runs `body`, a write of a run's rows, as part of an experiment: a failure stops it.
    static func written(_ body: () throws(ReportError) -> Void) throws(ExperimentError) {
        do throws(ReportError) {
            try body()
        } catch {
            throw .saveFailed("cannot write the output files: \(error)")
        }
    }

    /// Commits the result's files (the per-run rows already in `files`; aggregate.csv made
    /// now) into `output`, with `report` the HTML report of them, and prints the result in
    /// `format`.
    static func publish(
        _ result: ExperimentResult, files set: ExperimentFiles, to output: OutputFolder, format: OutputFormat, quiet: Bool,
        report: Bool, command: String, render: (ExperimentResult) -> String
    ) throws {
        var files = try ScenarioInput.writing { () throws(ReportError) in
            try set.commit(["aggregate.csv": AggregateCSV.rows(result)])
        }
        if report { files.append(try ReportOutput.write(from: output.path)) }

        guard !quiet else { return }
        switch format {
        case .table:
            Console.out(render(result))
            Console.out("\nwrote \(files.joined(separator: ", "))\n")
        case .csv:
            try ScenarioInput.writing { () throws(ReportError) in try Console.copy(output.file("summary.csv")) }
        case .json:
            Console.out(JSONDocuments.encode(JSONDocuments.experiment(result, command: command, files: files)))
        }
    }
}
