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
            guard let trigger = function.spec.trigger, let triggerView = function.trigger,
                  !sink.hasFailed(triggerView.path("queue")), let queue = pipeline.queue(trigger.queue) else { continue }
            visibilityTimeout(of: queue, readBy: function, trigger: trigger)
            maximumConcurrency(trigger, triggerView, of: function)
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
}
