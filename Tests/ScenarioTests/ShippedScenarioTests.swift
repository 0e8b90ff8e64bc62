import Foundation
import Scenario
import Testing

/// Every scenario shipped in `scenarios/` loads without error.
@Suite("Shipped scenarios")
struct ShippedScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.sorted()
    }

    @Test func thereAreShippedScenarios() {
        #expect(Self.files.count >= 7)
    }

    @Test(arguments: files)
    func loadsWithoutError(_ name: String) throws {
        let scenario = try ScenarioLoader.load(path: Self.directory.appendingPathComponent(name).path)
        #expect(scenario.name + ".yml" == name, "a shipped scenario's name matches its file")
        #expect(!scenario.description.isEmpty)
    }
}
