import Experiments
import Foundation
import ServerlessModel

/// The JSON documents of `--format json`: the same results as the CSV files, for programs.
///
/// Keys are snake_case like the CSV columns; a value that does not apply is `null`; every
/// metric is keyed by its CSV column name.
public enum JSONDocuments {
    /// `simulate` and `sweep`.
    public struct Experiment: Codable, Sendable, Equatable {
        public var command: String
        public var scenario: String
        public var parameters: [String]
        public var points: [Point]
        public var files: [String]
    }

    /// One point: its settings, warm-up, aggregates and runs.
    public struct Point: Codable, Sendable, Equatable {
        public var point: Int
        public var label: String
        public var parameters: [ParameterValue]
        public var seed: UInt64
        public var replications: Int
        public var warmup: Warmup
        public var aggregates: [Aggregate]
        public var runs: [Run]
    }

    /// The warm-up used and, when automatic, how it was chosen.
    public struct Warmup: Codable, Sendable, Equatable {
        public var warmupS: Double?
        public var automatic: Bool
        public var method: String?
        public var intervalS: Double?
        public var intervals: Int?
        public var decidingSeries: String?
        public var unsettled: Bool?
    }

    /// A row of `aggregate.csv`.
    public struct Aggregate: Codable, Sendable, Equatable {
        public var scope: String
        public var scopeKind: String
        public var metric: String
        public var mean: Double?
        public var stddev: Double?
        public var ci95Low: Double?
        public var ci95High: Double?
        public var n: Int
    }

    /// One replication's scopes.
    public struct Run: Codable, Sendable, Equatable {
        public var replication: Int
        public var seed: UInt64
        public var events: Int
        public var scopes: [Scope]
    }

    /// One scope of one run: metric column name to value (absent where it does not apply).
    public struct Scope: Codable, Sendable, Equatable {
        public var scope: String
        public var scopeKind: String
        public var metrics: [String: Double]
    }

    /// `compare`.
    public struct Comparison: Codable, Sendable, Equatable {
        public var command: String
        public var variants: [String]
        public var seed: UInt64
        public var replications: Int
        public var commonRandomNumbers: Bool
        /// False with `--unpaired`: differences are Welch's, not paired by replication.
        public var paired: Bool
        public var warmup: Warmup?
        public var rows: [ComparisonRow]
        public var files: [String]
    }

    /// A row of `compare.csv`.
    public struct ComparisonRow: Codable, Sendable, Equatable {
        public var variant: String
        public var scope: String
        public var scopeKind: String
        public var metric: String
        public var mean: Double?
        public var ci95Low: Double?
        public var ci95High: Double?
        public var n: Int
        public var diffVsFirst: Double?
        public var diffCi95Low: Double?
        public var diffCi95High: Double?
        public var significant: Bool?
    }

    /// The document of a simulate or sweep.
    public static func experiment(_ result: ExperimentResult, command: String, files: [String]) -> Experiment {
        Experiment(command: command, scenario: result.scenario, parameters: result.parameterNames,
                   points: result.points.map(point), files: files)
    }

    /// The document of a comparison.
    public static func comparison(_ comparison: Experiments.ComparisonResult, files: [String]) -> Comparison {
        Comparison(
            command: "compare", variants: comparison.variantNames, seed: comparison.seed,
            replications: comparison.replications, commonRandomNumbers: comparison.commonRandomNumbers,
            paired: comparison.paired, warmup: comparison.variants.first?.points.first.map(warmup),
            rows: comparison.rows.map { row in
                ComparisonRow(
                    variant: row.variant, scope: row.value.scope, scopeKind: row.value.kind.rawValue,
                    metric: row.value.metric.rawValue, mean: finite(row.value.mean), ci95Low: finite(row.value.ci95Low),
                    ci95High: finite(row.value.ci95High), n: row.value.n, diffVsFirst: finite(row.difference?.mean),
                    diffCi95Low: finite(row.difference?.ci95Low), diffCi95High: finite(row.difference?.ci95High),
                    significant: row.difference?.significant)
            },
            files: files)
    }

    static func point(_ point: PointResult) -> Point {
        Point(
            point: point.index, label: point.label, parameters: point.parameters, seed: point.pipeline.run.seed,
            replications: point.replications, warmup: warmup(point),
            aggregates: point.aggregates.map { aggregate in
                Aggregate(scope: aggregate.scope, scopeKind: aggregate.kind.rawValue, metric: aggregate.metric.rawValue,
                          mean: finite(aggregate.mean), stddev: finite(aggregate.stddev), ci95Low: finite(aggregate.ci95Low),
                          ci95High: finite(aggregate.ci95High), n: aggregate.n)
            },
            runs: point.runs.map { run in
                Run(replication: run.replication, seed: run.seed, events: run.events, scopes: run.scopes.map { scope in
                    Scope(scope: scope.scope, scopeKind: scope.kind.rawValue,
                          metrics: Dictionary(scope.values.compactMap { key, value in finite(value).map { (key.rawValue, $0) } },
                                              uniquingKeysWith: { a, _ in a }))
                })
            })
    }

    static func warmup(_ point: PointResult) -> Warmup {
        var warmup = Warmup(warmupS: nil, automatic: point.warmup != nil)
        if case .fixed(let time) = point.pipeline.run.warmup { warmup.warmupS = time.seconds }
        if let choice = point.warmup {
            warmup.method = choice.method
            warmup.intervalS = choice.interval.seconds
            warmup.intervals = choice.intervals
            warmup.decidingSeries = choice.decidingSeries
            warmup.unsettled = choice.unsettled
        }
        return warmup
    }

    /// JSON has no NaN or infinity; such a value is null.
    static func finite(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// A document as pretty-printed JSON text with sorted keys (stable, diff-friendly), ending
    /// in a line break.
    public static func encode<Document: Encodable>(_ document: Document) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every value is finite by construction (see `finite`), so encoding cannot fail.
        guard let data = try? encoder.encode(document), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }
}

extension JSONDocuments.Warmup {
    init(warmupS: Double?, automatic: Bool) {
        self.init(warmupS: warmupS, automatic: automatic, method: nil, intervalS: nil, intervals: nil,
                  decidingSeries: nil, unsettled: nil)
    }
}
