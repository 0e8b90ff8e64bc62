import SimCore
import Testing
@testable import Scenario

/// The small parsers and helpers under the loader: sizes, suggestions, paths, flow text.
@Suite("Units, suggestions and paths")
struct UnitParsingTests {
    @Test(arguments: [
        ("256KB", 262_144), ("1MiB", 1_048_576), ("4KB", 4_096), ("4 KB", 4_096), ("1.5KB", 1_536), ("100B", 100),
        ("1MB", 1_048_576), ("2kb", 2_048), ("1GiB", 1 << 30),
    ])
    func byteSizesAreBinary(text: String, bytes: Int) throws {
        #expect(try SizeFormat.parseBytes(text) == bytes)
    }

    @Test(arguments: [("512MB", 512), ("1GB", 1_024), ("10240MB", 10_240), ("1.5GB", 1_536), ("0.5GiB", 512)])
    func memoryInMegabytes(text: String, megabytes: Int) throws {
        #expect(try SizeFormat.parseMegabytes(text) == megabytes)
    }

    @Test func sizeErrorsNameTheUnit() {
        #expect(throws: SizeFormat.SizeError.self) { try SizeFormat.parseBytes("512") }
        do {
            _ = try SizeFormat.parseMegabytes("512")
        } catch {
            #expect(error.description == "'512' has no unit (expected a memory size with a unit, e.g. 512MB or 1GB)")
        }
        do {
            _ = try SizeFormat.parseBytes("-1KB")
        } catch {
            #expect(error.description == "'-1KB' is negative (expected a size of at least 0)")
        }
    }

    @Test func suggestionsFindLikelyTypos() {
        #expect(Suggestions.editDistance("timout", "timeout") == 1)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.closest(to: "timout", in: ["memory", "timeout"]) == "timeout")
        #expect(Suggestions.closest(to: "Batch-Size", in: ["batch_size"]) == "batch_size")
        #expect(Suggestions.closest(to: "colour", in: ["type", "delay"]) == nil)
        // One- and two-letter names are not guessed at.
        #expect(Suggestions.closest(to: "B", in: ["A"]) == nil)
    }

    @Test func numbersForPeople() {
        #expect(NumberText.grouped(10_000) == "10,000")
        #expect(NumberText.grouped(-1_234_567) == "-1,234,567")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.bytes(1 << 20) == "1MiB")
        #expect(NumberText.bytes(262_144) == "256KB")
        #expect(NumberText.decimal(0.5) == "0.5")
        #expect(NumberText.decimal(2) == "2")
    }

    @Test func flowTextReadsBackTheSame() throws {
        let text = "{a: 1, b: [x, \"y: z\", ''], c: {d: ~}}"
        let sink = DiagnosticSink(file: "t")
        let node = try #require(SourceParser.parse(text, sink: sink))
        #expect(node.flowText == "{a: 1, b: [x, \"y: z\", \"\"], c: {d: ~}}")
        let again = try #require(SourceParser.parse(node.flowText, sink: sink))
        #expect(again.flowText == node.flowText)
        #expect(sink.diagnostics.isEmpty)
    }

    @Test func treeEditorPrefersTheLongestExistingKey() throws {
        let sink = DiagnosticSink(file: "t")
        var tree = try #require(SourceParser.parse("queues: {a.fifo: {delay: 1s}, a: {}}", sink: sink))
        let value = SourceNode.scalar(SourceScalar(text: "5s", isQuoted: false, location: .start))
        let placement = try TreeEditor.assign(value, at: "queues.a.fifo.delay", in: &tree, location: .start, relocate: false)
        #expect(placement.path.components == ["queues", "a.fifo", "delay"])
        #expect(placement.created == nil)
        #expect(tree.flowText == "{queues: {a.fifo: {delay: 5s}, a: {}}}")
        let created = try TreeEditor.assign(value, at: "queues.a.retention", in: &tree, location: .start, relocate: false)
        #expect(created.created?.description == "queues.a.retention")
        #expect(throws: TreeEditor.PathError.self) {
            try TreeEditor.assign(value, at: "queues.b.delay", in: &tree, location: .start, relocate: false)
        }
        #expect(throws: TreeEditor.PathError.self) {
            try TreeEditor.assign(value, at: "queues..delay", in: &tree, location: .start, relocate: false)
        }
    }

    @Test func duplicateKeysAreFoundInBlockAndFlowStyle() {
        let sink = DiagnosticSink(file: "t.yml")
        _ = SourceParser.parse("a:\n  x: 1\n  b:\n    x: 2\n  x: 3\nc: {y: 1, z: 2, y: 3}\n", sink: sink)
        #expect(sink.diagnostics.map(\.description) == [
            "t.yml:5:3: a.x: duplicate key 'x' (expected each key once in a mapping; it is first given at 2:3)",
            "t.yml:6:17: c.y: duplicate key 'y' (expected each key once in a mapping; it is first given at 6:5)",
        ])
    }
}
