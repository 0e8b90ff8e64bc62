import SimCore

/// An HTTP front door (API Gateway-style): a token bucket in front of a queue, usage plans per
/// group, and an integration latency.
///
/// Every request of the task groups sending through it takes a token of the front door's
/// bucket (the stage's throttle) and, when its group has a usage plan, a token of the plan's
/// bucket and one request of the plan's daily quota. A request that one of them refuses is
/// rejected with HTTP 429 and never becomes a message; nothing is taken then. Rejections are
/// counted per group (`rejected`), apart from `sent`, which counts the accepted requests.
/// An accepted request's message reaches the queue after the front door's `latency`
/// (drawn from the message's own key), which is part of its end-to-end latency.
struct FrontDoor {
    let spec: FrontDoorSpec
    var bucket: LimitState
    /// The usage plan of each task group, by group index, or nil.
    var plans: [PlanState?]

    init(spec: FrontDoorSpec, groups: [String]) {
        self.spec = spec
        bucket = LimitState(DownstreamLimit(rate: spec.rate, burst: spec.burst))
        plans = groups.map { name in spec.usagePlans[name].map(PlanState.init) }
    }
}

/// A usage plan's live state: its bucket and the requests counted against today's quota.
struct PlanState {
    var bucket: LimitState?
    let quotaPerDay: Int?
    var day: Int64 = 0
    var used = 0

    init(_ plan: UsagePlan) {
        bucket = plan.rate.map { LimitState(DownstreamLimit(rate: $0, burst: plan.burst)) }
        quotaPerDay = plan.quotaPerDay
    }

    /// Whether today's quota has room (a new day starts a new count).
    mutating func quotaAllows(at now: SimTime) -> Bool {
        guard let quotaPerDay else { return true }
        let today = now.nanoseconds / SimTime.hours(24).nanoseconds
        if today != day { (day, used) = (today, 0) }
        return used < quotaPerDay
    }
}

extension World {
    /// Whether the front door of group `g` (if any) lets a request through now.
    func frontDoorAdmits(group g: Int) -> Bool {
        let door = Int(producers[g].frontDoor)
        guard door >= 0 else { return true }
        // Every check runs (each refills its bucket) before any token is taken.
        let stage = frontDoors[door].bucket.allows(at: now)
        var plan = frontDoors[door].plans[g]
        let planBucket = plan?.bucket?.allows(at: now) ?? true
        let quota = plan?.quotaAllows(at: now) ?? true
        guard stage, planBucket, quota else {
            frontDoors[door].plans[g] = plan
            if isMeasured(now) { metrics.groups[g].rejected += 1 }
            return false
        }
        frontDoors[door].bucket.takeToken()
        plan?.bucket?.takeToken()
        plan?.used += 1
        frontDoors[door].plans[g] = plan
        return true
    }

    /// The integration latency of a message accepted by group `g`'s front door (zero without one).
    ///
    /// Always inlined, so that a group without a front door pays one test, not a call (about
    /// 25 instructions per message; Benchmarks/PROFILE.md, seventh round).
    @inline(__always) func frontDoorLatency(group g: Int, key: UInt32) -> SimTime {
        let door = Int(producers[g].frontDoor)
        guard door >= 0 else { return .zero }
        return frontDoorLatency(door: door, key: key)
    }

    private func frontDoorLatency(door: Int, key: UInt32) -> SimTime {
        streams.sample(frontDoors[door].spec.latency, key: key, attempt: 0, purpose: .frontDoorLatency)
    }

    /// A message accepted by a front door reaches its queue.
    func frontDoorForwarded(_ id: MessageID, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard messages[id].generation == generation, messages[id].state == .inJob else { return }
        enqueue(id, into: messages[id].queue, events: &events)
    }
}
