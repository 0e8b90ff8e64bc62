// The pipeline benchmark: one replication of a scenario through the whole model.
//
// Loads a scenario file with the Scenario module (as `queuesim simulate` does), runs its
// first replication with `World.simulate`, and prints how fast it ran beside the results a
// reader checks it against (the SimPy peer, Benchmarks/peers/shared_queue_simpy.py, prints
// the same keys). `events` are the events queuesim's engine handled (every popped event,
// stale timers included); `messages` are the messages the producers sent.
//
// Usage: PipelineBenchmark SCENARIO.yml [--duration SECONDS] [--seed N]

import BenchmarkSupport
import Foundation
import Scenario
import ServerlessModel
import SimCore

/// Stops with a message and exit status 2 (bad input).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("PipelineBenchmark: \(message)\n".utf8))
    exit(2)
}

/// A metric of a scope with `digits` decimals, or `-` where it does not apply.
func value(_ metric: Metric, of scope: ScopeSummary, _ digits: Int) -> String {
    guard let number = scope[metric] else { return "-" }
    return String(format: "%.\(digits)f", number)
}

let arguments = CommandLine.arguments
guard arguments.count > 1, !arguments[1].hasPrefix("--") else {
    fail("expected a scenario file (usage: PipelineBenchmark SCENARIO.yml [--duration SECONDS] [--seed N])")
}
let path = arguments[1]
var scenario: Scenario
do {
    scenario = try ScenarioLoader.load(path: path)
} catch {
    fail("\n\(error)")
}
if let text = option("--duration", in: arguments) {
    guard let duration = Double(text), duration > 0 else { fail("--duration \(text): expected seconds above 0") }
    scenario.pipeline.run.duration = SimTime(seconds: duration)
}
if let text = option("--seed", in: arguments) {
    guard let seed = UInt64(text) else { fail("--seed \(text): expected a whole number of at least 0") }
    scenario.pipeline.run.seed = seed
}
let run = scenario.pipeline.run

let clock = ContinuousClock()
let cpuStarted = cpuSeconds()
let started = clock.now
let result: RunResult
do {
    result = try World.simulate(scenario.pipeline)
} catch {
    fail("\(error)")
}
let wall = seconds(clock.now - started)
let cpu = cpuSeconds() - cpuStarted
let peak = peakResidentMB()

let all = result.overall
let messages = Int(all[.sent] ?? 0)
print("engine: queuesim (Swift)")
print("model: \(scenario.name) duration=\(Int(run.duration.seconds))s drain=\(Int(run.drain.seconds))s seed=\(run.seed)")
print("wall_seconds: \(String(format: "%.4f", wall))")
print("cpu_seconds: \(String(format: "%.4f", cpu))")
print("events: \(result.events)")
print("events_per_second: \(Int((Double(result.events) / wall).rounded()))")
print("messages: \(messages)")
print("messages_per_second: \(Int((Double(messages) / wall).rounded()))")
print("peak_rss_mb: \(String(format: "%.1f", peak))")
print("sent: \(messages)")
print("succeeded: \(value(.succeeded, of: all, 0))")
print("throughput: \(value(.throughput, of: all, 2))")
print("latency_mean_s: \(value(.latencyMean, of: all, 4))")
print("latency_p50_s: \(value(.latencyP50, of: all, 4))")
print("latency_p99_s: \(value(.latencyP99, of: all, 4))")
print("downstream_violations: \(value(.downstreamViolations, of: all, 0))")
print("retries: \(value(.retries, of: all, 0))")
print("dead_lettered: \(value(.deadLettered, of: all, 0))")
print("invocations: \(value(.invocations, of: all, 0))")
print("cold_starts: \(value(.coldStarts, of: all, 0))")
print("throttles: \(value(.throttles, of: all, 0))")
print("concurrency_mean: \(value(.concurrencyMean, of: all, 2))")
print("concurrency_peak: \(value(.concurrencyPeak, of: all, 0))")
for scope in result.scopes where scope.kind == .group {
    print("group_\(scope.scope): sent \(value(.sent, of: scope, 0)) succeeded \(value(.succeeded, of: scope, 0)) "
        + "violations \(value(.downstreamViolations, of: scope, 0)) retries \(value(.retries, of: scope, 0)) "
        + "dead_lettered \(value(.deadLettered, of: scope, 0))")
}
