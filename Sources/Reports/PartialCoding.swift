import Foundation

/// The JSON of partial outputs: one line per value (strings escape line breaks), keys
/// sorted so that the same run is always the same bytes.
enum PartialCoding {
    /// A value as one line of JSON, without the line end.
    static func line<Value: Encodable>(_ value: Value) throws(ReportError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw ReportError(path: "", reason: "cannot encode a partial record: \(error)")
        }
    }

    /// A value read from JSON; nil when the text is not one.
    static func read<Value: Decodable>(_ type: Value.Type, from data: some DataProtocol) -> Value? {
        try? JSONDecoder().decode(type, from: Data(data))
    }
}
