import ArgumentParser
import Experiments
import Reports
import Scenario

/// Loading scenario files for a command, and the exit statuses of what can go wrong.
///
/// Exit statuses: 2 for bad input (a scenario that does not load, a bad option), 1 for a
/// failed run or an output that cannot be written. Every mistake in the files is printed,
/// located, before anything runs, and nothing is written.
enum ScenarioInput {
    /// Loads every file, printing all their errors (and, unless quiet, warnings) to standard
    /// error; exits with status 2 if any file has errors.
    static func load(_ paths: [String], quiet: Bool) throws(ExitCode) -> [Scenario] {
        var scenarios: [Scenario] = []
        var failed = false
        for path in paths {
            do throws(ScenarioErrors) {
                let scenario = try ScenarioLoader.load(path: path)
                if !quiet { for warning in scenario.warnings { Console.error(warning.description) } }
                scenarios.append(scenario)
            } catch {
                failed = true
                for diagnostic in error.diagnostics where !quiet || diagnostic.severity == .error {
                    Console.error(diagnostic.description)
                }
            }
        }
        if failed { throw ExitCode(2) }
        return scenarios
    }

    /// Runs an experiment, mapping its failure to an exit status: 2 for bad input, 1 for a
    /// failed run.
    static func running<Result>(_ body: () throws(ExperimentError) -> Result) throws(ExitCode) -> Result {
        do throws(ExperimentError) {
            return try body()
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(error.isBadInput ? 2 : 1)
        }
    }

    /// Writes outputs, mapping a failure to exit status 1.
    static func writing<Result>(_ body: () throws(ReportError) -> Result) throws(ExitCode) -> Result {
        do throws(ReportError) {
            return try body()
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// `notebooks-data/<name>/`, the name made safe for a folder.
    static func defaultOutput(_ name: String) -> String {
        "notebooks-data/\(folderName(name))/"
    }

    /// A scenario name made safe for a folder, never the same for two names
    /// (``OutputFolder/name(for:)``).
    static func folderName(_ name: String) -> String { OutputFolder.name(for: name) }
}
