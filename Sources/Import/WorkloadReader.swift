import Foundation
import Scenario

/// Turns `--logs` and `--metrics` files into a ``Workload``: each log file's function gets its
/// handler time and cold start fitted (``DistributionFit``) and its error rate counted; each
/// NumberOfMessagesSent series becomes its queue's arrival schedule.
struct WorkloadReader {
    let stack: Stack
    /// The scenario's file name without extension, for the data files of empirical samples.
    let outputStem: String

    func read(logs: [StackImport.InputFile], metrics: [StackImport.InputFile], report: inout [String]) throws(ImportErrors) -> Workload {
        var workload = Workload()
        var logsByFunction: [String: [ReportLog.Invocation]] = [:]
        var order: [String] = []
        for log in logs {
            let report = try ReportLog.read(log.text, file: log.path)
            let group = report.logGroup.flatMap { $0.hasPrefix("/aws/lambda/") ? String($0.dropFirst("/aws/lambda/".count)) : nil }
            let function = try owner(of: log, label: group, among: stack.functions.map { ($0.id, $0.name) }, noun: "function", flag: "--logs")
            if logsByFunction[function] == nil { order.append(function) }
            logsByFunction[function, default: []] += report.invocations
        }
        for function in order {
            let invocations = logsByFunction[function] ?? []
            let names = logs.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")
            var fit = Workload.FunctionFit()
            let succeeded = invocations.filter { !$0.failed }.map(\.duration)
            fit.duration = sample(succeeded, of: function, key: "duration", what: "REPORT Duration of \(succeeded.count) successful invocations", files: names,
                                  workload: &workload, report: &report)
            let inits = invocations.compactMap(\.initDuration)
            if !inits.isEmpty {
                fit.coldStart = sample(inits, of: function, key: "cold_start", what: "Init Duration of \(inits.count) cold starts", files: names,
                                       workload: &workload, report: &report)
            } else {
                report.append("\(function) cold_start: no Init Duration in the logs (left a placeholder)")
            }
            let failed = invocations.count - succeeded.count
            fit.errorRate = Sourced(yaml: ScenarioValues.number(Double(failed) / Double(invocations.count)),
                                    provenance: .measured("\(names): \(failed) of \(invocations.count) invocations failed (errors and timeouts)"))
            workload.functions[function] = fit
        }
        for file in metrics {
            for series in try MetricSeries.read(file.text, file: file.path) {
                let queue = try owner(of: file, label: series.label, among: stack.queues.map { ($0.id, $0.name) }, noun: "queue", flag: "--metrics")
                guard workload.queues[queue] == nil else {
                    throw ImportErrors(file: file.path, at: .start, "a second NumberOfMessagesSent series for queue \(queue) (expected one per queue)")
                }
                workload.queues[queue] = series.arrivals(file: (file.path as NSString).lastPathComponent)
                report.append("\(queue) arrivals: \(series.points.count) points of NumberOfMessagesSent, \(series.period) s period")
            }
        }
        return workload
    }

    /// A sample as a distribution: the best family by AIC when it passes the KS test, else
    /// the values themselves (`empirical`, in a data file beside the scenario).
    private func sample(_ values: [Double], of function: String, key: String, what: String, files: String,
                        workload: inout Workload, report: inout [String]) -> Sourced? {
        guard !values.isEmpty else { return nil }
        let result = DistributionFit.fit(values)
        let ranking = result.candidates.prefix(3).map { "\($0.family.name) AIC \(ScenarioValues.number($0.aic))" }.joined(separator: ", ")
        if let best = result.best, result.fallbackReason == nil {
            let ks = "KS \(ScenarioValues.number(result.ksDistance)) (5 % critical \(ScenarioValues.number(result.ksCritical)))"
            report.append("\(function) \(key): \(result.count) values; \(ranking); chosen \(best.family.name), \(ks)")
            return Sourced(yaml: best.family.yaml, provenance: .measured("fitted to \(files): \(what); \(best.family.name) by AIC of \(result.candidates.count) families, \(ks)"))
        }
        let reason = result.fallbackReason ?? "no fit"
        let name = "\(outputStem).\(function).\(key).txt"
        workload.dataFiles[name] = "# \(what) in seconds, from \(files) (queuesim import)\n" + values.map { ScenarioValues.number($0) }.joined(separator: "\n") + "\n"
        report.append("\(function) \(key): \(result.count) values\(ranking.isEmpty ? "" : "; " + ranking); empirical: \(reason)")
        return Sourced(yaml: "{empirical: {file: \(ScenarioDocument.quoted(name))}}", provenance: .measured("\(what) from \(files), resampled: \(reason)"))
    }

    /// The entity a file belongs to: the one named with `NAME=FILE`, else the one the file's
    /// name names (`/aws/lambda/NAME` exported as `aws-lambda-NAME.json`), else the one its
    /// label names (a metric's label or id, the function of a log group; CloudFormation's
    /// generated names, `stack-LogicalId-SUFFIX`, hold the logical ID), else the only one.
    private func owner(of file: StackImport.InputFile, label: String? = nil, among entities: [(id: String, name: String)],
                       noun: String, flag: String) throws(ImportErrors) -> String {
        if let target = file.target {
            guard let entity = entities.first(where: { $0.id == target || $0.name == target }) else {
                throw ImportErrors(file: file.path, at: .start, "\(flag) \(target)=...: no \(noun) \(target) in the template (expected one of: \(entities.map(\.id).joined(separator: ", ")))")
            }
            return entity.id
        }
        var stem = StackImport.stem(of: file.path)
        for prefix in ["aws-lambda-", "_aws_lambda_", "aws_lambda_"] where stem.hasPrefix(prefix) { stem.removeFirst(prefix.count) }
        if let entity = entities.first(where: { $0.id == stem || $0.name == stem }) { return entity.id }
        if let label {
            if let entity = entities.first(where: { label == $0.name || label.split(separator: " ").contains(Substring($0.id)) }) {
                return entity.id
            }
            let containing = entities.filter { label.contains($0.id) || label.contains($0.name) }
            if containing.count == 1 { return containing[0].id }
        }
        if entities.count == 1 { return entities[0].id }
        throw ImportErrors(file: file.path, at: .start, "cannot tell which \(noun) this file is for (expected \(flag) \(noun.uppercased())=\(file.path), one of: \(entities.map(\.id).joined(separator: ", ")))")
    }
}
