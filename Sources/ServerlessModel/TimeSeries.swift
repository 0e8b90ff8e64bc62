import SimCore

/// One row of `timeseries.csv`: an entity's state or activity during one interval.
///
/// Queue columns are a snapshot at the interval's end; function and group columns count
/// what happened during the interval (concurrency is its time-weighted mean). Columns that
/// do not apply to the entity's kind are nil.
public struct TimeSeriesRow: Sendable, Equatable {
    /// Which kind of entity a row describes.
    public enum Kind: String, Sendable { case queue, function, group }

    public var intervalStart: SimTime
    public var kind: Kind
    public var entity: String
    public var visible: Int?
    public var inFlight: Int?
    public var delayed: Int?
    public var oldestAgeSeconds: Double?
    public var concurrency: Double?
    public var invocations: Int?
    public var throttles: Int?
    public var coldStarts: Int?
    public var errors: Int?
    public var sent: Int?
    public var succeeded: Int?
    public var latencyP99Seconds: Double?
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
    /// The same for environments alive (`FunctionMetrics.environments`).
    var environmentAreaAtStart: [Double]
    /// When the current interval began.
    var intervalStart: SimTime = .zero

    init(functions: Int, interval: SimTime) {
        self.interval = interval
        concurrencyAreaAtStart = Array(repeating: 0, count: functions)
        environmentAreaAtStart = Array(repeating: 0, count: functions)
    }
}

extension World {
    /// Writes the rows of the interval ending now and starts the next one.
    func sampleTimeSeries(now: SimTime) {
        let start = now - spec.run.timeseriesInterval
        for q in queues.indices {
            var row = TimeSeriesRow(intervalStart: start, kind: .queue, entity: queues[q].spec.name)
            // Nothing reads a dead-letter queue (the scenario checks refuse a trigger on one), so
            // the dead letters it received wait there, visible: its depth is what users watch.
            row.visible = queues[q].visibleCount + queues[q].deadLetters
            row.inFlight = queues[q].inFlightCount
            row.delayed = queues[q].delayedCount
            row.oldestAgeSeconds = oldestVisibleAge(queue: q, now: now)?.seconds ?? 0
            timeseries.rows.append(row)
        }
        for f in functions.indices {
            var row = TimeSeriesRow(intervalStart: start, kind: .function, entity: functions[f].spec.name)
            let area = metrics.functions[f].concurrency.area(until: now)
            row.concurrency = TimeWeightedAverage.mean(ofArea: area - timeseries.concurrencyAreaAtStart[f],
                                                       from: timeseries.intervalStart, until: now)
            let counts = activity.functions[f]
            row.invocations = counts.invocations
            row.throttles = counts.throttles
            row.coldStarts = counts.coldStarts
            row.errors = counts.errors
            timeseries.rows.append(row)
            timeseries.concurrencyAreaAtStart[f] = area
            activity.functions[f] = IntervalActivity.Function()
        }
        for g in producers.indices {
            var row = TimeSeriesRow(intervalStart: start, kind: .group, entity: producers[g].spec.name)
            row.sent = activity.groups[g].sent
            row.succeeded = activity.groups[g].succeeded
            row.latencyP99Seconds = activity.latencies.histogram(g).p99?.seconds
            timeseries.rows.append(row)
            activity.groups[g].sent = 0
            activity.groups[g].succeeded = 0
            activity.latencies.reset(g)
        }
        timeseries.intervalStart = now
    }

    /// The age of the oldest receivable message (standard queues keep it at the front).
    private func oldestVisibleAge(queue q: Int, now: SimTime) -> SimTime? {
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
