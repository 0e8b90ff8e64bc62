import SimCore

// Public initialisers so that results saved to disk (a resumed sweep's finished runs, a
// shard's partial output) can be read back into the same values the simulation made.

extension RunResult {
    /// A run's result as read back from a file; the trace is not kept.
    public init(scenario: String, replication: Int, seed: UInt64, scopes: [ScopeSummary], timeseries: [TimeSeriesRow],
                measuredFrom: SimTime, end: SimTime, handledEvents: Int) {
        self.init(scenario: scenario, replication: replication, seed: seed, scopes: scopes, timeseries: timeseries,
                  measuredFrom: measuredFrom, end: end, events: handledEvents, trace: [])
    }
}

extension ScopeSummary {
    /// A scope's metrics as read back from a file.
    public init(name: String, kind: Kind, values: [Metric: Double], latencyQuantiles: [Double] = []) {
        self.scope = name
        self.kind = kind
        self.values = values
        self.latencyQuantiles = latencyQuantiles
    }
}
