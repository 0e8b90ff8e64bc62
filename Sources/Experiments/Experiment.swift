import Scenario
import ServerlessModel

/// The experiments the command-line tool runs on scenario files: simulate, sweep, compare.
public enum Experiment {
    /// Every replication of a scenario's pipeline (its `sweep:` block, if any, is ignored).
    /// `handling` says what is done with each run as it finishes and what the result keeps.
    public static func simulate(_ scenario: Scenario, options: ExperimentOptions = ExperimentOptions(),
                                handling: RunHandling = .keepWhole) throws(ExperimentError) -> ExperimentResult {
        try run(scenario.pipeline, options: options, handling: handling)
    }

    /// Every replication of a pipeline built in code.
    public static func run(_ pipeline: PipelineSpec, options: ExperimentOptions = ExperimentOptions(),
                           handling: RunHandling = .keepWhole) throws(ExperimentError) -> ExperimentResult {
        let points = try Replications.run([ExperimentPoint(index: 0, pipeline: pipeline)], options: options, handling: handling)
        return ExperimentResult(scenario: pipeline.name, points: points)
    }

    /// Every point of a scenario's sweep times every replication, spread over the jobs.
    ///
    /// All points use the scenario's seed, so point i and point j see the same arrivals in
    /// replication r (common random numbers across the sweep as well). Each point with
    /// `warmup: auto` gets its own MSER-5 warm-up: different settings settle at different times.
    public static func sweep(_ scenario: Scenario, options: ExperimentOptions = ExperimentOptions()) throws(ExperimentError) -> ExperimentResult {
        let plan = try SweepPlan(scenario, options: options)
        return plan.result(try plan.execute(plan.runs, options: options))
    }

    /// Compares scenario files on the same workload (see ``Comparison``); variants are named
    /// after their scenarios, or their files where names repeat.
    public static func compare(_ scenarios: [Scenario], options: ExperimentOptions = ExperimentOptions(),
                               commonRandomNumbers: Bool = true, unpaired: Bool = false,
                               handling: RunHandling = .keepWhole) throws(ExperimentError) -> ComparisonResult {
        let names = Comparison.variantNames(scenarios.map(\.name), sources: scenarios.map(\.source))
        let variants = zip(names, scenarios).map { ComparisonVariant(name: $0, pipeline: $1.pipeline) }
        return try Comparison.run(variants, options: options, commonRandomNumbers: commonRandomNumbers, unpaired: unpaired,
                                  handling: handling)
    }
}
