import Scenario

/// Where a value of the imported scenario came from; each becomes the YAML comment beside it.
enum Provenance: Sendable, Equatable {
    /// A template property: `template.yaml:42 VisibilityTimeout`, and where its value was
    /// defined when that is elsewhere (a parameter's default).
    case template(TextPosition, property: String, via: String?)
    /// The template leaves the property out; AWS applies this value.
    case awsDefault(property: String, resource: TextPosition)
    /// A workload key the template cannot hold; the user fills it, or `--logs`/`--metrics`.
    case placeholder(String)
    /// Measured: fitted from logs or read from metrics (the text says how).
    case measured(String)

    /// The comment text, `file` being the template as the user named it.
    func comment(file: String) -> String {
        switch self {
        case .template(let at, let property, let via):
            return "\(file):\(at.line) \(property)" + (via.map { " (\($0))" } ?? "")
        case .awsDefault(let property, let resource):
            return "AWS default: no \(property) in \(file):\(resource.line)"
        case .placeholder(let what):
            return "PLACEHOLDER: \(what)"
        case .measured(let how):
            return how
        }
    }

    /// The template position this value was read from, if any (to locate a scenario error).
    var position: TextPosition? {
        switch self {
        case .template(let at, _, _): return at
        case .awsDefault(_, let at): return at
        case .placeholder, .measured: return nil
        }
    }
}

/// A scenario value (as YAML text) and where it came from.
struct Sourced: Sendable, Equatable {
    var yaml: String
    var provenance: Provenance
}
