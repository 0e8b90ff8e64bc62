import Foundation
import SimCore
import ServerlessModel
import Testing

@Test func pilot() throws {
    guard ProcessInfo.processInfo.environment["PILOT"] != nil else { return }
    for (c, rho, tracing) in [(1, 0.8, false), (1, 0.8, true), (64, 0.8, false), (64, 0.8, true)] {
        let lambda = Double(c) * rho
        let n = 100_000.0
        let spec = Idealised.pipeline(servers: c, arrivalRate: lambda, service: .exponential(mean: .s(1)),
                                      production: SimTime(seconds: n / lambda))
        let t0 = Date()
        let r = try World.simulate(spec, replication: 0, seed: 1, tracing: tracing)
        let dt = Date().timeIntervalSince(t0)
        var t1 = Date()
        var tailInfo = ""
        if tracing {
            let w = r.firstReceiveWaits()
            tailInfo = "waits \(w.count) mean \(w.reduce(0,+)/Double(w.count))"
            t1 = Date()
        }
        print("c=\(c) rho=\(rho) tracing=\(tracing) sim \(dt)s events \(r.events) trace-proc \(Date().timeIntervalSince(t0) - dt) wq=\(r.value(.queueWaitMean, "poisson")) theory=\(Analytic.mmcWaitMean(arrivalRate: lambda, serviceRate: 1, servers: c)) L=\(r.value(.inSystemMean)) XW=\(r.value(.throughput)*r.value(.latencyMean)) backlog=\(r.value(.backlogEnd)) \(tailInfo)")
        _ = t1
    }
}
