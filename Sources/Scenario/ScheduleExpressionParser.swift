import ServerlessModel
import SimCore

/// EventBridge schedule expressions, `rate(5 minutes)` and `cron(0 10 * * ? *)`, read as
/// EventBridge reads them (Amazon EventBridge User Guide, "Schedule expressions for rules":
/// six cron fields in UTC, `?` in exactly one of day-of-month and day-of-week, and a rate's
/// unit singular for 1 and plural above).
///
/// ``parse(_:)`` is the one entry point: the scenario reader's `expression:` key and the
/// template importer both use it.
public enum ScheduleExpressionParser {
    /// What a schedule expression looks like, for messages.
    public static let expected = "rate(5 minutes) or cron(0 10 * * ? *)"

    /// The expression, or why it is not one (a message ending in what was expected).
    public static func parse(_ text: String) -> Result<ScheduleExpression, ScheduleExpressionError> {
        let text = text.trimmingWhitespace()
        if let body = text.strippingCall("rate") { return rate(body).map { .rate($0) } }
        if let body = text.strippingCall("cron") { return cron(body).map { .cron($0) } }
        return .failure(ScheduleExpressionError("'\(text)' is not a schedule expression (expected \(expected))"))
    }

    /// `5 minutes`: a whole number above 0 and minute(s), hour(s) or day(s).
    private static func rate(_ body: String) -> Result<SimTime, ScheduleExpressionError> {
        let parts = body.split(separator: " ", omittingEmptySubsequences: true)
        let expected = "rate(value unit) with a whole value above 0 and a unit minute, minutes, hour, hours, day or days, such as rate(5 minutes)"
        guard parts.count == 2, let value = Int64(parts[0]), value > 0 else {
            return .failure(ScheduleExpressionError("'rate(\(body))' is not a rate (expected \(expected))"))
        }
        let units: [String: Int64] = ["minute": 60, "hour": 3_600, "day": 86_400]
        let unit = String(parts[1])
        let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
        guard let seconds = units[singular] else {
            return .failure(ScheduleExpressionError("'\(unit)' is not a rate unit (expected \(expected))"))
        }
        // EventBridge refuses `rate(1 minutes)` and `rate(5 minute)`.
        guard (value == 1) == (unit == singular) else {
            let right = value == 1 ? singular : singular + "s"
            return .failure(ScheduleExpressionError("'rate(\(body))' needs the unit \(right) for the value \(value) (expected the singular unit for 1 and the plural above, as EventBridge does)"))
        }
        let (total, overflow) = value.multipliedReportingOverflow(by: seconds)
        guard !overflow, total <= 100 * 365 * 86_400 else {
            return .failure(ScheduleExpressionError("'rate(\(body))' is longer than a century (expected \(expected))"))
        }
        return .success(.s(total))
    }

    /// The six fields of a cron expression.
    private static func cron(_ body: String) -> Result<CronExpression, ScheduleExpressionError> {
        let fields = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 6 else {
            return .failure(ScheduleExpressionError("'cron(\(body))' has \(fields.count) field\(fields.count == 1 ? "" : "s") (expected six: minutes hours day-of-month month day-of-week year, such as cron(0 10 * * ? *))"))
        }
        do throws(ScheduleExpressionError) {
            let minutes = try values(fields[0], .minutes)
            let hours = try values(fields[1], .hours)
            let months = try values(fields[3], .months)
            let years = try values(fields[5], .years)
            let (dom, dow) = (fields[2], fields[4])
            guard (dom == "?") != (dow == "?") else {
                throw ScheduleExpressionError("'cron(\(body))' has \(dom == "?" ? "? in both day fields" : "no ? in either day field") (expected ? in exactly one of day-of-month and day-of-week, such as cron(0 10 * * ? *) or cron(0 10 ? * MON *))")
            }
            let expression = CronExpression(
                minutes: UInt64(bits(minutes)), hours: UInt32(bits(hours)), dayOfMonth: try dayOfMonth(dom),
                months: UInt16(bits(months)), dayOfWeek: try dayOfWeek(dow), years: Set(years))
            return .success(expression)
        } catch {
            return .failure(error)
        }
    }

    /// A field's kind: its range, names and what it allows.
    private enum Field {
        case minutes, hours, dayOfMonth, months, dayOfWeek, years

        var name: String {
            switch self {
            case .minutes: "minutes"
            case .hours: "hours"
            case .dayOfMonth: "day-of-month"
            case .months: "month"
            case .dayOfWeek: "day-of-week"
            case .years: "year"
            }
        }

        var range: ClosedRange<Int> {
            switch self {
            case .minutes: 0...59
            case .hours: 0...23
            case .dayOfMonth: 1...31
            case .months: 1...12
            case .dayOfWeek: 1...7
            case .years: 1970...2199
            }
        }

        var names: [String] {
            switch self {
            case .months: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        var expected: String {
            let names = names.isEmpty ? "" : " or \(names[0])-\(names[names.count - 1])"
            let step = self == .dayOfWeek ? "" : ", a/step"
            return "values \(range.lowerBound)-\(range.upperBound)\(names) as *, a value, a-b\(step) or a list of those"
        }
    }

    /// The values a field allows: `*`, `5`, `1-5`, `0/15`, `*/15`, `1-30/5`, lists of those.
    private static func values(_ text: String, _ field: Field) throws(ScheduleExpressionError) -> [Int] {
        var result: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), !(parts.count == 2 && field == .dayOfWeek) else {
                throw invalid(item, field)
            }
            var low = field.range.lowerBound
            var high = field.range.upperBound
            if parts[0] != "*" {
                let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard (1...2).contains(bounds.count) else { throw invalid(item, field) }
                low = try value(bounds[0], field, item: item)
                // `0/15` runs from its start to the end of the range; a bare value is itself.
                high = bounds.count == 2 ? try value(bounds[1], field, item: item) : (parts.count == 2 ? high : low)
                guard low <= high else {
                    throw ScheduleExpressionError("'\(item)' in the \(field.name) field runs backwards (expected a range from low to high)")
                }
            }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), parsed >= 1 else { throw invalid(item, field) }
                step = parsed
            }
            result.append(contentsOf: stride(from: low, through: high, by: step))
        }
        return result
    }

    private static func value(_ text: String, _ field: Field, item: String) throws(ScheduleExpressionError) -> Int {
        if let index = field.names.firstIndex(of: text.uppercased()) { return field.range.lowerBound + index }
        guard let number = Int(text), field.range.contains(number) else { throw invalid(item, field) }
        return number
    }

    private static func invalid(_ item: String, _ field: Field) -> ScheduleExpressionError {
        ScheduleExpressionError("'\(item)' is not a value of the \(field.name) field (expected \(field.expected))")
    }

    private static func bits(_ values: [Int]) -> UInt64 {
        values.reduce(0) { $0 | (1 << UInt64($1)) }
    }

    /// `?`, `L`, `15W`, or values.
    private static func dayOfMonth(_ text: String) throws(ScheduleExpressionError) -> CronExpression.DayOfMonth {
        switch text {
        case "?": return .any
        case "L": return .last
        default:
            if text.hasSuffix("W") {
                guard let day = Int(text.dropLast()), Field.dayOfMonth.range.contains(day) else {
                    throw ScheduleExpressionError("'\(text)' is not a day-of-month (expected nW, the weekday nearest day n, with n 1-31, such as 15W)")
                }
                return .nearestWeekday(day)
            }
            return .days(UInt32(bits(try values(text, .dayOfMonth))))
        }
    }

    /// `?`, `L` (Saturday), `6L` (the last Friday), `3#2` (the second Tuesday), or values.
    private static func dayOfWeek(_ text: String) throws(ScheduleExpressionError) -> CronExpression.DayOfWeek {
        if text == "?" { return .any }
        if text == "L" { return .days(1 << 7) }
        if text.hasSuffix("L") {
            let day = try value(String(text.dropLast()), .dayOfWeek, item: text)
            return .lastOfMonth(day)
        }
        if text.contains("#") {
            let parts = text.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].contains(","), let week = Int(parts[1]), (1...5).contains(week) else {
                throw ScheduleExpressionError("'\(text)' is not a day-of-week (expected d#n, the nth day d of the month, as one expression with n 1-5, such as 3#2)")
            }
            return .nth(day: try value(parts[0], .dayOfWeek, item: text), week: week)
        }
        return .days(UInt8(bits(try values(text, .dayOfWeek))))
    }
}

/// Why a text is not a schedule expression.
public struct ScheduleExpressionError: Error, Equatable, Sendable {
    /// What is wrong and what was expected.
    public let message: String

    init(_ message: String) { self.message = message }
}

extension String {
    /// `name(body)` -> `body`, or nil.
    fileprivate func strippingCall(_ name: String) -> String? {
        guard hasPrefix(name + "("), hasSuffix(")") else { return nil }
        return String(dropFirst(name.count + 1).dropLast())
    }

    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
