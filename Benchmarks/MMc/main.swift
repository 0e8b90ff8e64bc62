// The M/M/c benchmark on SimCore: c servers, one FIFO queue, compared with SimPy and Ciw.
//
// Poisson arrivals at rate lambda = rho * c * mu, c servers with exponential service at rate
// mu = 1/s, first come first served, a fixed number of customers. An event is an arrival or
// a departure (2 per customer), the count the peers (Benchmarks/peers/mmc_simpy.py,
// mmc_ciw.py) report too. The mean wait in queue is printed beside Erlang C's, so a fast but
// wrong engine cannot pass unnoticed.
//
// Usage: MMcBenchmark [customers] [--servers C] [--rho RHO] [--seed N] [--repeat N]

import BenchmarkSupport
import SimCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The two events of the model: a small enum, no payload, no allocation.
enum MMcEvent {
    case arrival
    case departure
}

/// M/M/c: customers arrive, wait for one of `servers` servers, are served, leave.
struct MMc: DiscreteEventModel {
    let interarrival: Distribution
    let service: Distribution
    let arrivalStream: RandomStream
    let serviceStream: RandomStream
    let customers: Int
    let servers: Int

    var arrived = 0
    var departed = 0
    var busy = 0
    var line = WaitingLine()
    /// Sum of waits in queue (arrival to start of service), in nanoseconds: integers, exact.
    var totalWait: Int64 = 0

    mutating func handle(_ event: MMcEvent, events: inout EventList<MMcEvent>) {
        let now = events.now
        switch event {
        case .arrival:
            arrived += 1
            if arrived < customers {
                events.schedule(.arrival, after: interarrival.sample(arrivalStream))
            }
            if busy < servers {
                busy += 1
                events.schedule(.departure, after: service.sample(serviceStream))
            } else {
                line.append(now)
            }
        case .departure:
            departed += 1
            if line.count > 0 {
                totalWait += (now - line.removeFirst()).nanoseconds
                events.schedule(.departure, after: service.sample(serviceStream))
            } else {
                busy -= 1
            }
        }
    }
}

/// Erlang C: the mean wait in queue of M/M/c, Wq = C(c, a) / (c mu - lambda), a = lambda / mu.
func erlangCWait(servers c: Int, lambda: Double, mu: Double) -> Double {
    let a = lambda / mu
    let rho = a / Double(c)
    // Erlang B by its stable recurrence, then C from B.
    var b = 1.0
    for k in 1...c { b = a * b / (Double(k) + a * b) }
    let erlangC = b / (1 - rho * (1 - b))
    return erlangC / (Double(c) * mu - lambda)
}

let arguments = CommandLine.arguments
let customers = arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let servers = max(1, option("--servers", in: arguments).flatMap { Int($0) } ?? 16)
let rho = option("--rho", in: arguments).flatMap { Double($0) } ?? 0.9
let seed = option("--seed", in: arguments).flatMap { UInt64($0) } ?? 1
let repetitions = max(1, option("--repeat", in: arguments).flatMap { Int($0) } ?? 3)
guard customers > 0, rho > 0, rho < 1 else {
    print("MMcBenchmark: expected customers above 0 and 0 < rho < 1")
    exit(2)
}
let mu = 1.0
let lambda = rho * Double(servers) * mu

// The same run `repetitions` times (same seed, so the same events); the fastest is reported,
// as timeit does: the others measured the machine's other work, not the engine.
var best: (model: MMc, events: Int, wall: Double, cpu: Double)?
for _ in 0..<repetitions {
    var simulation = Simulation(model: MMc(
        interarrival: .exponential(mean: SimTime(seconds: 1 / lambda)),
        service: .exponential(mean: SimTime(seconds: 1 / mu)),
        arrivalStream: RandomStream(name: "arrivals", scenarioSeed: seed, replication: 0),
        serviceStream: RandomStream(name: "service", scenarioSeed: seed, replication: 0),
        customers: customers, servers: servers))
    simulation.events.schedule(.arrival, at: .zero)
    let clock = ContinuousClock()
    let cpuStarted = cpuSeconds()
    let started = clock.now
    simulation.run()
    let wall = seconds(clock.now - started)
    let cpu = cpuSeconds() - cpuStarted
    if best == nil || wall < best?.wall ?? .infinity {
        best = (simulation.model, simulation.handledEvents, wall, cpu)
    }
}
guard let best else { exit(1) }
let meanWait = Double(best.model.totalWait) / 1e9 / Double(best.model.departed)

print("engine: queuesim SimCore (Swift)")
print("model: M/M/c c=\(servers) rho=\(rho) lambda=\(lambda) mu=\(mu)")
print("customers: \(best.model.departed)")
print("events: \(best.events)")
print("repetitions: \(repetitions)")
print("wall_seconds: \(fixed(best.wall, 4))")
print("cpu_seconds: \(fixed(best.cpu, 4))")
print("events_per_second: \(Int((Double(best.events) / best.wall).rounded()))")
print("messages: \(best.model.departed)")
print("messages_per_second: \(Int((Double(best.model.departed) / best.wall).rounded()))")
print("peak_rss_mb: \(fixed(peakResidentMB(), 1))")
print("mean_wait: \(fixed(meanWait, 4)) (Erlang C = \(fixed(erlangCWait(servers: servers, lambda: lambda, mu: mu), 4)))")
