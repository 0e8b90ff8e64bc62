import Scenario

/// Turns a ``Stack`` and what logs and metrics measured into the scenario document.
///
/// Entity names are the template's logical IDs. The groups are the import's own: one
/// producer per queue that is no dead-letter queue or on-failure destination
/// (`<Queue>-producer`), and one per schedule (named after the rule), which invokes its
/// function asynchronously, as EventBridge does.
struct ScenarioBuilder {
    let stack: Stack
    let workload: Workload
    let file: String
    let name: String

    /// The document, the placeholders it holds (key paths), and more notes.
    func build() throws(ImportErrors) -> (document: ScenarioDocument, placeholders: [String], notes: [Diagnostic]) {
        var placeholders: [String] = []
        var notes: [Diagnostic] = []
        func placeholder(_ path: String, _ yaml: String, _ what: String) -> Sourced {
            placeholders.append(path)
            return Sourced(yaml: yaml, provenance: .placeholder(what))
        }
        func note(_ at: TextPosition, _ path: String, _ message: String) {
            notes.append(Diagnostic(severity: .warning, file: file, location: at, path: path, message: message))
        }

        var document = ScenarioDocument()
        document.header = [
            "Imported by `queuesim import` from \(file). Each value says where it came from: a template line,",
            "AWS's default for a property the template leaves out, a measurement, or PLACEHOLDER: a workload",
            "key a template cannot hold, to be filled in (or measured with --logs and --metrics).",
        ]
        document.entries.append(.scalar("name", Sourced(yaml: ScenarioDocument.quoted(name), provenance: .measured("the template's file name"))))

        let span = workload.queues.values.map(\.span).max()
        let duration = span.map { Sourced(yaml: ScenarioValues.duration(seconds: $0), provenance: .measured("the span of the metrics given")) }
            ?? placeholder("run.duration", "1h", "how long to simulate")
        document.entries.append(.block("run", [.scalar("duration", duration)]))

        // Groups.
        let deadLetterQueues = Set(stack.queues.compactMap { $0.deadLetter?.id })
        let onFailure = Set(stack.functions.compactMap { $0.onFailure?.queue })
        var groups: [ScenarioDocument.Entry] = []
        for queue in stack.queues where !deadLetterQueues.contains(queue.id) && !onFailure.contains(queue.id) {
            var entries: [ScenarioDocument.Entry] = [.scalar("queue", Sourced(yaml: ScenarioDocument.key(queue.id), provenance: .template(queue.at, property: "\(queue.id) (AWS::SQS::Queue)", via: nil)))]
            if let arrivals = workload.queues[queue.id] {
                entries.append(.block("arrivals", [ScenarioDocument.Entry(key: "schedule", value: .list(arrivals.steps), comment: arrivals.comment)]))
            } else {
                entries.append(.scalar("arrivals", placeholder("groups.\(queue.id)-producer.arrivals", "{poisson: {rate: 1/s}}",
                                                                 "the messages sent to \(queue.id) (or --metrics with its NumberOfMessagesSent)")))
            }
            if queue.isFIFO {
                entries.append(.scalar("fifo_group_key", placeholder("groups.\(queue.id)-producer.fifo_group_key", "group",
                                                                       "the message groups (MessageGroupId) the producers use; `group` is one group")))
            }
            groups.append(.block("\(queue.id)-producer", entries))
        }
        for schedule in stack.schedules {
            guard let function = stack.functions.first(where: { $0.id == schedule.function }) else { continue }
            switch ScheduleRate.perSecond(schedule.expression) {
            case .failure(let reason):
                note(schedule.expressionAt, "Resources.\(schedule.id).\(schedule.property)", "\(reason.text)")
            case .success(let (rate, how)):
                var invoke: [ScenarioDocument.Entry] = [
                    .scalar("function", Sourced(yaml: ScenarioDocument.key(function.id), provenance: .template(schedule.at, property: "\(schedule.id) target", via: nil))),
                    .scalar("mode", Sourced(yaml: "async", provenance: .measured("EventBridge invokes Lambda asynchronously"))),
                ]
                if let (queue, provenance) = function.onFailure {
                    invoke.append(.scalar("on_failure", Sourced(yaml: ScenarioDocument.key(queue), provenance: provenance)))
                }
                if let retries = function.retryAttempts { invoke.append(.scalar("retry_attempts", retries)) }
                if let age = function.maxEventAge { invoke.append(.scalar("max_event_age", age)) }
                groups.append(.block(schedule.id, [
                    .block("invoke", invoke),
                    .block("arrivals", [.block("constant", [.scalar("rate", Sourced(
                        yaml: ScenarioValues.rate(perSecond: rate), provenance: .template(schedule.expressionAt, property: "\(schedule.property) \(how)", via: nil)))])]),
                ]))
            }
        }
        guard !groups.isEmpty else {
            throw ImportErrors(file: file, at: .start, path: "Resources",
                               "nothing sends work: the template has no SQS queue (other than dead-letter queues) and no schedule that invokes a function (expected at least one)")
        }
        document.entries.append(.block("groups", groups))

        // Queues.
        var queues: [ScenarioDocument.Entry] = []
        for queue in stack.queues {
            var entries: [ScenarioDocument.Entry] = [
                .scalar("type", queue.fifo), .scalar("visibility_timeout", queue.visibilityTimeout),
                .scalar("retention", queue.retention), .scalar("delay", queue.delay),
            ]
            if let (target, provenance) = queue.deadLetter {
                entries.append(.scalar("dead_letter", Sourced(yaml: ScenarioDocument.key(target), provenance: provenance)))
            }
            if let count = queue.maxReceiveCount { entries.append(.scalar("max_receive_count", count)) }
            if let high = queue.highThroughput { entries.append(.scalar("high_throughput", high)) }
            if let content = queue.contentBasedDeduplication { entries.append(.scalar("content_based_deduplication", content)) }
            queues.append(.block(queue.id, entries))
        }
        document.entries.append(.block("queues", queues))

        // Functions.
        var functions: [ScenarioDocument.Entry] = []
        for function in stack.functions {
            var entries: [ScenarioDocument.Entry] = [
                .scalar("memory", function.memory), .scalar("architecture", function.architecture), .scalar("timeout", function.timeout),
            ]
            if let reserved = function.reservedConcurrency { entries.append(.scalar("reserved_concurrency", reserved)) }
            let trigger = function.triggers.first
            let qualifier = trigger?.qualifier ?? (function.triggers.isEmpty ? function.autoPublishAlias : nil)
            if let qualifier, let provisioned = function.provisioned[qualifier] {
                entries.append(.scalar("provisioned_concurrency", provisioned))
            }
            for (alias, provisioned) in function.provisioned where alias != qualifier {
                note(provisioned.provenance.position ?? function.at, "Resources.\(function.id)",
                     "provisioned concurrency on \(alias) is not imported: the function's trigger invokes \(qualifier.map { "'\($0)'" } ?? "the unqualified function"), which does not use it")
            }
            let fit = workload.functions[function.id]
            entries.append(.scalar("duration", fit?.duration ?? placeholder("functions.\(function.id).duration", "100ms", "the handler's time per invocation (or --logs with its REPORT lines)")))
            entries.append(.scalar("cold_start", fit?.coldStart ?? placeholder("functions.\(function.id).cold_start", "{lognormal: {median: 250ms, p99: 1s}}", "the init time of a new environment (or --logs: Init Duration)")))
            entries.append(.scalar("error_rate", fit?.errorRate ?? placeholder("functions.\(function.id).error_rate", "0", "the share of invocations that fail (or --logs: errors and timeouts)")))
            if function.onFailure != nil, !stack.schedules.contains(where: { $0.function == function.id }) {
                note(function.onFailure!.provenance.position ?? function.at, "Resources.\(function.id)",
                     "the on-failure destination applies to asynchronous invocations, and nothing in the template invokes \(function.id) asynchronously (its queue is imported, unused)")
            }
            if let trigger {
                var t: [ScenarioDocument.Entry] = [
                    .scalar("queue", Sourced(yaml: ScenarioDocument.key(trigger.queue), provenance: .template(trigger.at, property: "\(trigger.id) source", via: nil))),
                    .scalar("batch_size", trigger.batchSize), .scalar("batching_window", trigger.batchingWindow),
                ]
                if let maximum = trigger.maximumConcurrency { t.append(.scalar("maximum_concurrency", maximum)) }
                t.append(.scalar("report_batch_item_failures", trigger.reportBatchItemFailures))
                if let pollers = trigger.provisionedPollers {
                    t.append(.block("provisioned_pollers", [.scalar("minimum", pollers.minimum), .scalar("maximum", pollers.maximum)]))
                }
                entries.append(.block("trigger", t))
            }
            for extra in function.triggers.dropFirst() {
                note(extra.at, extra.id, "a second trigger of \(function.id) (from \(extra.queue)) is not imported: a scenario function has one trigger")
            }
            functions.append(.block(function.id, entries))
        }
        document.entries.append(.block("functions", functions))
        return (document, placeholders, notes)
    }
}
