import DequeModule
import SimCore

/// Container services (ECS on Fargate-style): pools of long-running workers polling a queue.
///
/// A worker is one task. Its life: launched (billing starts), start-up time, then a loop of
/// long polls (`ReceiveMessage`, up to `batch_size` messages, the assumptions' long-poll wait)
/// and batches handled one message after another:
///
/// ```
/// [duration] [per_message + call]_1 [delete] [per_message + call]_2 [delete] ... then poll again
/// ```
///
/// Each message is deleted (one `DeleteMessage` request) as soon as the worker is done with
/// it. A message refused by a downstream limit is not deleted and returns through its
/// visibility timeout; the worker goes on. A worker slower than the visibility timeout does
/// not notice: the message is received again elsewhere and the late delete, carrying a stale
/// receipt, counts as a duplicate — as for Lambda.
///
/// Workers wait in a per-queue list of their own, which `wakeWaitingPollers` serves after the
/// Lambda pollers; a queue is read by a trigger or by container services, never both (the
/// world refuses the combination), so the order between the two lists never matters.
///
/// Randomness: `task-startup/<service>` draws start-up times, `task-duration/<service>` the
/// per-receive `duration`; `per_message` and downstream latency are drawn from each message's
/// own key, exactly as for functions, so a message costs the same in a Lambda variant and a
/// container variant of a pipeline (common random numbers).
struct ContainerService {
    let spec: ContainerServiceSpec
    let queue: Int32
    /// The downstream each message calls, or -1.
    let downstream: Int32
    /// The queue succeeded messages go on to, or -1.
    let outputQueue: Int32
    let startupStream: RandomStream
    let durationStream: RandomStream
    /// The service's desired count of tasks.
    var desired: Int
    /// Tasks launched and not stopped (starting or running): what Fargate bills.
    var tasks = 0
    /// Workers handling a batch.
    var busy = 0
    var lastScaleOut: SimTime?
    var lastScaleIn: SimTime?
    /// Billed task-seconds of stopped tasks (per second, one-minute minimum each).
    var billedSeconds: Int64 = 0
    var metrics = ContainerMetrics()
}

/// What a container service did (messages sent after, and time after, the warm-up).
struct ContainerMetrics {
    var succeeded = 0
    var downstreamViolations = 0
    var latency = LatencyHistogram()
    /// Busy workers over time (its concurrency).
    var busy = TimeWeightedAverage()
    /// Tasks starting or running over time.
    var tasks = TimeWeightedAverage()
}

/// What a worker is doing.
enum WorkerState: UInt8 {
    /// Launched, in its start-up time.
    case starting
    /// In a long poll.
    case waiting
    /// Handling the messages of its last receive.
    case processing
    /// Stopped; the slot can be reused.
    case stopped
}

/// One task of a container service.
struct Worker {
    var service: Int32
    var state: WorkerState = .starting
    /// Bumped on every change of state: a timer of an older generation is stale.
    var generation: UInt32 = 0
    /// The receipts of the batch being handled.
    var batch: [Receipt] = []
    /// Each batch message's random key and receive count, taken at the receive (the worker
    /// holds the message body even if its visibility timeout expires meanwhile).
    var keys: [UInt32] = []
    var attempts: [Int32] = []
    /// The batch message being handled.
    var next = 0
    /// Whether the current message's downstream call is in progress.
    var calling = false
    var call = DownstreamCall()
    /// When the task was launched (billing starts).
    var launchedAt: SimTime = .zero
    /// Whether it is in its queue's waiting list.
    var isListed = false
    /// When the current long poll returns empty.
    var waitDeadline: SimTime = .zero
}

/// Every container service of the world and their workers.
struct ContainerPool {
    var services: [ContainerService] = []
    var workers: [Worker] = []
    var freeWorkers: [Int32] = []
    /// Workers waiting in a long poll, per queue (empty when there are no services).
    var waiting: [Deque<Int32>] = []
    /// Busy workers and tasks of all services together.
    var busyTotal = TimeWeightedAverage()
    var tasksTotal = TimeWeightedAverage()

    /// Whether the world has any container service.
    var isEmpty: Bool { services.isEmpty }
}

extension World {
    /// An empty receive with a long-poll wait of 0 s (short polling) is repeated after this.
    static let shortPollPause = SimTime.s(1)

    /// Resolves the container services of a pipeline; refuses what the model does not simulate.
    static func containerPool(_ spec: PipelineSpec, seed: UInt64, replication: Int, queueIndex: [String: Int],
                              downstreamIndex: [String: Int]) throws(WorldError) -> ContainerPool {
        var pool = ContainerPool()
        guard !spec.containers.isEmpty else { return pool }
        let triggered = Set(spec.functions.compactMap { $0.trigger?.queue })
        for service in spec.containers {
            let owner = "container service \(service.name)"
            guard let q = queueIndex[service.queue] else {
                throw WorldError.unknownReference(what: "queue", name: service.queue, in: owner)
            }
            guard !triggered.contains(service.queue) else {
                throw WorldError.unsupported("queue \(service.queue) is read by a Lambda trigger and by \(owner); a queue has one kind of consumer")
            }
            var downstream: Int32 = -1
            if let name = service.downstream {
                guard let d = downstreamIndex[name] else { throw WorldError.unknownReference(what: "downstream", name: name, in: owner) }
                downstream = Int32(d)
            }
            var output: Int32 = -1
            if let name = service.outputQueue {
                guard let o = queueIndex[name] else { throw WorldError.unknownReference(what: "output queue", name: name, in: owner) }
                output = Int32(o)
            }
            guard service.minWorkers >= 0, service.maxWorkers >= max(1, service.minWorkers), (1...10).contains(service.batchSize),
                  service.vcpu > 0, service.memoryMB > 0 else {
                throw WorldError.unsupported("\(owner) needs 0 <= min workers <= max workers, max workers >= 1, a batch size of 1 to 10 and a positive size")
            }
            if let scaling = service.scaling {
                guard scaling.targetBacklogPerWorker > 0, scaling.targetBacklogPerWorker.isFinite, scaling.interval > .zero else {
                    throw WorldError.unsupported("\(owner) needs a positive scaling target and interval")
                }
            }
            pool.services.append(ContainerService(
                spec: service, queue: Int32(q), downstream: downstream, outputQueue: output,
                startupStream: RandomStream(name: "task-startup/\(service.name)", scenarioSeed: seed, replication: replication),
                durationStream: RandomStream(name: "task-duration/\(service.name)", scenarioSeed: seed, replication: replication),
                desired: service.minWorkers))
        }
        pool.waiting = Array(repeating: Deque<Int32>(), count: spec.queues.count)
        return pool
    }

    // MARK: Tasks

    /// Starts the tasks present when the run begins (running already) and the scaling clocks.
    func startContainers(events: inout EventList<WorldEvent>) {
        for s in containers.services.indices {
            for _ in 0..<containers.services[s].spec.minWorkers { launchWorker(service: s, ready: true, events: &events) }
            if containers.services[s].spec.scales, let scaling = containers.services[s].spec.scaling {
                events.schedule(.containerScale(service: Int32(s)), after: scaling.interval)
            }
        }
    }

    /// Launches a task: billed from now, polling after its start-up time (or at once).
    private func launchWorker(service s: Int, ready: Bool, events: inout EventList<WorldEvent>) {
        let w: Int
        if let slot = containers.freeWorkers.popLast() {
            w = Int(slot)
            // A stopped worker may still be listed at its old queue: the entry serves the new
            // worker if it reads the same queue; otherwise it goes (rare, and linear).
            let oldQueue = Int(containers.services[Int(containers.workers[w].service)].queue)
            if containers.workers[w].isListed, oldQueue != Int(containers.services[s].queue),
               let entry = containers.waiting[oldQueue].firstIndex(of: Int32(w)) {
                containers.waiting[oldQueue].remove(at: entry)
                containers.workers[w].isListed = false
            }
            containers.workers[w].service = Int32(s)
            containers.workers[w].generation &+= 1
            containers.workers[w].batch.removeAll(keepingCapacity: true)
        } else {
            containers.workers.append(Worker(service: Int32(s)))
            w = containers.workers.count - 1
        }
        containers.workers[w].launchedAt = now
        containers.services[s].tasks += 1
        containers.services[s].metrics.tasks.add(1, at: now)
        containers.tasksTotal.add(1, at: now)
        if ready {
            containers.workers[w].state = .waiting
            traceWorker(.workerReady, service: s, at: now)
            containers.workers[w].waitDeadline = now + spec.assumptions.longPollWait
            pollWorker(w, events: &events)
        } else {
            containers.workers[w].state = .starting
            traceWorker(.workerStarting, service: s, at: now)
            let startup = containers.services[s].spec.startup.sample(containers.services[s].startupStream)
            events.schedule(.workerTimer(worker: Int32(w), generation: containers.workers[w].generation), after: startup)
        }
    }

    /// Stops a task that holds no messages: its billing ends (one-minute minimum).
    private func stopWorker(_ w: Int) {
        let s = Int(containers.workers[w].service)
        containers.workers[w].state = .stopped
        containers.workers[w].generation &+= 1
        containers.services[s].billedSeconds += max(60, Self.billedSeconds(now - containers.workers[w].launchedAt))
        containers.services[s].tasks -= 1
        containers.services[s].metrics.tasks.add(-1, at: now)
        containers.tasksTotal.add(-1, at: now)
        containers.freeWorkers.append(Int32(w))
        traceWorker(.workerStopped, service: s, at: now)
    }

    /// Fargate bills per second, rounded up.
    static func billedSeconds(_ span: SimTime) -> Int64 {
        (max(0, span.nanoseconds) + 999_999_999) / 1_000_000_000
    }

    // MARK: Scaling

    /// Target tracking on visible messages per worker (see ``ContainerScaling``).
    func containerScale(_ s: Int, events: inout EventList<WorldEvent>) {
        let service = containers.services[s]
        guard let scaling = service.spec.scaling else { return }
        events.schedule(.containerScale(service: Int32(s)), after: scaling.interval)
        let visible = Double(queues[Int(service.queue)].visibleCount)
        let wanted = min(Double(service.spec.maxWorkers), (visible / scaling.targetBacklogPerWorker).rounded(.up))
        let desired = max(service.spec.minWorkers, Int(wanted))
        if desired > service.desired {
            if let last = service.lastScaleOut, now - last < scaling.scaleOutCooldown { return }
            containers.services[s].desired = desired
            containers.services[s].lastScaleOut = now
            while containers.services[s].tasks < desired { launchWorker(service: s, ready: false, events: &events) }
        } else if desired < service.desired {
            let activity = [service.lastScaleOut, service.lastScaleIn].compactMap { $0 }.max()
            if let activity, now - activity < scaling.scaleInCooldown { return }
            containers.services[s].desired = desired
            containers.services[s].lastScaleIn = now
            shedSurplus(service: s)
        }
    }

    /// Scale-in: stops surplus tasks still starting, then idle ones (newest first); busy ones
    /// stop when they have finished their batch.
    private func shedSurplus(service s: Int) {
        for state in [WorkerState.starting, .waiting] {
            for w in containers.workers.indices.reversed()
            where containers.services[s].tasks > containers.services[s].desired {
                if containers.workers[w].service == Int32(s), containers.workers[w].state == state { stopWorker(w) }
            }
        }
    }

    // MARK: Polling

    /// A worker polls: it stops if the service has too many tasks, handles what it receives,
    /// or waits in a long poll.
    private func pollWorker(_ w: Int, events: inout EventList<WorldEvent>) {
        let s = Int(containers.workers[w].service)
        if containers.services[s].tasks > containers.services[s].desired {
            stopWorker(w)
            return
        }
        let q = Int(containers.services[s].queue)
        // Swapped out so that no access to `containers` is held open during the receive.
        var batch: [Receipt] = []
        swap(&batch, &containers.workers[w].batch)
        let received = receive(queue: q, limit: containers.services[s].spec.batchSize, into: &batch, events: &events)
        swap(&batch, &containers.workers[w].batch)
        if received > 0 {
            startBatch(w, events: &events)
            return
        }
        if containers.workers[w].waitDeadline <= now {
            containers.workers[w].waitDeadline = now + spec.assumptions.longPollWait
        }
        containers.workers[w].state = .waiting
        containers.workers[w].generation &+= 1
        let deadline = containers.workers[w].waitDeadline > now ? containers.workers[w].waitDeadline : now + Self.shortPollPause
        events.schedule(.workerTimer(worker: Int32(w), generation: containers.workers[w].generation), at: deadline)
        if !containers.workers[w].isListed {
            containers.workers[w].isListed = true
            containers.waiting[q].append(Int32(w))
        }
    }

    /// Messages became receivable: hand them to workers waiting on the queue, in order.
    func wakeWaitingWorkers(queue q: Int, events: inout EventList<WorldEvent>) {
        while queues[q].hasReceivable, let next = containers.waiting[q].popFirst() {
            let w = Int(next)
            containers.workers[w].isListed = false
            guard containers.workers[w].state == .waiting else { continue }
            pollWorker(w, events: &events)
        }
    }

    /// A worker's timer: its start-up ended, its long poll ran out, or its current message's
    /// work or downstream call ended.
    func workerTimer(_ w: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard containers.workers[w].generation == generation else { return }
        switch containers.workers[w].state {
        case .starting:
            traceWorker(.workerReady, service: Int(containers.workers[w].service), at: now)
            containers.workers[w].state = .waiting
            containers.workers[w].waitDeadline = now + spec.assumptions.longPollWait
            pollWorker(w, events: &events)
        case .waiting:
            // The long poll returns empty: a billed request.
            recordSQSRequest(queue: Int(containers.services[Int(containers.workers[w].service)].queue), bytes: 0)
            containers.workers[w].waitDeadline = now + spec.assumptions.longPollWait
            pollWorker(w, events: &events)
        case .processing:
            workerStep(w, events: &events)
        case .stopped:
            break
        }
    }

    // MARK: Processing

    private func startBatch(_ w: Int, events: inout EventList<WorldEvent>) {
        let s = Int(containers.workers[w].service)
        containers.workers[w].state = .processing
        containers.workers[w].generation &+= 1
        containers.workers[w].next = 0
        containers.workers[w].calling = false
        containers.workers[w].keys.removeAll(keepingCapacity: true)
        containers.workers[w].attempts.removeAll(keepingCapacity: true)
        for i in containers.workers[w].batch.indices {
            let id = containers.workers[w].batch[i].message
            containers.workers[w].keys.append(messages[id].randomKey)
            containers.workers[w].attempts.append(messages[id].receiveCount)
        }
        containers.services[s].busy += 1
        containers.services[s].metrics.busy.add(1, at: now)
        containers.busyTotal.add(1, at: now)
        let overhead = containers.services[s].spec.duration.sample(containers.services[s].durationStream)
        scheduleWorker(w, at: now + overhead + workerWork(w, 0), events: &events)
    }

    /// Handler time of batch message `i`, from the message's own key.
    private func workerWork(_ w: Int, _ i: Int) -> SimTime {
        let s = Int(containers.workers[w].service)
        return streams.sample(containers.services[s].spec.perMessage, key: containers.workers[w].keys[i],
                              attempt: containers.workers[w].attempts[i], purpose: .work)
    }

    private func scheduleWorker(_ w: Int, at time: SimTime, events: inout EventList<WorldEvent>) {
        events.schedule(.workerTimer(worker: Int32(w), generation: containers.workers[w].generation), at: time)
    }

    /// The current message's work or downstream call ended.
    private func workerStep(_ w: Int, events: inout EventList<WorldEvent>) {
        let s = Int(containers.workers[w].service)
        let i = containers.workers[w].next
        let d = Int(containers.services[s].downstream)
        if containers.workers[w].calling {
            endDownstreamCall(containers.workers[w].call)
            containers.workers[w].call = DownstreamCall()
            containers.workers[w].calling = false
            finishWorkerMessage(w, i, events: &events)
        } else if d >= 0 {
            let receipt = containers.workers[w].batch[i]
            if let call = startDownstreamCall(d, group: Int(receipt.group), tenant: messages[receipt.message].tenant, now: now) {
                containers.workers[w].call = call
                containers.workers[w].calling = true
                let latency = streams.sample(downstreams[d].spec.latency, key: containers.workers[w].keys[i],
                                             attempt: containers.workers[w].attempts[i], purpose: .downstreamLatency)
                scheduleWorker(w, at: now + latency, events: &events)
                return
            }
            // Refused: the message is left to return through its visibility timeout.
            if receipt.measured { metrics.groups[Int(receipt.group)].downstreamViolations += 1 }
            if isMeasured(now) { containers.services[s].metrics.downstreamViolations += 1 }
        } else {
            finishWorkerMessage(w, i, events: &events)
        }
        // `finishWorkerMessage` may have woken other workers, never this one (it is busy).
        let next = i + 1
        containers.workers[w].next = next
        if next < containers.workers[w].batch.count {
            scheduleWorker(w, at: now + workerWork(w, next), events: &events)
            return
        }
        containers.services[s].busy -= 1
        containers.services[s].metrics.busy.add(-1, at: now)
        containers.busyTotal.add(-1, at: now)
        containers.workers[w].batch.removeAll(keepingCapacity: true)
        containers.workers[w].state = .waiting
        containers.workers[w].generation &+= 1
        containers.workers[w].waitDeadline = now + spec.assumptions.longPollWait
        pollWorker(w, events: &events)
    }

    /// A message handled successfully: deleted, then done or sent on.
    private func finishWorkerMessage(_ w: Int, _ i: Int, events: inout EventList<WorldEvent>) {
        let s = Int(containers.workers[w].service)
        let receipt = containers.workers[w].batch[i]
        let id = receipt.message
        let message = messages[id]
        recordSQSRequest(queue: Int(containers.services[s].queue), bytes: 0)
        guard delete(receipt, events: &events) else {
            // A stale receipt: the visibility timeout expired during the work, so this was a
            // duplicate processing and the delete deletes nothing.
            if receipt.measured { metrics.groups[Int(receipt.group)].duplicates += 1 }
            return
        }
        if message.isDuplicate {
            if message.measured { metrics.groups[Int(message.group)].duplicates += 1 }
            releaseMessage(id)
            return
        }
        let output = containers.services[s].outputQueue
        if output >= 0 {
            trace(.forwarded, message: id, at: now)
            recordSQSRequest(queue: Int(output), bytes: Int(message.size))
            forward(id, into: output, events: &events)
            return
        }
        let g = Int(message.group)
        let latency = now - message.sentAt
        activity.groups[g].succeeded += 1
        activity.latencies.record(latency, in: g)
        if message.measured {
            metrics.groups[g].succeeded += 1
            metrics.groups[g].latency.record(latency)
            containers.services[s].metrics.succeeded += 1
            containers.services[s].metrics.latency.record(latency)
            if message.tenant >= 0 { recordTenantSuccess(message.tenant, latency: latency) }
        }
        releaseMessage(id)
    }

    // MARK: Statistics

    /// The warm-up is over: time-weighted averages restart from the current state.
    func restartContainerMeasuring(at now: SimTime) {
        guard !containers.isEmpty else { return }
        for s in containers.services.indices {
            containers.services[s].metrics.busy = TimeWeightedAverage(initialValue: Double(containers.services[s].busy), at: now)
            containers.services[s].metrics.tasks = TimeWeightedAverage(initialValue: Double(containers.services[s].tasks), at: now)
        }
        containers.busyTotal = TimeWeightedAverage(initialValue: containers.busyTotal.value, at: now)
        containers.tasksTotal = TimeWeightedAverage(initialValue: containers.tasksTotal.value, at: now)
    }

    /// Task-seconds a service is billed for over the run: stopped tasks as billed, running
    /// ones up to `end`.
    func billedTaskSeconds(service s: Int, at end: SimTime) -> Int64 {
        var seconds = containers.services[s].billedSeconds
        for worker in containers.workers where worker.service == Int32(s) && worker.state != .stopped {
            seconds += Self.billedSeconds(end - worker.launchedAt)
        }
        return seconds
    }

    /// A service's Fargate cost over the run.
    func containerCost(service s: Int, at end: SimTime) -> Double {
        let service = containers.services[s].spec
        let perSecond = (service.vcpu * spec.prices.fargateVCPUHour + service.memoryGB * spec.prices.fargateGBHour) / 3_600
        return Double(billedTaskSeconds(service: s, at: end)) * perSecond
    }

    /// The container services' scopes, and their cost together.
    func containerScopes(at end: SimTime, window: SimTime) -> (scopes: [ScopeSummary], cost: Double) {
        var scopes: [ScopeSummary] = []
        var total = 0.0
        for (s, service) in containers.services.enumerated() {
            let m = service.metrics
            var busy = m.busy
            busy.update(to: Double(service.busy), at: end)
            var tasks = m.tasks
            tasks.update(to: Double(service.tasks), at: end)
            let cost = containerCost(service: s, at: end)
            total += cost
            var values: [Metric: Double] = [
                .succeeded: Double(m.succeeded),
                .throughput: Double(m.succeeded) / window.seconds,
                .downstreamViolations: Double(m.downstreamViolations),
                .concurrencyPeak: busy.max,
                .workersPeak: tasks.max,
                .costUSD: cost,
            ]
            values[.concurrencyMean] = busy.mean(until: end)
            values[.workersMean] = tasks.mean(until: end)
            values[.costPerMillion] = m.succeeded > 0 ? cost / Double(m.succeeded) * 1e6 : nil
            values[.latencyMean] = m.latency.meanSeconds
            values[.latencyP50] = m.latency.p50?.seconds
            values[.latencyP90] = m.latency.p90?.seconds
            values[.latencyP99] = m.latency.p99?.seconds
            values[.latencyP999] = m.latency.p999?.seconds
            values[.latencyMax] = m.latency.max?.seconds
            scopes.append(ScopeSummary(scope: service.spec.name, kind: .container, values: values,
                                       latencyQuantiles: ScopeSummary.quantiles(m.latency)))
        }
        return (scopes, total)
    }

    /// `all` with container services: throughput counts their successes too, concurrency
    /// adds busy workers (the peak adds the two peaks when a pipeline has both functions and
    /// services: an upper bound), and the tasks.
    func mergeContainerTotals(into values: inout [Metric: Double], at end: SimTime, window: SimTime) {
        guard !containers.isEmpty else { return }
        let succeeded = containers.services.reduce(0) { $0 + $1.metrics.succeeded }
        values[.throughput] = (values[.throughput] ?? 0) + Double(succeeded) / window.seconds
        var busy = containers.busyTotal
        busy.update(to: busy.value, at: end)
        var tasks = containers.tasksTotal
        tasks.update(to: tasks.value, at: end)
        values[.concurrencyMean] = (values[.concurrencyMean] ?? 0) + (busy.mean(until: end) ?? 0)
        values[.concurrencyPeak] = (values[.concurrencyPeak] ?? 0) + busy.max
        values[.workersMean] = tasks.mean(until: end)
        values[.workersPeak] = tasks.max
    }

    /// Records a task's step when tracing: the entity is the service, the count its tasks.
    private func traceWorker(_ kind: TraceRecord.Kind, service s: Int, at time: SimTime) {
        guard tracing else { return }
        traceLog.append(TraceRecord(time: time, kind: kind, message: -1, entity: containers.services[s].spec.name,
                                    count: containers.services[s].tasks))
    }
}
