import ServerlessModel
import SimCore

/// Settings AWS allows but advises against, reported as warnings: the scenario still runs,
/// and simulating such a setting is often the point (over-pull, for example).
struct PipelineWarnings {
    /// The pipeline as read.
    let pipeline: ReadPipeline
    /// Where diagnostics go.
    let sink: DiagnosticSink

    /// The receive count AWS recommends at least for a queue that Lambda reads.
    static let recommendedMaxReceiveCount = 5
    /// AWS: visibility timeout at least 6 x function timeout (+ batching window).
    static let visibilityTimeoutFactor: Int64 = 6

    /// Runs every warning check.
    func run() {
        var readQueues: Set<String> = []
        for function in pipeline.functions {
            timeoutBelowHandlerTime(of: function)
            guard let trigger = function.spec.trigger, let triggerView = function.trigger,
                  !sink.hasFailed(triggerView.path("queue")), let queue = pipeline.queue(trigger.queue) else { continue }
            visibilityTimeout(of: queue, readBy: function, trigger: trigger)
            maximumConcurrency(trigger, triggerView, of: function)
            overPull(trigger, triggerView, of: function)
            if readQueues.insert(queue.spec.name).inserted { maxReceiveCount(of: queue) }
        }
    }

    /// The visibility timeout should cover 6 function timeouts plus the batching window, so
    /// that a batch retried after throttles or a timeout does not become visible too early.
    private func visibilityTimeout(of queue: ReadEntity<QueueSpec>, readBy function: ReadFunction, trigger: TriggerSpec) {
        let timeout = function.spec.timeout
        let visibility = queue.spec.visibilityTimeout
        guard !sink.hasFailed(queue.view.path("visibility_timeout")), !sink.hasFailed(function.view.path("timeout")),
              timeout <= visibility else { return }
        let recommended = timeout * Self.visibilityTimeoutFactor + trigger.batchingWindow
        guard visibility < recommended else { return }
        let what = queue.view.has("visibility_timeout") ? "\(visibility)" : "the default visibility timeout \(visibility)"
        sink.warning(queue.view.location(of: "visibility_timeout"), queue.view.path("visibility_timeout"),
                     "\(what) is below 6 x the timeout of function '\(function.spec.name)' plus its batching window (6 x \(timeout) + \(trigger.batchingWindow) = \(recommended)) (expected at least \(recommended), as AWS recommends)")
    }

    /// With a low receive count, batches that were only throttled reach the dead-letter queue.
    private func maxReceiveCount(of queue: ReadEntity<QueueSpec>) {
        guard queue.spec.deadLetter != nil, !sink.hasFailed(queue.view.path("max_receive_count")),
              queue.spec.maxReceiveCount < Self.recommendedMaxReceiveCount else { return }
        sink.warning(queue.view.location(of: "max_receive_count"), queue.view.path("max_receive_count"),
                     "\(queue.spec.maxReceiveCount) is below 5, the least AWS recommends for a queue read by Lambda: throttled batches return to the queue and can be dead-lettered without ever failing (expected at least 5)")
    }

    /// A mapping allowed more concurrency than the function has pulls batches it cannot run.
    private func maximumConcurrency(_ trigger: TriggerSpec, _ view: MappingView, of function: ReadFunction) {
        guard let maximum = trigger.maximumConcurrency, let reserved = function.spec.reservedConcurrency,
              !sink.hasFailed(function.view.path("reserved_concurrency")), maximum > reserved else { return }
        sink.warning(view.location(of: "maximum_concurrency"), view.path("maximum_concurrency"),
                     "\(maximum) is above the reserved concurrency \(reserved) of function '\(function.spec.name)': the extra batches are throttled (expected at most \(reserved), as AWS advises)")
    }

    /// A timeout below the time most full batches take makes them time out and come back
    /// (a 3 s timeout sent 330,229 messages and let 84,155 succeed): the handler of a batch of
    /// `batch_size` messages runs `duration` then `per_message` for each, so its p99 is taken
    /// as the p99 of `duration` (from a fixed stream of draws, so the warning is repeatable;
    /// ``HandlerTimeEstimates`` remembers it by distribution)
    /// plus `batch_size` times the mean of `per_message` (a sum of many is near its mean), both
    /// at the function's memory (`cpu`).
    private func timeoutBelowHandlerTime(of function: ReadFunction) {
        // At the function's memory: a CPU-bound handler measured with more memory runs longer.
        let spec = function.spec.withHandlerTimeAtMemory()
        guard !sink.hasFailed(function.view.path("timeout")), !sink.hasFailed(function.view.path("duration")),
              !sink.hasFailed(function.view.path("per_message")), !sink.hasFailed(function.view.path("cpu")),
              let perMessage = spec.perMessage.meanSeconds, perMessage.isFinite else { return }
        let batch = spec.trigger?.batchSize ?? 1
        let durationP99 = HandlerTimeEstimates.shared.p99Seconds(of: spec.duration)
        let batchP99 = durationP99 + Double(batch) * perMessage
        guard spec.timeout.seconds < batchP99 else { return }
        let what = function.view.has("timeout") ? "\(spec.timeout)" : "the default timeout \(spec.timeout)"
        let needed = Self.readable(batchP99)
        var time = "the p99 of duration, \(Self.readable(durationP99))"
        if perMessage > 0 { time += ", plus \(batch) x the mean per_message \(Self.readable(perMessage))" }
        sink.warning(function.view.location(of: "timeout"), function.view.path("timeout"),
                     "\(what) is below the time a batch of \(batch) takes at its 99th percentile (\(time): \(needed)): invocations time out and their messages come back to be retried (expected at least \(needed))")
    }

    /// A duration estimated from draws, rounded up to a millisecond: more digits would claim
    /// a precision the estimate does not have.
    private static func readable(_ seconds: Double) -> SimTime {
        .ms(Int64((seconds * 1000).rounded(.up)))
    }

    /// Reserved concurrency below the batches a mapping starts with, and no
    /// `maximum_concurrency` to hold the mapping to it: the mapping pulls more batches than the
    /// function can run, they are throttled and return to the queue, and can be dead-lettered
    /// without ever failing (the over-pull that `scenarios/over-pull.yml` shows).
    private func overPull(_ trigger: TriggerSpec, _ view: MappingView, of function: ReadFunction) {
        let start = pipeline.assumptions.pollerStart
        guard trigger.maximumConcurrency == nil, let reserved = function.spec.reservedConcurrency,
              !sink.hasFailed(function.view.path("reserved_concurrency")), reserved < start else { return }
        sink.warning(function.view.location(of: "reserved_concurrency"), function.view.path("reserved_concurrency"),
                     "\(reserved) is below the \(start) concurrent batches the event source mapping of queue '\(trigger.queue)' starts with (assumption poller_start), and its trigger sets no maximum_concurrency: the mapping pulls batches the function cannot run, they are throttled and can be dead-lettered without failing (over-pull) (expected trigger.maximum_concurrency at most \(reserved), as AWS advises)")
    }
}
