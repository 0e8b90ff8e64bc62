import Foundation
import Testing
@testable import Scenario

/// A property test: random damage to valid files (a deleted line, a value of the wrong type, a
/// scrambled value, a truncated file ...) never crashes the loader, and it always answers with
/// either a valid scenario or errors in the located format `FILE:LINE:COLUMN: ...`, each one
/// printable line whose line and column exist in the file, whatever its line endings.
@Suite("Loader robustness under random mutations")
struct MutationPropertyTests {
    /// SplitMix64: small, fast, and the same sequence on every platform for a given seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Values of every kind, right and wrong, that a mutation may put anywhere.
    static let replacements = [
        "", "~", "null", "0", "-1", "1", "2.5", "1e400", "-0.0", "abc", "\"quoted\"", "'single'", "{}", "[]", "[1, 2]",
        "{a: 1}", "30", "30s", "-5s", "0s", "1ms", "13h", "2/s", "0/s", "2", "512MB", "64MB", "20GB", "4KB", "2MB",
        "yes", "off", "fifo", "auto", "all", "tasks", "worker", "&a 1", "*a", "!!str 5", "|\n  text", ">-", "@", "`",
        "{exponential: {mean: 0s}}", "{lognormal: {median: 2s, p99: 1s}}", "{mixture: []}", "{poisson: {}}",
        "{empirical: {file: nope.csv}}", "{trace: {file: arrivals.csv}}", "9223372036854775807", "99999999999999999999",
    ]

    /// Damages one file in one of several ways.
    static func mutate(_ text: String, using random: inout SeededGenerator) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let index = Int.random(in: 0..<lines.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: // delete a key (its line)
            lines.remove(at: index)
        case 1: // change a value's type
            if let colon = lines[index].firstIndex(of: ":") {
                let replacement = replacements.randomElement(using: &random) ?? ""
                lines[index] = String(lines[index][...colon]) + " " + replacement
            }
        case 2: // scramble a line
            lines[index] = String(lines[index].shuffled(using: &random))
        case 3: // truncate the file
            let all = lines.joined(separator: "\n")
            return String(all.prefix(Int.random(in: 0...all.count, using: &random)))
        case 4: // insert a character YAML cares about
            let character = [":", "-", "{", "}", "[", "]", "\t", "#", "&", "*", "'", "\"", ",", "?", " "].randomElement(using: &random) ?? ":"
            let position = Int.random(in: 0...lines[index].count, using: &random)
            lines[index].insert(contentsOf: character, at: lines[index].index(lines[index].startIndex, offsetBy: position))
        case 5: // duplicate a line (a duplicate key, or a list item)
            lines.insert(lines[index], at: index)
        case 6: // indent or dedent a line
            if Bool.random(using: &random) {
                lines[index] = "  " + lines[index]
            } else {
                lines[index] = String(lines[index].drop { $0 == " " })
            }
        default: // rename a key
            if let colon = lines[index].firstIndex(of: ":") {
                let key = lines[index][..<colon].trimmingCharacters(in: .whitespaces)
                let indent = lines[index].prefix { $0 == " " }
                lines[index] = indent + String(key.shuffled(using: &random)) + lines[index][colon...]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Whether text starts with `LINE:COLUMN: ` (the rest of `^FILE:\d+:\d+: `).
    static func startsWithLineAndColumn(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        let isNumber = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        return isNumber(parts[0]) && isNumber(parts[1]) && parts[2].hasPrefix(" ")
    }

    /// Mutated files per seed: 100 in `make test`; `QUEUESIM_MUTATION_TRIALS=5000` for a long run.
    static let trials = ProcessInfo.processInfo.environment["QUEUESIM_MUTATION_TRIALS"].flatMap { Int($0) } ?? 100

    /// Four seeds of 100 mutations each (400 in all), run in parallel.
    @Test("hundreds of mutations: a scenario or located errors, never a crash", arguments: [20_251_123, 7, 42, 1_000_003] as [UInt64])
    func mutations(seed: UInt64) throws {
        let sources = try ["all-features.yml", "minimal.yml"].map {
            try String(contentsOfFile: TestFiles.example($0), encoding: .utf8)
        }
        let folder = TestFiles.folder("Examples").path
        var random = SeededGenerator(state: seed)
        var outcomes = (valid: 0, invalid: 0)
        for trial in 0..<Self.trials {
            var text = sources[trial % sources.count]
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                text = Self.mutate(text, using: &random)
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let diagnostics: [Diagnostic]
            do {
                let scenario = try ScenarioLoader.load(yaml: text, source: "mutant.yml", baseDirectory: folder)
                diagnostics = scenario.warnings
                outcomes.valid += 1
            } catch {
                outcomes.invalid += 1
                #expect(!error.errors.isEmpty, "trial \(trial): thrown without an error")
                diagnostics = error.diagnostics
            }
            for diagnostic in diagnostics {
                let line = diagnostic.description
                let rest = line.dropFirst("mutant.yml:".count)
                let located = line.hasPrefix("mutant.yml:") && Self.startsWithLineAndColumn(rest)
                #expect(located, "trial \(trial): not located: \(line)\n--- file ---\n\(text)")
                #expect(!line.contains("\n") && !line.unicodeScalars.contains { $0.properties.generalCategory == .control },
                        "trial \(trial): not one printable line: \(line)")
                #expect(!diagnostic.message.isEmpty)
                // Every location points at text of the file: a line that exists, a column on it
                // (or just after its last character, where a missing value is).
                let position = diagnostic.location
                guard (1...max(1, lines.count)).contains(position.line) else {
                    Issue.record("trial \(trial): line out of the file: \(line)")
                    continue
                }
                let width = lines.isEmpty ? 0 : lines[position.line - 1].unicodeScalars.count
                #expect((1...(width + 1)).contains(position.column),
                        "trial \(trial): column past the end of line \(position.line) (\(width) characters): \(line)\n--- file ---\n\(text)")
            }
            // The same file with Windows (CR LF) or classic Mac (CR) line endings gives the
            // same diagnostics at the same lines and columns.
            for ending in ["\r\n", "\r"] {
                let converted = text.replacingOccurrences(of: "\n", with: ending)
                let other: [String]
                do {
                    other = try ScenarioLoader.load(yaml: converted, source: "mutant.yml", baseDirectory: folder).warnings.map(\.description)
                } catch {
                    other = error.diagnostics.map(\.description)
                }
                #expect(other == diagnostics.map(\.description),
                        "trial \(trial): line endings \(ending == "\r" ? "CR" : "CR LF") change the diagnostics\n--- file ---\n\(text)")
            }
        }
        // The mutations must exercise both outcomes.
        #expect(outcomes.valid > 0)
        #expect(outcomes.invalid > Self.trials / 2)
    }
}
