import ServerlessModel
import SimCore

/// Reading of `front_doors:`: HTTP fronts (API Gateway-style) with rate and burst limits, an
/// integration latency and usage plans per group.
extension PipelineReader {
    /// The keys of a front door.
    static let frontDoorKeys = ["rate", "burst", "latency", "usage_plans"]
    /// The keys of a usage plan.
    static let usagePlanKeys = ["rate", "burst", "quota_per_day"]

    /// Every front door (optional).
    func frontDoors(_ node: SourceNode?) -> [ReadEntity<FrontDoorSpec>] {
        let path = FieldPath.root.appending("front_doors")
        let entries = namedEntries(node, path, location: .start, required: false, noun: "front door",
                                   example: "{api: {rate: 100/s, burst: 200}}", reservesAll: false)
        return entries.compactMap { frontDoor($0, path: path.appending($0.key.text)) }
    }

    /// One front door: `rate` is required, `burst` defaults to one second of `rate`.
    private func frontDoor(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<FrontDoorSpec>? {
        guard let view = values.mapping(entry.value, path, keys: Self.frontDoorKeys,
                                        expected: "a front door such as {rate: 100/s, burst: 200}") else { return nil }
        var spec = FrontDoorSpec(name: entry.key.text, rate: Rate(perSecond: 1), burst: 1)
        if let value = values.required(view, "rate", expected: "a rate such as 100/s") {
            spec.rate = values.rate(value, view.path("rate"), positive: true) ?? spec.rate
        }
        spec.burst = max(1, Int(spec.rate.perSecond.rounded(.up)))
        if let value = view["burst"] {
            spec.burst = values.integer(value, view.path("burst"), IntegerRange(minimum: 1, maximum: nil, noun: "a burst"))
                ?? spec.burst
        }
        if let value = view["latency"] { spec.latency = values.distribution(value, view.path("latency")) ?? spec.latency }
        if let value = view["usage_plans"],
           let plans = values.entries(value, view.path("usage_plans"), expected: "usage plans by group such as {A: {rate: 10/s, quota_per_day: 100000}}") {
            for plan in plans {
                if let read = usagePlan(plan.value, view.path("usage_plans").appending(plan.key.text)) {
                    spec.usagePlans[plan.key.text] = read
                }
            }
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }

    /// `{rate: 10/s, burst: 20, quota_per_day: 100000}`: at least a rate or a quota.
    private func usagePlan(_ node: SourceNode, _ path: FieldPath) -> UsagePlan? {
        guard let view = values.mapping(node, path, keys: Self.usagePlanKeys,
                                        expected: "a usage plan such as {rate: 10/s, burst: 20, quota_per_day: 100000}")
        else { return nil }
        var plan = UsagePlan()
        if let value = view["rate"] { plan.rate = values.rate(value, view.path("rate"), positive: true) }
        if let value = view["burst"] {
            plan.burst = values.integer(value, view.path("burst"), IntegerRange(minimum: 1, maximum: nil, noun: "a burst"))
            if !view.has("rate") {
                sink.error(view.keyLocation(of: "burst"), view.path("burst"),
                           "a burst needs a rate (expected rate with burst, such as {rate: 10/s, burst: 20})")
            }
        }
        if let value = view["quota_per_day"] {
            plan.quotaPerDay = values.integer(value, view.path("quota_per_day"),
                                              IntegerRange(minimum: 1, maximum: nil, noun: "a number of requests a day"))
        }
        if !view.has("rate"), !view.has("quota_per_day") {
            sink.error(view.mapping.location, view.path,
                       "a usage plan without limits (expected rate, quota_per_day or both, such as {rate: 10/s, quota_per_day: 100000})")
        }
        return plan
    }
}
