import ArgumentParser
import Experiments
import Foundation
import Reports

/// `queuesim plan FILE`: the cheapest configuration of the scenario's `plan:` block that meets
/// its `slo:` block with 95% confidence; the recommendation as YAML to paste, a table of every
/// configuration evaluated, and plan.csv.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the cheapest configuration of a scenario's plan: block that meets its slo: block.",
        discussion: """
            A configuration passes when the upper end of the 95% confidence interval of every constrained metric \
            (each group and all) meets its target; while an interval straddles a target, replications are doubled \
            up to a cap. Concurrency limits are searched by galloping and bisection from an Erlang C estimate, other \
            settings value by value; no configuration is simulated twice. With --format csv the content of plan.csv \
            is printed. A plan runs on one machine (its next configuration depends on the last's verdict): on a \
            cluster, as one job (deploy/slurm/plan.sbatch). Exit status: 0 a configuration meets the SLO, 1 none does (or a run failed), 2 bad input.
            """
    )

    @Argument(help: "The scenario file, with plan: and slo: blocks.")
    var file: String

    @OptionGroup var options: RunOptions

    /// Not an option: refused with the reason, for those who know `--shard` from sweep.
    @Option(name: .long, help: .hidden)
    var shard: String?

    func validate() throws {
        if shard != nil {
            throw ValidationError("""
                --shard: plan is not sharded: the configuration it simulates next is chosen from the verdicts of those \
                before, so its only independent runs at a time are one configuration's replications, which --jobs \
                already runs at once. Run the plan as one job on one node (deploy/slurm/plan.sbatch), or shard a \
                sweep of the candidate values (queuesim sweep --shard K/N) and plan within the ranges it narrows \
                (README, Running sweeps on a cluster)
                """)
        }
    }

    func run() throws {
        let scenario = try ScenarioInput.load([file], quiet: options.quiet)[0]
        do throws(PlanError) {
            _ = try Experiment.planInputs(scenario)
        } catch {
            Console.error(error.description)
            throw ExitCode(2)
        }
        if scenario.sweep != nil && !options.quiet {
            Console.error("\(scenario.source): note: the sweep: block is ignored by plan")
        }
        // The folder is made before the search, so that a bad --output fails at once.
        let folder = options.output ?? ScenarioInput.defaultOutput(scenario.name)
        let output = try ScenarioInput.writableFolder(folder)
        let status = options.quiet ? nil : PlanStatusLine()
        defer { status?.finish() }
        var settings = PlanSettings()
        if let status { settings.progress = { status.update($0) } }
        let experimentOptions = options.experimentOptions(progress: nil)
        let result: PlanResult
        do throws(PlanError) {
            result = try Experiment.plan(scenario, options: experimentOptions, settings: settings)
        } catch {
            status?.finish()
            Console.error("error: \(error)")
            throw ExitCode(error.isBadInput ? 2 : 1)
        }
        status?.finish()

        let table = PlanCSV.table(result)
        var written = try ScenarioInput.writing { () throws(ReportError) in try output.write(set: [("plan.csv", table)], command: "plan") }
        if options.report { written.append(try ReportOutput.write(from: folder)) }

        if !options.quiet {
            switch options.format {
            case .table:
                Console.out(PlanConsole.render(result, file: file))
                Console.out("\nwrote \(written.joined(separator: ", "))\n")
            case .csv:
                Console.out(table.text)
            case .json:
                Console.out(JSONDocuments.encode(JSONDocuments.plan(result, files: written)))
            }
        }
        guard result.meetsSLO else {
            // The table says why on standard output; the other formats and --quiet get it here.
            if options.quiet || options.format != .table {
                Console.error("\(scenario.source): no configuration meets the SLO: \(result.explanation ?? "")")
            }
            throw ExitCode(1)
        }
    }
}

/// One status line on standard error while a plan runs, drawn only on a terminal: how many
/// configurations and simulations so far, and the last verdict.
///
/// `@unchecked Sendable`: the planner reports from its calling thread only, and every stored
/// property is read and written while holding `lock`.
final class PlanStatusLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled = Console.isTerminal(STDERR_FILENO)
    private var drawn = false

    /// Redraws the line.
    func update(_ progress: PlanProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        var line = "\rplan: \(progress.evaluations) configurations, \(progress.simulations) simulations; last \(progress.last): \(progress.verdict.rawValue)"
        if line.count > 160 { line = String(line.prefix(157)) + "..." }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drawn = true
    }

    /// Clears the line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
