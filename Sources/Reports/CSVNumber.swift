/// Numbers as CSV fields: plain decimals with a `.` point, never thousands separators, never
/// scientific notation for ordinary values, and blank for "not applicable".
///
/// Swift's own `description` gives the shortest digits that read back as the same Double,
/// but switches to exponent form below 1e-4 and from 2^53 on (`1e-05`, `1e+16`); this
/// moves the point instead, keeping exactly those digits, so nothing is rounded away.
public enum CSVNumber {
    /// Exponents beyond this keep the exponent form: such values are not ordinary, and a
    /// plain form would be hundreds of zeros long.
    public static let plainExponentLimit = 30

    /// The field of an optional value: blank for nil, NaN or an infinity.
    public static func format(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == 0 { return "0" }  // Also -0, which would print as "-0.0".
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }),
              let exponent = Int(text[text.index(after: e)...]), abs(exponent) <= plainExponentLimit else { return text }
        return plain(mantissa: String(text[..<e]), exponent: exponent)
    }

    /// An integer count.
    public static func format(_ value: Int?) -> String {
        value.map(String.init) ?? ""
    }

    /// `d.ddd` × 10^exponent written out.
    static func plain(mantissa: String, exponent: Int) -> String {
        var digits = mantissa
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts.first ?? "")
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if fraction == "0" { fraction = "" }
        var all = whole + fraction
        // Where the point goes, counted in digits from the left of `all`.
        var point = whole.count + exponent
        if point <= 0 {
            all = String(repeating: "0", count: -point + 1) + all
            point = 1
        } else if point >= all.count {
            all += String(repeating: "0", count: point - all.count)
        }
        let integerPart = all.prefix(point).drop { $0 == "0" }
        var fractionPart = all.dropFirst(point)
        while fractionPart.last == "0" { fractionPart.removeLast() }
        var text = integerPart.isEmpty ? "0" : String(integerPart)
        if !fractionPart.isEmpty { text += "." + fractionPart }
        return (negative ? "-" : "") + text
    }
}
