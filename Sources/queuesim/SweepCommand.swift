import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenario

/// `queuesim sweep FILE`: every point of the scenario's `sweep:` block times every
/// replication, in parallel; a table of points, and the CSV files with a column per swept
/// parameter. With `--shard K/N`, only the K-th of N slices of the runs, into a shard file
/// for `queuesim merge`; with `--resume`, only the runs an interrupted sweep did not finish.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of a scenario's sweep: block and write summary, aggregate, time-series and latency CSV.",
        discussion: """
            A progress bar is drawn on standard error when it is a terminal. With --format csv the content of summary.csv is printed.

            Every finished (point, replication) run is saved at once in the output folder's .partial/ folder, removed when the CSV files are written. A sweep that was stopped (killed, ^C, a lost machine) and is started again with --resume makes only the runs it lacks; without --resume it starts over.

            --shard K/N (K from 1 to N) makes only the K-th of N slices of the runs and writes them to shard-K-of-N.jsonl in the output folder; `queuesim merge` puts the N shard files together into the same CSV files as one unsharded sweep, byte for byte. Runs are dealt round-robin one at a time in (point, replication) order, or whole points when some point has warmup: auto and there are at least N points (each point's warm-up pilot then runs once).

            Exit status: 0 done, 1 failed run, 2 bad input.
            """
    )

    @Argument(help: "The scenario file, with a sweep: block.")
    var file: String

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: ArgumentHelp("Make only slice K of N (K from 1 to N) and write shard-K-of-N.jsonl for `queuesim merge`.", valueName: "K/N"))
    var shard: String?

    @Flag(name: .long, help: "Reuse the runs an interrupted sweep (or shard) saved in the output folder and make only the others.")
    var resume = false

    func validate() throws {
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard expects K/N with 1 ≤ K ≤ N, such as 3/8 (got '\(shard)')")
        }
        if shard != nil, options.format != .table {
            throw ValidationError("--format \(options.format.rawValue) does not apply to --shard: a shard writes shard-K-of-N.jsonl; `queuesim merge` prints the sweep's results")
        }
    }

    func run() throws {
        let scenario = try ScenarioInput.load([file], quiet: options.quiet)[0]
        guard scenario.sweep?.points.isEmpty == false else {
            Console.error("error: \(ExperimentError.noSweep(scenario: scenario.name))")
            throw ExitCode(2)
        }
        let slice = shard.flatMap(Shard.init)
        let plan = try ScenarioInput.running { () throws(ExperimentError) in
            try SweepPlan(scenario, options: options.experimentOptions(progress: nil))
        }
        let identity = SweepIdentity(plan: plan, scenarioText: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "",
                                     dataFiles: scenario.dataFilesFingerprint)
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        // The plan has --replications applied already; a shard is estimated as the whole
        // sweep, an upper bound.
        let output = try options.prepare(folder: folder, estimate: plan.estimate(jobs: options.jobs,
                                                                                 keepsRunMetrics: options.format == .json))
        let wanted = slice.map { plan.runs(in: $0) } ?? plan.runs

        let store = RunStore(in: output, shard: slice, identity: identity)
        if let slice, resume, let done = completeShard(slice, identity: identity, output: output, expected: wanted) {
            // Killed between writing the shard file and removing its saved runs: nothing to make.
            try ScenarioInput.writing { () throws(ReportError) in try store.remove() }
            note("resumed shard \(slice): reused \(done) runs, made 0 (\(output.file(ShardFile.name(slice))) was complete)")
            return
        }
        // Runs already saved are checked and counted, not held: each is read back at its turn.
        var reused: [SweepRun] = []
        var knownWarmups: [Int: WarmupChoice] = [:]
        if resume {
            if !store.exists { note("note: nothing to resume in \(store.path); making all \(wanted.count) runs") }
            try Self.reading { () throws(PartialError) in
                try store.scan(wanted: Set(wanted)) { run in
                    reused.append(run.run)
                    if let warmup = run.warmup, knownWarmups[run.run.point] == nil { knownWarmups[run.run.point] = warmup }
                }
            }
            try ScenarioInput.writing { () throws(ReportError) in try store.open() }
        } else {
            if store.exists {
                note("note: starting over: \(store.path) held \(store.savedCount) finished runs of an earlier sweep (use --resume to reuse them)")
            }
            try ScenarioInput.writing { () throws(ReportError) in try store.create() }
        }

        let done = Set(reused)
        let missing = wanted.filter { !done.contains($0) }
        // Unsharded, the files get each run's rows as it finishes; a shard file is written
        // from the saved runs once the shard is complete.
        let stream = try slice == nil ? ScenarioInput.writing { () throws(ReportError) in
            SweepStream(plan, saved: done, store: store,
                        files: try ExperimentFiles(in: output, command: "sweep", files: ExperimentFiles.experimentSet(tenants: false),
                                                   parameterNames: plan.parameterNames),
                        retention: ExperimentOutput.retention(options.format))
        } : nil
        let progress = options.progressBar(counting: slice == nil ? .points : .runs)
        defer { progress?.finish() }
        let result = try stream.abandoningOnFailure {
            try ScenarioInput.running { () throws(ExperimentError) in
                try plan.execute(missing, knownWarmups: knownWarmups, options: options.experimentOptions(progress: progress), keep: false) {
                    (run: CompletedRun) throws(ExperimentError) in
                    do throws(ReportError) {
                        try store.save(run)
                    } catch {
                        throw .saveFailed("cannot save a finished run: \(error)")
                    }
                    try stream?.made(run)
                }
                return try stream?.finish()
            }
        }
        progress?.finish()
        if resume { note("resumed\(slice.map { " shard \($0)" } ?? ""): reused \(reused.count) runs, made \(missing.count)") }

        if let stream, let result {
            try ExperimentOutput.publish(result, files: stream.files, to: output, format: options.format, quiet: options.quiet,
                                         report: options.report, command: "sweep", render: SweepConsole.render)
            try ScenarioInput.writing { () throws(ReportError) in try store.remove() }
            return
        }
        guard let slice else { return }
        let path = try ScenarioInput.writing { () throws(ReportError) in
            let path = try ShardFile.write(wanted, fetch: { (run: SweepRun) throws(PartialError) in try store.read(run) },
                                           shard: slice, identity: identity, in: output)
            try store.remove()
            return path
        }
        if !options.quiet {
            let points = Set(wanted.map(\.point)).count
            Console.out("\(scenario.name): shard \(slice) of a sweep of \(plan.points.count) points, \(plan.runs.count) runs: \(wanted.count) runs of \(points) points\n")
            Console.out("wrote \(path)\n")
        }
    }

    /// Makes a sweep's files from its runs, fetched one at a time in point-major order (a
    /// merge's shards), and prints its result: the runs' rows are written as they are read and
    /// the runs let go (``ExperimentFiles``).
    static func publish(_ plan: SweepPlan, runs fetch: (SweepRun) throws(PartialError) -> CompletedRun?, to output: OutputFolder,
                        format: OutputFormat, quiet: Bool, report: Bool) throws {
        let files = try ScenarioInput.writing { () throws(ReportError) in
            try ExperimentFiles(in: output, command: "sweep", files: ExperimentFiles.experimentSet(tenants: false),
                                parameterNames: plan.parameterNames)
        }
        let result: ExperimentResult
        do {
            result = try plan.result(retention: ExperimentOutput.retention(format), fetch: { (run: SweepRun) throws(any Error) in
                try fetch(run)
            }, each: { (p: Int, run: CompletedRun) throws(any Error) in
                try files.add(run.result, scenario: plan.scenario, point: run.run.point, parameters: plan.points[p].parameters)
            })
        } catch let error as PartialError {
            files.abandon()
            Console.error("error: \(error)")
            throw ExitCode(2)
        } catch {
            files.abandon()
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        try ExperimentOutput.publish(result, files: files, to: output, format: format, quiet: quiet, report: report,
                                     command: "sweep", render: SweepConsole.render)
    }

    /// How many runs a complete, matching shard file already in the folder holds; nil when
    /// there is none, or it is of another sweep or slicing (then the shard is made again).
    private func completeShard(_ slice: Shard, identity: SweepIdentity, output: OutputFolder, expected: [SweepRun]) -> Int? {
        let path = output.file(ShardFile.name(slice))
        guard FileManager.default.fileExists(atPath: path), let contents = try? ShardFile.list(path),
              contents.header.identity == identity, contents.runs == expected else { return nil }
        return contents.runs.count
    }

    /// A line on standard error, unless quiet.
    private func note(_ line: String) {
        if !options.quiet { Console.error(line) }
    }

    /// Reads partial outputs, mapping a failure to exit status 2.
    static func reading<Result>(_ body: () throws(PartialError) -> Result) throws(ExitCode) -> Result {
        do throws(PartialError) {
            return try body()
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}
