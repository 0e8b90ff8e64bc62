import SimCore

/// The value columns of `timeseries.csv`, in file order.
///
/// Adding a column is a case here, its meaning in `ColumnDictionary.meaning(of:)` (the
/// compiler asks for it) and its value where the rows are made (``World/timeSeriesRows(from:until:)``):
/// the CSV writer and the saved runs of `--resume` and shards take every case as it comes.
public enum TimeSeriesColumn: String, CaseIterable, Sendable {
    case visible
    case inFlight = "in_flight"
    case delayed
    case oldestAge = "oldest_age_s"
    case concurrency
    case invocations
    case throttles
    case coldStarts = "cold_starts"
    case errors
    case environmentsMean = "environments_mean"
    case environmentsPeak = "environments_peak"
    case idleEnvironmentsMean = "idle_environments_mean"
    case utilisation
    case pollersMean = "pollers_mean"
    /// Managed Instances: the EC2 instances billed (running or launching).
    case instancesMean = "instances_mean"
    case instancesPeak = "instances_peak"
    case sent
    case succeeded
    case latencyP99 = "latency_p99_s"
    /// Fair queues (CloudWatch's names): ApproximateNumberOfNoisyGroups,
    /// ApproximateNumberOfMessagesVisibleInQuietGroups, ApproximateAgeOfOldestMessageInQuietGroups.
    case noisyGroups = "noisy_groups"
    case quietVisible = "quiet_visible"
    case quietOldestAge = "quiet_oldest_age_s"
    case workersRunning = "workers_running"
    case workersStarting = "workers_starting"
    case workersBusy = "workers_busy"

    /// The column's position in a row's values.
    var position: Int { Self.positions[self] ?? 0 }
    private static let positions = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

/// One row of `timeseries.csv`: an entity's state or activity during one interval.
///
/// Queue columns are a snapshot at the interval's end; function and group columns count
/// what happened during the interval (concurrency is its time-weighted mean). Columns that
/// do not apply to the entity's kind are nil. Every interval has the time-series interval's
/// length but the last, which ends with the run: the rows of a run cover it exactly, so a
/// group's `sent` and `succeeded` add up to the summary's (without a warm-up; with one, the
/// summary leaves out the messages sent during it and the time series does not).
public struct TimeSeriesRow: Sendable, Equatable {
    /// Which kind of entity a row describes.
    public enum Kind: String, Sendable { case queue, function, group, container }

    public var intervalStart: SimTime
    /// The interval's length: the run's `timeseries_interval`, shorter for the last interval
    /// when the run does not end on an interval's boundary.
    public var intervalLength: SimTime
    public var kind: Kind
    public var entity: String
    /// The values in ``TimeSeriesColumn`` order; NaN where a column does not apply (one
    /// Double per column, half the memory of optionals).
    private var values: [Double]

    /// Creates a row with every column blank.
    public init(intervalStart: SimTime, intervalLength: SimTime, kind: Kind, entity: String) {
        self.intervalStart = intervalStart
        self.intervalLength = intervalLength
        self.kind = kind
        self.entity = entity
        values = Array(repeating: .nan, count: TimeSeriesColumn.allCases.count)
    }

    /// A column's value, nil where it does not apply.
    public subscript(_ column: TimeSeriesColumn) -> Double? {
        get {
            let value = values[column.position]
            return value.isNaN ? nil : value
        }
        set { values[column.position] = newValue ?? .nan }
    }

    public static func == (a: TimeSeriesRow, b: TimeSeriesRow) -> Bool {
        a.intervalStart == b.intervalStart && a.intervalLength == b.intervalLength && a.kind == b.kind
            && a.entity == b.entity && a.values.elementsEqual(b.values) { $0.bitPattern == $1.bitPattern }
    }
}

/// Collects time-series rows at the end of every interval.
struct TimeSeriesRecorder {
    let interval: SimTime
    var rows: [TimeSeriesRow] = []
    /// Each function's concurrency area (``TimeWeightedAverage/area(until:)`` of its
    /// `FunctionMetrics.concurrency`) when the current interval began: the interval's mean
    /// concurrency comes from the difference, exactly as from an average of its own, which
    /// every invocation start and end updated, about 40 instructions per message
    /// (Benchmarks/PROFILE.md, fourth round).
    var concurrencyAreaAtStart: [Double]
    /// The same for environments alive (`FunctionMetrics.environments`) and pollers.
    var environmentAreaAtStart: [Double]
    var pollerAreaAtStart: [Double]
    /// When the current interval began.
    var intervalStart: SimTime = .zero
    /// The event-list sequence number of every interval's end (``World/start(events:)``
    /// reserves it first): lower than any other event's, so an event exactly on a boundary
    /// falls in the interval it starts.
    var sampleSequence: UInt64 = 0

    init(functions: Int, interval: SimTime) {
        self.interval = interval
        concurrencyAreaAtStart = Array(repeating: 0, count: functions)
        environmentAreaAtStart = Array(repeating: 0, count: functions)
        pollerAreaAtStart = Array(repeating: 0, count: functions)
    }

    /// Whether the run keeps a time series (`timeseries_interval: off` keeps none).
    var isOn: Bool { interval > .zero }
}

extension World {
    /// Writes the rows of the interval ending now and starts the next one.
    func sampleTimeSeries(now: SimTime) {
        timeseries.rows += timeSeriesRows(from: timeseries.intervalStart, until: now)
        for f in functions.indices {
            timeseries.concurrencyAreaAtStart[f] = metrics.functions[f].concurrency.area(until: now)
            timeseries.environmentAreaAtStart[f] = metrics.functions[f].environments.area(until: now)
            timeseries.pollerAreaAtStart[f] = metrics.functions[f].pollers.area(until: now)
            activity.functions[f] = IntervalActivity.Function()
            activity.functions[f].environmentsPeak = functions[f].environments
        }
        for g in producers.indices {
            activity.groups[g] = IntervalActivity.Group()
            activity.latencies.reset(g)
        }
        resetContainerInterval(at: now)
        restartFleetIntervals(at: now)
        timeseries.intervalStart = now
    }

    /// Every row of a run that ends at `end`: those written so far and the last interval's,
    /// which ends with the run (whatever its length, so the rows cover the run). Changes
    /// nothing, so the results can be built again.
    func timeSeries(endingAt end: SimTime) -> [TimeSeriesRow] {
        guard timeseries.isOn, end > timeseries.intervalStart else { return timeseries.rows }
        return timeseries.rows + timeSeriesRows(from: timeseries.intervalStart, until: end)
    }

    /// The rows of the interval [start, end): every queue, function and group.
    func timeSeriesRows(from start: SimTime, until end: SimTime) -> [TimeSeriesRow] {
        var rows: [TimeSeriesRow] = []
        rows.reserveCapacity(queues.count + functions.count + producers.count)
        let length = end - start
        for q in queues.indices {
            var row = TimeSeriesRow(intervalStart: start, intervalLength: length, kind: .queue, entity: queues[q].spec.name)
            // Nothing reads a dead-letter queue (the scenario checks refuse a trigger on one), so
            // the dead letters it received wait there, visible: its depth is what users watch.
            row[.visible] = Double(queues[q].visibleCount + queues[q].deadLetters)
            row[.inFlight] = Double(queues[q].inFlightCount)
            row[.delayed] = Double(queues[q].delayedCount)
            row[.oldestAge] = oldestVisibleAge(queue: q, now: end)?.seconds ?? 0
            if queues[q].order == .fair {
                let gauges = fairQuietGauges(queue: q, now: end)
                row[.noisyGroups] = Double(queues[q].fair.noisy.count)
                row[.quietVisible] = Double(gauges.quietVisible)
                row[.quietOldestAge] = gauges.oldestQuietAge?.seconds ?? 0
            }
            rows.append(row)
        }
        for f in functions.indices {
            var row = TimeSeriesRow(intervalStart: start, intervalLength: length, kind: .function, entity: functions[f].spec.name)
            let area = metrics.functions[f].concurrency.area(until: end)
            row[.concurrency] = TimeWeightedAverage.mean(ofArea: area - timeseries.concurrencyAreaAtStart[f], from: start, until: end)
            let counts = activity.functions[f]
            row[.invocations] = Double(counts.invocations)
            row[.throttles] = Double(counts.throttles)
            row[.coldStarts] = Double(counts.coldStarts)
            row[.errors] = Double(counts.errors)
            let busy = area - timeseries.concurrencyAreaAtStart[f]
            let alive = metrics.functions[f].environments.area(until: end) - timeseries.environmentAreaAtStart[f]
            row[.environmentsMean] = TimeWeightedAverage.mean(ofArea: alive, from: start, until: end)
            row[.environmentsPeak] = Double(counts.environmentsPeak)
            // On Lambda's fleet an environment is occupied exactly while its one slot is busy.
            let occupied = functions[f].fleet >= 0 ? fleetOccupiedAreaOfInterval(Int(functions[f].fleet), until: end) : busy
            row[.idleEnvironmentsMean] = TimeWeightedAverage.mean(ofArea: alive - occupied, from: start, until: end)
            let slots = alive * Double(functions[f].slots)
            row[.utilisation] = slots > 0 ? busy / slots : nil
            if functions[f].fleet >= 0 {
                let fleet = Int(functions[f].fleet)
                let instances = fleets[fleet].billedInstances.area(until: end) - fleets[fleet].instanceAreaAtSample
                row[.instancesMean] = TimeWeightedAverage.mean(ofArea: instances, from: start, until: end)
                row[.instancesPeak] = fleets[fleet].instancesPeakOfInterval
            }
            if functions[f].spec.trigger != nil {
                let pollers = metrics.functions[f].pollers.area(until: end) - timeseries.pollerAreaAtStart[f]
                row[.pollersMean] = TimeWeightedAverage.mean(ofArea: pollers, from: start, until: end)
            }
            rows.append(row)
        }
        for g in producers.indices {
            var row = TimeSeriesRow(intervalStart: start, intervalLength: length, kind: .group, entity: producers[g].spec.name)
            row[.sent] = Double(activity.groups[g].sent)
            row[.succeeded] = Double(activity.groups[g].succeeded)
            row[.latencyP99] = activity.latencies.histogram(g).p99?.seconds
            rows.append(row)
        }
        rows += containerTimeSeriesRows(from: start, until: end)
        return rows
    }

    /// The age of the oldest receivable message (standard queues keep it at the front).
    private func oldestVisibleAge(queue q: Int, now: SimTime) -> SimTime? {
        if queues[q].order == .fair { return fairQuietGauges(queue: q, now: now).oldestAgeAll }
        if queues[q].isFIFO {
            var oldest: SimTime?
            for g in queues[q].fifoGroups.indices where !queues[q].fifoGroups[g].messages.isEmpty {
                let age = now - messages[queues[q].fifoGroups[g].messages[0]].enqueuedAt
                if oldest.map({ age > $0 }) ?? true { oldest = age }
            }
            return oldest
        }
        return queues[q].visible.isEmpty ? nil : now - messages[queues[q].visible[0]].enqueuedAt
    }
}
