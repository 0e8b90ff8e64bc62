import Experiments
import ServerlessModel
import SimCore

/// What a partial output says about the sweep it belongs to: a shard file's header and a
/// resumable sweep's `identity.json`.
///
/// Two partial outputs can be put together only when their identities are equal: the same
/// scenario file (by ``fingerprint``), seed and replications, point for point. The points
/// are listed with their run settings, so that a merge can lay out every output file
/// without the scenario file.
public struct SweepIdentity: Codable, Equatable, Sendable {
    /// The version of the partial format this build writes; others are refused.
    /// Version 2: time-series rows carry their interval's length and store their values by column.
    public static let currentVersion = 2
    /// The marker every partial file starts with.
    public static let formatName = "queuesim-partial"

    /// ``formatName``.
    public var format: String
    /// ``currentVersion`` when written by this build.
    public var version: Int
    /// The scenario's name.
    public var scenario: String
    /// A hash of the scenario file's text, of the data files it reads and of every point's
    /// run settings (seed, replications after `--seed` and `--replications`), as 16
    /// hexadecimal digits.
    public var fingerprint: String
    /// The swept parameters' names in file order.
    public var parameterNames: [String]
    /// Every point of the sweep, in order.
    public var points: [PointRecord]

    /// The identity of a sweep plan made from a scenario file with the text `scenarioText`
    /// that read data files with the hash `dataFiles` (``Scenario/dataFilesFingerprint``).
    public init(plan: SweepPlan, scenarioText: String, dataFiles: String? = nil) {
        format = Self.formatName
        version = Self.currentVersion
        scenario = plan.scenario
        parameterNames = plan.parameterNames
        points = plan.points.map(PointRecord.init)
        var hash = Fingerprint()
        hash.add(scenarioText)
        if let dataFiles { hash.add("data files \(dataFiles)") }
        for point in points { hash.add(point.canonicalText) }
        fingerprint = hash.hex
    }

    /// The plan the identity describes, with run settings but no entities: enough to lay
    /// out the output files of its runs.
    public var plan: SweepPlan {
        SweepPlan(scenario: scenario, parameterNames: parameterNames, points: points.map { point in
            ExperimentPoint(index: point.index, label: point.label, parameters: point.parameters,
                            pipeline: PipelineSpec(name: scenario, run: point.runSettings, groups: [], queues: [], functions: []))
        })
    }

    /// `scenario 'NAME' (fingerprint F)`, for messages.
    public var summary: String { "scenario '\(scenario)' (fingerprint \(fingerprint))" }
}

/// One point of a sweep as a partial output lists it.
public struct PointRecord: Codable, Equatable, Sendable {
    public var index: Int
    public var label: String
    public var parameters: [ParameterValue]
    /// The seed as decimal text (a JSON number may not hold every UInt64).
    public var seed: String
    public var replications: Int
    public var durationNs: Int64
    public var drainNs: Int64
    /// The fixed warm-up; nil for `warmup: auto`.
    public var warmupNs: Int64?
    public var timeseriesIntervalNs: Int64

    init(_ point: ExperimentPoint) {
        let run = point.pipeline.run
        index = point.index
        label = point.label
        parameters = point.parameters
        seed = String(run.seed)
        replications = run.replications
        durationNs = run.duration.nanoseconds
        drainNs = run.drain.nanoseconds
        if case .fixed(let warmup) = run.warmup { warmupNs = warmup.nanoseconds }
        timeseriesIntervalNs = run.timeseriesInterval.nanoseconds
    }

    /// The run settings of the point.
    var runSettings: RunSettings {
        RunSettings(duration: SimTime(nanoseconds: durationNs), drain: SimTime(nanoseconds: drainNs),
                    warmup: warmupNs.map { .fixed(SimTime(nanoseconds: $0)) } ?? .auto, seed: UInt64(seed) ?? 0,
                    replications: replications, timeseriesInterval: SimTime(nanoseconds: timeseriesIntervalNs))
    }

    /// Every field, for the fingerprint.
    var canonicalText: String {
        let values = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1F}")
        return [String(index), label, values, seed, String(replications), String(durationNs), String(drainNs),
                warmupNs.map(String.init) ?? "auto", String(timeseriesIntervalNs)].joined(separator: "\u{1E}")
    }
}

/// A finished run as a partial output stores it: every number the output files are made
/// of, exactly (a Double is kept as its shortest round-trip text, which reads back as the
/// same Double).
public struct RunRecord: Codable, Sendable {
    public var point: Int
    public var replication: Int
    public var scenario: String
    public var seed: String
    public var measuredFromNs: Int64
    public var endNs: Int64
    public var events: Int
    public var warmup: WarmupRecord?
    public var scopes: [ScopeRecord]
    public var timeseries: [RowRecord]

    /// The record of a finished run.
    public init(_ completed: CompletedRun) {
        let result = completed.result
        point = completed.run.point
        replication = completed.run.replication
        scenario = result.scenario
        seed = String(result.seed)
        measuredFromNs = result.measuredFrom.nanoseconds
        endNs = result.end.nanoseconds
        events = result.events
        warmup = completed.warmup.map(WarmupRecord.init)
        scopes = result.scopes.map(ScopeRecord.init)
        timeseries = result.timeseries.map(RowRecord.init)
    }

    /// The finished run; nil when a field does not read back (a damaged or foreign file).
    public var completedRun: CompletedRun? {
        guard let seed = UInt64(seed) else { return nil }
        var summaries: [ScopeSummary] = []
        for scope in scopes {
            guard let summary = scope.summary else { return nil }
            summaries.append(summary)
        }
        var rows: [TimeSeriesRow] = []
        rows.reserveCapacity(timeseries.count)
        for record in timeseries {
            guard let row = record.row else { return nil }
            rows.append(row)
        }
        var choice: WarmupChoice?
        if let warmup {
            guard let read = warmup.choice else { return nil }
            choice = read
        }
        let result = RunResult(scenario: scenario, replication: replication, seed: seed, scopes: summaries, timeseries: rows,
                               measuredFrom: SimTime(nanoseconds: measuredFromNs), end: SimTime(nanoseconds: endNs),
                               handledEvents: events)
        return CompletedRun(run: SweepRun(point: point, replication: replication), warmup: choice, result: result)
    }
}

/// An automatic warm-up as stored.
public struct WarmupRecord: Codable, Sendable {
    public var warmupNs: Int64
    public var method: String
    public var intervalNs: Int64
    public var intervals: Int
    public var decidingSeries: String
    public var unsettled: Bool

    init(_ choice: WarmupChoice) {
        warmupNs = choice.warmup.nanoseconds
        method = choice.method
        intervalNs = choice.interval.nanoseconds
        intervals = choice.intervals
        decidingSeries = choice.decidingSeries
        unsettled = choice.unsettled
    }

    var choice: WarmupChoice? {
        WarmupChoice(warmup: SimTime(nanoseconds: warmupNs), method: method, interval: SimTime(nanoseconds: intervalNs),
                     intervals: intervals, decidingSeries: decidingSeries, unsettled: unsettled)
    }
}

/// A scope's metrics as stored, by the metric's column name.
public struct ScopeRecord: Codable, Sendable {
    public var scope: String
    public var kind: String
    public var values: [String: String]
    /// The latency CDF points (`latency.csv`), at ``ScopeSummary/latencyLevels``.
    public var latencyQuantiles: [String]

    init(_ summary: ScopeSummary) {
        scope = summary.scope
        kind = summary.kind.rawValue
        values = Dictionary(uniqueKeysWithValues: summary.values.map { ($0.key.rawValue, StoredNumber.text($0.value)) })
        latencyQuantiles = summary.latencyQuantiles.map(StoredNumber.text)
    }

    var summary: ScopeSummary? {
        guard let kind = ScopeSummary.Kind(rawValue: kind) else { return nil }
        var read: [Metric: Double] = [:]
        for (name, text) in values {
            guard let metric = Metric(rawValue: name), let value = Double(text) else { return nil }
            read[metric] = value
        }
        var quantiles: [Double] = []
        for text in latencyQuantiles {
            guard let value = Double(text) else { return nil }
            quantiles.append(value)
        }
        return ScopeSummary(name: scope, kind: kind, values: read, latencyQuantiles: quantiles)
    }
}

/// A time-series row as stored: its values by column name, blank columns absent.
public struct RowRecord: Codable, Sendable {
    public var startNs: Int64
    public var lengthNs: Int64
    public var kind: String
    public var entity: String
    public var values: [String: String]

    init(_ row: TimeSeriesRow) {
        startNs = row.intervalStart.nanoseconds
        lengthNs = row.intervalLength.nanoseconds
        kind = row.kind.rawValue
        entity = row.entity
        var values: [String: String] = [:]
        for column in TimeSeriesColumn.allCases {
            if let value = row[column] { values[column.rawValue] = StoredNumber.text(value) }
        }
        self.values = values
    }

    var row: TimeSeriesRow? {
        guard let kind = TimeSeriesRow.Kind(rawValue: kind) else { return nil }
        var row = TimeSeriesRow(intervalStart: SimTime(nanoseconds: startNs), intervalLength: SimTime(nanoseconds: lengthNs),
                                kind: kind, entity: entity)
        for (name, text) in values {
            guard let column = TimeSeriesColumn(rawValue: name), let value = Double(text) else { return nil }
            row[column] = value
        }
        return row
    }
}

/// Doubles as text that reads back bit for bit.
enum StoredNumber {
    /// The shortest digits that read back as the same Double (`inf`, `nan` included).
    static func text(_ value: Double) -> String { value.description }

    /// Reads an optional stored number into `target`; false when the text is not a number.
    static func read(_ text: String?, into target: inout Double?) -> Bool {
        guard let text else {
            target = nil
            return true
        }
        guard let value = Double(text) else { return false }
        target = value
        return true
    }
}
