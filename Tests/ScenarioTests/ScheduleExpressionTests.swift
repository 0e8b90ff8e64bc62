import Scenario
import ServerlessModel
import SimCore
import Testing

/// EventBridge's `rate(...)` and `cron(...)` expressions: what is accepted, what is refused and
/// when a cron expression fires on the calendar.
@Suite struct ScheduleExpressionTests {
    /// Everything of a scenario but its schedules.
    static let pipeline = """
        name: cron
        run: {duration: 1h}
        groups: {A: {queue: tasks, arrivals: {poisson: {rate: 1/s}}}}
        queues: {tasks: {visibility_timeout: 2m}}
        functions: {submitter: {timeout: 60s}}
        downstreams: {jobs: {latency: 3m, limits: {all: {concurrency: 10}}}}
        """

    /// 2026-01-05T00:00Z, a Monday.
    let monday = ScheduleSpec.defaultRunStart

    func parsed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ScheduleExpression? {
        switch ScheduleExpressionParser.parse(text) {
        case .success(let expression): return expression
        case .failure(let error):
            Issue.record("\(text): \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    func refusal(_ text: String) -> String? {
        if case .failure(let error) = ScheduleExpressionParser.parse(text) { return error.message }
        return nil
    }

    /// The firings of an expression within `hours` of the run's start, in seconds.
    func firings(_ text: String, hours: Int64, start: Int64? = nil) -> [Int64] {
        guard let expression = parsed(text) else { return [] }
        var times: [Int64] = []
        var t = SimTime.zero
        while let next = expression.nextFiring(after: t, calendarStart: start ?? monday), next <= .hours(hours) {
            times.append(next.nanoseconds / 1_000_000_000)
            t = next
        }
        return times
    }

    @Test func ratesAreIntervalsWithEventBridgesUnits() {
        #expect(parsed("rate(1 minute)") == .rate(.minutes(1)))
        #expect(parsed("rate(5 minutes)") == .rate(.minutes(5)))
        #expect(parsed(" rate(2 hours) ") == .rate(.hours(2)))
        #expect(parsed("rate(1 day)") == .rate(.hours(24)))
        #expect(firings("rate(20 minutes)", hours: 1) == [1_200, 2_400, 3_600])
        #expect(refusal("rate(1 minutes)") == "'rate(1 minutes)' needs the unit minute for the value 1 (expected the singular unit for 1 and the plural above, as EventBridge does)")
        #expect(refusal("rate(5 minute)")?.hasPrefix("'rate(5 minute)' needs the unit minutes") == true)
        #expect(refusal("rate(0 minutes)")?.hasPrefix("'rate(0 minutes)' is not a rate") == true)
        #expect(refusal("rate(5 seconds)")?.hasPrefix("'seconds' is not a rate unit") == true)
        #expect(refusal("every 5 minutes") == "'every 5 minutes' is not a schedule expression (expected rate(5 minutes) or cron(0 10 * * ? *))")
    }

    @Test func cronFieldsFireAtTheirMinutesHoursAndDays() {
        // Every day at 10:00 UTC.
        #expect(firings("cron(0 10 * * ? *)", hours: 48) == [36_000, 36_000 + 86_400])
        // Every 15 minutes from minute 5 (5, 20, 35, 50) in the first hour.
        #expect(firings("cron(5/15 0 * * ? *)", hours: 1) == [300, 1_200, 2_100, 3_000])
        #expect(firings("cron(*/30 0-1 * * ? *)", hours: 2) == [1_800, 3_600, 5_400])
        // Weekdays at 08:30: Monday 5 January is day 0; Saturday and Sunday are days 5 and 6.
        let weekdays = firings("cron(30 8 ? * MON-FRI *)", hours: 24 * 7)
        #expect(weekdays == [0, 1, 2, 3, 4].map { Int64($0) * 86_400 + 30_600 })
        #expect(firings("cron(30 8 ? * 2-6 *)", hours: 24 * 7) == weekdays)
        // A list of days of the month: the 6th and the 8th.
        #expect(firings("cron(0 0 6,8 JAN ? 2026)", hours: 24 * 40) == [86_400, 3 * 86_400])
        // A year with no firing left.
        #expect(firings("cron(0 0 1 1 ? 2025)", hours: 24 * 400).isEmpty)
    }

    @Test func cronSpecialDaysLastNearestWeekdayAndNth() {
        let day: Int64 = 86_400
        // The last day of January 2026 is Saturday the 31st (day 26 from Monday the 5th).
        #expect(firings("cron(0 0 L * ? *)", hours: 24 * 30) == [26 * day])
        // The weekday nearest Saturday 31 January is Friday the 30th; nearest Sunday 1 February
        // is Monday the 2nd (never in another month).
        #expect(firings("cron(0 0 31W * ? *)", hours: 24 * 30) == [25 * day])
        #expect(firings("cron(0 0 1W * ? *)", hours: 24 * 30) == [28 * day])
        // The second Tuesday of January 2026 is the 13th; the last Friday the 30th.
        #expect(firings("cron(0 0 ? * 3#2 *)", hours: 24 * 30) == [8 * day])
        #expect(firings("cron(0 0 ? * 6L *)", hours: 24 * 30) == [25 * day])
        // L alone in day-of-week is Saturday.
        #expect(firings("cron(0 0 ? * L *)", hours: 24 * 7) == [5 * day])
    }

    @Test func cronRefusesWhatEventBridgeRefuses() {
        #expect(refusal("cron(0 10 * * *)") == "'cron(0 10 * * *)' has 5 fields (expected six: minutes hours day-of-month month day-of-week year, such as cron(0 10 * * ? *))")
        #expect(refusal("cron(0 10 * * * *)")?.hasPrefix("'cron(0 10 * * * *)' has no ? in either day field") == true)
        #expect(refusal("cron(0 10 ? * ? *)")?.hasPrefix("'cron(0 10 ? * ? *)' has ? in both day fields") == true)
        #expect(refusal("cron(60 10 * * ? *)") == "'60' is not a value of the minutes field (expected values 0-59 as *, a value, a-b, a/step or a list of those)")
        #expect(refusal("cron(0 10 * FOO ? *)")?.hasPrefix("'FOO' is not a value of the month field (expected values 1-12 or JAN-DEC") == true)
        #expect(refusal("cron(0 5-2 * * ? *)") == "'5-2' in the hours field runs backwards (expected a range from low to high)")
        #expect(refusal("cron(0 10 ? * 1/2 *)")?.hasPrefix("'1/2' is not a value of the day-of-week field") == true)
        #expect(refusal("cron(0 10 ? * 3#1,6#3 *)")?.hasPrefix("'3#1,6#3' is not a day-of-week") == true)
        #expect(refusal("cron(0 10 * * ? 1969)")?.hasPrefix("'1969' is not a value of the year field") == true)
    }

    @Test func theScenarioReadsExpressionsRetryPoliciesAndTheRunStart() throws {
        let yaml = Self.pipeline + """

        schedules:
          drain:
            expression: cron(0/10 * ? * MON-FRI *)
            run_starts_at: 2026-03-02T08:00Z
            retry_policy: {maximum_event_age: 1h, maximum_retry_attempts: 10, backoff: 2s, max_backoff: 1m}
            function: submitter
            queue: tasks
            until_downstream_busy: jobs
        """
        let spec = try #require(loadValid(yaml)?.pipeline)
        let schedule = try #require(spec.schedules.first)
        #expect(schedule.runStartsAt == 1_772_438_400)
        #expect(schedule.retryPolicy == ScheduleRetryPolicy(maximumEventAge: .hours(1), maximumRetryAttempts: 10,
                                                            initialBackoff: .s(2), maximumBackoff: .minutes(1)))
        #expect(schedule.expression.nextFiring(after: .zero, calendarStart: schedule.runStartsAt) == .minutes(10))
    }

    @Test func scheduleMistakesAreLocated() {
        let base = Self.pipeline + """

        schedules:
          drain:
            function: submitter
            queue: tasks
            until_downstream_busy: jobs

        """
        #expect(diagnostics(ofYAML: base + "    expression: cron(0 10 * * *)") == [
            "test.yml:12:17: schedules.drain.expression: 'cron(0 10 * * *)' has 5 fields (expected six: minutes hours day-of-month month day-of-week year, such as cron(0 10 * * ? *))",
        ])
        #expect(diagnostics(ofYAML: base + "    every: 2m\n    expression: rate(2 minutes)") == [
            "test.yml:13:5: schedules.drain.expression: a schedule fires either every interval or by an expression (expected every or expression, not both)",
        ])
        #expect(diagnostics(ofYAML: base + "    expression: cron(0 * * * ? *)\n    run_starts_at: 2026-02-30") == [
            "test.yml:13:20: schedules.drain.run_starts_at: '2026-02-30' is not a UTC time (expected a UTC time such as 2026-01-05T00:00:00Z or a date such as 2026-01-05, in 1970-2199)",
        ])
        #expect(diagnostics(ofYAML: base + "    every: 2m\n    run_starts_at: 2026-01-05") == [
            "test.yml:13:5: warning: schedules.drain.run_starts_at: has no effect on a rate (expected run_starts_at with a cron expression only)",
        ])
        #expect(diagnostics(ofYAML: base + "    every: 2m\n    retry_policy: {maximum_retry_attempts: 186}").first?
            .hasPrefix("test.yml:13:44: schedules.drain.retry_policy.maximum_retry_attempts: 186 is above the maximum 185") == true)
    }
}
