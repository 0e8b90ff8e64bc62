import Foundation

/// Reads the CSV files that `simulate`, `sweep`, `compare` and `plan` wrote in a folder into
/// ``ReportData``.
public enum ReportFolder {
    /// The files a report is made from; a folder needs at least one of them.
    public static let fileNames = ["summary.csv", "aggregate.csv", "latency.csv", "timeseries.csv", "compare.csv", "plan.csv"]

    /// Reads every known file in `folder`.
    public static func read(_ folder: String) throws(ReportInputError) -> ReportData {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ReportInputError(path: folder, reason: "no such folder; expected a folder written by simulate, sweep, compare or plan")
        }
        guard isDirectory.boolValue else {
            throw ReportInputError(path: folder, reason: "not a folder; expected a folder written by simulate, sweep, compare or plan")
        }
        func path(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }
        // A folder with a manifest is read as the set it lists, once every file is checked to
        // be that set's: never two runs' files in one report.
        let listed = try OutputManifest.verifiedFiles(in: folder)
        let present = fileNames.filter { listed?.contains($0) ?? FileManager.default.fileExists(atPath: path($0)) }
        guard !present.isEmpty else {
            throw ReportInputError(path: folder, reason: "no queuesim CSV files here; expected one of \(fileNames.joined(separator: ", "))")
        }
        var files: [String: CSVFile] = [:]
        for name in present { files[name] = try CSVFile(path: path(name)) }

        var data = ReportData(folder: folder, name: "")
        data.files = present.map(path)
        if let summary = files["summary.csv"] { try readSummary(summary, into: &data) }
        if let aggregate = files["aggregate.csv"] { try readAggregate(aggregate, into: &data) }
        if let latency = files["latency.csv"] { try readLatency(latency, into: &data) }
        if let timeseries = files["timeseries.csv"] { data.timeseries = try readTimeSeries(timeseries) }
        if let compare = files["compare.csv"] { data.comparison = try readComparison(compare) }
        if let plan = files["plan.csv"] {
            let table = try readPlan(plan)
            data.plan = table
            if data.name.isEmpty { data.name = table.scenario }
        }
        if data.name.isEmpty { data.name = (folder as NSString).lastPathComponent }
        return data
    }

    /// summary.csv: the report's name, the swept parameters and the replication count.
    static func readSummary(_ file: CSVFile, into data: inout ReportData) throws(ReportInputError) {
        let scenario = try file.require("scenario")
        let variant = try file.require("variant")
        let replication = try file.require("replication")
        let kind = try file.require("scope_kind")
        let sent = try file.require("sent")
        data.parameterNames = Array(file.header[try file.columns(after: kind, before: sent)])
        var variants: [String] = []
        var replications: Set<Int> = []
        for record in file.records {
            replications.insert(try file.integer(record, replication))
            let name = file.text(record, variant)
            if !name.isEmpty && !variants.contains(name) { variants.append(name) }
        }
        data.replications = max(data.replications, replications.count)
        if variants.count >= 2 {
            data.name = OutputFolder.comparisonName(of: variants)
        } else if let first = file.records.first {
            data.name = file.text(first, scenario)
        }
    }

    /// aggregate.csv.
    static func readAggregate(_ file: CSVFile, into data: inout ReportData) throws(ReportInputError) {
        let point = try file.require("point")
        let scope = try file.require("scope")
        let span = try file.columns(after: point, before: scope)
        let parameters = Array(file.header[span])
        if data.parameterNames.isEmpty { data.parameterNames = parameters }
        let kind = try file.require("scope_kind"), metric = try file.require("metric"), mean = try file.require("mean")
        let low = try file.require("ci95_low"), high = try file.require("ci95_high"), n = try file.require("n")
        for record in file.records {
            data.aggregates.append(AggregateValue(
                point: try file.integer(record, point), parameters: Array(record.fields[span]),
                scope: file.text(record, scope), kind: file.text(record, kind), metric: file.text(record, metric),
                mean: try file.requiredNumber(record, mean), ci95Low: try file.number(record, low),
                ci95High: try file.number(record, high), n: try file.integer(record, n)))
        }
    }

    /// latency.csv, averaged over replications per (variant, point, scope, percentile).
    static func readLatency(_ file: CSVFile, into data: inout ReportData) throws(ReportInputError) {
        let variant = try file.require("variant"), point = try file.require("point")
        let replication = try file.require("replication"), scope = try file.require("scope")
        let kind = try file.require("scope_kind"), percentile = try file.require("percentile")
        let latency = try file.require("latency_s")
        let span = try file.columns(after: kind, before: percentile)
        let parameters = Array(file.header[span])

        struct Key: Hashable { var variant: String; var point: Int; var scope: String; var kind: String }
        var order: [Key] = []
        var labels: [Key: String] = [:]
        var sums: [Key: [Double: (sum: Double, count: Int)]] = [:]
        var replications: [Key: Set<Int>] = [:]
        for record in file.records {
            let key = Key(variant: file.text(record, variant), point: try file.integer(record, point),
                          scope: file.text(record, scope), kind: file.text(record, kind))
            if sums[key] == nil {
                order.append(key)
                let values = zip(parameters, record.fields[span]).map { "\($0)=\($1)" }
                labels[key] = key.variant.isEmpty ? values.joined(separator: ", ") : key.variant
            }
            let level = try file.requiredNumber(record, percentile)
            guard (0...100).contains(level) else {
                throw ReportInputError(path: file.path, line: record.line, column: record.columns[percentile],
                                       reason: "expected a percentile from 0 to 100, found `\(file.text(record, percentile))`")
            }
            let value = try file.requiredNumber(record, latency)
            sums[key, default: [:]][level, default: (0, 0)].sum += value
            sums[key, default: [:]][level, default: (0, 0)].count += 1
            replications[key, default: []].insert(try file.integer(record, replication))
        }
        for key in order {
            let levels = (sums[key] ?? [:]).sorted { $0.key < $1.key }
            let count = replications[key]?.count ?? 0
            data.replications = max(data.replications, count)
            data.latencyCurves.append(LatencyCurve(
                label: labels[key] ?? "", point: key.point, scope: key.scope, kind: key.kind, replications: count,
                points: levels.map { (percentile: $0.key, seconds: $0.value.sum / Double($0.value.count)) }))
        }
    }

    /// timeseries.csv: every replication of the first point, as one sample per (entity,
    /// interval) with the mean over the replications and the range they span. The mean alone
    /// would smooth away the bursts a report is meant to show; the band keeps them in view
    /// without leaning on one replication.
    static func readTimeSeries(_ file: CSVFile) throws(ReportInputError) -> [TimeSeriesSample] {
        let replication = try file.require("replication"), start = try file.require("interval_start_s")
        let kind = try file.require("entity_kind"), entity = try file.require("entity")
        let point = file.has("point") ? try file.require("point") : nil
        var valueColumns: [(name: String, column: Int)] = []
        for name in ["interval_s", "visible", "in_flight", "concurrency", "throttles", "invocations", "sent", "succeeded"] where file.has(name) {
            valueColumns.append((name, try file.require(name)))
        }
        struct Key: Hashable {
            var start: Double
            var kind: String
            var entity: String
        }
        var order: [Key] = []
        var values: [Key: [String: [Double]]] = [:]
        var replications: Set<Int> = []
        var firstPoint: Int?
        for record in file.records {
            if let point {
                let index = try file.integer(record, point)
                if firstPoint == nil { firstPoint = index }
                guard index == firstPoint else { continue }
            }
            replications.insert(try file.integer(record, replication))
            let key = Key(start: try file.requiredNumber(record, start), kind: file.text(record, kind), entity: file.text(record, entity))
            if values[key] == nil {
                order.append(key)
                values[key] = [:]
            }
            for (name, column) in valueColumns {
                if let value = try file.number(record, column) { values[key, default: [:]][name, default: []].append(value) }
            }
        }
        return order.map { key in
            let columns = values[key] ?? [:]
            var sample = TimeSeriesSample(start: key.start, kind: key.kind, entity: key.entity,
                                          values: columns.mapValues { $0.reduce(0, +) / Double($0.count) })
            sample.replications = replications.count
            if replications.count > 1 {
                sample.ranges = columns.compactMapValues { list in list.min().flatMap { low in list.max().map { low...$0 } } }
            }
            return sample
        }
    }

    /// compare.csv.
    static func readComparison(_ file: CSVFile) throws(ReportInputError) -> [ComparisonValue] {
        let variant = try file.require("variant"), scope = try file.require("scope"), kind = try file.require("scope_kind")
        let metric = try file.require("metric"), mean = try file.require("mean")
        let low = try file.require("ci95_low"), high = try file.require("ci95_high")
        let difference = try file.require("diff_vs_first"), significant = try file.require("significant")
        var values: [ComparisonValue] = []
        for record in file.records {
            let flag = file.text(record, significant)
            guard ["", "true", "false"].contains(flag) else {
                throw ReportInputError(path: file.path, line: record.line, column: record.columns[significant],
                                       reason: "expected true, false or blank in column `significant`, found `\(flag)`")
            }
            values.append(ComparisonValue(
                variant: file.text(record, variant), scope: file.text(record, scope), kind: file.text(record, kind),
                metric: file.text(record, metric), mean: try file.requiredNumber(record, mean),
                ci95Low: try file.number(record, low), ci95High: try file.number(record, high),
                difference: try file.number(record, difference), significant: flag.isEmpty ? nil : flag == "true"))
        }
        return values
    }

    /// plan.csv.
    static func readPlan(_ file: CSVFile) throws(ReportInputError) -> PlanTable {
        let scenario = try file.require("scenario"), evaluation = try file.require("evaluation")
        let status = try file.require("status"), recommended = try file.require("recommended")
        let reason = try file.require("reason"), concurrency = try file.require("concurrency")
        let cost = try file.require("cost_usd"), low = try file.require("cost_usd_ci95_low")
        let high = try file.require("cost_usd_ci95_high"), peak = try file.require("concurrency_peak")
        let span = try file.columns(after: evaluation, before: status)
        var table = PlanTable(scenario: file.records.first.map { file.text($0, scenario) } ?? "",
                              paths: Array(file.header[span]), evaluations: [])
        if Array(file.header[(peak + 1)...]) == PlanCSV.constraintColumns {
            return try readLongPlan(file, table: table, evaluationColumns: (evaluation, span, status, recommended, reason,
                                                                             concurrency, cost, low, high), peak: peak)
        }
        // The wide form of earlier versions: after concurrency_peak, each constraint's mean,
        // _ci95_low and _ci95_high.
        var constraintColumns: [(Int, Int, Int)] = []
        var column = peak + 1
        while column < file.header.count {
            let stem = file.header[column]
            guard column + 2 < file.header.count, file.header[column + 1] == stem + "_ci95_low",
                  file.header[column + 2] == stem + "_ci95_high" else {
                throw ReportInputError(path: file.path, line: 1, column: 1,
                                       reason: "expected columns `\(stem)_ci95_low` and `\(stem)_ci95_high` after `\(stem)`, "
                                           + "or the long form's \(PlanCSV.constraintColumns.joined(separator: ", ")) after concurrency_peak")
            }
            table.constraints.append(stem)
            constraintColumns.append((column, column + 1, column + 2))
            column += 3
        }
        table.targets = table.constraints.map { _ in nil }
        for record in file.records {
            var entry = try planEvaluation(file, record, (evaluation, span, status, recommended, reason, concurrency, cost, low, high))
            entry.constraintValues = try constraintColumns.map { (m, l, h) throws(ReportInputError) in
                (try file.number(record, m), try file.number(record, l), try file.number(record, h))
            }
            table.evaluations.append(entry)
        }
        return table
    }

    /// The columns of a configuration in plan.csv: evaluation, the paths, status, recommended,
    /// reason, concurrency, cost and its interval.
    typealias PlanColumns = (evaluation: Int, span: Range<Int>, status: Int, recommended: Int, reason: Int, concurrency: Int,
                             cost: Int, low: Int, high: Int)

    /// The configuration of one row, without its constraints' values.
    private static func planEvaluation(_ file: CSVFile, _ record: CSVFile.Record,
                                       _ c: PlanColumns) throws(ReportInputError) -> PlanTable.Evaluation {
        let verdict = file.text(record, c.status)
        guard ["pass", "fail", "undecided", "infeasible"].contains(verdict) else {
            throw ReportInputError(path: file.path, line: record.line, column: record.columns[c.status],
                                   reason: "expected pass, fail, undecided or infeasible in column `status`, found `\(verdict)`")
        }
        return PlanTable.Evaluation(
            index: try file.integer(record, c.evaluation), values: Array(record.fields[c.span]),
            status: verdict, recommended: file.text(record, c.recommended) == "true", reason: file.text(record, c.reason),
            concurrency: try file.number(record, c.concurrency), cost: try file.number(record, c.cost),
            costLow: try file.number(record, c.low), costHigh: try file.number(record, c.high))
    }

    /// The long form: one row per configuration and constraint, a configuration's rows
    /// together; constraints in order of first appearance.
    private static func readLongPlan(_ file: CSVFile, table: PlanTable, evaluationColumns c: PlanColumns,
                                     peak: Int) throws(ReportInputError) -> PlanTable {
        var table = table
        let (scope, metric, target, mean) = (peak + 1, peak + 2, peak + 3, peak + 4)
        let (low, high) = (peak + 5, peak + 6)
        var position: [String: Int] = [:]
        var values: [Int: [String: (mean: Double?, low: Double?, high: Double?)]] = [:]
        var order: [Int] = []
        var entries: [Int: PlanTable.Evaluation] = [:]
        for record in file.records {
            let entry = try planEvaluation(file, record, c)
            if entries[entry.index] == nil {
                order.append(entry.index)
                entries[entry.index] = entry
            }
            let scopeName = file.text(record, scope), metricName = file.text(record, metric)
            guard !scopeName.isEmpty || !metricName.isEmpty else { continue }
            let stem = "\(scopeName).\(metricName)"
            if position[stem] == nil {
                position[stem] = table.constraints.count
                table.constraints.append(stem)
                table.targets.append(try file.number(record, target))
            }
            values[entry.index, default: [:]][stem] = (try file.number(record, mean), try file.number(record, low),
                                                      try file.number(record, high))
        }
        table.evaluations = order.compactMap { index in
            guard var entry = entries[index] else { return nil }
            entry.constraintValues = table.constraints.map { values[index]?[$0] ?? (nil, nil, nil) }
            return entry
        }
        return table
    }
}
