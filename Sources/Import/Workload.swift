/// What `--logs` and `--metrics` measured, by the scenario's entity names: it replaces the
/// placeholders of the keys a template cannot hold.
struct Workload: Sendable {
    /// Fitted from a function's REPORT lines.
    struct FunctionFit: Sendable {
        var duration: Sourced?
        var coldStart: Sourced?
        var errorRate: Sourced?
    }

    /// Read from a queue's NumberOfMessagesSent.
    struct Arrivals: Sendable {
        /// The schedule's steps, `{at: ..., rate: ...}` each.
        var steps: [Sourced]
        var comment: String
        /// From the first point to the end of the last period, in seconds.
        var span: Int
    }

    var functions: [String: FunctionFit] = [:]
    var queues: [String: Arrivals] = [:]
    /// Data files the scenario names (empirical distributions): file name -> text.
    var dataFiles: [String: String] = [:]
}
