import ServerlessModel
import SimCore

/// Reading of arrival processes: `{poisson: {rate: 2/s}}` and the other families.
extension ValueReader {
    /// The arrival process families of the scenario format.
    static let arrivalFamilies = ["poisson", "constant", "bursts", "schedule", "batch", "trace"]

    /// What an arrival process looks like, for messages.
    static let arrivalsExpected = "an arrival process such as {poisson: {rate: 2/s}}"

    /// The most messages one batch may send at once (a sanity bound, not an AWS limit).
    static let maximumBatchArrivals = 10_000_000

    /// The arrival process of task group `group`.
    func arrivals(_ node: SourceNode, _ path: FieldPath, group: String) -> ArrivalProcess? {
        guard case .mapping(let mapping) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(Self.arrivalsExpected))")
            return nil
        }
        guard let (family, value) = singleFamily(mapping, path, families: Self.arrivalFamilies, noun: "arrival process",
                                                 expected: Self.arrivalsExpected) else { return nil }
        let path = path.appending(family)
        switch family {
        case "poisson", "constant":
            guard let view = parameters(value, path, ["rate"], "{\(family): {rate: 2/s}}"),
                  let rate = required(view, "rate", expected: "a rate above 0, such as 2/s")
                    .flatMap({ rate($0, view.path("rate"), positive: true) }) else { return nil }
            return family == "poisson" ? .poisson(rate: rate) : .constant(rate: rate)
        case "bursts":
            guard let view = parameters(value, path, ["rate", "on", "off", "base_rate"],
                                        "{bursts: {rate: 20/s, on: 10s, off: 50s, base_rate: 1/s}}") else { return nil }
            let rate = required(view, "rate", expected: "a rate above 0, such as 20/s")
                .flatMap { self.rate($0, view.path("rate"), positive: true) }
            let on = requiredDuration(view, "on", .positive("an on period"))
            let off = requiredDuration(view, "off", .positive("an off period"))
            let base = view["base_rate"].map { self.rate($0, view.path("base_rate"), positive: false) } ?? Rate(perSecond: 0)
            guard let rate, let on, let off, let base else { return nil }
            return .bursts(rate: rate, on: on, off: off, baseRate: base)
        case "schedule":
            return schedule(value, path)
        case "batch":
            guard let view = parameters(value, path, ["every", "size", "start"], "{batch: {every: 5m, size: 1000, start: 0s}}")
            else { return nil }
            let every = requiredDuration(view, "every", .positive("a period"))
            let size = required(view, "size", expected: "a number of messages of at least 1").flatMap {
                integer($0, view.path("size"), IntegerRange(minimum: 1, maximum: Self.maximumBatchArrivals, noun: "a number of messages"))
            }
            let start = view["start"].map { duration($0, view.path("start"), .any) } ?? .zero
            guard let every, let size, let start else { return nil }
            return .batch(every: every, size: size, start: start)
        case "trace":
            return trace(value, path, group: group)
        default:
            return nil
        }
    }

    /// `[{at: 0s, rate: 1/s}, {at: 10m, rate: 20/s}]`, steps in increasing time.
    private func schedule(_ node: SourceNode, _ path: FieldPath) -> ArrivalProcess? {
        let expected = "a list of steps such as [{at: 0s, rate: 1/s}, {at: 10m, rate: 20/s}]"
        guard case .sequence(let list) = node else {
            sink.error(node.location, path, "found \(node.kindDescription) (expected \(expected))")
            return nil
        }
        guard !list.items.isEmpty else {
            sink.error(node.location, path, "found an empty list (expected \(expected))")
            return nil
        }
        var steps: [RateStep] = []
        var complete = true
        for (index, item) in list.items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let view = mapping(item, itemPath, keys: ["at", "rate"], expected: "a step {at: 10m, rate: 20/s}") else {
                complete = false
                continue
            }
            let at = requiredDuration(view, "at", .any)
            let rate = required(view, "rate", expected: "a rate such as 2/s").flatMap { self.rate($0, view.path("rate"), positive: false) }
            guard let at, let rate else {
                complete = false
                continue
            }
            if let previous = steps.last, at <= previous.at {
                sink.error(view.location(of: "at"), view.path("at"),
                           "\(at) is not after the previous step's \(previous.at) (expected steps in increasing time)")
                complete = false
                continue
            }
            steps.append(RateStep(at: at, rate: rate))
        }
        return complete ? .schedule(steps) : nil
    }

    /// Send times replayed from a CSV file: `time_s[,group]` a line; rows naming another group
    /// are skipped, rows without a group belong to every group that reads the file.
    private func trace(_ node: SourceNode, _ path: FieldPath, group: String) -> ArrivalProcess? {
        guard let view = parameters(node, path, ["file"], "{trace: {file: arrivals.csv}}"),
              let (fileNode, name, contents) = dataFile(view, describing: "a CSV file of send times",
                                                        format: "time_s[,group] a line", example: "arrivals.csv")
        else { return nil }
        let filePath = view.path("file")
        var times: [SimTime] = []
        for row in DataFiles.dataLines(contents) {
            guard (1...2).contains(row.fields.count) else {
                sink.error(fileNode.location, filePath,
                           "\(name) line \(row.number) has \(row.fields.count) fields (expected time_s[,group] a line)")
                return nil
            }
            guard let seconds = DataFiles.seconds(row.fields[0]) else {
                sink.error(fileNode.location, filePath,
                           "\(name) line \(row.number): \(DataFiles.problem(with: row.fields[0], isNot: "a send time")) (expected time_s[,group] a line, with time_s a number of seconds of at least 0)")
                return nil
            }
            if row.fields.count == 2, !row.fields[1].isEmpty, row.fields[1] != group { continue }
            times.append(SimTime(seconds: seconds))
        }
        guard !times.isEmpty else {
            sink.error(fileNode.location, filePath,
                       "\(name) has no send times for group '\(group)' (expected rows 'time_s' or 'time_s,\(group)')")
            return nil
        }
        // Sorting (stable) accepts traces merged from several sources.
        times.sort()
        return .trace(times)
    }
}
