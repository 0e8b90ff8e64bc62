import ServerlessModel
import SimCore

/// Reading of `schedules:`: scheduled drains (EventBridge rules invoking a function).
extension PipelineReader {
    /// The keys of a schedule.
    static let scheduleKeys = ["every", "expression", "function", "queue", "until_downstream_busy", "retry_policy",
                               "run_starts_at"]
    /// The keys of a schedule's `retry_policy:`.
    static let scheduleRetryKeys = ["maximum_event_age", "maximum_retry_attempts", "backoff", "max_backoff"]

    /// Every schedule (optional).
    func schedules(_ node: SourceNode?) -> [ReadEntity<ScheduleSpec>] {
        let path = FieldPath.root.appending("schedules")
        let entries = namedEntries(node, path, location: .start, required: false, noun: "schedule",
                                   example: "{drain: {every: 2m, function: submitter, queue: jobs, until_downstream_busy: jobs-service}}",
                                   reservesAll: false)
        return entries.compactMap { schedule($0, path: path.appending($0.key.text)) }
    }

    /// One schedule: `every` or `expression`, and the three names.
    private func schedule(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<ScheduleSpec>? {
        guard let view = values.mapping(entry.value, path, keys: Self.scheduleKeys,
                                        expected: "a schedule such as {every: 2m, function: submitter, queue: jobs, until_downstream_busy: jobs-service}")
        else { return nil }
        var spec = ScheduleSpec(name: entry.key.text, every: .minutes(1), function: "", queue: "", untilDownstreamBusy: "")
        switch (view["every"], view["expression"]) {
        case (let every?, nil):
            // EventBridge rate expressions fire at most once a minute.
            if let interval = values.duration(every, view.path("every"),
                                              DurationRange(minimum: .minutes(1), noun: "an interval", minimumText: "1m")) {
                spec.expression = .rate(interval)
            }
        case (nil, let expression?):
            spec.expression = scheduleExpression(expression, view.path("expression")) ?? spec.expression
        case (.some, .some):
            sink.error(view.keyLocation(of: "expression"), view.path("expression"),
                       "a schedule fires either every interval or by an expression (expected every or expression, not both)", kind: .conflict)
        case (nil, nil):
            sink.error(view.location(of: "every"), view.path("every"),
                       "missing (expected every: 2m, or expression: \(ScheduleExpressionParser.expected); one of them is required)")
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
        if let value = view["retry_policy"] { spec.retryPolicy = retryPolicy(value, view.path("retry_policy")) ?? spec.retryPolicy }
        if let value = view["run_starts_at"] {
            if case .rate = spec.expression, !sink.hasFailed(view.path("expression")) {
                sink.warning(view.keyLocation(of: "run_starts_at"), view.path("run_starts_at"),
                             "has no effect on a rate (expected run_starts_at with a cron expression only)")
            }
            spec.runStartsAt = utcTime(value, view.path("run_starts_at")) ?? spec.runStartsAt
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }

    /// `rate(5 minutes)` or `cron(0 10 * * ? *)`, through ``ScheduleExpressionParser``.
    private func scheduleExpression(_ node: SourceNode, _ path: FieldPath) -> ScheduleExpression? {
        guard let scalar = values.scalar(node, path, expected: ScheduleExpressionParser.expected) else { return nil }
        switch ScheduleExpressionParser.parse(scalar.text) {
        case .success(let expression): return expression
        case .failure(let error):
            sink.error(scalar.location, path, error.message)
            return nil
        }
    }

    /// `{maximum_event_age: 24h, maximum_retry_attempts: 185, backoff: 1s, max_backoff: 8m}`.
    private func retryPolicy(_ node: SourceNode, _ path: FieldPath) -> ScheduleRetryPolicy? {
        guard let view = values.mapping(node, path, keys: Self.scheduleRetryKeys,
                                        expected: "a retry policy such as {maximum_event_age: 1h, maximum_retry_attempts: 10}")
        else { return nil }
        var policy = ScheduleRetryPolicy()
        if let value = view["maximum_event_age"] {
            policy.maximumEventAge = values.duration(value, view.path("maximum_event_age"),
                DurationRange(minimum: .s(60), maximum: .hours(24), noun: "a maximum event age", minimumText: "60s", maximumText: "24h"))
                ?? policy.maximumEventAge
        }
        if let value = view["maximum_retry_attempts"] {
            policy.maximumRetryAttempts = values.integer(value, view.path("maximum_retry_attempts"),
                                                         IntegerRange(minimum: 0, maximum: 185, noun: "a number of retry attempts"))
                ?? policy.maximumRetryAttempts
        }
        if let value = view["backoff"] {
            policy.initialBackoff = values.duration(value, view.path("backoff"), .positive("a back-off")) ?? policy.initialBackoff
        }
        if let value = view["max_backoff"] {
            policy.maximumBackoff = values.duration(value, view.path("max_backoff"), .positive("a back-off")) ?? policy.maximumBackoff
        }
        if !sink.hasFailed(view.path("backoff")), !sink.hasFailed(view.path("max_backoff")),
           policy.maximumBackoff < policy.initialBackoff {
            sink.error(view.location(of: "max_backoff"), view.path("max_backoff"),
                       "\(policy.maximumBackoff) is shorter than the back-off \(policy.initialBackoff) (expected a longest back-off of at least the first)", kind: .conflict)
        }
        return policy
    }

    /// A UTC time `2026-01-05T00:00:00Z` (seconds optional) or a date `2026-01-05`, in seconds
    /// since 1970-01-01T00:00Z.
    private func utcTime(_ node: SourceNode, _ path: FieldPath) -> Int64? {
        let expected = "a UTC time such as 2026-01-05T00:00:00Z or a date such as 2026-01-05, in 1970-2199"
        guard let scalar = values.scalar(node, path, expected: expected) else { return nil }
        guard let seconds = Self.utcSeconds(scalar.text) else {
            sink.error(scalar.location, path, "'\(scalar.text)' is not a UTC time (expected \(expected))")
            return nil
        }
        return seconds
    }

    /// `YYYY-MM-DD[THH:MM[:SS]Z]` in seconds since 1970, or nil.
    static func utcSeconds(_ text: String) -> Int64? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard date.count == 3, parts[0].count == 10, (1970...2199).contains(date[0]), (1...12).contains(date[1]),
              (1...CivilDate.daysIn(month: date[1], year: date[0])).contains(date[2]) else { return nil }
        var seconds = Int64(CivilDate.days(year: date[0], month: date[1], day: date[2])) * 86_400
        if parts.count == 2 {
            guard parts[1].hasSuffix("Z") else { return nil }
            let time = parts[1].dropLast().split(separator: ":", omittingEmptySubsequences: false).compactMap { Int($0) }
            guard (2...3).contains(time.count), (0...23).contains(time[0]), (0...59).contains(time[1]),
                  time.count == 2 || (0...59).contains(time[2]) else { return nil }
            seconds += Int64(time[0] * 3_600 + time[1] * 60 + (time.count == 3 ? time[2] : 0))
        }
        return seconds
    }
}
