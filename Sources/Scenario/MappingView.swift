/// A mapping of the scenario file being read, with its key path.
///
/// Created by ``ValueReader/mapping(_:_:keys:expected:)``, which has already reported unknown
/// keys, so the section readers only ask for the keys they know.
struct MappingView {
    /// The mapping (empty where the file wrote nothing or null).
    let mapping: SourceMapping
    /// Where it is in the file.
    let path: FieldPath

    /// The value of a key, or nil when it is absent or null (null means "use the default").
    subscript(key: String) -> SourceNode? {
        guard let value = mapping[key], !value.isNull else { return nil }
        return value
    }

    /// Whether the key is written (even as null).
    func has(_ key: String) -> Bool { mapping.entry(key) != nil }

    /// The path of a key.
    func path(_ key: String) -> FieldPath { path.appending(key) }

    /// Where to report something about a key: its value if written, else the mapping itself
    /// (a default that conflicts with another setting is reported where it would be written).
    func location(of key: String) -> TextPosition {
        mapping.entry(key)?.value.location ?? mapping.location
    }

    /// Where the key itself is written, else the mapping.
    func keyLocation(of key: String) -> TextPosition {
        mapping.entry(key)?.key.location ?? mapping.location
    }

    /// The entries in file order.
    var entries: [SourceEntry] { mapping.entries }
}
