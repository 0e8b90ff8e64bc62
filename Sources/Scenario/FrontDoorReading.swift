import ServerlessModel
import SimCore

/// Reading of `front_doors:`: HTTP fronts (API Gateway-style) with rate and burst limits.
extension PipelineReader {
    /// The keys of a front door.
    static let frontDoorKeys = ["rate", "burst"]

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
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }
}
