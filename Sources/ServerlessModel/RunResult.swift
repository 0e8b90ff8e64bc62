import SimCore

/// The metrics of one scope (a task group, a function, or `all`) in one run.
///
/// Every number is defined in `OUTPUTS.md`. Metrics that do not apply to a scope's kind
/// (cold starts of a task group, end-to-end latency of nothing) are nil.
public struct ScopeSummary: Sendable, Equatable {
    /// What a scope is.
    public enum Kind: String, Sendable { case group, function, container, all }

    public var scope: String
    public var kind: Kind
    public var values: [Metric: Double]
    /// End-to-end latency in seconds at each of ``latencyLevels`` (the points of the latency
    /// CDF, `latency.csv`); empty where the scope has no latency.
    public var latencyQuantiles: [Double] = []

    /// The value of a metric, nil where it does not apply.
    public subscript(_ metric: Metric) -> Double? { values[metric] }

    /// The cumulative shares (percent) at which ``latencyQuantiles`` are taken: dense in the
    /// tail, where latency objectives live, and few enough to keep `latency.csv` small.
    public static let latencyLevels: [Double] = [
        0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9, 99.95, 99.99, 100,
    ]

    /// The quantiles of a histogram at ``latencyLevels``, in seconds; empty when it is empty.
    static func quantiles(_ histogram: LatencyHistogram) -> [Double] {
        histogram.percentiles(latencyLevels).map(\.seconds)
    }
}

/// The metrics queuesim reports, in the column order of `summary.csv`.
public enum Metric: String, CaseIterable, Sendable {
    case sent
    case succeeded
    case throughput
    case latencyMean = "latency_mean_s"
    case latencyP50 = "latency_p50_s"
    case latencyP90 = "latency_p90_s"
    case latencyP99 = "latency_p99_s"
    case latencyP999 = "latency_p999_s"
    case latencyMax = "latency_max_s"
    case queueWaitMean = "queue_wait_mean_s"
    case queueWaitP99 = "queue_wait_p99_s"
    /// The oldest a message got while waiting for its first receive: the longest queue wait,
    /// or the age at the end of a message never received (the peak of SQS's
    /// ApproximateAgeOfOldestMessage as a group's messages set it; see OUTPUTS.md).
    case oldestAgeMax = "oldest_age_max_s"
    case attempts
    case throttles
    case throttleRate = "throttle_rate"
    case functionErrors = "function_errors"
    case retries
    case deadLettered = "dead_lettered"
    case expired
    case duplicates
    case downstreamViolations = "downstream_violations"
    case invocations
    case coldStarts = "cold_starts"
    case coldStartRate = "cold_start_rate"
    case crashes
    case concurrencyMean = "concurrency_mean"
    case concurrencyPeak = "concurrency_peak"
    case costUSD = "cost_usd"
    case costPerMillion = "cost_per_million_usd"
    /// The measured window's cost scaled to 30 days, with AWS's tiers (MonthlyBill.swift).
    case costPerMonth = "cost_per_month_usd"
    case dropped
    case rejected
    case backlogEnd = "backlog_end"
    /// Time-average number of messages sent and not yet done (Little's L).
    case inSystemMean = "in_system_mean"
    /// Container services: tasks starting or running, time-weighted mean and maximum.
    case workersMean = "workers_mean"
    case workersPeak = "workers_peak"
    /// Functions: execution environments alive (busy or idle), mean and maximum.
    case environmentsMean = "environments_mean"
    case environmentsPeak = "environments_peak"
    case idleEnvironmentsMean = "idle_environments_mean"
    /// Busy environments over alive ones (concurrency_mean / environments_mean); on Managed
    /// Instances busy slots over the environments' slots.
    case utilisation
    /// Managed Instances: EC2 instances running or launching, time-weighted mean and maximum.
    case instancesMean = "instances_mean"
    case instancesPeak = "instances_peak"
    /// Event source mappings: pollers, mean and maximum.
    case pollersMean = "pollers_mean"
    case pollersPeak = "pollers_peak"
    /// Fair queues: noisy tenants (ApproximateNumberOfNoisyGroups), time-weighted mean and
    /// maximum; nil without a fair queue.
    case noisyGroupsMean = "noisy_groups_mean"
    case noisyGroupsPeak = "noisy_groups_peak"
    /// Groups of many tenants: the 99th percentile across their tenants of each tenant's
    /// latency p99; nil without tenants.
    case tenantLatencyP99 = "tenant_latency_p99_s"
    /// FIFO queues: API calls their quota refused (ThrottlingException); nil without a FIFO queue.
    case sqsThrottles = "sqs_throttles"
    /// Producers that resend: messages sent again, and resends a FIFO queue deduplicated; nil
    /// without a group that resends.
    case resent
    case deduplicated
}

/// Everything one replication produced.
public struct RunResult: Sendable {
    public var scenario: String
    public var replication: Int
    public var seed: UInt64
    /// Groups first, then functions, then container services, then `all`.
    public var scopes: [ScopeSummary]
    public var timeseries: [TimeSeriesRow]
    /// The measurement window: from the warm-up to the end of the run.
    public var measuredFrom: SimTime
    public var end: SimTime
    /// Events the engine handled.
    public var events: Int
    /// Every step of every message and invocation, when the run was traced.
    public var trace: [TraceRecord] = []
    /// One row per tenant of the groups that have many (`tenants.csv`); empty otherwise.
    public var tenants: [TenantRow] = []

    /// The summary of a scope by name and kind.
    public func scope(_ name: String, kind: ScopeSummary.Kind? = nil) -> ScopeSummary? {
        scopes.first { $0.scope == name && (kind == nil || $0.kind == kind) }
    }

    /// The `all` scope.
    public var overall: ScopeSummary {
        scopes.first { $0.kind == .all } ?? ScopeSummary(scope: "all", kind: .all, values: [:])
    }
}

extension World {
    /// Closes the statistics at `end` and builds the results.
    func result(at end: SimTime, handledEvents: Int) -> RunResult {
        let pairs = metrics.pairsByGroupAndFunction()
        // Throughput is over the sending window: a 50/s group reads 50/s, however long the drain.
        let window = max(SimTime.ns(1), spec.run.duration - measurementStart)
        let usage = billableUsage(at: end)
        let monthly = monthlyBill(usageAtEnd: usage, window: window)
        let backlog = backlogByGroup(at: end)
        let hasFairQueue = queues.indices.contains { queues[$0].order == .fair }
        let hasFIFOQueue = queues.indices.contains { queues[$0].isFIFO }
        let hasResends = producers.contains { $0.resend != nil }
        let tenantRows = tenants.isEmpty ? [] : self.tenantRows(backlog: backlog.tenants, expiredAtEnd: backlog.tenantsExpired)

        var scopes: [ScopeSummary] = []
        var all = GroupMetrics()
        var allBacklog = 0
        var allOldest: SimTime?
        var inSystemTotal = 0.0
        for g in metrics.groups.indices {
            let group = metrics.completed(group: g, pairs: pairs.groups[g])
            var values = groupValues(group, window: window)
            let inSystem = group.inSystem.mean(until: end) ?? 0
            values[.inSystemMean] = inSystem
            inSystemTotal += inSystem
            values[.backlogEnd] = Double(backlog.alive[g])
            values[.expired] = Double(group.expired + backlog.expired[g])
            let oldest = Self.oldestAge(longestWait: group.queueWait.max, waitingSince: backlog.waitingSince[g], end: end)
            values[.oldestAgeMax] = oldest?.seconds
            if let oldest { allOldest = max(allOldest ?? oldest, oldest) }
            if hasFairQueue {
                values[.noisyGroupsMean] = group.noisyGroups.mean(until: end) ?? 0
                values[.noisyGroupsPeak] = group.noisyGroups.max
            }
            if tenants.count[g] > 0 { values[.tenantLatencyP99] = tenantRows.p99AcrossTenants(group: producers[g].spec.name) }
            if hasFIFOQueue { values[.sqsThrottles] = Double(group.sqsThrottles) }
            if hasResends {
                values[.resent] = Double(group.resent)
                values[.deduplicated] = Double(group.deduplicated)
            }
            scopes.append(ScopeSummary(scope: producers[g].spec.name, kind: .group, values: values,
                                       latencyQuantiles: ScopeSummary.quantiles(group.latency)))
            all.merge(group)
            all.expired += backlog.expired[g]
            allBacklog += backlog.alive[g]
        }

        var totalCost = spec.prices.listSQSCost(usage)
        var functionTotals = FunctionMetrics()
        var overallConcurrencyArea = 0.0
        var overallEnvironmentArea = 0.0
        var overallOccupiedArea = 0.0
        var overallSlotArea = 0.0
        var overallPollerArea = 0.0
        var anyMapping = false
        for f in metrics.functions.indices {
            let function = metrics.completed(function: f, pairs: pairs.functions[f])
            var closed = function.concurrency
            closed.update(to: Double(functions[f].executions), at: end)
            var alive = function.environments
            alive.update(to: Double(functions[f].environments), at: end)
            overallEnvironmentArea += alive.area(until: end)
            // An environment is occupied while it runs an invocation; on Lambda's fleet that is
            // its one slot busy.
            var occupiedArea = closed.area(until: end)
            var instanceValues: [Metric: Double] = [:]
            if functions[f].fleet >= 0 {
                let fleet = fleets[Int(functions[f].fleet)]
                occupiedArea = fleetOccupiedArea(Int(functions[f].fleet), until: end)
                let instancesArea = fleet.measuredInstances.area(until: end)
                instanceValues[.instancesMean] = TimeWeightedAverage.mean(ofArea: instancesArea, from: metrics.concurrencySince,
                                                                          until: end)
                instanceValues[.instancesPeak] = fleet.measuredInstances.max
            }
            let slotArea = alive.area(until: end) * Double(functions[f].slots)
            overallOccupiedArea += occupiedArea
            overallSlotArea += slotArea
            let lambdaCost = spec.prices.listCost(usage.functions[f], function: functions[f].spec)
            totalCost += lambdaCost
            overallConcurrencyArea += closed.area(until: end)
            var values = functionValues(function, concurrencyMean: closed.mean(until: end), concurrencyPeak: closed.max,
                                        window: window)
            values.merge(environmentValues(busyArea: closed.area(until: end), occupiedArea: occupiedArea,
                                           aliveArea: alive.area(until: end), slotArea: slotArea, alivePeak: alive.max,
                                           from: metrics.concurrencySince, until: end),
                         uniquingKeysWith: { $1 })
            values.merge(instanceValues, uniquingKeysWith: { $1 })
            if hasFIFOQueue { values[.sqsThrottles] = Double(function.sqsThrottles) }
            if functions[f].spec.trigger != nil {
                anyMapping = true
                let pollers = function.pollers
                overallPollerArea += pollers.area(until: end)
                values[.pollersMean] = pollers.mean(until: end)
                values[.pollersPeak] = pollers.max
            }
            values[.costUSD] = lambdaCost
            values[.costPerMillion] = function.succeeded > 0 ? lambdaCost / Double(function.succeeded) * 1e6 : nil
            values[.costPerMonth] = monthly.functions[f]
            scopes.append(ScopeSummary(scope: functions[f].spec.name, kind: .function, values: values,
                                       latencyQuantiles: ScopeSummary.quantiles(function.latency)))
            functionTotals.merge(function)
        }

        let containerPart = containerScopes(at: end, window: window)
        for (s, var scope) in containerPart.scopes.enumerated() {
            scope.values[.costPerMonth] = monthly.containers[s]
            scopes.append(scope)
        }
        totalCost += containerPart.cost

        var values = groupValues(all, window: window)
        let overallConcurrencyMean = TimeWeightedAverage.mean(ofArea: overallConcurrencyArea, from: metrics.concurrencySince,
                                                              until: end)
        for (metric, value) in functionValues(functionTotals, concurrencyMean: overallConcurrencyMean,
                                              concurrencyPeak: Double(metrics.overallConcurrencyPeak), window: window)
            where ![.succeeded, .attempts, .throttles, .throttleRate, .downstreamViolations].contains(metric) {
            values[metric] = value
        }
        if functions.count > 0 {
            values.merge(environmentValues(busyArea: overallConcurrencyArea, occupiedArea: overallOccupiedArea,
                                           aliveArea: overallEnvironmentArea, slotArea: overallSlotArea,
                                           alivePeak: Double(metrics.overallEnvironmentsPeak), from: metrics.concurrencySince,
                                           until: end),
                         uniquingKeysWith: { $1 })
        }
        if !fleets.isEmpty {
            values[.instancesMean] = TimeWeightedAverage.mean(ofArea: allInstances.area(until: end), from: metrics.concurrencySince,
                                                              until: end)
            values[.instancesPeak] = allInstances.max
        }
        if anyMapping {
            values[.pollersMean] = TimeWeightedAverage.mean(ofArea: overallPollerArea, from: metrics.concurrencySince, until: end)
            values[.pollersPeak] = Double(metrics.overallPollersPeak)
        }
        values[.backlogEnd] = Double(allBacklog)
        values[.oldestAgeMax] = allOldest?.seconds
        values[.inSystemMean] = inSystemTotal
        if hasFairQueue {
            values[.noisyGroupsMean] = metrics.noisyGroups.mean(until: end) ?? 0
            values[.noisyGroupsPeak] = metrics.noisyGroups.max
        }
        if !tenants.isEmpty { values[.tenantLatencyP99] = tenantRows.p99AcrossTenants(group: nil) }
        // The producers' sends and the mappings' receives and deletes.
        if hasFIFOQueue { values[.sqsThrottles] = Double(all.sqsThrottles + functionTotals.sqsThrottles) }
        if hasResends {
            values[.resent] = Double(all.resent)
            values[.deduplicated] = Double(all.deduplicated)
        }
        values[.costUSD] = totalCost
        values[.costPerMillion] = all.succeeded > 0 ? totalCost / Double(all.succeeded) * 1e6 : nil
        values[.costPerMonth] = monthly.total
        // Attempts and throttles of `all` are invocation attempts, as for functions.
        values[.attempts] = Double(functionTotals.attempts)
        values[.throttles] = Double(functionTotals.throttles)
        values[.throttleRate] = functionTotals.attempts > 0 ? Double(functionTotals.throttles) / Double(functionTotals.attempts) : 0
        mergeContainerTotals(into: &values, at: end, window: window)
        scopes.append(ScopeSummary(scope: "all", kind: .all, values: values, latencyQuantiles: ScopeSummary.quantiles(all.latency)))

        var result = RunResult(
            scenario: spec.name, replication: replication, seed: seed, scopes: scopes, timeseries: timeSeries(endingAt: end),
            measuredFrom: measurementStart, end: end, events: handledEvents, trace: traceLog)
        result.tenants = tenantRows
        return result
    }

    /// The bill of the measured window (from the warm-up to the producers' end, `window`
    /// long) scaled to 30 days.
    private func monthlyBill(usageAtEnd: BillableUsage, window: SimTime) -> MonthlyBill {
        let start = usageAtMeasurementStart ?? BillableUsage(functions: functions.count, containers: containers.services.count)
        let measured = (usageAtProductionEnd ?? usageAtEnd).since(start, scaledBy: MonthlyBill.monthSeconds / window.seconds)
        return MonthlyBill(month: measured, functions: spec.functions, prices: spec.prices)
    }

    private func groupValues(_ group: GroupMetrics, window: SimTime) -> [Metric: Double] {
        var values: [Metric: Double] = [
            .sent: Double(group.sent),
            .succeeded: Double(group.succeeded),
            .throughput: Double(group.succeeded) / window.seconds,
            .attempts: Double(group.attempts),
            .throttles: Double(group.throttles),
            .throttleRate: group.attempts > 0 ? Double(group.throttles) / Double(group.attempts) : 0,
            .retries: Double(group.retries),
            .deadLettered: Double(group.deadLettered),
            .expired: Double(group.expired),
            .duplicates: Double(group.duplicates),
            .dropped: Double(group.dropped),
            .rejected: Double(group.rejected),
            .downstreamViolations: Double(group.downstreamViolations),
        ]
        values.merge(latencyValues(group.latency), uniquingKeysWith: { $1 })
        values[.queueWaitMean] = group.queueWait.meanSeconds
        values[.queueWaitP99] = group.queueWait.p99?.seconds
        return values
    }

    private func functionValues(_ function: FunctionMetrics, concurrencyMean: Double?, concurrencyPeak: Double,
                                window: SimTime) -> [Metric: Double] {
        var values: [Metric: Double] = [
            .succeeded: Double(function.succeeded),
            .throughput: Double(function.succeeded) / window.seconds,
            .invocations: Double(function.invocations),
            .attempts: Double(function.attempts),
            .throttles: Double(function.throttles),
            .throttleRate: function.attempts > 0 ? Double(function.throttles) / Double(function.attempts) : 0,
            .functionErrors: Double(function.functionErrors),
            .coldStarts: Double(function.coldStarts),
            .coldStartRate: function.invocations > 0 ? Double(function.coldStarts) / Double(function.invocations) : 0,
            .crashes: Double(function.crashes),
            .downstreamViolations: Double(function.downstreamViolations),
            .concurrencyPeak: concurrencyPeak,
        ]
        values[.concurrencyMean] = concurrencyMean
        values.merge(latencyValues(function.latency), uniquingKeysWith: { $1 })
        return values
    }

    /// Environments alive, idle and the share busy, from the areas (value × ns) over the
    /// window of busy slots, occupied environments (running at least one invocation), alive
    /// environments and their slots: idle is alive − occupied, exactly. On Lambda's fleet an
    /// environment has one slot, so occupied = busy and slots = alive.
    private func environmentValues(busyArea: Double, occupiedArea: Double, aliveArea: Double, slotArea: Double,
                                   alivePeak: Double, from start: SimTime, until end: SimTime) -> [Metric: Double] {
        var values: [Metric: Double] = [.environmentsPeak: alivePeak]
        values[.environmentsMean] = TimeWeightedAverage.mean(ofArea: aliveArea, from: start, until: end)
        values[.idleEnvironmentsMean] = TimeWeightedAverage.mean(ofArea: aliveArea - occupiedArea, from: start, until: end)
        values[.utilisation] = slotArea > 0 ? busyArea / slotArea : nil
        return values
    }

    private func latencyValues(_ histogram: LatencyHistogram) -> [Metric: Double] {
        var values: [Metric: Double] = [:]
        values[.latencyMean] = histogram.meanSeconds
        // One walk of the counts for the four (the same values as p50, p90, p99 and p999).
        let tail = histogram.percentiles([50, 90, 99, 99.9])
        if tail.count == 4 {
            values[.latencyP50] = tail[0].seconds
            values[.latencyP90] = tail[1].seconds
            values[.latencyP99] = tail[2].seconds
            values[.latencyP999] = tail[3].seconds
        }
        values[.latencyMax] = histogram.max?.seconds
        return values
    }

    /// Measured messages still alive at the end, per group; those past their queue's
    /// retention (in flight at their instant, or duplicate copies, which have no retention
    /// timer) are counted as expired.
    /// The oldest a group's message got while waiting for its first receive: its longest
    /// queue wait, or the age at `end` of the earliest sent message still never received.
    static func oldestAge(longestWait: SimTime?, waitingSince: SimTime?, end: SimTime) -> SimTime? {
        let waiting = waitingSince.map { end - $0 }
        guard let longestWait else { return waiting }
        return max(longestWait, waiting ?? longestWait)
    }

    private func backlogByGroup(at end: SimTime)
        -> (alive: [Int], expired: [Int], tenants: [Int], tenantsExpired: [Int], waitingSince: [SimTime?]) {
        var waitingSince = [SimTime?](repeating: nil, count: producers.count)
        var alive = Array(repeating: 0, count: producers.count)
        var expired = Array(repeating: 0, count: producers.count)
        var tenantAlive = Array(repeating: 0, count: tenants.group.count)
        var tenantExpired = tenantAlive
        for message in messages.slots where message.state != .free && message.measured && !message.isDuplicate {
            if message.state != .inJob, end - message.enqueuedAt >= queues[Int(message.queue)].spec.retention {
                expired[Int(message.group)] += 1
                if message.tenant >= 0 { tenantExpired[Int(message.tenant)] += 1 }
            } else {
                alive[Int(message.group)] += 1
                if message.tenant >= 0 { tenantAlive[Int(message.tenant)] += 1 }
                if !message.wasReceived {
                    let g = Int(message.group)
                    waitingSince[g] = min(waitingSince[g] ?? message.sentAt, message.sentAt)
                }
            }
        }
        for request in requests where request.inUse && request.measured { alive[Int(request.group)] += 1 }
        return (alive, expired, tenantAlive, tenantExpired, waitingSince)
    }
}

extension GroupMetrics {
    /// Adds another group's counts and histograms (for the `all` scope).
    mutating func merge(_ other: GroupMetrics) {
        sent += other.sent
        succeeded += other.succeeded
        retries += other.retries
        deadLettered += other.deadLettered
        expired += other.expired
        duplicates += other.duplicates
        dropped += other.dropped
        rejected += other.rejected
        sqsThrottles += other.sqsThrottles
        resent += other.resent
        deduplicated += other.deduplicated
        downstreamViolations += other.downstreamViolations
        attempts += other.attempts
        throttles += other.throttles
        latency.merge(other.latency)
        queueWait.merge(other.queueWait)
    }
}

extension FunctionMetrics {
    /// Adds another function's counts (for the `all` scope).
    mutating func merge(_ other: FunctionMetrics) {
        invocations += other.invocations
        attempts += other.attempts
        throttles += other.throttles
        functionErrors += other.functionErrors
        coldStarts += other.coldStarts
        crashes += other.crashes
        downstreamViolations += other.downstreamViolations
        sqsThrottles += other.sqsThrottles
        succeeded += other.succeeded
    }
}
