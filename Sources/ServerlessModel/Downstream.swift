import SimCore

/// A downstream service: its latency and the limits it enforces per task group.
///
/// Each limit is a token bucket (sustained rate, burst) and/or a cap on calls in progress.
/// A call checks the caller's group limit and the `all` limit; if either refuses, the call
/// fails at once (a 429 from the service) and consumes nothing.
struct Downstream {
    let spec: DownstreamSpec
    /// The limit slot of each task group, or -1 when the group is not limited on its own.
    let groupLimit: [Int32]
    /// The limit slot of `all`, or -1.
    let allLimit: Int32
    /// The limit slot of each tenant whose group's limit is per tenant, or -1; empty when no
    /// limit is (Tenants.swift).
    let tenantLimit: [Int32]
    /// A store rather than an array: every call takes and returns a slot (see ``EntityStore``).
    let limits: EntityStore<LimitState>
}

/// The live state of one downstream limit.
struct LimitState {
    let ratePerSecond: Double?
    let burst: Double
    let concurrency: Int?
    var tokens: Double
    var tokensAt: SimTime = .zero
    var inProgress = 0

    init(_ limit: DownstreamLimit) {
        ratePerSecond = limit.rate?.perSecond
        burst = Double(limit.effectiveBurst)
        concurrency = limit.concurrency
        tokens = burst
    }

    /// Whether a call may start now (refilling the bucket first).
    mutating func allows(at now: SimTime) -> Bool {
        if let rate = ratePerSecond {
            tokens = min(burst, tokens + (now - tokensAt).seconds * rate)
            tokensAt = now
            if tokens < 1 { return false }
        }
        if let concurrency, inProgress >= concurrency { return false }
        return true
    }

    /// A call starts: it takes a token and a concurrency slot.
    mutating func take() {
        takeToken()
        inProgress += 1
    }

    /// A request passes the bucket (nothing held while it is in progress).
    mutating func takeToken() {
        if ratePerSecond != nil { tokens -= 1 }
    }
}

/// The limit slots a call in progress holds, released when the call returns.
struct DownstreamCall {
    var downstream: Int32 = -1
    var groupSlot: Int32 = -1
    var allSlot: Int32 = -1
}

extension World {
    /// Starts a call for a message of group `g` (and tenant `t`, or -1); nil when a limit
    /// refuses it. A tenant of a group whose limit is per tenant is held to its own.
    func startDownstreamCall(_ d: Int, group g: Int, tenant t: Int32, now: SimTime) -> DownstreamCall? {
        var groupSlot = downstreams[d].groupLimit[g]
        if t >= 0, !downstreams[d].tenantLimit.isEmpty, downstreams[d].tenantLimit[Int(t)] >= 0 {
            groupSlot = downstreams[d].tenantLimit[Int(t)]
        }
        let allSlot = downstreams[d].allLimit
        // Both checks run (each refills its bucket) before either is taken.
        let groupAllows = groupSlot < 0 || downstreams[d].limits[Int(groupSlot)].allows(at: now)
        let allAllows = allSlot < 0 || downstreams[d].limits[Int(allSlot)].allows(at: now)
        guard groupAllows, allAllows else { return nil }
        if groupSlot >= 0 { downstreams[d].limits[Int(groupSlot)].take() }
        if allSlot >= 0 { downstreams[d].limits[Int(allSlot)].take() }
        return DownstreamCall(downstream: Int32(d), groupSlot: groupSlot, allSlot: allSlot)
    }

    /// A call returned: its concurrency slots are free again.
    @inline(__always) // on every message's path; the call cost about as much as the body
    func endDownstreamCall(_ call: DownstreamCall) {
        guard call.downstream >= 0 else { return }
        let d = Int(call.downstream)
        if call.groupSlot >= 0 { downstreams[d].limits[Int(call.groupSlot)].inProgress -= 1 }
        if call.allSlot >= 0 { downstreams[d].limits[Int(call.allSlot)].inProgress -= 1 }
    }
}
