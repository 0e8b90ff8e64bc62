import Foundation
import ServerlessModel
import SimCore
import Testing

@Test func pilot() throws {
    guard let which = ProcessInfo.processInfo.environment["PILOT"] else { return }
    let seeds = (ProcessInfo.processInfo.environment["PILOT_SEEDS"] ?? "1,2,3").split(separator: ",").map { UInt64($0)! }
    let reps = 40, n = 25_000
    for seed in seeds {
        var waits: [Double] = []
        for r in 0..<reps {
            let rep: QueueReplication
            if which == "md1" {
                rep = try runIdealisedQueue(servers: 1, arrivalRate: 0.5, service: .constant(.s(1)), customers: n, replication: r,
                                            seed: seed, initialBacklog: 1, warmup: .s(200), tailPoints: [])
            } else {
                let st = Analytic.MMcStationary(arrivalRate: 0.5, serviceRate: 1, servers: 1)
                let stream = RandomStream(name: "validation/initial-backlog", scenarioSeed: seed, replication: r)
                rep = try runIdealisedQueue(servers: 1, arrivalRate: 0.5, service: .exponential(mean: .s(1)), customers: n,
                                            replication: r, seed: seed, initialBacklog: st.sample(stream.uniform(), stream.uniform()),
                                            warmup: .zero, tailPoints: [])
            }
            waits.append(rep.waitMean)
        }
        let ci = ConfidenceInterval(waits)!
        print("PILOT \(which) seed \(seed): \(ci.mean) ± \(ci.halfWidth!) rel \((ci.mean / (which == "md1" ? 0.5 : 1.0)) - 1)")
    }
}
