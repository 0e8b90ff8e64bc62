import Foundation
import Testing
import Yams

/// The cluster recipes in deploy/ run as written: the Kubernetes Indexed Job's command for
/// every completion index and the Slurm array script for every task, then their merge
/// steps, give the files of the unsharded sweep. (`make test-cluster` runs deploy/slurm/ on
/// a real Slurm cluster, `make test-deploy` checks the manifests against the Kubernetes API.)
@Suite struct DeployTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a shell command line with extra environment variables, queuesim on the PATH.
    static func shell(_ script: String, arguments: [String] = [], environment: [String: String], in folder: URL) throws -> (Int32, String) {
        let products = try #require(CLI.productsFolder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = products.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The first container of a Job manifest: its environment and its shell command line.
    static func container(_ file: String) throws -> (job: [String: Any], env: [String: String], script: String) {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        let job = try #require(try Yams.load(yaml: text) as? [String: Any], "\(file) is not a YAML mapping")
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
        let script = try #require((container["args"] as? [String])?.first)
        var env: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            if let name = variable["name"] as? String, let value = variable["value"] as? String { env[name] = value }
        }
        return (spec, env, script)
    }

    static func workspace() throws -> URL {
        let folder = try CLI.workspace(["s.yml": Scenarios.pipeline(name: "deployed", shared: true, sweep: """
            sweep:
              functions.worker.reserved_concurrency: [2, 6]
            """, replications: 2)])
        let whole = try CLI.run(["sweep", "s.yml", "--output", "whole", "--quiet"], in: folder)
        #expect(whole.status == 0)
        return folder
    }

    static func expectMergedEqualsWhole(_ folder: URL, _ merged: String) throws {
        for file in ["summary.csv", "aggregate.csv", "timeseries.csv", "latency.csv"] {
            #expect(try CLI.bytes(folder, "\(merged)/\(file)") == (try CLI.bytes(folder, "whole/\(file)")), "\(file)")
        }
    }

    @Test func theIndexedJobRunsShardIndexPlusOneOfNAndTheMergeJobCombinesThem() throws {
        let sweep = try Self.container("deploy/kubernetes/sweep-job.yaml")
        #expect(sweep.job["completionMode"] as? String == "Indexed")
        let completions = try #require(sweep.job["completions"] as? Int)
        #expect(sweep.env["SHARDS"] == String(completions), "completions and SHARDS must agree")
        let storage = try String(contentsOf: Self.root.appendingPathComponent("deploy/kubernetes/storage.yaml"), encoding: .utf8)
        #expect((try Yams.load(yaml: storage) as? [String: Any])?["kind"] as? String == "PersistentVolumeClaim")

        let folder = try Self.workspace()
        let shards = 3
        for index in 0..<shards {
            let (status, output) = try Self.shell(sweep.script, environment: [
                "JOB_COMPLETION_INDEX": String(index), "SHARDS": String(shards), "SCENARIO": "s.yml", "OUTPUT": "k8s", "JOBS": "1",
            ], in: folder)
            #expect(status == 0, "\(output)")
            #expect(output.contains("shard \(index + 1)/\(shards)"))
        }
        let merge = try Self.container("deploy/kubernetes/merge-job.yaml")
        let (status, output) = try Self.shell(merge.script, environment: ["OUTPUT": "k8s"], in: folder)
        #expect(status == 0, "\(output)")
        try Self.expectMergedEqualsWhole(folder, "k8s")
    }

    @Test func theSlurmArrayScriptRunsTaskKOfNAndTheMergeScriptCombinesThem() throws {
        let folder = try Self.workspace()
        let script = Self.root.appendingPathComponent("deploy/slurm/sweep.sbatch").path
        // The variables Slurm sets in the tasks of `sbatch --array=1-2`.
        for task in 1...2 {
            let (status, output) = try Self.shell("exec bash \"$1\"", arguments: [script], environment: [
                "SLURM_ARRAY_TASK_ID": String(task), "SLURM_ARRAY_TASK_COUNT": "2", "SLURM_ARRAY_TASK_MIN": "1",
                "SLURM_ARRAY_TASK_MAX": "2", "SLURM_CPUS_PER_TASK": "1", "SCENARIO": "s.yml", "OUTPUT": "slurm",
            ], in: folder)
            #expect(status == 0, "\(output)")
            #expect(output.contains("shard \(task)/2"), "\(output)")
        }
        let merge = Self.root.appendingPathComponent("deploy/slurm/merge.sbatch").path
        let (status, output) = try Self.shell("exec bash \"$1\"", arguments: [merge], environment: ["OUTPUT": "slurm"], in: folder)
        #expect(status == 0, "\(output)")
        try Self.expectMergedEqualsWhole(folder, "slurm")

        // Outside an array job the script stops and says why, running nothing.
        let (outside, message) = try Self.shell("exec bash \"$1\"", arguments: [script], environment: ["SCENARIO": "s.yml", "OUTPUT": "x"], in: folder)
        #expect(outside != 0)
        #expect(message.contains("submit as an array job"))

        // An array of some shards only (`sbatch --array=2`, as submit.sh resubmits) counts
        // them out of SHARDS; without SHARDS it would be shard 2 of 1, so it stops.
        let (partial, why) = try Self.shell("exec bash \"$1\"", arguments: [script], environment: [
            "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_TASK_MIN": "2",
            "SLURM_ARRAY_TASK_MAX": "2", "SCENARIO": "s.yml", "OUTPUT": "partial",
        ], in: folder)
        #expect(partial == 2)
        #expect(why.contains("set SHARDS to N"), "\(why)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("partial").path))
    }

    /// The README's Slurm commands are those `make test-cluster` runs: each `submit.sh` line
    /// of the README (its output folder under $PWD) is a submission of scripts/test-cluster.sh
    /// (the same folder under its temporary $work), so the two cannot drift apart.
    @Test func theReadmeShowsTheSubmissionsTheClusterTestRuns() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: Self.root.appendingPathComponent("scripts/test-cluster.sh"), encoding: .utf8)
        let documented = readme.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("deploy/slurm/submit.sh ") else { return nil }
            let command = text.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces)
            return String(command.dropFirst("deploy/slurm/submit.sh ".count)).replacingOccurrences(of: "\"$PWD/", with: "\"$work/")
        }
        #expect(documented.count >= 2, "the README shows no submit.sh command")
        for arguments in documented {
            #expect(test.contains("submit \(arguments)\n") || test.contains("deploy/slurm/submit.sh \(arguments) "),
                    "README's submit.sh \(arguments) is not run by scripts/test-cluster.sh")
        }
        #expect(readme.contains("export QUEUESIM_OPTIONS=\"--replications 8\""))
        #expect(test.contains("export QUEUESIM_OPTIONS=\"--replications 8\""))
    }

    /// submit.sh checks its arguments before it asks Slurm anything: exit status 2, what was
    /// expected, and no output folder.
    @Test func submitRefusesBadArgumentsBeforeSubmittingAnything() throws {
        let folder = try CLI.workspace(["s.yml": Scenarios.pipeline(name: "deployed", shared: true)])
        let script = Self.root.appendingPathComponent("deploy/slurm/submit.sh").path
        for (arguments, expected) in [
            (["s.yml", "4"], "usage: "),
            (["s.yml", "0", "out"], "SHARDS must be a whole number from 1 (got '0')"),
            (["s.yml", "four", "out"], "SHARDS must be a whole number from 1 (got 'four')"),
            (["missing.yml", "4", "out"], "no scenario file 'missing.yml'"),
        ] {
            let (status, output) = try Self.shell("exec bash \"$@\"", arguments: [script] + arguments, environment: [:], in: folder)
            #expect(status == 2, "\(arguments): \(output)")
            #expect(output.contains(expected), "\(arguments): \(output)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}
