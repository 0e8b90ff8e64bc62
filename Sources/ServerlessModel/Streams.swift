import SimCore

/// The random streams of one run, one per stochastic source, named so that common random
/// numbers line up across variants.
///
/// Per-message randomness (handler time per message, downstream latency) is keyed by the
/// message itself: each message draws a random key from `work/<group>` when it is sent (in
/// send order, the same in every variant), and each of its draws re-seeds a SplitMix64
/// generator (``RandomStream/Algorithm/splitMix64``, a counter-based generator whose re-seeding
/// is one store) from (key, receive count, purpose). A message therefore costs the same
/// whichever topology processes it and in whatever order, and each retry draws afresh, the
/// same way in every variant. Per-invocation randomness is named after the function.
///
/// | stream | draws |
/// |---|---|
/// | `arrivals/<group>` | send times (of the first process of a list) |
/// | `arrivals/<group>#<n>` | send times of process n (from 2) of a list of arrival processes |
/// | `fifo-keys/<group>` | MessageGroupId among N keys |
/// | `work/<group>` | each message's random key (per-message handler time, downstream latency) |
/// | `duration/<function>` | handler time per invocation |
/// | `coldstart/<function>` | init duration |
/// | `idle/<function>` | idle time before reclaim |
/// | `errors/<function>` | whether an invocation fails |
/// | `duplicates/<queue>` | at-least-once duplicates |
/// | `client-retry/<group>` | jitter of a direct client's retry back-off, and of a producer's retry of a throttled FIFO send |
/// | `crashes/<function>` | whether and when an invocation crashes |
///
/// The model draws through handles (``RandomStream/Handle``), which cost no reference
/// counting per draw; `owned` keeps the streams, and so the handles, alive.
struct Streams {
    let arrivals: [RandomStream.Handle]
    let fifoKeys: [RandomStream.Handle]
    let work: [RandomStream.Handle]
    let duration: [RandomStream.Handle]
    let coldStart: [RandomStream.Handle]
    let idle: [RandomStream.Handle]
    let errors: [RandomStream.Handle]
    let duplicates: [RandomStream.Handle]
    let clientRetry: [RandomStream.Handle]
    let crashes: [RandomStream.Handle]
    /// A group's `arrivals/<group>#<n>` for its processes n = 2, 3 ... (empty without a list).
    let superposedArrivals: [[RandomStream.Handle]]
    /// Every named stream above.
    private let owned: [RandomStream]
    /// Re-seeded from a message's random key for each draw of its own randomness; drawn
    /// through `perMessage`, its handle.
    private let perMessageStream = RandomStream(seed: 0, algorithm: .splitMix64)
    let perMessage: RandomStream.Handle

    /// What a message's draw is for; part of the re-seeding key so draws are independent.
    ///
    /// The raw value (hexadecimal digits of pi: nothing up the sleeve) is a salt XORed into the
    /// mixed (key, attempt): seeds of two purposes coincide only where two SplitMix64 outputs
    /// differ by exactly the XOR of the salts, about once in 2^64 pairs. (The purpose used to
    /// share bits with the key, so messages whose keys differed in those bits shared draws.)
    enum Purpose: UInt64 {
        case work = 0x243F_6A88_85A3_08D3
        case downstreamLatency = 0x1319_8A2E_0370_7344
        case messageSize = 0xA409_3822_299F_31D0
        case frontDoorLatency = 0x082E_FA98_EC4E_6C89
        case resend = 0x4528_21E6_38D0_1377
    }

    /// A message's own uniform draw in (0, 1) for `purpose` (whether its producer resends it).
    func uniform(key: UInt32, purpose: Purpose) -> Double {
        perMessage.reseed(StreamSeed.splitmix64(UInt64(key) << 32) ^ purpose.rawValue)
        return perMessage.uniform()
    }

    /// Draws a message's own sample of `distribution`, for its `attempt`-th delivery.
    ///
    /// The seed is `splitmix64(key << 32 | attempt) ^ purpose`: a bijection of (key, attempt)
    /// for each purpose, so that every delivery of every message starts its own SplitMix64
    /// sequence, which depends on nothing but those three (common random numbers).
    func sample(_ distribution: Distribution, key: UInt32, attempt: Int32, purpose: Purpose) -> SimTime {
        if case .constant(let value) = distribution { return value }
        let mixed = StreamSeed.splitmix64(UInt64(key) << 32 | UInt64(UInt32(bitPattern: attempt)))
        perMessage.reseed(mixed ^ purpose.rawValue)
        return distribution.sample(perMessage)
    }

    init(spec: PipelineSpec, seed: UInt64, replication: Int) {
        var owned: [RandomStream] = []
        func streams(_ prefix: String, _ names: [String]) -> [RandomStream.Handle] {
            names.map {
                let stream = RandomStream(name: "\(prefix)/\($0)", scenarioSeed: seed, replication: replication)
                owned.append(stream)
                return stream.handle
            }
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
        superposedArrivals = spec.groups.map { group in
            guard case .superposed(let processes) = group.arrivals, processes.count > 1 else { return [] }
            return streams("arrivals", (2...processes.count).map { "\(group.name)#\($0)" })
        }
        self.owned = owned
        perMessage = perMessageStream.handle
    }
}
