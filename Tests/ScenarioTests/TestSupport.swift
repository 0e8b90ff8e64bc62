import Foundation
import Testing
@testable import Scenario

/// Files and helpers shared by the scenario tests.
enum TestFiles {
    /// The folder of a resource directory copied into the test bundle.
    static func folder(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            Issue.record("resource folder \(name) is missing from the test bundle")
            return URL(fileURLWithPath: "/nonexistent")
        }
        return url
    }

    /// The path of an example scenario (Tests/ScenarioTests/Examples).
    static func example(_ name: String) -> String { folder("Examples").appendingPathComponent(name).path }

    /// The malformed scenarios (Tests/ScenarioTests/Malformed/*.yml), sorted by name.
    static var malformed: [String] {
        let folder = folder("Malformed")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.sorted()
    }

    /// The path of a malformed scenario.
    static func malformedPath(_ name: String) -> String { folder("Malformed").appendingPathComponent(name).path }
}

/// Loads YAML text and returns the diagnostics' descriptions (errors, or warnings if it loads).
func diagnostics(ofYAML yaml: String, source: String = "test.yml") -> [String] {
    do {
        let scenario = try ScenarioLoader.load(yaml: yaml, source: source)
        return scenario.warnings.map(\.description)
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// Loads YAML text that must be valid.
func loadValid(_ yaml: String, source: String = "test.yml", sourceLocation: Testing.SourceLocation = #_sourceLocation)
    -> Scenario? {
    do {
        return try ScenarioLoader.load(yaml: yaml, source: source)
    } catch {
        Issue.record("expected a valid scenario, got:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}
