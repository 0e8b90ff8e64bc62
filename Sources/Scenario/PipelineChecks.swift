import ServerlessModel
import SimCore

/// Checks across entities: references, redrive, FIFO rules, timeouts and concurrency totals.
///
/// Run after every section was read. A check is skipped when a value it needs was itself
/// wrong (the sink knows), so one mistake is reported once, not again as a consequence.
struct PipelineChecks {
    /// The pipeline as read.
    let pipeline: ReadPipeline
    /// Where diagnostics go.
    let sink: DiagnosticSink

    /// Runs every check.
    func run() {
        checkGroups()
        checkRedrive()
        checkFunctions()
        checkDownstreamLimits()
        checkContainers()
        checkReservedTotal()
        checkCodeStorage()
        checkSchedules()
    }

    /// A schedule names an existing function, queue and downstream, and the downstream has a
    /// concurrency limit: without one the drain would have no reason to stop.
    private func checkSchedules() {
        for schedule in pipeline.schedules {
            let spec = schedule.spec
            reference(schedule.view, "function", spec.function, in: pipeline.names.functions, noun: "function")
            reference(schedule.view, "queue", spec.queue, in: queueNames, noun: "queue")
            guard reference(schedule.view, "until_downstream_busy", spec.untilDownstreamBusy,
                            in: pipeline.names.downstreams, noun: "downstream"),
                  let downstream = pipeline.downstreams.first(where: { $0.spec.name == spec.untilDownstreamBusy })
            else { continue }
            if !downstream.spec.limits.values.contains(where: { $0.concurrency != nil }) {
                sink.error(schedule.view.location(of: "until_downstream_busy"), schedule.view.path("until_downstream_busy"),
                           "downstream '\(spec.untilDownstreamBusy)' has no concurrency limit, so the drain would never find it busy (expected a downstream with limits such as {all: {concurrency: 10}})")
            }
        }
    }

    /// The functions' packages fit in the Region's code storage (75 GB): a per-group topology
    /// of thousands of functions can outgrow it.
    private func checkCodeStorage() {
        let limit = pipeline.account.codeStorageBytes
        var total = 0
        for function in pipeline.functions {
            total = total.addingReportingOverflow(function.spec.packageSizeBytes).overflow ? .max : total + function.spec.packageSizeBytes
        }
        guard total > limit, let last = pipeline.functions.last else { return }
        let average = total / max(1, pipeline.functions.count)
        let fitting = limit / max(1, average)
        func gigabytes(_ bytes: Int) -> String {
            guard bytes >= 1 << 30 else { return NumberText.bytes(bytes) }
            let tenths = (Double(bytes) / Double(1 << 30) * 10).rounded()
            return "\(NumberText.decimal(tenths / 10))GB"
        }
        sink.error(last.view.mapping.location, .root.appending("functions"),
                   "\(NumberText.grouped(pipeline.functions.count)) functions of about \(NumberText.bytes(average)) need \(gigabytes(total)) of code storage, above the Region's \(gigabytes(limit)) (expected at most about \(NumberText.grouped(fitting)) such functions: share functions between groups, shrink the packages, or have AWS raise the quota and set account.code_storage)", kind: .conflict)
    }

    /// Reports a name that refers to nothing, with the closest existing name.
    /// Returns whether the name resolves.
    @discardableResult
    func reference(_ view: MappingView, _ key: String, _ name: String?, in names: NameList, noun: String) -> Bool {
        let collection = FieldPath.root.appending(noun == "group" ? "groups" : noun == "front door" ? "front_doors" : noun + "s")
        guard let name, !sink.hasFailed(view.path(key)), !sink.hasFailedAtOrAbove(collection) else { return false }
        if names.contains(name) { return true }
        let hint = names.isEmpty ? "expected a \(noun) defined under \(collection)"
            : Suggestions.hint(for: name, in: names.ordered)
        sink.error(view.location(of: key), view.path(key), "no \(noun) named '\(name)' (\(hint))")
        return false
    }

    /// Every queue name written, including queues whose settings are wrong (already reported),
    /// so a reference to them is not reported again.
    private var queueNames: NameList { pipeline.names.queues }

    /// Groups send to existing queues; `fifo_group_key` only matters on FIFO and fair queues.
    private func checkGroups() {
        for group in pipeline.groups {
            if let door = group.spec.frontDoor {
                reference(group.view, "front_door", door, in: pipeline.names.frontDoors, noun: "front door")
                if group.spec.invoke != nil {
                    sink.error(group.view.location(of: "front_door"), group.view.path("front_door"),
                               "a front door is modelled in front of a queue only (expected queue with front_door, or invoke without)")
                }
            }
            if let invoke = group.spec.invoke {
                checkDirectInvocation(invoke, of: group)
                continue
            }
            guard reference(group.view, "queue", group.spec.queue, in: queueNames, noun: "queue"),
                  let queue = pipeline.queue(group.spec.queue) else { continue }
            if group.view.has("fifo_group_key"), !sink.hasFailed(group.view.path("fifo_group_key")),
               !reachesFIFOQueue(from: queue.spec.name), !queue.spec.fair {
                sink.warning(group.view.location(of: "fifo_group_key"), group.view.path("fifo_group_key"),
                             "has no effect: queue '\(queue.spec.name)' is a standard queue and its messages reach no FIFO queue (expected fifo_group_key only for a group whose messages enter a FIFO queue or a fair queue)")
            }
        }
    }

    /// Whether messages in queue `name` are, or can be sent on to, a FIFO queue: they carry
    /// their task group's MessageGroupId through a chain (MessageGroupIds.swift).
    private func reachesFIFOQueue(from name: String) -> Bool {
        var seen: Set<String> = []
        var next = [name]
        while let queue = next.popLast() {
            guard seen.insert(queue).inserted else { continue }
            if pipeline.queue(queue)?.spec.kind == .fifo { return true }
            next += pipeline.functions.filter { $0.spec.trigger?.queue == queue }.compactMap(\.spec.outputQueue)
            next += pipeline.containers.filter { $0.spec.queue == queue }.compactMap(\.spec.outputQueue)
        }
        return false
    }

    /// A direct invocation names an existing function whose downstream calls the model can
    /// simulate for it.
    private func checkDirectInvocation(_ invoke: DirectInvocationSpec, of group: ReadEntity<TaskGroupSpec>) {
        guard case .mapping(let mapping)? = group.view["invoke"] else { return }
        let view = MappingView(mapping: mapping, path: group.view.path("invoke"))
        if reference(view, "on_failure", invoke.asynchronous.onFailure, in: queueNames, noun: "queue"),
           let name = invoke.asynchronous.onFailure, let target = pipeline.queue(name), target.spec.kind == .fifo {
            sink.error(view.location(of: "on_failure"), view.path("on_failure"),
                       "'\(target.spec.name)' is a FIFO queue (expected a standard queue: Lambda cannot send asynchronous events to a FIFO destination)",
                       kind: .conflict)
        }
        guard reference(view, "function", invoke.function, in: pipeline.names.functions, noun: "function"),
              let function = pipeline.functions.first(where: { $0.spec.name == invoke.function }) else { return }
        if function.spec.downstream != nil {
            sink.error(view.location(of: "function"), view.path("function"),
                       "function '\(invoke.function)' calls a downstream, which is not simulated for direct invocations yet (expected a function without downstream)")
        }
    }

    /// Dead-letter queues: they exist, have the same type, form no cycle, and are not read.
    private func checkRedrive() {
        var resolvable: [String: String] = [:]
        for queue in pipeline.queues {
            guard let target = queue.spec.deadLetter else {
                if queue.view.has("max_receive_count"), !sink.hasFailed(queue.view.path("max_receive_count")) {
                    sink.warning(queue.view.location(of: "max_receive_count"), queue.view.path("max_receive_count"),
                                 "has no effect without a dead-letter queue (expected dead_letter with max_receive_count)")
                }
                continue
            }
            guard reference(queue.view, "dead_letter", target, in: queueNames, noun: "queue"),
                  let dlq = pipeline.queue(target) else { continue }
            if target == queue.spec.name {
                sink.error(queue.view.location(of: "dead_letter"), queue.view.path("dead_letter"),
                           "a queue cannot be its own dead-letter queue (expected another queue)")
                continue
            }
            resolvable[queue.spec.name] = target
            if !sink.hasFailed(queue.view.path("type")), !sink.hasFailed(dlq.view.path("type")), dlq.spec.kind != queue.spec.kind {
                sink.error(queue.view.location(of: "dead_letter"), queue.view.path("dead_letter"),
                           "'\(target)' is a \(dlq.spec.kind.rawValue == "fifo" ? "FIFO" : "standard") queue, but '\(queue.spec.name)' is \(queue.spec.kind == .fifo ? "a FIFO" : "a standard") queue (expected a \(queue.spec.kind == .fifo ? "FIFO" : "standard") dead-letter queue: AWS requires the same type)", kind: .conflict)
            }
        }
        // Cycles: follow each chain; a chain that comes back to a queue on it is a cycle.
        var reported: Set<String> = []
        for queue in pipeline.queues where !reported.contains(queue.spec.name) {
            var chain = [queue.spec.name]
            var current = queue.spec.name
            while let next = resolvable[current] {
                if let start = chain.firstIndex(of: next) {
                    let cycle = Array(chain[start...])
                    if !cycle.contains(where: reported.contains) {
                        reported.formUnion(cycle)
                        let first = pipeline.queues.first { cycle.contains($0.spec.name) } ?? queue
                        let names = rotate(cycle, toStartAt: first.spec.name)
                        sink.error(first.view.location(of: "dead_letter"), first.view.path("dead_letter"),
                                   "redrive cycle \((names + [names[0]]).joined(separator: " -> ")) (expected a dead-letter queue that does not lead back to this queue)")
                    }
                    break
                }
                chain.append(next)
                current = next
            }
        }
    }

    /// The cycle written from the queue that comes first in the file.
    private func rotate(_ names: [String], toStartAt first: String) -> [String] {
        guard let index = names.firstIndex(of: first) else { return names }
        return Array(names[index...] + names[..<index])
    }

    /// Triggers, downstreams and output queues exist; FIFO mapping rules; timeout within the
    /// queue's visibility timeout.
    private func checkFunctions() {
        let downstreamNames = pipeline.names.downstreams
        for function in pipeline.functions {
            let spec = function.spec
            if spec.downstream != nil {
                reference(function.view, "downstream", spec.downstream, in: downstreamNames, noun: "downstream")
            }
            if spec.outputQueue != nil {
                reference(function.view, "output_queue", spec.outputQueue, in: queueNames, noun: "queue")
            }
            guard let trigger = spec.trigger, let view = function.trigger else { continue }
            let resolves = reference(view, "queue", trigger.queue, in: queueNames, noun: "queue")
            let queue = resolves ? pipeline.queue(trigger.queue) : nil
            if let queue, sink.hasFailed(queue.view.path("type")) { continue }
            if queue?.spec.kind != .fifo, !sink.hasFailed(view.path("batch_size")), !sink.hasFailed(view.path("batching_window")),
               trigger.batchSize > 10, trigger.batchingWindow == .zero {
                sink.error(view.location(of: "batch_size"), view.path("batch_size"),
                           "a batch size of \(trigger.batchSize) needs a batching window (expected batching_window above 0s, or a batch size of at most 10)", kind: .conflict)
            }
            guard let queue else { continue }
            if queue.spec.kind == .fifo {
                if !sink.hasFailed(view.path("batch_size")), trigger.batchSize > 10 {
                    sink.error(view.location(of: "batch_size"), view.path("batch_size"),
                               "\(trigger.batchSize) is above 10, the largest batch from a FIFO queue (expected a batch size from 1 to 10 for FIFO queue '\(queue.spec.name)')", kind: .conflict)
                }
                if !sink.hasFailed(view.path("batching_window")), trigger.batchingWindow > .zero {
                    sink.error(view.location(of: "batching_window"), view.path("batching_window"),
                               "a FIFO queue takes no batching window (expected 0s or no batching_window for FIFO queue '\(queue.spec.name)')", kind: .conflict)
                }
            }
            if !sink.hasFailed(function.view.path("timeout")), !sink.hasFailed(queue.view.path("visibility_timeout")),
               spec.timeout > queue.spec.visibilityTimeout {
                let what = function.view.has("timeout") ? "the timeout" : "the default timeout"
                sink.error(function.view.location(of: "timeout"), function.view.path("timeout"),
                           "\(what) \(spec.timeout) is above the visibility timeout \(queue.spec.visibilityTimeout) of its trigger queue '\(queue.spec.name)' (expected at most \(queue.spec.visibilityTimeout), or a longer visibility timeout)", kind: .conflict)
            }
        }
    }

    /// Downstream limits are keyed by existing group names or `all`.
    private func checkDownstreamLimits() {
        let groupNames = pipeline.names.groups
        guard !sink.hasFailedAtOrAbove(.root.appending("groups")) else { return }
        for downstream in pipeline.downstreams {
            for key in downstream.limitKeys where key.text != "all" && !groupNames.contains(key.text) {
                let hint = Suggestions.closest(to: key.text, in: groupNames + ["all"]).map { "did you mean '\($0)'?" }
                    ?? "expected a group name (\(groupNames.joined(separator: ", "))) or all"
                sink.error(key.location, downstream.view.path("limits").appending(key.text), "no group named '\(key.text)' (\(hint))")
            }
            // A per-tenant limit needs a group of many tenants.
            for key in downstream.limitKeys where downstream.spec.limits[key.text]?.perTenant == true {
                let path = downstream.view.path("limits").appending(key.text).appending("per_tenant")
                if key.text == "all" {
                    sink.error(key.location, path, "all is every call together (expected per_tenant on a group's limit)", kind: .conflict)
                } else if let group = pipeline.groups.first(where: { $0.spec.name == key.text }), group.spec.tenants == nil {
                    sink.error(key.location, path,
                               "group '\(key.text)' has no tenants (expected tenants: {count: N} on the group, or no per_tenant)", kind: .conflict)
                }
            }
        }
    }

    /// Reserved concurrency is carved out of the account: the total must leave the
    /// unreserved minimum free.
    private func checkReservedTotal() {
        let account = pipeline.account
        if let view = pipeline.accountView, sink.hasFailed(view.path) { return }
        let available = account.concurrency - account.unreservedMinimum
        var total = 0
        var parts: [String] = []
        for function in pipeline.functions {
            guard let reserved = function.spec.reservedConcurrency,
                  !sink.hasFailed(function.view.path("reserved_concurrency")) else { continue }
            let (sum, overflow) = total.addingReportingOverflow(reserved)
            total = overflow ? .max : sum
            parts.append("\(function.spec.name) \(NumberText.grouped(reserved))")
            if total > available {
                sink.error(function.view.location(of: "reserved_concurrency"), function.view.path("reserved_concurrency"),
                           "reserved concurrency adds up to \(NumberText.grouped(total)) (\(parts.joined(separator: ", "))), above the \(NumberText.grouped(available)) the account can reserve: account.concurrency \(NumberText.grouped(account.concurrency)) minus unreserved_minimum \(NumberText.grouped(account.unreservedMinimum)) (expected a total of at most \(NumberText.grouped(available)))", kind: .conflict)
                return
            }
        }
    }
}
