import Foundation
import Testing

/// What a user expects of a command-line tool: a version, a suggestion for a typo, options
/// that explain themselves, and results a program can read.
@Suite struct CommandLineHabitsTests {
    private let shared = Scenarios.pipeline(name: "shared-queue", shared: true)

    @Test func versionIsPrinted() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["--version"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.hasPrefix("queuesim "))
    }

    @Test func aMistypedCommandGetsASuggestion() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulat", "s.yml"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("unknown command 'simulat' (did you mean 'simulate'?)"), "\(outcome.standardError)")
    }

    @Test func aNegativeSeedIsExplained() throws {
        let folder = try CLI.workspace(["s.yml": shared])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["simulate", "s.yml", "--seed", "-1"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--seed must be a whole number from 0 to 18446744073709551615 (got '-1')"), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data").path))
    }

    @Test func theJobsHelpStatesItsDefaultOnce() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let help = try CLI.run(["simulate", "--help"], in: folder).standardOutput
        let jobs = help.components(separatedBy: "--jobs <n>").last ?? ""
        let entry = jobs.components(separatedBy: "--format").first ?? ""
        #expect(entry.components(separatedBy: "default").count == 2, "\(entry)")
    }

    @Test func validatePrintsJSONOnRequest() throws {
        let bad = "name: bad\nrun: {duration: 10}\n"
        let folder = try CLI.workspace(["s.yml": shared, "bad.yml": bad])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["validate", "--format", "json", "s.yml", "bad.yml"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.isEmpty)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["valid"] as? Bool == true)
        #expect(files[1]["valid"] as? Bool == false)
        let diagnostics = try #require(files[1]["diagnostics"] as? [[String: Any]])
        let duration = try #require(diagnostics.first { $0["path"] as? String == "run.duration" })
        #expect(duration["line"] as? Int == 2)
        #expect(duration["column"] as? Int == 17)
        #expect(duration["severity"] as? String == "error")
    }

    @Test func completionScriptsAreGenerated() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        for shell in ["bash", "zsh", "fish"] {
            let outcome = try CLI.run(["--generate-completion-script", shell], in: folder)
            #expect(outcome.status == 0)
            #expect(outcome.standardOutput.contains("simulate"), "\(shell)")
        }
    }
}
