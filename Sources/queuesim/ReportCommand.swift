import ArgumentParser
import Reports

/// `queuesim report DIR`: the HTML report of the CSV files that simulate, sweep, compare or
/// plan wrote in DIR.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report with charts of the CSV files in a folder.",
        discussion: """
            Reads summary.csv, aggregate.csv, latency.csv, timeseries.csv, compare.csv and plan.csv (those present) \
            and writes one self-contained page, reports/<scenario>.html: inline SVG and CSS, no script, nothing \
            fetched; hover over a mark for its numbers. Prints the page's path. \
            Exit status: 0 written, 1 cannot write, 2 a missing, empty or malformed folder (nothing is written).
            """
    )

    @Argument(help: "A folder written by simulate, sweep, compare or plan (notebooks-data/<name>/).")
    var folder: String

    @Option(name: .long, help: ArgumentHelp("Folder for the report (default: reports/).", valueName: "dir"))
    var output: String?

    func run() throws {
        let path = try ReportOutput.write(from: folder, into: output ?? ReportOutput.defaultFolder)
        Console.out(path + "\n")
    }
}
