import Foundation
import Testing
@testable import Scenario

/// The malformed corpus: each file in Malformed/ has one mistake, and its first lines say the
/// exact diagnostics expected (`# expect: LINE:COLUMN: key.path: message`, without the file
/// name). A file that loads must produce exactly the expected warnings.
@Suite("Malformed scenario corpus")
struct MalformedCorpusTests {
    /// The `# expect:` lines at the top of a file.
    static func expectations(in text: String) -> [String] {
        var result: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("# expect: ") else { break }
            result.append(String(line.dropFirst("# expect: ".count)))
        }
        return result
    }

    @Test("the corpus covers the rules", .tags(.corpus))
    func corpusIsLarge() {
        #expect(TestFiles.malformed.count >= 45)
    }

    @Test("each file reports exactly its expected diagnostics", .tags(.corpus), arguments: TestFiles.malformed)
    func file(_ name: String) throws {
        let path = TestFiles.malformedPath(name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Self.expectations(in: text).map { "\(path):\($0)" }
        try #require(!expected.isEmpty, "\(name) has no '# expect:' line")
        let actual: [String]
        var loaded = false
        do {
            let scenario = try ScenarioLoader.load(path: path)
            actual = scenario.warnings.map(\.description)
            loaded = true
        } catch {
            actual = error.diagnostics.map(\.description)
        }
        #expect(actual == expected)
        // Files named warning-* load (warnings only); every other file is refused.
        #expect(loaded == name.hasPrefix("warning-"), "\(name): loaded = \(loaded)")
    }
}

extension Tag {
    /// Tests over the malformed corpus.
    @Tag static var corpus: Self
}
