import Foundation

/// A queue's `NumberOfMessagesSent` from CloudWatch: the JSON of `aws cloudwatch
/// get-metric-data` (`MetricDataResults`, each with `Label`, `Timestamps` and `Values`) or of
/// `get-metric-statistics` (`Label` and `Datapoints` with `Timestamp` and `Sum`).
struct MetricSeries: Sendable {
    /// The series' label or id (to match a queue), its points (seconds since 1970, messages
    /// per period) in time order, and its period in seconds.
    var label: String
    var points: [(time: Double, count: Double)]
    var period: Int

    /// Every NumberOfMessagesSent series in a file.
    static func read(_ text: String, file: String) throws(ImportErrors) -> [MetricSeries] {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ImportErrors(file: file, at: .start, "not JSON (expected the output of aws cloudwatch get-metric-data or get-metric-statistics)")
        }
        var raw: [(label: String, points: [(Double, Double)])] = []
        if let results = object["MetricDataResults"] as? [[String: Any]] {
            for result in results {
                let label = (result["Label"] as? String) ?? (result["Id"] as? String) ?? ""
                let id = (result["Id"] as? String) ?? ""
                let times = (result["Timestamps"] as? [Any]) ?? []
                let values = (result["Values"] as? [NSNumber]) ?? []
                guard times.count == values.count else {
                    throw ImportErrors(file: file, at: .start, "\(label): \(times.count) timestamps but \(values.count) values (expected one value per timestamp)")
                }
                var points: [(Double, Double)] = []
                for (time, value) in zip(times, values) {
                    guard let t = timestamp(time) else {
                        throw ImportErrors(file: file, at: .start, "\(label): '\(time)' is not a timestamp (expected ISO 8601, as the CLI prints)")
                    }
                    points.append((t, value.doubleValue))
                }
                raw.append((id.isEmpty || label.contains(id) ? label : "\(id) \(label)", points))
            }
        } else if let datapoints = object["Datapoints"] as? [[String: Any]] {
            let label = (object["Label"] as? String) ?? ""
            var points: [(Double, Double)] = []
            for point in datapoints {
                guard let t = point["Timestamp"].flatMap(timestamp) else {
                    throw ImportErrors(file: file, at: .start, "\(label): a datapoint without a Timestamp (expected ISO 8601)")
                }
                guard let sum = (point["Sum"] as? NSNumber)?.doubleValue else {
                    throw ImportErrors(file: file, at: .start, "\(label): a datapoint without Sum (expected --statistics Sum: NumberOfMessagesSent is a count per period)")
                }
                points.append((t, sum))
            }
            raw.append((label, points))
        } else {
            throw ImportErrors(file: file, at: .start, "neither MetricDataResults nor Datapoints (expected the output of aws cloudwatch get-metric-data or get-metric-statistics)")
        }
        var series: [MetricSeries] = []
        for (label, points) in raw where label.contains("NumberOfMessagesSent") || raw.count == 1 {
            let sorted = points.sorted { $0.0 < $1.0 }
            guard sorted.count >= 2 else {
                throw ImportErrors(file: file, at: .start, "\(label): \(sorted.count) point(s) (expected at least two, to know the period)")
            }
            let gaps = zip(sorted.dropFirst(), sorted).map { Int(($0.0 - $1.0).rounded()) }
            guard let period = gaps.min(), period > 0, gaps.allSatisfy({ $0 % period == 0 }) else {
                throw ImportErrors(file: file, at: .start, "\(label): the timestamps are not on one period (expected points a whole number of periods apart)")
            }
            series.append(MetricSeries(label: label, points: sorted.map { (time: $0.0, count: $0.1) }, period: period))
        }
        guard !series.isEmpty else {
            throw ImportErrors(file: file, at: .start, "no NumberOfMessagesSent series (the labels are \(raw.map(\.label).joined(separator: ", ")))")
        }
        return series
    }

    /// A period's count as a rate, exact where the period is a unit of the format.
    private func rate(_ count: Double) -> String {
        guard count != 0 else { return "0/s" }
        if let unit = [1: "s", 60: "min", 3_600: "h", 86_400: "d"][period] { return "\(ScenarioValues.number(count))/\(unit)" }
        return ScenarioValues.rate(perSecond: count / Double(period))
    }

    private static func timestamp(_ value: Any) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        guard let text = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// The schedule steps: one a period from the first point, its rate the period's count
    /// over the period; a period without a point sent nothing (CloudWatch leaves it out).
    func arrivals(file: String) -> Workload.Arrivals {
        let start = points[0].time
        let last = points[points.count - 1].time
        let periods = Int(((last - start) / Double(period)).rounded()) + 1
        var counts = Array(repeating: 0.0, count: periods)
        for point in points { counts[Int(((point.time - start) / Double(period)).rounded())] += point.count }
        var steps: [Sourced] = []
        var previous: Double?
        for (i, count) in counts.enumerated() where count != previous {
            previous = count
            steps.append(Sourced(yaml: "{at: \(ScenarioValues.duration(seconds: i * period)), rate: \(rate(count))}",
                                 provenance: .measured("\(ScenarioValues.number(count)) messages")))
        }
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: start))
        return Workload.Arrivals(steps: steps, comment: "\(file): \(label), \(points.count) points of \(period) s from \(date) (one step per change)",
                                 span: periods * period)
    }
}
