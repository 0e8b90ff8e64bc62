import SimCore

/// One tenant's results in one run (a row of `tenants.csv`; measured messages only).
public struct TenantRow: Sendable, Equatable {
    public var group: String
    public var tenant: String
    public var sent = 0
    public var succeeded = 0
    public var deadLettered = 0
    public var expired = 0
    /// Sends a FIFO queue's quota throttled past the producer's last retry (never queued).
    public var dropped = 0
    public var downstreamViolations = 0
    /// Messages still queued, delayed or in flight when the run ended.
    public var backlogEnd = 0
    /// End-to-end latency and queue wait (send to first receive), seconds; nil without any.
    public var latencyP50: Double?
    public var latencyP99: Double?
    public var queueWaitP50: Double?
    public var queueWaitP99: Double?

    public init(group: String, tenant: String) {
        self.group = group
        self.tenant = tenant
    }
}

/// What one tenant's measured messages went through.
struct TenantMetrics {
    var sent = 0
    var deadLettered = 0
    var expired = 0
    var dropped = 0
    var downstreamViolations = 0
}

/// The tenants of the task groups that have them (``TenantSpec``), numbered across the whole
/// world: which group each belongs to, how a send picks one, and what their messages went
/// through. A message carries its tenant's number (``Message/tenant``), -1 without one, so
/// that a pipeline without tenants pays one comparison per record and nothing more.
///
/// Memory per tenant: its counters (32 bytes), its name, and two latency recorders at the
/// plotting resolution (1 ms, 1 %: ``LatencyHistogram/Plotting``), each 39 octave pointers
/// (312 bytes) and a 1 KB block for every power of two of seconds its latencies touch:
/// 3.3 to 4.8 KB per tenant measured with 10,000 tenants (README, "Many tenants").
struct TenantTable: ~Copyable {
    /// Each group's first tenant's number and its number of tenants (0 without tenants).
    let first: [Int32]
    let count: [Int32]
    /// Each group's cumulative shares (the last is 1), for a draw by bisection.
    let cumulative: [[Double]]
    /// The group of each tenant, and its name.
    let group: [Int32]
    let names: [String]
    let metrics: EntityStore<TenantMetrics>
    var latency: LatencyRecorders<LatencyHistogram.Plotting>
    var queueWait: LatencyRecorders<LatencyHistogram.Plotting>

    init(groups: [TaskGroupSpec]) {
        var first: [Int32] = []
        var count: [Int32] = []
        var cumulative: [[Double]] = []
        var group: [Int32] = []
        var names: [String] = []
        for (g, spec) in groups.enumerated() {
            first.append(Int32(group.count))
            guard let tenants = spec.tenants, tenants.count > 0 else {
                count.append(0)
                cumulative.append([])
                continue
            }
            count.append(Int32(tenants.count))
            var running = 0.0
            var shares = tenants.weights.map { weight -> Double in
                running += weight
                return running
            }
            shares[shares.count - 1] = 1
            cumulative.append(shares)
            for k in 0..<tenants.count {
                group.append(Int32(g))
                names.append(k < tenants.names.count ? tenants.names[k] : "\(spec.name)#\(k + 1)")
            }
        }
        self.first = first
        self.count = count
        self.cumulative = cumulative
        self.group = group
        self.names = names
        isEmpty = group.isEmpty
        metrics = EntityStore(repeating: TenantMetrics(), count: group.count)
        latency = LatencyRecorders(count: group.count)
        queueWait = LatencyRecorders(count: group.count)
    }

    /// Whether no group has tenants.
    let isEmpty: Bool
}

extension World {
    /// The tenant of group `g`'s next send, drawn by its shares, or -1 without tenants.
    ///
    /// Always inlined, with one test of a stored flag for a world without tenants: the call
    /// cost about 19 instructions per message (callgrind, two-minute benchmark).
    @inline(__always) func chooseTenant(group g: Int) -> Int32 {
        tenants.isEmpty ? -1 : drawTenant(group: g)
    }

    private func drawTenant(group g: Int) -> Int32 {
        let n = Int(tenants.count[g])
        guard n > 0 else { return -1 }
        let u = streams.fifoKeys[g].uniform()
        // The first tenant whose cumulative share exceeds u.
        var low = 0
        var high = n - 1
        while low < high {
            let middle = (low + high) / 2
            if tenants.cumulative[g][middle] > u { high = middle } else { low = middle + 1 }
        }
        return tenants.first[g] + Int32(low)
    }

    /// A measured message of a tenant was sent.
    func countTenantSent(_ t: Int32) {
        tenants.metrics[Int(t)].sent += 1
    }

    /// A tenant's measured message was received for the first time.
    func recordTenantQueueWait(_ t: Int32, wait: SimTime) {
        tenants.queueWait.record(wait, in: Int(t))
    }

    /// A tenant's measured message succeeded.
    func recordTenantSuccess(_ t: Int32, latency: SimTime) {
        tenants.latency.record(latency, in: Int(t))
    }

    /// The tenants' rows of the run, with each one's messages still alive at its end and
    /// those past their retention then (counted as expired, as for groups).
    func tenantRows(backlog: [Int], expiredAtEnd: [Int]) -> [TenantRow] {
        (0..<tenants.group.count).map { t in
            var row = TenantRow(group: producers[Int(tenants.group[t])].spec.name, tenant: tenants.names[t])
            let counts = tenants.metrics[t]
            let latency = tenants.latency.histogram(t)
            let wait = tenants.queueWait.histogram(t)
            row.sent = counts.sent
            row.succeeded = latency.count
            row.deadLettered = counts.deadLettered
            row.expired = counts.expired + expiredAtEnd[t]
            row.dropped = counts.dropped
            row.downstreamViolations = counts.downstreamViolations
            row.backlogEnd = backlog[t]
            let latencies = latency.percentiles([50, 99])
            if latencies.count == 2 { (row.latencyP50, row.latencyP99) = (latencies[0].seconds, latencies[1].seconds) }
            let waits = wait.percentiles([50, 99])
            if waits.count == 2 { (row.queueWaitP50, row.queueWaitP99) = (waits[0].seconds, waits[1].seconds) }
            return row
        }
    }
}

extension [TenantRow] {
    /// The 99th percentile across tenants (nearest rank) of their latency p99: the p99 a
    /// tenant near the worst sees. Nil without any tenant that has one.
    func p99AcrossTenants(group: String?) -> Double? {
        let p99s = filter { group == nil || $0.group == group }.compactMap(\.latencyP99).sorted()
        guard !p99s.isEmpty else { return nil }
        let rank = Int((0.99 * Double(p99s.count)).rounded(.up))
        return p99s[Swift.max(0, rank - 1)]
    }
}
