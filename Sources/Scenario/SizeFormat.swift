import SimCore

/// Parsing of byte sizes (`256KB`, `1MiB`) and memory sizes (`512MB`, `1GB`).
///
/// Every unit is binary: Lambda's "MB" of memory is 2^20 bytes and SQS's "256 KB" message
/// limit is 262,144 bytes, so `KB` and `KiB` mean the same here, as `MB` and `MiB` do. A bare
/// number is refused, as for durations: `512` might be bytes or megabytes.
enum SizeFormat {
    /// Why a size could not be read: a ``UnitError``'s message, or a fraction of the unit.
    struct SizeError: Error, CustomStringConvertible {
        /// What is wrong (what was expected).
        var description: String

        init(_ error: UnitError) { description = error.description }
        init(_ message: String) { description = message }
    }

    /// The units, longest suffix first so `KiB` is not read as `B`.
    static let units: [(suffix: String, bytes: Int64)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
        ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30),
        ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30),
        ("b", 1),
    ]

    /// Parses a size in bytes, such as `4KB` or `1MiB`.
    static func parseBytes(_ text: String) throws(SizeError) -> Int {
        let (value, bytesPerUnit) = try split(text, example: "a size with a unit, e.g. \(numberPart(text))KB or 256KB (units: B, KB, MB, GB)")
        let bytes = value * Double(bytesPerUnit)
        guard bytes < 1e15 else { throw SizeError(UnitError.outOfRange(text, expected: "a size below 1 PB")) }
        guard bytes == bytes.rounded() else {
            throw SizeError("'\(text)' is not a whole number of bytes (expected a size such as 4KB)")
        }
        return Int(bytes)
    }

    /// Parses a memory size and returns it in MB (2^20 bytes), which must be whole.
    static func parseMegabytes(_ text: String) throws(SizeError) -> Int {
        let (value, bytesPerUnit) = try split(text, example: "a memory size with a unit, e.g. \(numberPart(text))MB or 1GB")
        let megabytes = value * Double(bytesPerUnit) / Double(1 << 20)
        guard megabytes < 1e12 else { throw SizeError(UnitError.outOfRange(text, expected: "a memory size below 1 PB")) }
        guard megabytes == megabytes.rounded() else {
            throw SizeError("'\(text)' is not a whole number of MB (expected a memory size in whole MB, such as 512MB: Lambda sets memory in 1 MB steps)")
        }
        return Int(megabytes)
    }

    /// Splits `1.5GB` into (1.5, 2^30), with the errors of a missing or unknown unit.
    private static func split(_ text: String, example: String) throws(SizeError) -> (Double, Int64) {
        let trimmed = trim(text)
        guard !trimmed.isEmpty else { throw SizeError(UnitError.empty(expected: example)) }
        let number = numberPart(trimmed)
        let suffix = trim(String(trimmed.dropFirst(number.count)))
        guard let value = Double(number), value.isFinite else {
            throw SizeError(UnitError.notANumber(text, expected: example))
        }
        guard !suffix.isEmpty else { throw SizeError(UnitError.missingUnit(text, expected: example)) }
        guard let unit = units.first(where: { $0.suffix == suffix.lowercased() }) else {
            throw SizeError(UnitError.unknownUnit(suffix, in: text, expected: "one of B, KB, MB, GB (also KiB, MiB, GiB)"))
        }
        guard value >= 0 else { throw SizeError(UnitError.negative(text, expected: "a size of at least 0")) }
        return (value, unit.bytes)
    }

    /// The leading number of a text (`1.5` of `1.5GB`).
    private static func numberPart(_ text: String) -> String {
        let trimmed = trim(text)
        return String(trimmed.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" })
    }

    /// The text without surrounding spaces and tabs.
    private static func trim(_ text: String) -> String {
        var characters = Substring(text)
        while let first = characters.first, first == " " || first == "\t" { characters.removeFirst() }
        while let last = characters.last, last == " " || last == "\t" { characters.removeLast() }
        return String(characters)
    }
}

/// A command-line value that does not read (`--max-memory 8 apples`).
public struct OptionValueError: Error, CustomStringConvertible {
    /// What is wrong, with what was expected.
    public let description: String
}

extension Scenario {
    /// A byte size given on the command line, such as `8GiB` or `512MB`, read as sizes in a
    /// scenario file are (binary units; a bare number is refused).
    public static func byteSize(_ text: String, option: String) throws(OptionValueError) -> Int {
        do throws(SizeFormat.SizeError) {
            return try SizeFormat.parseBytes(text)
        } catch {
            throw OptionValueError(description: "\(option): \(error)")
        }
    }
}
