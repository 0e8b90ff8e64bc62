import Foundation
import SimCore

/// The 99th percentile of a handler's duration, estimated from a fixed stream of draws and
/// remembered by distribution, for the warning of a timeout below it (``PipelineWarnings``).
///
/// The estimate is 20,000 draws sorted, about 1.3 ms a function: read again for every sweep
/// point, a file of 1,000 functions and 1,000 points spent about 25 minutes on it (the issue's
/// "valid 560 KB sweep file"; Benchmarks/PROFILE.md, "Sweep files"). The draws are a function
/// of the distribution alone, so one estimate serves every function, point and plan value with
/// that distribution, in any load of the process.
///
/// `@unchecked Sendable`: the table is only touched while holding `lock`.
final class HandlerTimeEstimates: @unchecked Sendable {
    /// The one table of the process.
    static let shared = HandlerTimeEstimates()

    /// Draws per estimate: the estimate's standard error is well under 1 % of it for the
    /// shipped shapes.
    static let draws = 20_000
    /// The most distributions remembered; beyond it the table starts again, so that a sweep
    /// over many empirical tables does not keep them all.
    static let capacity = 4_096

    private let lock = NSLock()
    private var p99: [Distribution: Double] = [:]

    /// The 99th percentile of `distribution` in seconds.
    func p99Seconds(of distribution: Distribution) -> Double {
        if let known = lock.withLock({ p99[distribution] }) { return known }
        let stream = RandomStream(name: "warnings/handler-time", scenarioSeed: 0, replication: 0)
        var draws = (0..<Self.draws).map { _ in distribution.sampleSeconds(stream) }
        draws.sort()
        let estimate = draws[Int(Double(draws.count - 1) * 0.99)]
        lock.withLock {
            if p99.count >= Self.capacity { p99.removeAll(keepingCapacity: true) }
            p99[distribution] = estimate
        }
        return estimate
    }
}
