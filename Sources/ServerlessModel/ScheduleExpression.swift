import SimCore

/// When a schedule fires: EventBridge's `rate(...)` and `cron(...)` expressions.
///
/// EventBridge evaluates cron expressions in UTC on the calendar, so a cron schedule needs to
/// know where the run's time 0 falls on it: `calendarStart`, in seconds since 1970-01-01T00:00Z
/// (``ScheduleSpec/runStartsAt``). A rate fires every `interval`, the first time one interval
/// after the start.
public enum ScheduleExpression: Hashable, Sendable {
    /// `rate(5 minutes)` (or the scenario's `every: 5m`).
    case rate(SimTime)
    /// `cron(0 10 * * ? *)`.
    case cron(CronExpression)

    /// The first firing strictly after `time`, or nil when the expression fires no more.
    public func nextFiring(after time: SimTime, calendarStart: Int64) -> SimTime? {
        switch self {
        case .rate(let interval):
            guard interval > .zero else { return nil }
            // The next multiple of the interval: firings never drift, whatever `time` is.
            return interval * (time.nanoseconds / interval.nanoseconds + 1)
        case .cron(let cron):
            // Cron fires on whole minutes of the calendar: the first minute after `time`.
            let seconds = calendarStart + time.nanoseconds / 1_000_000_000
            guard let next = cron.firstMinute(atOrAfter: (seconds / 60 + 1) * 60) else { return nil }
            return .s(next - calendarStart)
        }
    }
}

/// A parsed `cron(Minutes Hours Day-of-month Month Day-of-week Year)` expression, in UTC.
///
/// Each field is the set of values it allows; day of month and day of week keep EventBridge's
/// special forms (`L`, `W`, `#`), one of them being `?` (any).
public struct CronExpression: Hashable, Sendable {
    /// Minutes 0-59, as bits.
    public var minutes: UInt64
    /// Hours 0-23, as bits.
    public var hours: UInt32
    /// Day of month: any (`?`), a set of days, the last day (`L`), or the weekday nearest a day (`nW`).
    public var dayOfMonth: DayOfMonth
    /// Months 1-12, as bits.
    public var months: UInt16
    /// Day of week (1 = Sunday ... 7 = Saturday): any, a set, the last weekday of the month
    /// (`nL`), or the nth of the month (`d#n`).
    public var dayOfWeek: DayOfWeek
    /// Years 1970-2199 (each allowed year).
    public var years: Set<Int>

    /// Creates an expression from its fields.
    public init(minutes: UInt64, hours: UInt32, dayOfMonth: DayOfMonth, months: UInt16, dayOfWeek: DayOfWeek,
                years: Set<Int>) {
        self.minutes = minutes
        self.hours = hours
        self.dayOfMonth = dayOfMonth
        self.months = months
        self.dayOfWeek = dayOfWeek
        self.years = years
    }

    /// The day-of-month field.
    public enum DayOfMonth: Hashable, Sendable {
        case any
        case days(UInt32)
        case last
        case nearestWeekday(Int)
    }

    /// The day-of-week field.
    public enum DayOfWeek: Hashable, Sendable {
        case any
        case days(UInt8)
        case lastOfMonth(Int)
        case nth(day: Int, week: Int)
    }

    /// The first allowed minute at or after `seconds` (seconds since 1970, a whole minute), or
    /// nil when none remains before the year 2200.
    func firstMinute(atOrAfter seconds: Int64) -> Int64? {
        var day = Int(seconds.floorDivided(by: 86_400))
        var minuteOfDay = Int((seconds - Int64(day) * 86_400) / 60)
        // At most one day per iteration: about 84,000 days to the end of 2199.
        while true {
            let date = CivilDate(daysSince1970: day)
            guard date.year < 2200 else { return nil }
            if matches(date), let minute = firstTime(atOrAfter: minuteOfDay) {
                return Int64(day) * 86_400 + Int64(minute) * 60
            }
            day += 1
            minuteOfDay = 0
        }
    }

    /// The first allowed minute of a day at or after `minuteOfDay`.
    private func firstTime(atOrAfter minuteOfDay: Int) -> Int? {
        for hour in (minuteOfDay / 60)..<24 where hours & (1 << UInt32(hour)) != 0 {
            let from = hour == minuteOfDay / 60 ? minuteOfDay % 60 : 0
            for minute in from..<60 where minutes & (1 << UInt64(minute)) != 0 { return hour * 60 + minute }
        }
        return nil
    }

    /// Whether the expression allows a calendar day.
    private func matches(_ date: CivilDate) -> Bool {
        guard years.contains(date.year), months & (1 << UInt16(date.month)) != 0 else { return false }
        let length = CivilDate.daysIn(month: date.month, year: date.year)
        switch dayOfMonth {
        case .any: break
        case .days(let days): if days & (1 << UInt32(date.day)) == 0 { return false }
        case .last: if date.day != length { return false }
        case .nearestWeekday(let target):
            if date.day != Self.nearestWeekday(to: min(target, length), date: date, length: length) { return false }
        }
        switch dayOfWeek {
        case .any: return true
        case .days(let days): return days & (1 << UInt8(date.weekday)) != 0
        case .lastOfMonth(let weekday): return date.weekday == weekday && date.day + 7 > length
        case .nth(let weekday, let week): return date.weekday == weekday && (date.day - 1) / 7 + 1 == week
        }
    }

    /// `nW`: the weekday (Monday-Friday) nearest to day `target` of the date's month, never
    /// leaving the month (as Quartz, whose syntax EventBridge uses).
    private static func nearestWeekday(to target: Int, date: CivilDate, length: Int) -> Int {
        // The weekday of `target` from the date's own weekday and day.
        let weekday = ((date.weekday - 1 + (target - date.day)) % 7 + 7) % 7 + 1
        switch weekday {
        case 7: return target == 1 ? 3 : target - 1      // Saturday: Friday, or Monday the 3rd
        case 1: return target == length ? target - 2 : target + 1  // Sunday: Monday, or Friday
        default: return target
        }
    }
}

/// A day of the proleptic Gregorian calendar (UTC).
public struct CivilDate: Sendable {
    let year: Int
    let month: Int
    let day: Int
    /// 1 = Sunday ... 7 = Saturday, as cron counts.
    let weekday: Int

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // 1970-01-01 was a Thursday (5).
        weekday = ((days % 7 + 7) % 7 + 4) % 7 + 1
    }

    /// Days since 1970-01-01 of a date (Howard Hinnant's days_from_civil).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The length of a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Int64 {
    /// Division rounding towards minus infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
