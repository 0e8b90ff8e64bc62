import ServerlessModel
import SimCore

/// A variant in a comparison: a pipeline and its name in outputs.
public struct ComparisonVariant: Sendable {
    /// The `variant` column.
    public var name: String
    /// The pipeline.
    public var pipeline: PipelineSpec

    /// Creates a variant.
    public init(name: String, pipeline: PipelineSpec) {
        self.name = name
        self.pipeline = pipeline
    }
}

/// The difference of a variant to the first one, paired across replications.
public struct PairedDifference: Sendable, Equatable {
    /// Replications where both variants have the metric.
    public var n: Int
    /// The mean of (variant − first) over those replications.
    public var mean: Double
    /// The sample standard deviation of the differences; nil for a single pair.
    public var stddev: Double?
    /// The lower end of the 95% Student t interval of the mean difference; nil for a single pair.
    public var ci95Low: Double?
    /// The upper end of that interval; nil for a single pair.
    public var ci95High: Double?

    /// Creates a difference.
    public init(n: Int, mean: Double, stddev: Double?, ci95Low: Double?, ci95High: Double?) {
        self.n = n
        self.mean = mean
        self.stddev = stddev
        self.ci95Low = ci95Low
        self.ci95High = ci95High
    }

    /// Whether the interval excludes zero; nil without an interval.
    public var significant: Bool? {
        guard let ci95Low, let ci95High else { return nil }
        return ci95Low > 0 || ci95High < 0
    }
}

/// One (variant, scope, metric) of a comparison: the variant's aggregate and its difference
/// to the first variant (a row of `compare.csv`).
public struct ComparisonRow: Sendable, Equatable {
    /// The variant's name.
    public var variant: String
    /// The variant's position, from 0 (0 is the baseline).
    public var variantIndex: Int
    /// The variant's own mean and interval.
    public var value: MetricAggregate
    /// Variant − first, paired by replication; nil for the first variant and for scopes or
    /// metrics the first variant does not have.
    public var difference: PairedDifference?

    /// Creates a row.
    public init(variant: String, variantIndex: Int, value: MetricAggregate, difference: PairedDifference?) {
        self.variant = variant
        self.variantIndex = variantIndex
        self.value = value
        self.difference = difference
    }

    /// The scope of the row.
    public var scope: ScopeKey { ScopeKey(name: value.scope, kind: value.kind) }
}

/// What `compare` produced.
public struct ComparisonResult: Sendable {
    /// Every variant's runs and aggregates (one point each), in the order given.
    public var variants: [ExperimentResult]
    /// Every (variant, scope, metric), variants in order, then scopes, then metrics.
    public var rows: [ComparisonRow]
    /// The scenario seed every variant used (with common random numbers).
    public var seed: UInt64
    /// Replications per variant.
    public var replications: Int
    /// Whether replication r of every variant used the same seed.
    public var commonRandomNumbers: Bool
    /// Whether differences are paired by replication (false: `--unpaired`, Welch intervals).
    public var paired = true

    /// Creates a result.
    public init(variants: [ExperimentResult], rows: [ComparisonRow], seed: UInt64, replications: Int,
                commonRandomNumbers: Bool) {
        self.variants = variants
        self.rows = rows
        self.seed = seed
        self.replications = replications
        self.commonRandomNumbers = commonRandomNumbers
    }

    /// The variants' names in order.
    public var variantNames: [String] { variants.map { $0.variant ?? $0.scenario } }
}

/// N variants of a pipeline on the same workload, with common random numbers, and their
/// paired differences to the first.
///
/// Every variant runs replication r with the same scenario seed, so every random stream named
/// alike (arrivals and per-message work are named after the task group, not the topology)
/// produces the same numbers in both: the same messages arrive at the same times and need the
/// same work. A difference between variants in replication r is then mostly the topology's
/// doing, not luck, and the differences d_r = variant_r − first_r vary much less than either
/// variant does. Their Student t interval, mean(d) ± t · s_d / √n, is therefore far narrower
/// than the unpaired one for the same number of runs. The difference is significant when the
/// interval excludes 0.
public enum Comparison {
    /// Runs every variant `replications` times and compares them to the first.
    ///
    /// The seed and replication count are the first variant's (or the options'), for all:
    /// pairing needs both equal. Without `commonRandomNumbers` variant v gets an unrelated
    /// seed, which is useful only to show what common random numbers buy.
    ///
    /// Pairing holds only when every variant sends the workload of the first (the same groups
    /// with the same arrivals, message sizes, message group keys and tenants): otherwise the
    /// comparison is refused, naming the groups that differ, unless `unpaired`, which compares
    /// each variant's replications with the first's by Welch's unpaired interval.
    ///
    /// `handling` hands each run on as it finishes (variant by variant); the result keeps at
    /// least every run's metrics, which the differences pair.
    public static func run(_ variants: [ComparisonVariant], options: ExperimentOptions,
                           commonRandomNumbers: Bool = true, unpaired: Bool = false,
                           handling: RunHandling = .keepWhole) throws(ExperimentError) -> ComparisonResult {
        guard variants.count >= 2, let first = variants.first else { throw .tooFewVariants(variants.count) }
        let differences = workloadDifferences(variants)
        if !differences.isEmpty, !unpaired { throw .unpairedWorkloads(differences) }
        let seed = options.seed ?? first.pipeline.run.seed
        let replications = options.replications ?? first.pipeline.run.replications
        var shared = options
        shared.seed = nil
        shared.replications = nil
        let points = variants.enumerated().map { v, variant in
            var pipeline = variant.pipeline
            pipeline.run.replications = replications
            pipeline.run.seed = commonRandomNumbers || v == 0 ? seed : independentSeed(seed, variant: v)
            return ExperimentPoint(index: v, label: variant.name, pipeline: pipeline)
        }
        var handling = handling
        if handling.retention == .none { handling.retention = .metrics }
        let results = try Replications.run(points, options: shared, sharedWarmup: true, handling: handling)
        let experiments = zip(variants, results).map { variant, point in
            var point = point
            point.index = 0
            return ExperimentResult(scenario: variant.pipeline.name, variant: variant.name, points: [point])
        }
        var result = ComparisonResult(variants: experiments,
                                      rows: rows(variants: variants.map(\.name), results: results, paired: !unpaired),
                                      seed: seed, replications: replications, commonRandomNumbers: commonRandomNumbers)
        result.paired = !unpaired
        return result
    }

    /// How each variant's workload differs from the first's, group by group: empty when
    /// every variant sends the same messages at the same times (common random numbers pair
    /// them: arrivals and per-message work are drawn from streams named after the group).
    public static func workloadDifferences(_ variants: [ComparisonVariant]) -> [String] {
        guard let first = variants.first else { return [] }
        let baseline = Dictionary(first.pipeline.groups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var differences: [String] = []
        for variant in variants.dropFirst() {
            let groups = Dictionary(variant.pipeline.groups.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for group in first.pipeline.groups where groups[group.name] == nil {
                differences.append("group \(group.name) is in \(first.name) but not in \(variant.name)")
            }
            for group in variant.pipeline.groups {
                guard let base = baseline[group.name] else {
                    differences.append("group \(group.name) is in \(variant.name) but not in \(first.name)")
                    continue
                }
                var what: [String] = []
                if group.arrivals != base.arrivals { what.append("arrivals") }
                if group.messageSize != base.messageSize { what.append("message size") }
                if group.fifoGroupKey != base.fifoGroupKey { what.append("message group key") }
                if group.tenants != base.tenants { what.append("tenants") }
                if !what.isEmpty {
                    differences.append("group \(group.name)'s \(what.joined(separator: ", ")) in \(variant.name) differ from \(first.name)")
                }
            }
            if variant.pipeline.run.duration != first.pipeline.run.duration {
                differences.append("\(variant.name) runs its producers for another duration than \(first.name)")
            }
        }
        return differences
    }

    /// The comparison rows of variants' point results (the first is the baseline).
    public static func rows(variants: [String], results: [PointResult], paired: Bool = true) -> [ComparisonRow] {
        guard let baseline = results.first else { return [] }
        var rows: [ComparisonRow] = []
        for (v, result) in results.enumerated() {
            for aggregate in result.aggregates {
                let scope = ScopeKey(name: aggregate.scope, kind: aggregate.kind)
                let difference = v == 0 ? nil
                    : paired ? pairedDifference(baseline.runs, result.runs, scope: scope, metric: aggregate.metric)
                    : welchDifference(baseline.runs, result.runs, scope: scope, metric: aggregate.metric)
                rows.append(ComparisonRow(variant: variants[v], variantIndex: v, value: aggregate, difference: difference))
            }
        }
        return rows
    }

    /// The paired difference (variant − baseline) of a metric, over the replications both
    /// have it in, paired by replication number; nil when no replication pairs up.
    public static func pairedDifference(_ baseline: [RunResult], _ variant: [RunResult], scope: ScopeKey,
                                        metric: Metric) -> PairedDifference? {
        let base = Dictionary(baseline.map { ($0.replication, $0) }, uniquingKeysWith: { a, _ in a })
        var differences: [Double] = []
        for run in variant {
            guard let other = base[run.replication],
                  let x = run.scope(scope.name, kind: scope.kind)?[metric],
                  let y = other.scope(scope.name, kind: scope.kind)?[metric] else { continue }
            differences.append(x - y)
        }
        guard let interval = ConfidenceInterval(differences, level: Aggregation.level) else { return nil }
        return PairedDifference(n: interval.n, mean: interval.mean, stddev: interval.standardDeviation,
                                ci95Low: interval.low, ci95High: interval.high)
    }

    /// The unpaired difference (variant − baseline) of a metric's means, with Welch's 95%
    /// interval: mean(x) − mean(y) ± t(ν) · √(s_x²/n_x + s_y²/n_y), ν by Welch–Satterthwaite.
    /// `n` is the smaller sample; `stddev` is the standard error of the difference. Nil when
    /// either side lacks the metric; no interval with fewer than two runs a side, or when both
    /// sides have no spread at all.
    public static func welchDifference(_ baseline: [RunResult], _ variant: [RunResult], scope: ScopeKey,
                                       metric: Metric) -> PairedDifference? {
        func values(_ runs: [RunResult]) -> [Double] { runs.compactMap { $0.scope(scope.name, kind: scope.kind)?[metric] } }
        let x = values(variant)
        let y = values(baseline)
        guard let a = ConfidenceInterval(x, level: Aggregation.level), let b = ConfidenceInterval(y, level: Aggregation.level)
        else { return nil }
        let mean = a.mean - b.mean
        guard let sx = a.standardDeviation, let sy = b.standardDeviation else {
            return PairedDifference(n: min(a.n, b.n), mean: mean, stddev: nil, ci95Low: nil, ci95High: nil)
        }
        let vx = sx * sx / Double(a.n)
        let vy = sy * sy / Double(b.n)
        let variance = vx + vy
        guard variance > 0 else {
            return PairedDifference(n: min(a.n, b.n), mean: mean, stddev: 0, ci95Low: mean, ci95High: mean)
        }
        let freedom = variance * variance / (vx * vx / Double(a.n - 1) + vy * vy / Double(b.n - 1))
        let t = ConfidenceInterval.studentT(probability: 1 - (1 - Aggregation.level) / 2, degreesOfFreedom: max(1, freedom))
        let half = t * variance.squareRoot()
        return PairedDifference(n: min(a.n, b.n), mean: mean, stddev: variance.squareRoot(), ci95Low: mean - half,
                                ci95High: mean + half)
    }

    /// Unique variant names: each scenario's name, or where names repeat, its file's name
    /// without folder and extension, then a `-2`, `-3` suffix if that repeats too.
    public static func variantNames(_ names: [String], sources: [String]) -> [String] {
        let counts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
        var chosen = zip(names, sources).map { name, source in
            (counts[name] ?? 0) > 1 ? fileStem(source) : name
        }
        var seen: [String: Int] = [:]
        for i in chosen.indices {
            let base = chosen[i]
            seen[base, default: 0] += 1
            if let n = seen[base], n > 1 { chosen[i] = "\(base)-\(n)" }
        }
        return chosen
    }

    /// A seed unrelated to `seed` for variant v (independent sampling, no common random numbers).
    static func independentSeed(_ seed: UInt64, variant: Int) -> UInt64 {
        StreamSeed.splitmix64(seed ^ StreamSeed.splitmix64(UInt64(truncatingIfNeeded: variant) &* 0x9E37_79B9_7F4A_7C15))
    }

    private static func fileStem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
