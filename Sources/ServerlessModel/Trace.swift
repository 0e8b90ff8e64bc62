import SimCore

/// One step of a message's or an invocation's life, recorded when tracing is on.
///
/// Tracing is off by default: statistics stream and no record is kept per message. Tests
/// and `--trace` turn it on to check or inspect exact timestamps.
public struct TraceRecord: Sendable, Equatable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable {
        case sent, received, returned, deleted, forwarded, deadLettered = "dead_lettered", expired
        case invoked, coldStart = "cold_start", throttled, failed, timedOut = "timed_out", succeeded, dropped, crashed
        /// Container tasks (the entity is the service, the count its tasks afterwards).
        case workerStarting = "worker_starting", workerReady = "worker_ready", workerStopped = "worker_stopped"
    }

    public var time: SimTime
    public var kind: Kind
    /// The message's send number (0, 1, 2 ... in send order), or -1 for invocation records.
    public var message: Int64
    /// The queue or function concerned.
    public var entity: String
    /// The receive count for `received`; the batch size for invocation records.
    public var count: Int

    public var description: String { "\(time) \(kind.rawValue) m\(message) \(entity) \(count)" }
}

extension World {
    /// Records a message's step when tracing.
    ///
    /// Inlined so that a run without tracing pays a test, not a call, at each of the
    /// several steps of every message; the recording itself is out of line.
    @inline(__always) func trace(_ kind: TraceRecord.Kind, message id: MessageID, at time: SimTime) {
        if tracing { record(kind, message: id, at: time) }
    }

    /// Records an invocation's step when tracing.
    @inline(__always) func trace(_ kind: TraceRecord.Kind, function f: Int, batch: Int, at time: SimTime) {
        if tracing { record(kind, function: f, batch: batch, at: time) }
    }

    @inline(never) private func record(_ kind: TraceRecord.Kind, message id: MessageID, at time: SimTime) {
        let message = messages[id]
        traceLog.append(TraceRecord(time: time, kind: kind, message: message.sequence,
                                    entity: queues[Int(message.queue)].spec.name, count: Int(message.receiveCount)))
    }

    @inline(never) private func record(_ kind: TraceRecord.Kind, function f: Int, batch: Int, at time: SimTime) {
        traceLog.append(TraceRecord(time: time, kind: kind, message: -1, entity: functions[f].spec.name, count: batch))
    }
}
