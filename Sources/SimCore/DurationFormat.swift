/// Parsing and printing of durations and rates in the scenario format's notation.
///
/// Durations carry a unit (`250ms`, `30s`, `5m`, `2h`, `4d`, `us`, `ns`), may be
/// fractional (`1.5s`) and may be compound, largest unit first (`1h30m`, `2m30s`, `1d12h`),
/// as Go and systemd write them. A bare number is refused: `30` could mean seconds or milliseconds,
/// and guessing would silently change a scenario by a factor of a thousand.
public enum DurationFormat {
    /// A duration unit of the scenario format, with its length in nanoseconds.
    public static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1),
        ("us", 1_000),
        ("ms", 1_000_000),
        ("s", 1_000_000_000),
        ("m", 60_000_000_000),
        ("min", 60_000_000_000),
        ("h", 3_600_000_000_000),
        ("d", 86_400_000_000_000),
    ]

    /// The units a user may write, for error messages.
    public static let unitList = "ns, us, ms, s, m, h, d"

    /// Parses a duration such as `250ms` or `1.5s`.
    public static func parseDuration(_ text: String) throws(UnitError) -> SimTime {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw UnitError.empty(expected: "a duration such as 30s") }
        if let compound = compound(trimmed) { return try compound.get() }
        let (number, suffix) = splitNumber(trimmed)
        guard let value = Double(number), value.isFinite else {
            throw UnitError.notANumber(text, expected: "a duration such as 30s or 250ms")
        }
        if suffix.isEmpty {
            throw UnitError.missingUnit(text, expected: "a duration with a unit, e.g. \(number)s or \(number)ms (units: \(unitList))")
        }
        guard let unit = units.first(where: { $0.suffix == suffix }) else {
            throw UnitError.unknownUnit(suffix, in: text, expected: "one of \(unitList)")
        }
        guard value >= 0 else { throw UnitError.negative(text, expected: "a duration of at least 0") }
        let ns = value * Double(unit.nanoseconds)
        guard ns < 9.2e18 else { throw UnitError.outOfRange(text, expected: "a duration below 292 years") }
        return SimTime(nanoseconds: Int64(ns.rounded()))
    }

    /// A compound duration such as `1h30m`: two or more parts, each a plain number and a
    /// unit, units from larger to smaller. Nil when the text is not of that form (then it is
    /// read, and refused, as one number and unit).
    static func compound(_ text: String) -> Result<SimTime, UnitError>? {
        var parts: [(number: String, unit: String)] = []
        var number = "", unit = ""
        for character in text {
            if character.isASCII, character.isNumber || character == "." {
                if !unit.isEmpty {
                    parts.append((number, unit))
                    number = ""
                    unit = ""
                }
                number.append(character)
            } else if character.isASCII, character.isLetter, !number.isEmpty {
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !number.isEmpty, !unit.isEmpty else { return nil }
        parts.append((number, unit))
        guard parts.count >= 2 else { return nil }
        var total = 0.0
        var previousSize = Int64.max
        for part in parts {
            // Not a unit (the `e` of `1e3ms`): one number after all.
            guard let size = units.first(where: { $0.suffix == part.unit })?.nanoseconds, let value = Double(part.number) else {
                return nil
            }
            guard size < previousSize else {
                return .failure(.unknownUnit(part.unit, in: text, expected: "units from larger to smaller, each once, as in 1h30m or 2m30s"))
            }
            previousSize = size
            total += value * Double(size)
        }
        guard total < 9.2e18 else { return .failure(.outOfRange(text, expected: "a duration below 292 years")) }
        return .success(SimTime(nanoseconds: Int64(total.rounded())))
    }

    /// Prints a duration with the largest unit that represents it exactly.
    public static func format(_ time: SimTime) -> String {
        let ns = time.nanoseconds
        if ns == 0 { return "0s" }
        if ns == .max { return "never" }
        for (suffix, size) in [("d", Int64(86_400_000_000_000)), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
                               ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)]
            where ns % size == 0 {
            return "\(ns / size)\(suffix)"
        }
        return "\(ns)ns"
    }

    /// Splits `12.5ms` into (`12.5`, `ms`).
    static func splitNumber(_ text: String) -> (number: String, suffix: String) {
        let scalars = Array(text.unicodeScalars)
        var end = 0
        while end < scalars.count {
            let c = scalars[end]
            let isNumeric = ("0"..."9").contains(c) || c == "." || c == "-" || c == "+"
                || ((c == "e" || c == "E") && end > 0 && end + 1 < scalars.count
                    && (("0"..."9").contains(scalars[end + 1]) || scalars[end + 1] == "-" || scalars[end + 1] == "+"))
            if !isNumeric { break }
            end += 1
        }
        var number = String.UnicodeScalarView()
        number.append(contentsOf: scalars[..<end])
        var suffix = String.UnicodeScalarView()
        suffix.append(contentsOf: scalars[end...])
        return (String(number), String(suffix).trimmingSpaces())
    }
}

/// A rate of events per unit time, such as `2/s`, `120/min` or `1000/h`.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    /// Events per second.
    public var perSecond: Double

    /// Creates a rate of events per second.
    public init(perSecond: Double) { self.perSecond = perSecond }

    /// The mean time between events, or ``SimTime/never`` for a zero rate.
    public var meanInterval: SimTime {
        perSecond > 0 ? SimTime(seconds: 1 / perSecond) : .never
    }

    /// Parses `2/s`, `120/min`, `1000/h`, `50000/day` (also `/ms`, `/m`, `/hour`, `/d`).
    public static func parse(_ text: String) throws(UnitError) -> Rate {
        let trimmed = text.trimmingSpaces()
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw UnitError.missingUnit(text, expected: "a rate such as \(trimmed.isEmpty ? "2" : trimmed)/s, 120/min or 1000/h")
        }
        let numberText = String(parts[0]).trimmingSpaces()
        guard let value = Double(numberText), value.isFinite else {
            throw UnitError.notANumber(text, expected: "a rate such as 2/s, 120/min or 1000/h")
        }
        guard value >= 0 else { throw UnitError.negative(text, expected: "a rate of at least 0") }
        let per: Double
        switch String(parts[1]).trimmingSpaces() {
        case "ms": per = 0.001
        case "s", "sec": per = 1
        case "m", "min": per = 60
        case "h", "hour": per = 3_600
        case "d", "day": per = 86_400
        default:
            throw UnitError.unknownUnit(String(parts[1]), in: text, expected: "one of /s, /min, /h, /day")
        }
        return Rate(perSecond: value / per)
    }

    /// The rate in the largest unit that keeps it a whole number where possible.
    public var description: String {
        if perSecond == 0 { return "0/s" }
        if perSecond >= 1 || perSecond == perSecond.rounded() { return "\(Self.trim(perSecond))/s" }
        if (perSecond * 60).rounded() == perSecond * 60 { return "\(Self.trim(perSecond * 60))/min" }
        return "\(Self.trim(perSecond * 3_600))/h"
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Why a duration, rate or size could not be read.
public enum UnitError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(expected: String)
    case notANumber(String, expected: String)
    case missingUnit(String, expected: String)
    case unknownUnit(String, in: String, expected: String)
    case negative(String, expected: String)
    case outOfRange(String, expected: String)

    /// The message in the scenario error format: what is wrong (what was expected).
    public var description: String {
        switch self {
        case .empty(let expected): "empty value (expected \(expected))"
        case .notANumber(let text, let expected): "'\(text)' is not a number with a unit (expected \(expected))"
        case .missingUnit(let text, let expected): "'\(text)' has no unit (expected \(expected))"
        case .unknownUnit(let unit, let text, let expected): "unknown unit '\(unit)' in '\(text)' (expected \(expected))"
        case .negative(let text, let expected): "'\(text)' is negative (expected \(expected))"
        case .outOfRange(let text, let expected): "'\(text)' is out of range (expected \(expected))"
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
