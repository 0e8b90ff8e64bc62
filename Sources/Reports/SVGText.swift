/// Text and numbers as SVG and HTML source: escaped, and coordinates short.
enum SVGText {
    /// Text safe inside an element or an attribute value (XML's five special characters).
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A coordinate with at most one decimal.
    static func coordinate(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A hover note: the `<title>` child that browsers show over a mark.
    static func note(_ text: String) -> String {
        text.isEmpty ? "" : "<title>\(escape(text))</title>"
    }

    /// Series colours, told apart with the common forms of colour blindness (Okabe and Ito).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#6A3D9A", "#444444"]

    /// The colour of the series at `index`.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// Text shortened to `limit` characters, with an ellipsis.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// About how wide text is in pixels at the charts' 12 px sans-serif.
    static func width(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.58 }
}
