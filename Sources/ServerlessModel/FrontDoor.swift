import SimCore

/// An HTTP front door (API Gateway-style): a token bucket in front of a queue.
///
/// Every request of the task groups sending through it takes a token; a request that finds
/// none is rejected with HTTP 429 and never becomes a message. Rejections are counted per
/// group (`rejected`), apart from `sent`, which counts the messages that reached the queue.
struct FrontDoor {
    let spec: FrontDoorSpec
    var bucket: LimitState

    init(spec: FrontDoorSpec) {
        self.spec = spec
        bucket = LimitState(DownstreamLimit(rate: spec.rate, burst: spec.burst))
    }
}

extension World {
    /// Whether the front door of group `g` (if any) lets a request through now.
    func frontDoorAdmits(group g: Int) -> Bool {
        let door = Int(producers[g].frontDoor)
        guard door >= 0 else { return true }
        guard frontDoors[door].bucket.allows(at: now) else {
            if isMeasured(now) { metrics.groups[g].rejected += 1 }
            return false
        }
        frontDoors[door].bucket.takeToken()
        return true
    }
}
