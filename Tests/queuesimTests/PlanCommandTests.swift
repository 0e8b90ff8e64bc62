import Foundation
import Testing

/// `queuesim plan` end to end, through the built binary: the recommendation, plan.csv,
/// formats and exit statuses.
@Suite struct PlanCommandTests {
    /// An idealised M/M/c pipeline (λ = 4/s, exponential work of mean 1 s, `c` pollers =
    /// maximum concurrency) whose least `c` for a median of at most `target` is known: 6 for 1 s.
    private func mmc(target: String = "1s", account: String = "", range: String = "{min: 2, max: 30}",
                     slo: Bool = true, plan: Bool = true) -> String {
        """
        name: mmc-plan
        run: {duration: 10m, warmup: 1m, seed: 7, replications: 4, timeseries_interval: 1h}
        \(account)
        assumptions: {poller_start: 40, poller_minimum: 40, poller_maximum: 40, poller_scale_up_per_minute: 0}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 4/s}}}
        queues:
          tasks: {visibility_timeout: 6m, retention: 14d}
        functions:
          server:
            timeout: 60s
            duration: {exponential: {mean: 1s}}
            cold_start: 0s
            trigger: {queue: tasks, batch_size: 1, maximum_concurrency: 10}
        \(slo ? "slo: {latency_p50: \(target)}" : "")
        \(plan ? "plan: {minimize: concurrency, vary: {functions.server.trigger.maximum_concurrency: \(range)}}" : "")
        """
    }

    @Test func planPrintsTheRecommendationAsYAMLAndWritesPlanCSV() throws {
        let folder = try CLI.workspace(["mmc.yml": mmc()])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["plan", "mmc.yml", "--jobs", "2"], in: folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let out = outcome.standardOutput
        #expect(out.contains("mmc-plan: plan minimising concurrency;"))
        #expect(out.contains("paste into mmc.yml:\n\nfunctions:\n  server:\n    trigger:\n      maximum_concurrency: 6\n"), "\(out)")
        #expect(out.contains("latency_p50 (worst)"))
        #expect(out.contains("FAIL"))  // One fewer (5) was simulated and failed.
        let csv = String(decoding: try CLI.bytes(folder, "notebooks-data/mmc-plan/plan.csv"), as: UTF8.self)
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasPrefix("scenario,evaluation,functions.server.trigger.maximum_concurrency,status,pass,recommended,reason,"))
        #expect(lines[0].hasSuffix(",concurrency_peak,scope,metric,target,mean,ci95_low,ci95_high,outcome"))
        // Long form: a row per configuration and constraint.
        #expect(lines.contains { $0.hasPrefix("mmc-plan,") && $0.contains(",6,pass,true,true,") && $0.contains(",A,latency_p50_s,1,") })
        #expect(lines.contains { $0.hasPrefix("mmc-plan,") && $0.contains(",6,pass,true,true,") && $0.contains(",all,latency_p50_s,1,") })
        #expect(lines.contains { $0.contains(",5,fail,false,false,group A latency_p50") && $0.hasSuffix(",violated") })
    }

    @Test func jsonAndCSVFormatsAndTheSeedAreMachineReadable() throws {
        let folder = try CLI.workspace(["mmc.yml": mmc()])
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try CLI.run(["plan", "mmc.yml", "--format", "json", "--output", "o", "--seed", "3", "--replications", "3",
                                "--jobs", "2"], in: folder)
        #expect(json.status == 0, "\(json.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["command"] as? String == "plan")
        #expect(document["meets_slo"] as? Bool == true)
        #expect(document["seed"] as? Int == 3)
        #expect(document["initial_replications"] as? Int == 3)
        // The check of the answer: the M/M/c's response is monotone.
        let checks = try #require(document["self_checks"] as? [[String: Any]])
        #expect(checks.map { $0["monotone"] as? Bool } == [true])
        let recommended = try #require(document["recommended"] as? [String: Any])
        #expect((recommended["yaml"] as? String)?.contains("maximum_concurrency: 6") == true)
        let simulations = try #require(document["simulations"] as? Int)
        let evaluations = try #require(document["evaluations"] as? [[String: Any]])
        #expect(simulations == evaluations.compactMap { $0["replications"] as? Int }.reduce(0, +))
        // One job or two: the same evaluations, byte for byte.
        let written = String(decoding: try CLI.bytes(folder, "o/plan.csv"), as: UTF8.self)
        let csv = try CLI.run(["plan", "mmc.yml", "--format", "csv", "--output", "o1", "--seed", "3", "--replications", "3",
                               "--jobs", "1"], in: folder)
        #expect(csv.status == 0)
        #expect(csv.standardOutput == String(decoding: try CLI.bytes(folder, "o1/plan.csv"), as: UTF8.self))
        #expect(csv.standardOutput == written)
    }

    @Test func anInfeasibleSLOExitsWithOneAndSaysWhy() throws {
        // No maximum concurrency up to 5 gives a median of 1 s at 4/s: about 6 are needed.
        let folder = try CLI.workspace(["mmc.yml": mmc(range: "{min: 2, max: 5}")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CLI.run(["plan", "mmc.yml", "--jobs", "2"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("no configuration meets the SLO: even with functions.server.trigger.maximum_concurrency = 5"),
                "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("needs about 6 concurrent executions"))
        // The evaluations are still written, for a look at how close it came.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data/mmc-plan/plan.csv").path))
        let quiet = try CLI.run(["plan", "mmc.yml", "--quiet", "--output", "q"], in: folder)
        #expect(quiet.status == 1)
        #expect(quiet.standardOutput.isEmpty)
        #expect(quiet.standardError.contains("mmc.yml: no configuration meets the SLO: even with"))
    }

    @Test func aScenarioWithoutPlanOrSLOIsBadInputAndWritesNothing() throws {
        let folder = try CLI.workspace([
            "noplan.yml": mmc(plan: false), "noslo.yml": mmc(slo: false),
            "bad.yml": mmc(range: "{min: 5, max: 2}"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let noPlan = try CLI.run(["plan", "noplan.yml"], in: folder)
        #expect(noPlan.status == 2)
        #expect(noPlan.standardError.contains("noplan.yml:1:1: plan: the scenario has no plan block"), "\(noPlan.standardError)")
        let noSLO = try CLI.run(["plan", "noslo.yml"], in: folder)
        #expect(noSLO.status == 2)
        #expect(noSLO.standardError.contains("noslo.yml:1:1: slo: the scenario sets no SLO target"), "\(noSLO.standardError)")
        let bad = try CLI.run(["plan", "bad.yml"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("bad.yml:16:98:"), "\(bad.standardError)")
        #expect(bad.standardError.contains("plan.vary.functions.server.trigger.maximum_concurrency.max: max 2 is below min 5"))
        #expect(try CLI.run(["plan", "noplan.yml", "--jobs", "0"], in: folder).status == 2)
        #expect(noPlan.standardOutput.isEmpty && noSLO.standardOutput.isEmpty && bad.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("notebooks-data").path))
    }

    /// `--shard`, known from sweep, is refused with the reason and what to do instead, before
    /// anything runs or is written.
    @Test func shardIsRefusedWithTheReasonAndWhatToDoInstead() throws {
        let folder = try CLI.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = root.appendingPathComponent("scenarios/plan-per-group.yml").path
        let outcome = try CLI.run(["plan", scenario, "--shard", "1/4", "--output", "out"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--shard: plan is not sharded: the configuration it simulates next is chosen"),
                "\(outcome.standardError)")
        #expect(outcome.standardError.contains("deploy/slurm/plan.sbatch"))
        #expect(outcome.standardError.contains("queuesim sweep --shard K/N"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func theShippedPlanExampleIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = root.appendingPathComponent("scenarios/plan-per-group.yml")
        let outcome = try CLI.run(["validate", example.path], in: root)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = try String(contentsOf: example, encoding: .utf8)
        #expect(text.contains("plan:") && text.contains("slo:"))
    }
}
