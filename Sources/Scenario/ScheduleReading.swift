import ServerlessModel
import SimCore

/// Reading of `schedules:`: scheduled drains (EventBridge rules invoking a function).
extension PipelineReader {
    /// The keys of a schedule.
    static let scheduleKeys = ["every", "function", "queue", "until_downstream_busy"]

    /// Every schedule (optional).
    func schedules(_ node: SourceNode?) -> [ReadEntity<ScheduleSpec>] {
        let path = FieldPath.root.appending("schedules")
        let entries = namedEntries(node, path, location: .start, required: false, noun: "schedule",
                                   example: "{drain: {every: 2m, function: submitter, queue: jobs, until_downstream_busy: jobs-service}}",
                                   reservesAll: false)
        return entries.compactMap { schedule($0, path: path.appending($0.key.text)) }
    }

    /// One schedule; every key is required.
    private func schedule(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<ScheduleSpec>? {
        guard let view = values.mapping(entry.value, path, keys: Self.scheduleKeys,
                                        expected: "a schedule such as {every: 2m, function: submitter, queue: jobs, until_downstream_busy: jobs-service}")
        else { return nil }
        var spec = ScheduleSpec(name: entry.key.text, every: .minutes(1), function: "", queue: "", untilDownstreamBusy: "")
        if let value = values.required(view, "every", expected: "an interval such as 2m") {
            // EventBridge rate expressions fire at most once a minute.
            spec.every = values.duration(value, view.path("every"),
                                         DurationRange(minimum: .minutes(1), noun: "an interval", minimumText: "1m")) ?? spec.every
        }
        for (key, noun) in [("function", "function"), ("queue", "queue"), ("until_downstream_busy", "downstream")] {
            guard let value = values.required(view, key, expected: "the name of a \(noun)"),
                  let name = values.text(value, view.path(key), expected: "the name of a \(noun)") else { continue }
            switch key {
            case "function": spec.function = name
            case "queue": spec.queue = name
            default: spec.untilDownstreamBusy = name
            }
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }
}
