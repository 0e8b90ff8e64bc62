import SimCore

/// What a task group's messages went through (messages sent after the warm-up only).
struct GroupMetrics {
    var sent = 0
    /// Successes at functions are added when the results are built, from their pairs'
    /// latencies (``Metrics/completed(group:pairs:)``).
    var succeeded = 0
    var retries = 0
    var deadLettered = 0
    var expired = 0
    var duplicates = 0
    var downstreamViolations = 0
    /// Direct requests the client gave up on (throttled past its retries, or failed).
    var dropped = 0
    /// Requests the front door refused (HTTP 429); they never became messages.
    var rejected = 0
    /// SendMessage calls a FIFO queue's quota refused (ThrottlingException), retries included.
    var sqsThrottles = 0
    /// Messages the producer sent again, and of those the resends a FIFO queue deduplicated.
    var resent = 0
    var deduplicated = 0
    /// Deliveries of this group's messages to an invoke (a batch of n messages is n).
    var attempts = 0
    /// Of those, deliveries whose invoke was throttled.
    var throttles = 0
    /// End-to-end latency: send to the end of the invocation that succeeded. Successes at
    /// functions are added when the results are built (``Metrics/completed(group:pairs:)``).
    var latency = LatencyHistogram()
    /// Send to first receive, recorded in ``Metrics/queueWaits`` and read out into a copy when
    /// the results are built (``Metrics/completed(group:pairs:)``).
    var queueWait = LatencyHistogram()
    /// Messages sent and not yet done (succeeded, dead-lettered or expired), over time: the
    /// L of Little's law.
    var inSystem = TimeWeightedAverage()
    /// The group's tenants (message groups) that fair queues flag noisy, over time.
    var noisyGroups = TimeWeightedAverage()
}

/// What a function did (events at or after the warm-up only).
struct FunctionMetrics {
    var invocations = 0
    var attempts = 0
    var throttles = 0
    var functionErrors = 0
    var coldStarts = 0
    var crashes = 0
    var downstreamViolations = 0
    /// ReceiveMessage and DeleteMessageBatch calls of the function's mapping that a FIFO
    /// queue's quota refused.
    var sqsThrottles = 0
    /// Added when the results are built, from the latencies of the successes here
    /// (``Metrics/completed(function:pairs:)``).
    var succeeded = 0
    /// End-to-end latency of the messages that succeeded here, added when the results are
    /// built (``Metrics/completed(function:pairs:)``).
    var latency = LatencyHistogram()
    /// Executions in progress over time.
    var concurrency = TimeWeightedAverage()
    /// Execution environments alive (busy or idle, provisioned included) over time.
    var environments = TimeWeightedAverage()
    /// The pollers of the function's event source mapping over time.
    var pollers = TimeWeightedAverage()
}

/// A task group and a function its messages succeeded at: a recorder of
/// ``Metrics/successLatencies``.
struct SuccessPair {
    let group: Int32
    let function: Int32
}

/// The streaming statistics of one run: counters and histograms, no record per message.
///
/// Not copyable: its latency recorders own their memory.
struct Metrics: ~Copyable {
    // Stores rather than arrays: every message records into them (see ``EntityStore``).
    let groups: EntityStore<GroupMetrics>
    let functions: EntityStore<FunctionMetrics>
    /// The most executions in progress at once over the whole account since measuring began.
    ///
    /// The account's mean concurrency needs no average of its own: its area is the sum of the
    /// functions' areas, exactly (whole numbers below 2^53), so each invocation start and end
    /// updates one average, its function's, instead of two (about 30 instructions per message,
    /// Benchmarks/PROFILE.md, fourth round).
    var overallConcurrencyPeak = 0
    /// The most environments alive at once over the whole account since measuring began.
    var overallEnvironmentsPeak = 0
    /// The most pollers at once over all mappings since measuring began.
    var overallPollersPeak = 0
    /// When the concurrency averages began: the start, or the end of the warm-up.
    var concurrencySince: SimTime = .zero
    /// Noisy tenants of every fair queue, over time (ApproximateNumberOfNoisyGroups).
    var noisyGroups = TimeWeightedAverage()

    /// Send to first receive, by group; read out into the groups' `queueWait` by
    /// ``completed(group:pairs:)``. Recorders rather than the groups' histograms: a record then
    /// makes no copy-on-write check and no call (Benchmarks/PROFILE.md, fifth round).
    private(set) var queueWaits: LatencyRecorders<LatencyHistogram.Standard>
    /// The latencies of successes by (group, function), for the pairs that occur (numbered as
    /// in `pairs`); added to the groups' and functions' `latency` by ``completed(group:pairs:)``
    /// and ``completed(function:pairs:)``. A success is then one record instead of two (one
    /// for its group, one for its function), about 40 instructions fewer per message
    /// (Benchmarks/PROFILE.md, fourth round).
    private(set) var successLatencies = LatencyRecorders<LatencyHistogram.Standard>(count: 0)
    /// The group and function of each recorder in `successLatencies`.
    let pairs = EntityStore<SuccessPair>()
    /// Each group's latest success: its function (-1 before the first) and its recorder in
    /// `successLatencies`. A group's messages nearly always succeed at one function, the last
    /// of their chain, and the two side by side are one read.
    let latestPair: EntityStore<(function: Int32, pair: Int32)>
    /// Where each pair is in `successLatencies`, by group × function count + function.
    private var pairIndex: [Int: Int32] = [:]

    init(groups: Int, functions: Int) {
        self.groups = EntityStore(repeating: GroupMetrics(), count: groups)
        self.functions = EntityStore(repeating: FunctionMetrics(), count: functions)
        self.queueWaits = LatencyRecorders(count: groups)
        self.latestPair = EntityStore(repeating: (function: -1, pair: -1), count: groups)
    }

    /// Always inlined, as the record is: the call cost about a third of it.
    @inline(__always) mutating func recordFirstReceive(group g: Int, wait: SimTime) {
        queueWaits.record(wait, in: g)
    }

    /// A measured success: its latency, recorded for its (group, function) pair, is also its
    /// count for both, which ``completed(group:pairs:)`` and ``completed(function:pairs:)``
    /// add to their `succeeded` (two counts fewer per message, about 14 instructions).
    ///
    /// Always inlined, as ``recordFirstReceive(group:wait:)`` is.
    @inline(__always) mutating func recordSuccess(group g: Int, function f: Int, latency: SimTime) {
        var pair = Int(latestPair[g].pair)
        if Int(latestPair[g].function) != f { pair = findPair(group: g, function: f) }
        successLatencies.record(latency, in: pair)
    }

    /// The pair of a group and a function in `successLatencies`, made on first use; it
    /// becomes the group's latest.
    private mutating func findPair(group g: Int, function f: Int) -> Int {
        let key = g * functions.count + f
        let pair: Int32
        if let known = pairIndex[key] {
            pair = known
        } else {
            pair = Int32(successLatencies.append())
            pairs.append(SuccessPair(group: Int32(g), function: Int32(f)))
            pairIndex[key] = pair
        }
        latestPair[g] = (function: Int32(f), pair: pair)
        return Int(pair)
    }

    /// The pairs of each group and of each function, in the order of `pairs`.
    func pairsByGroupAndFunction() -> (groups: [[Int]], functions: [[Int]]) {
        var byGroup = Array(repeating: [Int](), count: groups.count)
        var byFunction = Array(repeating: [Int](), count: functions.count)
        for pair in pairs.indices {
            byGroup[Int(pairs[pair].group)].append(pair)
            byFunction[Int(pairs[pair].function)].append(pair)
        }
        return (byGroup, byFunction)
    }

    /// A group's metrics as the results report them: with its queue waits, and with the
    /// latencies and count of its successes at functions (`pairs`, its pairs in order).
    ///
    /// Read out into a copy, one group at a time, while the results are built, and the
    /// recorders kept: so building the results again gives the same, and a run's histograms
    /// are never held twice. Adding each pair's histogram into its group's and its function's
    /// when the run ended (the fourth round's fold) held them twice: 4,000 pipelines peaked at
    /// 611 MB, and read out one at a time at 352 MB (Benchmarks/PROFILE.md, fifth round).
    ///
    /// The counts, minimum and maximum are those of recording each success into its group's
    /// histogram; the sum of the durations, for the mean, is added up in another order (each
    /// pair's sum, in the order of the pairs), which gives the same Double while every partial
    /// sum is below 2^53 ns (104 days of summed latency) and may differ in the last digit
    /// above. Queue waits are recorded by their recorder alone, so a group's histogram of them
    /// is exactly the recorder's.
    func completed(group g: Int, pairs: [Int]) -> GroupMetrics {
        var group = groups[g]
        group.queueWait.add(queueWaits.histogram(g))
        for pair in pairs {
            let latencies = successLatencies.histogram(pair)
            group.succeeded += latencies.count
            group.latency.add(latencies)
        }
        return group
    }

    /// A function's metrics as the results report them, with the latencies and count of its
    /// successes (`pairs`, its pairs in order); see ``completed(group:pairs:)``.
    func completed(function f: Int, pairs: [Int]) -> FunctionMetrics {
        var function = functions[f]
        for pair in pairs {
            let latencies = successLatencies.histogram(pair)
            function.succeeded += latencies.count
            function.latency.add(latencies)
        }
        return function
    }
}

extension LatencyHistogram {
    /// Merges `other` in, or takes it as it is when this histogram is empty (the same
    /// histogram, without copying its counts again).
    fileprivate mutating func add(_ other: LatencyHistogram) {
        if isEmpty { self = other } else { merge(other) }
    }
}

/// Counts of the current time-series interval, reset when the interval is written.
///
/// Not copyable: its latency recorders own their memory.
struct IntervalActivity: ~Copyable {
    struct Function {
        var invocations = 0
        var throttles = 0
        var coldStarts = 0
        var errors = 0
        /// The most environments alive at once in the interval.
        var environmentsPeak = 0
    }

    struct Group {
        var sent = 0
        var succeeded = 0
    }

    // Stores rather than arrays: every message counts into them (see ``EntityStore``).
    let functions: EntityStore<Function>
    let groups: EntityStore<Group>
    /// Latency of each group's successes in this interval, for a plot: 1 ms resolution, 1 %
    /// precision. Recorders for the reason of ``Metrics/queueWaits``.
    var latencies: LatencyRecorders<LatencyHistogram.Plotting>

    init(groups: Int, functions: Int) {
        self.functions = EntityStore(repeating: Function(), count: functions)
        self.groups = EntityStore(repeating: Group(), count: groups)
        self.latencies = LatencyRecorders(count: groups)
    }
}

extension World {
    /// The warm-up is over: concurrency averages restart from the current state, so the
    /// transient before is left out like the messages sent during it.
    func startMeasuring(at now: SimTime) {
        for f in functions.indices {
            // The time series' current interval keeps the area it has had so far.
            timeseries.concurrencyAreaAtStart[f] -= metrics.functions[f].concurrency.area(until: now)
            metrics.functions[f].concurrency = TimeWeightedAverage(initialValue: Double(functions[f].executions), at: now)
            timeseries.environmentAreaAtStart[f] -= metrics.functions[f].environments.area(until: now)
            metrics.functions[f].environments = TimeWeightedAverage(initialValue: Double(functions[f].environments), at: now)
            timeseries.pollerAreaAtStart[f] -= metrics.functions[f].pollers.area(until: now)
            metrics.functions[f].pollers = TimeWeightedAverage(initialValue: metrics.functions[f].pollers.value, at: now)
        }
        metrics.overallConcurrencyPeak = account.executions
        metrics.overallEnvironmentsPeak = account.environments
        metrics.overallPollersPeak = activePollers
        metrics.concurrencySince = now
        usageAtMeasurementStart = billableUsage(at: now)
        for g in metrics.groups.indices {
            metrics.groups[g].inSystem = TimeWeightedAverage(initialValue: metrics.groups[g].inSystem.value, at: now)
            metrics.groups[g].noisyGroups = TimeWeightedAverage(initialValue: metrics.groups[g].noisyGroups.value, at: now)
        }
        metrics.noisyGroups = TimeWeightedAverage(initialValue: metrics.noisyGroups.value, at: now)
        restartContainerMeasuring(at: now)
        restartFleetMeasuring(at: now)
    }

    /// Whether an event at `now` falls in the measurement window.
    func isMeasured(_ now: SimTime) -> Bool { now >= measurementStart }

    /// A producer sent a message.
    ///
    /// Always inlined: it runs once per message, and the call cost about a fifth of it.
    @inline(__always) func countSent(group g: Int, measured: Bool) {
        metrics.groups[g].inSystem.add(1, at: now)
        if measured { metrics.groups[g].sent += 1 }
        activity.groups[g].sent += 1
    }

    /// A mapping's ReceiveMessage or DeleteMessageBatch was refused by a FIFO queue's quota.
    func countSQSThrottle(poller p: Int, now: SimTime) {
        guard isMeasured(now) else { return }
        metrics.functions[Int(mappings[Int(pollers[p].mapping)].function)].sqsThrottles += 1
    }

    /// An invoke is attempted without messages (a scheduled event): one attempt for the function.
    func countAttempt(function f: Int, now: SimTime) {
        guard isMeasured(now) else { return }
        metrics.functions[f].attempts += 1
    }

    /// An invoke without messages was throttled.
    func countThrottle(function f: Int, now: SimTime) {
        activity.functions[f].throttles += 1
        guard isMeasured(now) else { return }
        metrics.functions[f].throttles += 1
    }

    /// An invoke is attempted with a batch: one attempt for the function, and one delivery
    /// attempt for each measured message's group.
    func countAttempt(function f: Int, poller p: Int, now: SimTime) {
        countAttempt(function: f, now: now)
        guard isMeasured(now) else { return }
        for i in 0..<pollers[p].batchCount {
            let receipt = pollers[p].receipt(i)
            if receipt.measured { metrics.groups[Int(receipt.group)].attempts += 1 }
        }
    }

    /// A direct client's invoke attempt.
    func countAttempt(function f: Int, group g: Int, messageMeasured: Bool, now: SimTime) {
        guard isMeasured(now) else { return }
        metrics.functions[f].attempts += 1
        if messageMeasured { metrics.groups[g].attempts += 1 }
    }

    /// A direct client's attempt was throttled.
    func countThrottle(function f: Int, group g: Int, messageMeasured: Bool, now: SimTime) {
        activity.functions[f].throttles += 1
        guard isMeasured(now) else { return }
        metrics.functions[f].throttles += 1
        if messageMeasured { metrics.groups[g].throttles += 1 }
    }

    /// The attempt was throttled.
    func countThrottle(function f: Int, poller p: Int, now: SimTime) {
        countThrottle(function: f, now: now)
        guard isMeasured(now) else { return }
        for i in 0..<pollers[p].batchCount {
            let receipt = pollers[p].receipt(i)
            if receipt.measured { metrics.groups[Int(receipt.group)].throttles += 1 }
        }
    }

    /// An invocation was admitted, warm or cold.
    func countInvocation(function f: Int, cold: Bool, now: SimTime) {
        activity.functions[f].invocations += 1
        if cold { activity.functions[f].coldStarts += 1 }
        guard isMeasured(now) else { return }
        metrics.functions[f].invocations += 1
        if cold { metrics.functions[f].coldStarts += 1 }
    }

    /// An invocation failed as a whole (error, timeout, downstream limit without
    /// ReportBatchItemFailures).
    func countFunctionError(function f: Int, now: SimTime) {
        activity.functions[f].errors += 1
        if isMeasured(now) { metrics.functions[f].functionErrors += 1 }
    }

    /// A message completed its last stage.
    ///
    /// Always inlined: with its two records inlined it is no longer inlined of itself, and
    /// the call cost about 10 instructions per message.
    @inline(__always) func countSuccess(group g: Int, function f: Int, latency: SimTime, measured: Bool, tenant: Int32 = -1) {
        activity.groups[g].succeeded += 1
        activity.latencies.record(latency, in: g)
        if measured {
            metrics.recordSuccess(group: g, function: f, latency: latency)
            if tenant >= 0 { recordTenantSuccess(tenant, latency: latency) }
        }
    }
}
