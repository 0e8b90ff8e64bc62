import ArgumentParser
import Reports

/// Writing the HTML report of an output folder, for `report` and every command's `--report`.
enum ReportOutput {
    /// The folder reports go into.
    static let defaultFolder = "reports"

    /// Reads the CSV files in `folder` and writes `reports/<name>.html`; returns its path.
    /// Unreadable or malformed files are bad input (exit status 2), a report that cannot be
    /// written a failure (1); either way nothing is written.
    static func write(from folder: String, into reports: String = defaultFolder) throws(ExitCode) -> String {
        do {
            return try ReportPage.write(from: folder, into: reports)
        } catch let error as ReportInputError {
            Console.error("error: \(error)")
            throw ExitCode(2)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
