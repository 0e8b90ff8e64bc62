import ArgumentParser
import Experiments
import Foundation
import Reports

/// `queuesim merge DIR...`: the shard files of a sweep made with `sweep --shard K/N`, put
/// together into the summary, aggregate, time-series and latency CSV of the whole sweep.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard files of a sharded sweep into its summary, aggregate, time-series and latency CSV.",
        discussion: """
            Each argument is a shard file (shard-K-of-N.jsonl) or a folder whose shard files are all taken. The files written are byte for byte those of the same sweep run unsharded. Shards of different scenario files, seeds or replication counts, a missing shard (`missing shard 3/7`) or a shard given twice are named, and nothing is written.

            Exit status: 0 done, 2 bad input (missing, duplicated or mismatched shards), 1 an output that cannot be written.
            """
    )

    @Argument(help: ArgumentHelp("Shard files, or folders holding them.", valueName: "dir"))
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Folder for the CSV files (default: the first folder given, or the first shard file's folder).", valueName: "dir"))
    var output: String?

    @Option(name: .long, help: "What to print: table, csv or json.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Print nothing but errors; the files are still written.")
    var quiet = false

    @Flag(name: .long, help: "Also write the HTML report of the merged CSV files, reports/<name>.html.")
    var report = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("merge expects at least one shard file or folder") }
    }

    func run() throws {
        // The shards are checked a line at a time, then each run is read back when its turn
        // comes: a merge holds one run, not all of them.
        let merged: ShardMerge.Index
        do throws(ShardMerge.Failure) {
            merged = try ShardMerge.index(inputs)
        } catch {
            for problem in error.problems { Console.error("error: \(problem)") }
            throw ExitCode(2)
        }
        let folder = output ?? defaultOutput
        let destination = try ScenarioInput.writableFolder(folder)
        if !quiet, format == .table {
            Console.out("merged \(merged.files.count) shard file\(merged.files.count == 1 ? "" : "s"), \(merged.runCount) runs\n\n")
        }
        try SweepCommand.publish(merged.plan, runs: { (run: SweepRun) throws(PartialError) in try merged.run(run) },
                                 to: destination, format: format, quiet: quiet, report: report)
    }

    /// The first input if it is a folder, else the first file's folder.
    private var defaultOutput: String {
        let first = inputs[0]
        if ShardFile.isShardFile((first as NSString).lastPathComponent) {
            let folder = (first as NSString).deletingLastPathComponent
            return folder.isEmpty ? "." : folder
        }
        return first
    }
}
