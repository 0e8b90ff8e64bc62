import ArgumentParser
import Reports

/// `queuesim columns`: the column dictionary of every CSV file, as Markdown (hidden: it
/// feeds docs/OUTPUTS.md and notebooks-data/README.md, which a test keeps in step).
struct ColumnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "Print the column dictionary of the CSV files as Markdown.",
        shouldDisplay: false
    )

    @Flag(name: .long, help: "Print the whole notebooks-data/README.md instead.")
    var notebooksReadme = false

    func run() throws {
        Console.out(notebooksReadme ? NotebooksReadme.text : ColumnDictionary.markdown())
    }
}
