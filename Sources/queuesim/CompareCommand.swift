import ArgumentParser
import Experiments
import Reports
import ServerlessModel

/// `queuesim compare A.yml B.yml ...`: the same workload under different topologies, with
/// common random numbers, side by side with paired confidence intervals; compare.csv and
/// the summary.csv and latency.csv of every variant.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare scenario variants on the same workload with common random numbers.",
        discussion: """
            Replication r of every variant uses the same seed, so the variants see the same arrivals and work; \
            differences to the first variant are paired by replication, with a 95% Student t interval. \
            The seed and replication count are the first file's unless given. A variant's sweep: block is ignored. \
            Variants whose workloads differ (groups, arrivals, message sizes, message group keys, tenants) cannot be paired: \
            compare names the groups and exits 2, unless --unpaired, which uses Welch's unpaired intervals. \
            With --format csv the content of compare.csv is printed. Exit status: 0 done, 1 failed run, 2 bad input.
            """
    )

    @Argument(help: "Two or more scenario files; the first is the baseline.")
    var files: [String]

    @Flag(help: "Compare variants whose workloads differ (other groups, arrivals or message keys) by Welch's unpaired intervals instead of refusing.")
    var unpaired = false

    @OptionGroup var options: RunOptions

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("compare needs at least two scenario files (got \(files.count))") }
    }

    func run() throws {
        let scenarios = try ScenarioInput.load(files, quiet: options.quiet)
        if !options.quiet {
            for scenario in scenarios where scenario.sweep != nil {
                Console.error("\(scenario.source): note: the sweep: block is ignored by compare; the base scenario is compared")
            }
        }
        // The folder is made before the run, so that a bad --output fails at once.
        let names = Comparison.variantNames(scenarios.map(\.name), sources: scenarios.map(\.source))
        // Refused before anything is written: variants that cannot be paired are bad input.
        let differences = Comparison.workloadDifferences(zip(names, scenarios).map { ComparisonVariant(name: $0, pipeline: $1.pipeline) })
        if !differences.isEmpty, !unpaired {
            try ScenarioInput.running { () throws(ExperimentError) in throw ExperimentError.unpairedWorkloads(differences) }
        }
        let folder = options.output
            ?? ScenarioInput.defaultOutput(OutputFolder.comparisonName(of: names))
        let output = try options.prepare(folder: folder, pipelines: scenarios.map(\.pipeline), keepsRunMetrics: true)
        // summary.csv and latency.csv get each run's rows as it finishes, variant by variant;
        // the comparison keeps only the runs' metrics, which it pairs.
        let files = try ScenarioInput.writing { () throws(ReportError) in
            try ExperimentFiles(in: output, command: "compare",
                                files: [.atEnd("compare.csv"), .perRun("summary.csv", .summary), .perRun("latency.csv", .latency)],
                                parameterNames: [])
        }
        let pipelineNames = scenarios.map(\.pipeline.name)
        let handling = RunHandling(retention: .metrics) { (v: Int, run: RunResult) throws(ExperimentError) in
            try ExperimentOutput.written { () throws(ReportError) in
                try files.add(run, scenario: pipelineNames[v], variant: names[v], point: 0, parameters: [])
            }
        }
        let progress = options.progressBar(counting: .runs)
        defer { progress?.finish() }
        let comparison = try files.abandoningOnFailure {
            try ScenarioInput.running { () throws(ExperimentError) in
                try Experiment.compare(scenarios, options: options.experimentOptions(progress: progress), unpaired: unpaired,
                                       handling: handling)
            }
        }
        progress?.finish()

        let table = CompareCSV.table(comparison)
        var written = try ScenarioInput.writing { () throws(ReportError) in try files.commit(["compare.csv": CSVRows(table)]) }
        if options.report { written.append(try ReportOutput.write(from: folder)) }

        guard !options.quiet else { return }
        switch options.format {
        case .table:
            Console.out(CompareConsole.render(comparison))
            Console.out("\nwrote \(written.joined(separator: ", "))\n")
        case .csv:
            Console.out(table.text)
        case .json:
            Console.out(JSONDocuments.encode(JSONDocuments.comparison(comparison, files: written)))
        }
    }
}
