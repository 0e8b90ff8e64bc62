import SimCore

/// The random streams of one run, one per stochastic source, named so that common random
/// numbers line up across variants.
///
/// Per-message randomness (handler time per message, downstream latency) is keyed by the
/// message itself: each message draws a random key from `work/<group>` when it is sent (in
/// send order, the same in every variant), and each of its draws re-seeds a small generator
/// from (key, receive count, purpose). A message therefore costs the same whichever topology
/// processes it and in whatever order, and each retry draws afresh, the same way in every
/// variant. Per-invocation randomness is named after the function.
///
/// | stream | draws |
/// |---|---|
/// | `arrivals/<group>` | send times |
/// | `fifo-keys/<group>` | MessageGroupId among N keys |
/// | `work/<group>` | each message's random key (per-message handler time, downstream latency) |
/// | `duration/<function>` | handler time per invocation |
/// | `coldstart/<function>` | init duration |
/// | `idle/<function>` | idle time before reclaim |
/// | `errors/<function>` | whether an invocation fails |
/// | `duplicates/<queue>` | at-least-once duplicates |
/// | `client-retry/<group>` | jitter of a direct client's retry back-off |
/// | `crashes/<function>` | whether and when an invocation crashes |
struct Streams {
    let arrivals: [RandomStream]
    let fifoKeys: [RandomStream]
    let work: [RandomStream]
    let duration: [RandomStream]
    let coldStart: [RandomStream]
    let idle: [RandomStream]
    let errors: [RandomStream]
    let duplicates: [RandomStream]
    let clientRetry: [RandomStream]
    let crashes: [RandomStream]
    /// Re-seeded from a message's random key for each draw of its own randomness.
    let perMessage = RandomStream(seed: 0, algorithm: .tausworthe)

    /// What a message's draw is for; part of the re-seeding key so draws are independent.
    enum Purpose: UInt64 {
        case work = 1
        case downstreamLatency = 2
    }

    /// Draws a message's own sample of `distribution`, for its `attempt`-th delivery.
    func sample(_ distribution: Distribution, key: UInt32, attempt: Int32, purpose: Purpose) -> SimTime {
        if case .constant(let value) = distribution { return value }
        let mixed = StreamSeed.splitmix64((UInt64(key) << 32 | UInt64(UInt32(bitPattern: attempt))) ^ (purpose.rawValue << 60))
        perMessage.reseed(UInt32(truncatingIfNeeded: mixed ^ (mixed >> 32)))
        return distribution.sample(perMessage)
    }

    init(spec: PipelineSpec, seed: UInt64, replication: Int) {
        func streams(_ prefix: String, _ names: [String]) -> [RandomStream] {
            names.map { RandomStream(name: "\(prefix)/\($0)", scenarioSeed: seed, replication: replication) }
        }
        let groups = spec.groups.map(\.name)
        let functions = spec.functions.map(\.name)
        arrivals = streams("arrivals", groups)
        fifoKeys = streams("fifo-keys", groups)
        work = streams("work", groups)
        duration = streams("duration", functions)
        coldStart = streams("coldstart", functions)
        idle = streams("idle", functions)
        errors = streams("errors", functions)
        duplicates = streams("duplicates", spec.queues.map(\.name))
        clientRetry = streams("client-retry", groups)
        crashes = streams("crashes", functions)
    }
}
