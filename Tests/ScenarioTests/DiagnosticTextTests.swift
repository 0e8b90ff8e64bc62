import Foundation
import Testing
@testable import Scenario

/// Diagnostics print as one line of plain text, located in the file as the user wrote it.
@Suite struct DiagnosticTextTests {
    static let base = """
        name: escapes
        run: {duration: 1m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 1/s}}}
        queues:
          tasks: {}
        functions:
          worker: {trigger: {queue: tasks}}
        """

    /// An ANSI colour escape in a key came through raw and coloured the terminal.
    @Test func controlCharactersFromTheFileAreEscaped() {
        // libyaml refuses a raw ESC in the text, but "\e" in double quotes is one.
        let yaml = Self.base + "\n\"\\e[31mred\u{202E}\": 1\n"
        let lines = diagnostics(ofYAML: yaml)
        #expect(lines.count == 1)
        let line = lines.first ?? ""
        #expect(line.contains("unknown key '\\u{1B}[31mred\\u{202E}'"), "\(line)")
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func aLineBreakInAValueStaysOnOneLine() {
        let yaml = Self.base.replacingOccurrences(of: "A: {queue: tasks,", with: "A: {queue: \"ta\\nsks\",")
        let lines = diagnostics(ofYAML: yaml)
        #expect(lines.contains { $0.contains("no queue named 'ta\\u{A}sks'") }, "\(lines)")
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test func plainTextIsLeftAlone() {
        #expect(TerminalText.escaped("naïve 日本語 a\\b") == "naïve 日本語 a\\b")
        #expect(TerminalText.escaped("a\tb\r") == "a\\u{9}b\\u{D}")
    }

    /// Windows (CR LF) and classic Mac (CR) line endings: the same lines and columns as LF.
    @Test(arguments: ["\r\n", "\r"])
    func lineEndingsDoNotMoveLocations(ending: String) {
        let yaml = Self.base.replacingOccurrences(of: "worker: {trigger: {queue: tasks}}", with: "worker: {trigger: {queue: tasks}, memory: 7}")
            + "\nqueues: {}\n"
        let unix = diagnostics(ofYAML: yaml)
        #expect(!unix.isEmpty)
        #expect(diagnostics(ofYAML: yaml.replacingOccurrences(of: "\n", with: ending)) == unix)
    }
}
