import SimCore

/// The random streams of one run, one per stochastic source, named so that common random
/// numbers line up across variants.
///
/// Per-message randomness (handler time per message, downstream latency, FIFO keys) is drawn
/// from streams named after the message's task group, so a group's messages cost the same
/// whichever topology processes them. Per-invocation randomness is named after the function.
///
/// | stream | draws |
/// |---|---|
/// | `arrivals/<group>` | send times |
/// | `fifo-keys/<group>` | MessageGroupId among N keys |
/// | `work/<group>` | per-message handler time |
/// | `downstream-latency/<group>` | downstream call latency |
/// | `duration/<function>` | handler time per invocation |
/// | `coldstart/<function>` | init duration |
/// | `idle/<function>` | idle time before reclaim |
/// | `errors/<function>` | whether an invocation fails |
/// | `duplicates/<queue>` | at-least-once duplicates |
/// | `client-retry/<group>` | jitter of a direct client's retry back-off |
struct Streams {
    let arrivals: [RandomStream]
    let fifoKeys: [RandomStream]
    let work: [RandomStream]
    let downstreamLatency: [RandomStream]
    let duration: [RandomStream]
    let coldStart: [RandomStream]
    let idle: [RandomStream]
    let errors: [RandomStream]
    let duplicates: [RandomStream]
    let clientRetry: [RandomStream]

    init(spec: PipelineSpec, seed: UInt64, replication: Int) {
        func streams(_ prefix: String, _ names: [String]) -> [RandomStream] {
            names.map { RandomStream(name: "\(prefix)/\($0)", scenarioSeed: seed, replication: replication) }
        }
        let groups = spec.groups.map(\.name)
        let functions = spec.functions.map(\.name)
        arrivals = streams("arrivals", groups)
        fifoKeys = streams("fifo-keys", groups)
        work = streams("work", groups)
        downstreamLatency = streams("downstream-latency", groups)
        duration = streams("duration", functions)
        coldStart = streams("coldstart", functions)
        idle = streams("idle", functions)
        errors = streams("errors", functions)
        duplicates = streams("duplicates", spec.queues.map(\.name))
        clientRetry = streams("client-retry", groups)
    }
}
