import ArgumentParser
import Experiments
import Scenario
import ServerlessModel

/// How results are printed on standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Readable tables (the default).
    case table
    /// The main CSV file's content (summary.csv; compare.csv for compare).
    case csv
    /// A JSON document of every result.
    case json
}

/// The options every running command shares.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for the CSV files (default: notebooks-data/<name>/).", valueName: "dir"))
    var output: String?

    /// The seed as written: a string, so that `--seed -1` reaches ``validate()`` and is
    /// explained, instead of being taken for an unknown option.
    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: ArgumentHelp("Scenario seed, a whole number from 0 to 2^64-1, replacing run.seed.", valueName: "n"))
    var seedText: String?

    /// The seed, once ``validate()`` has accepted it.
    var seed: UInt64? { seedText.flatMap { UInt64($0) } }

    @Option(name: .long, help: ArgumentHelp("Replications, replacing run.replications.", valueName: "n"))
    var replications: Int?

    /// Optional, so that the help states the default once, in words.
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Runs at once (default: one per processor).", valueName: "n"))
    var jobsOption: Int?

    /// Runs at once.
    var jobs: Int { jobsOption ?? ExperimentOptions.defaultJobs }

    @Option(name: .long, help: "What to print: table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("Memory limit: a larger run is refused before it starts, and a run whose backlog passes it stops (default: 4GiB).",
                               valueName: "size"))
    var maxMemory: String?

    @Flag(name: .long, help: "Print nothing but errors; the files are still written.")
    var quiet = false

    @Flag(name: .long, help: "Also write the HTML report of the CSV files, reports/<name>.html.")
    var report = false

    func validate() throws {
        if let seedText, UInt64(seedText) == nil {
            throw ValidationError("--seed must be a whole number from 0 to 18446744073709551615 (got '\(seedText)'): the seed names the random streams of a run; every value gives an equally random run, and the same value the same run")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if let replications, let problem = Scenario.replicationsProblem(replications) {
            throw ValidationError(problem)
        }
        _ = try memoryLimit()
    }

    /// `--max-memory` in bytes, or its default.
    func memoryLimit() throws -> Int {
        guard let maxMemory else { return MemoryBudget.defaultBytes }
        let bytes: Int
        do throws(OptionValueError) {
            bytes = try Scenario.byteSize(maxMemory, option: "--max-memory")
        } catch {
            throw ValidationError(error.description)
        }
        guard bytes >= 1 << 20 else { throw ValidationError("--max-memory must be at least 1MiB (got \(maxMemory))") }
        return bytes
    }

    /// The experiment options, with a progress bar when standard error is a terminal.
    func experimentOptions(progress: ProgressBar?) -> ExperimentOptions {
        var callback: (@Sendable (ExperimentProgress) -> Void)?
        if let progress { callback = { progress.update($0) } }
        var options = ExperimentOptions(jobs: jobs, replications: replications, seed: seed, progress: callback)
        // Checked by validate() already.
        options.maxMemory = (try? memoryLimit()) ?? MemoryBudget.defaultBytes
        return options
    }

    /// A progress bar, unless quiet or standard error is not a terminal.
    func progressBar(counting unit: ProgressBar.Unit) -> ProgressBar? {
        quiet ? nil : ProgressBar(unit: unit)
    }
}
