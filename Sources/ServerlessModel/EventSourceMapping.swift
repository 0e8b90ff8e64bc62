import SimCore

/// An event source mapping: Lambda's pollers reading an SQS queue and invoking a function.
///
/// The mapping runs a number of concurrent batch loops ("pollers"). Each loop long-polls the
/// queue, gathers a batch (up to the batch size, or until the batching window closes),
/// invokes the function synchronously, deletes what succeeded, and polls again.
///
/// Scaling follows AWS's documentation where it gives numbers: 5 concurrent batches at the
/// start, up to 300 more per minute while messages remain, at most 1,250 (or the mapping's
/// maximum concurrency, at which it stops reading and so never over-pulls). What it does not
/// document are named ``ModelAssumptions`` calibrated on published measurements
/// (docs/CALIBRATION.md): the ramp depends on what the mapping sees, at the full rate for
/// invocations of `rampFullSpeedDuration` or longer and at √(duration / it) of it for shorter
/// ones; a poller whose long poll comes back empty retires while the mapping is above its
/// minimum; each throttled invoke lowers the mapping's target by a step, each failed batch by
/// a share of it (`errorBackoffShare`: the ramp's additive increase against a multiplicative
/// decrease, which settles where the target is about √(ramp / (share × failures per
/// invocation)), as a TCP window does under loss), both hold the ramp for `backoffHold`, and a
/// poller whose batch failed pauses `errorPause`.
///
/// A poller's cycle takes time between its invocations (`receiveTime`, `invokeLatency`,
/// `deleteTime`): in the messages' latency, not in the function's concurrency.
///
/// A throttled batch stays in flight: its poller retries the invoke with exponential back-off
/// and gives the messages up only when their visibility timeout has expired — then they are
/// visible again with their receive count raised. This is how reserved concurrency below the
/// poller count dead-letters messages whose function never failed ("over-pull").
struct EventSourceMapping {
    let spec: TriggerSpec
    let function: Int32
    let queue: Int32
    /// The most pollers (batch loops) this mapping may run.
    let cap: Int
    /// The fewest it keeps when idle or backing off.
    let floor: Int
    /// Provisioned mode's minimum pollers (each up to ``ProvisionedPollers/invokesPerPoller``
    /// batch loops), always billed; 0 in the standard mode.
    let provisionedMinimum: Int
    /// The number of pollers the mapping wants; fractional while it ramps.
    var target: Double
    /// Pollers not retired.
    var active = 0
    /// Batch loops a code update started beside old-code invocations still running (and added
    /// to `target`): each such invocation that ends takes one back.
    var overshoot = 0
    /// Whether the scaling clock's next tick is on the event list (see `mappingScale`).
    var clockRunning = false
    /// No pollers are added before this: the hold after a failed or throttled batch.
    var heldUntil: SimTime = .zero
    /// The pollers as AWS counts them (``Metric/pollersMean``): batch loops in the standard
    /// mode, event poller units in the provisioned mode (a unit per 10 loops, the minimum at least).
    var reportedPollers = 0
    /// Provisioned mode: when each unit above the minimum started, latest last (billed per
    /// second with a one-minute minimum when it stops).
    var unitsStarted: [SimTime] = []
    /// Provisioned mode: unit-seconds billed for the units above the minimum that stopped.
    var unitSeconds = 0.0

    var isProvisioned: Bool { provisionedMinimum > 0 }
    /// The mean time its invocations take, as the mapping sees them (invoke to response),
    /// smoothed over about the last 16; nil before the first returns.
    var invocationSeconds: Double?

    /// Folds one invocation's time into ``invocationSeconds``.
    mutating func saw(invocationSeconds seconds: Double) {
        invocationSeconds = invocationSeconds.map { $0 + (seconds - $0) / 16 } ?? seconds
    }
}

/// What a poller is doing.
enum PollerState: UInt8 {
    /// In a long poll, waiting for a message.
    case waiting
    /// Holding part of a batch until it is full or the batching window closes.
    case gathering
    /// Its batch is complete: ReceiveMessage's response and Lambda's invoke path are under
    /// way (`receiveTime`, `invokeLatency`); no concurrency is held yet.
    case handingOff
    /// An invocation of its batch is running.
    case invoking
    /// Its invoke was throttled; it retries after a back-off.
    case throttled
    /// Its batch succeeded: DeleteMessageBatch is under way (`deleteTime`).
    case deleting
    /// Its batch failed: it waits `errorPause` before it receives again.
    case pausing
    /// Stopped; the slot can be reused by a new poller.
    case retired
}

/// One concurrent batch loop of a mapping.
///
/// A poller is 128 bytes, two cache lines (its store starts on a line, see ``EntityStore``),
/// and everything an invocation's steps read (generation, state, mapping and the
/// ``Invocation``, which holds the batch's size and the id of the message whose call is
/// next, so that a step reads the batch's receipts only in a batch of several) is in the first. Each step comes after the poller has left the
/// first-level cache (about 90 ms of simulated time, hundreds of events, pass between the
/// steps of one invocation), so each line it reads is a miss: at 152 bytes, in no particular
/// order, a step read three or four (Benchmarks/PROFILE.md, fifth round). A test keeps the
/// layout.
struct Poller {
    // The first cache line: what the steps of an invocation read.
    /// Bumped whenever the poller changes state: a timer of an older generation is stale.
    var generation: UInt32 = 0
    var mapping: Int32
    /// The receipts of the batch being gathered or invoked after its first (``firstReceipt``).
    var laterReceipts: [Receipt] = []
    /// The invocation in progress, while `state == .invoking`.
    var invocation = Invocation()
    var state: PollerState = .waiting

    // The second line: long polls, throttles and timers.
    /// The queue whose waiting list holds it, or -1. An entry of a queue that is not this
    /// one (left behind by a retired poller whose slot was reused) is stale and skipped.
    var listedQueue: Int32 = -1
    /// Counts timer events scheduled: an event carrying an older count was replaced.
    var timerEvent: UInt32 = 0
    /// When the current long poll returns empty.
    var waitDeadline: SimTime = .zero
    /// The time of this poller's pending timer event, or `.never`.
    var timerEventAt: SimTime = .never
    /// The timer set last, until it goes off (stale once `generation` moved on).
    var timer: PollerTimer?
    /// Consecutive throttles of the current batch, for the back-off (counted up to the
    /// largest exponent it uses).
    var throttles: UInt8 = 0
    /// The batch's first receipt, nil while the batch is empty. Kept in the poller, on the line
    /// the poll cycle writes anyway, so that a batch of one (the default batch size) is
    /// received, invoked and deleted with no buffer to wait for (Benchmarks/PROFILE.md, twelfth
    /// round). The fields end at byte 126: the stride is two whole lines.
    var firstReceipt: Receipt?
}

/// A poller's batch, in receive order: ``Poller/firstReceipt``, then ``Poller/laterReceipts``.
/// The reads are inlined: a call copies the whole poller (and retains its buffer) to read it.
extension Poller: ReceiptSink {
    @inline(__always)
    var batchIsEmpty: Bool { firstReceipt == nil }
    @inline(__always)
    var batchCount: Int { firstReceipt == nil ? 0 : 1 + laterReceipts.count }

    /// Receipt `i` of the batch (`i < batchCount`).
    @inline(__always)
    func receipt(_ i: Int) -> Receipt {
        if i > 0 { return laterReceipts[i - 1] }
        guard let first = firstReceipt else { preconditionFailure("the first receipt of an empty batch") }
        return first
    }

    /// How many of the batch's receipts `test` picks.
    @inline(__always)
    func batchCount(where test: (Receipt) -> Bool) -> Int {
        guard let first = firstReceipt else { return 0 }
        return (test(first) ? 1 : 0) + laterReceipts.count(where: test)
    }

    /// The handler reported receipt `i`'s message as failed (ReportBatchItemFailures).
    mutating func reportFailed(_ i: Int) {
        if i > 0 { laterReceipts[i - 1].reportedFailed = true } else { firstReceipt?.reportedFailed = true }
    }

    mutating func append(_ receipt: Receipt) {
        if firstReceipt == nil { firstReceipt = receipt } else { laterReceipts.append(receipt) }
    }

    /// Removes the receipts `test` picks; the others keep their order.
    mutating func removeReceipts(where test: (Receipt) -> Bool) {
        guard let first = firstReceipt else { return }
        laterReceipts.removeAll(where: test)
        if test(first) { firstReceipt = laterReceipts.isEmpty ? nil : laterReceipts.removeFirst() }
    }

    /// Empties the batch, keeping the buffer of later receipts for the next.
    @inline(__always)
    mutating func emptyBatch() {
        firstReceipt = nil
        // Emptied from the end: removeAll(keepingCapacity:) runs Array's generic
        // replaceSubrange, which showed in profiles at one call per invocation.
        while laterReceipts.popLast() != nil {}
    }
}

/// A poller's timer: when it goes off, its reserved place among simultaneous events, and
/// the poller's generation when it was set.
struct PollerTimer {
    var at: SimTime
    var sequence: UInt64
    var generation: UInt32
}

extension World {
    // MARK: Scaling

    /// Starts a mapping's first pollers and its scaling clock.
    func startMapping(_ m: Int, events: inout EventList<WorldEvent>) {
        let initial = mappings[m].isProvisioned ? mappings[m].floor : min(spec.assumptions.pollerStart, mappings[m].cap)
        mappings[m].target = Double(initial)
        queues[Int(mappings[m].queue)].readers.append(Int32(m))
        for _ in 0..<initial { startPoller(mapping: m, events: &events) }
        mappings[m].clockRunning = true
        events.schedule(.mappingScale(mapping: MappingID(m)), after: spec.assumptions.scalingInterval)
    }

    /// The scaling clock: while messages are waiting, add pollers at the documented pace.
    ///
    /// The clock ticks every `scalingInterval` (at whole multiples of it from the start) only
    /// while its queue has receivable messages: a tick that finds none stops it, and the
    /// queue restarts it (``wakeScalingClocks(queue:events:)``) when messages become
    /// receivable again, at the next multiple of the interval, where the tick would have
    /// been. An idle mapping used to tick every second for nothing: with thousands of
    /// pipelines those ticks were most of the event list's work (Benchmarks/PROFILE.md).
    func mappingScale(_ m: Int, events: inout EventList<WorldEvent>) {
        let q = Int(mappings[m].queue)
        guard queues[q].hasReceivable else {
            mappings[m].clockRunning = false
            queues[q].stoppedClocks += 1
            return
        }
        if mappings[m].target < Double(mappings[m].cap), events.now >= mappings[m].heldUntil {
            let assumptions = spec.assumptions
            let perMinute = mappings[m].isProvisioned ? Double(assumptions.provisionedScaleUpPerMinute)
                : Double(assumptions.pollerScaleUpPerMinute) * assumptions.rampShare(invocationSeconds: mappings[m].invocationSeconds)
            let perInterval = perMinute * assumptions.scalingInterval.seconds / 60
            mappings[m].target = min(Double(mappings[m].cap), mappings[m].target + perInterval)
            while Double(mappings[m].active) + 1 <= mappings[m].target + 1e-9 {
                startPoller(mapping: m, events: &events)
            }
        }
        events.schedule(.mappingScale(mapping: MappingID(m)), after: spec.assumptions.scalingInterval)
    }

    /// Restarts the stopped scaling clocks of the mappings reading queue `q`, which has
    /// receivable messages again: the next tick is at the next multiple of the interval (now,
    /// if now is one; it then runs after the current event).
    func wakeScalingClocks(queue q: Int, events: inout EventList<WorldEvent>) {
        let interval = spec.assumptions.scalingInterval.nanoseconds
        queues[q].stoppedClocks = 0
        for m in queues[q].readers where !mappings[Int(m)].clockRunning {
            mappings[Int(m)].clockRunning = true
            let ticks = max(1, (events.now.nanoseconds + interval - 1) / interval)
            events.schedule(.mappingScale(mapping: MappingID(Int(m))), at: SimTime(nanoseconds: ticks * interval))
        }
    }

    /// Lowers a mapping's target by `step` pollers (never below its minimum); surplus pollers
    /// retire as they next poll.
    func backOff(mapping m: Int, by step: Int) {
        mappings[m].target = max(Double(mappings[m].floor), mappings[m].target - Double(step))
    }

    /// Lowers a mapping's target by `share` of it (never below its minimum): a multiplicative
    /// decrease, so that the more pollers a mapping runs, the more each failure costs it.
    func backOff(mapping m: Int, share: Double) {
        mappings[m].target = max(Double(mappings[m].floor), mappings[m].target * (1 - share))
    }

    /// A failed or throttled batch: the mapping adds no pollers for `backoffHold`.
    func hold(mapping m: Int, now: SimTime) {
        mappings[m].heldUntil = max(mappings[m].heldUntil, now + spec.assumptions.backoffHold)
    }

    private func startPoller(mapping m: Int, events: inout EventList<WorldEvent>) {
        let p: Int
        if let slot = freePollers.popLast() {
            p = Int(slot.index)
            pollers[p].mapping = Int32(m)
            pollers[p].state = .waiting
            pollers[p].generation &+= 1
            pollers[p].emptyBatch()
            pollers[p].throttles = 0
        } else {
            pollers.append(Poller(mapping: Int32(m)))
            p = pollers.count - 1
        }
        changePollers(mapping: m, by: 1, now: events.now)
        pollers[p].waitDeadline = events.now + spec.assumptions.longPollWait
        poll(p, events: &events)
    }

    private func retire(_ p: Int, now: SimTime) {
        let m = Int(pollers[p].mapping)
        changePollers(mapping: m, by: -1, now: now)
        pollers[p].state = .retired
        pollers[p].listedQueue = -1
        pollers[p].generation &+= 1
        freePollers.append(PollerID(p))
    }

    private func changePollers(mapping m: Int, by delta: Int, now: SimTime) {
        mappings[m].active += delta
        let minimum = mappings[m].provisionedMinimum
        let reported = mappings[m].isProvisioned
            ? max(minimum, (mappings[m].active + ProvisionedPollers.invokesPerPoller - 1) / ProvisionedPollers.invokesPerPoller)
            : mappings[m].active
        let before = mappings[m].reportedPollers
        guard reported != before else { return }
        if mappings[m].isProvisioned {
            // Units above the minimum start and stop; the minimum is billed for the whole run.
            let (from, to) = (max(before, minimum), max(reported, minimum))
            if to > from {
                for _ in from..<to { mappings[m].unitsStarted.append(now) }
            } else if from > to {
                for _ in to..<from {
                    if let started = mappings[m].unitsStarted.popLast() { mappings[m].unitSeconds += Self.billedUnitSeconds(now - started) }
                }
            }
        }
        mappings[m].reportedPollers = reported
        activePollers += reported - before
        let f = Int(mappings[m].function)
        metrics.functions[f].pollers.update(to: Double(reported), at: now)
        if activePollers > metrics.overallPollersPeak { metrics.overallPollersPeak = activePollers }
    }

    /// An event poller unit is billed per second, with a one-minute minimum.
    static func billedUnitSeconds(_ span: SimTime) -> Double {
        max(60, (Double(span.nanoseconds) / 1e9).rounded(.up))
    }

    /// The event poller unit-seconds a provisioned mapping is billed for until `end`: the
    /// minimum for the whole run, and each unit above it while it ran.
    func eventPollerUnitSeconds(mapping m: Int, until end: SimTime) -> Double {
        guard mappings[m].isProvisioned else { return 0 }
        let open = mappings[m].unitsStarted.reduce(0) { $0 + Self.billedUnitSeconds(end - $1) }
        return Double(mappings[m].provisionedMinimum) * Self.billedUnitSeconds(end) + mappings[m].unitSeconds + open
    }

    // MARK: Code updates

    /// A code update of function `f`: of its mapping's pollers running an invocation,
    /// `deploymentOvershootShare` (rounded to the nearest whole poller) leave it to finish on
    /// the old code, and as many new batch loops start now, whose invocations go to new
    /// environments. Until the old invocations end, the function runs them and the new ones:
    /// concurrency above the mapping's maximum, and throttles where it reaches the function's
    /// reserved or the account's unreserved concurrency (rehanvdm.com, 2026: see
    /// docs/SCENARIO-REFERENCE.md, "deployments").
    ///
    /// The new loops are started within the mapping's target, raised by as many; each old-code
    /// invocation that ends lowers it again by one (``oldCodeInvocationEnded(mapping:)``) until
    /// it is back, so the overshoot lasts as long as the first old invocations to end take, and
    /// the loops that retire (the first to receive with an empty batch) are theirs. Nothing of
    /// this is on a plain run's path: finishing an old environment is a branch of its own.
    func startDeploymentOvershoot(function f: Int, events: inout EventList<WorldEvent>) {
        let share = spec.assumptions.deploymentOvershootShare
        guard share > 0 else { return }
        var invoking = [Int](repeating: 0, count: mappings.count)
        for p in pollers.indices where pollers[p].state == .invoking { invoking[Int(pollers[p].mapping)] += 1 }
        for m in mappings.indices where mappings[m].function == Int32(f) {
            let detached = Int((share * Double(invoking[m])).rounded())
            guard detached > 0 else { continue }
            mappings[m].target += Double(detached)
            mappings[m].overshoot += detached
            for _ in 0..<detached { startPoller(mapping: m, events: &events) }
        }
    }

    /// One of a mapping's invocations of code a deployment replaced has ended: while the
    /// mapping runs loops a deployment added, one fewer (the first to receive with an empty
    /// batch retires).
    func oldCodeInvocationEnded(mapping m: Int) {
        guard mappings[m].overshoot > 0 else { return }
        mappings[m].overshoot -= 1
        backOff(mapping: m, by: 1)
    }

    // MARK: Polling

    /// ReceiveMessage in a loop: take what is visible, invoke when the batch is ready, or
    /// wait in a long poll.
    func poll(_ p: Int, events: inout EventList<WorldEvent>) {
        let m = Int(pollers[p].mapping)
        if pollers[p].batchIsEmpty, Double(mappings[m].active) > mappings[m].target + 1e-9 {
            retire(p, now: events.now)
            return
        }
        // Two fields, not a copy of the trigger spec (which would retain its strings).
        let batchSize = mappings[m].spec.batchSize
        let batchingWindow = mappings[m].spec.batchingWindow
        let q = Int(mappings[m].queue)
        let room = min(10, batchSize - pollers[p].batchCount)
        let wasEmpty = pollers[p].batchIsEmpty
        // A FIFO queue's quota may refuse the ReceiveMessage (FifoThroughput.swift); a FIFO
        // mapping's batch is empty here (batch size 10 at most, no batching window).
        if queues[q].isFIFO, wasEmpty, let wait = fifoReceiveWait(queue: q, at: events.now) {
            countSQSThrottle(poller: p, now: events.now)
            spend(wait, in: .pausing, poller: p, events: &events)
            return
        }
        // Received straight into the poller's batch: a receive never touches `pollers`, and
        // an EntityStore element stays where it is while nothing is appended to the store.
        // The messages are the poller's from now; they reach it when the response does.
        _ = pollerReceive(queue: q, limit: room, into: &pollers[p], responseTime: spec.assumptions.receiveTime,
                          events: &events)
        if pollers[p].batchCount >= batchSize
            || (!pollers[p].batchIsEmpty && batchingWindow == .zero) {
            handOff(p, after: spec.assumptions.receiveTime + spec.assumptions.invokeLatency, events: &events)
            return
        }
        if queues[q].hasReceivable, pollers[p].batchCount < batchSize, !pollers[p].batchIsEmpty {
            // More is visible than one receive returns (10 at most): receive again at once.
            poll(p, events: &events)
            return
        }
        if pollers[p].batchIsEmpty {
            // A long poll: it returns at its deadline unless a message arrives first.
            if pollers[p].waitDeadline <= events.now { pollers[p].waitDeadline = events.now + spec.assumptions.longPollWait }
            pollers[p].state = .waiting
            pollers[p].generation &+= 1
            setTimer(poller: p, at: pollers[p].waitDeadline, events: &events)
        } else if pollers[p].state != .gathering {
            // The batching window opens with the first message (received now, by this call or
            // by the one that received again at once).
            pollers[p].state = .gathering
            pollers[p].generation &+= 1
            setTimer(poller: p, at: events.now + batchingWindow, events: &events)
        }
        if pollers[p].listedQueue != Int32(q) {
            pollers[p].listedQueue = Int32(q)
            queues[q].waiting.append(PollerID(p))
        }
    }

    /// Messages became receivable: hand them to pollers waiting on the queue, in order.
    func wakeWaitingPollers(queue q: Int, events: inout EventList<WorldEvent>) {
        // Each poller waiting now is woken at most once per call: one that finds nothing it
        // may take lists itself again, which must not loop.
        var budget = queues[q].waiting.count
        while budget > 0, queues[q].hasReceivable, let next = queues[q].waiting.popFirst() {
            budget -= 1
            let p = Int(next.index)
            guard pollers[p].listedQueue == Int32(q) else { continue }
            pollers[p].listedQueue = -1
            guard pollers[p].state == .waiting || pollers[p].state == .gathering else { continue }
            poll(p, events: &events)
        }
        // Container workers wait in lists of their own (ContainerService.swift).
        if !containers.isEmpty { wakeWaitingWorkers(queue: q, events: &events) }
        // Every change that can make messages receivable (a send, a return, a delete under the
        // in-flight limit, a FIFO group unlocking) ends here: messages left receivable need
        // the mappings' scaling clocks.
        if queues[q].stoppedClocks > 0, queues[q].hasReceivable { wakeScalingClocks(queue: q, events: &events) }
    }

    // MARK: Timers

    /// Sets a poller's timer (long poll, batching window or throttle back-off), replacing any
    /// earlier one.
    ///
    /// A poller sets a timer each time it starts waiting, and most are overtaken: a message
    /// wakes the poller long before its 20-second long poll ends. One event per timer would
    /// leave about one stale event per message on the event list. Instead a poller has at
    /// most one event pending (`timerEventAt`); a timer due later than it is passed on when
    /// that event goes off, with the sequence number reserved when the timer was set, so the
    /// timer runs exactly where its own event would have.
    private func setTimer(poller p: Int, at time: SimTime, events: inout EventList<WorldEvent>) {
        let timer = PollerTimer(at: time, sequence: events.reserveSequence(), generation: pollers[p].generation)
        pollers[p].timer = timer
        if pollers[p].timerEventAt <= time { return }
        scheduleTimerEvent(poller: p, for: timer, events: &events)
    }

    private func scheduleTimerEvent(poller p: Int, for timer: PollerTimer, events: inout EventList<WorldEvent>) {
        pollers[p].timerEvent &+= 1
        pollers[p].timerEventAt = timer.at
        events.schedule(.pollerTimer(poller: PollerID(p), event: pollers[p].timerEvent), at: timer.at, sequence: timer.sequence)
    }

    /// A poller's timer event: its timer is due, or is passed on to a later event.
    func pollerTimerEvent(_ p: Int, event: UInt32, events: inout EventList<WorldEvent>) {
        // An event replaced by an earlier one (a timer set sooner than the pending event).
        guard pollers[p].timerEvent == event else { return }
        pollers[p].timerEventAt = .never
        // A timer set before the poller last changed state is stale, as before.
        guard let timer = pollers[p].timer, timer.generation == pollers[p].generation else {
            pollers[p].timer = nil
            return
        }
        guard timer.sequence == events.sequence else {
            scheduleTimerEvent(poller: p, for: timer, events: &events)
            return
        }
        pollers[p].timer = nil
        pollerTimer(p, events: &events)
    }

    /// A poller's timer: a long poll ran out, a batching window closed, or a throttle
    /// back-off ended.
    private func pollerTimer(_ p: Int, events: inout EventList<WorldEvent>) {
        switch pollers[p].state {
        case .waiting:
            // The long poll returns empty: a billed request, and a hint to scale down.
            let m = Int(pollers[p].mapping)
            recordSQSRequest(queue: Int(mappings[m].queue), bytes: 0)
            if queues[Int(mappings[m].queue)].isFIFO { chargeEmptyReceive(queue: Int(mappings[m].queue), at: events.now) }
            backOff(mapping: m, by: spec.assumptions.scaleDownPerEmptyReceive)
            pollers[p].waitDeadline = events.now + spec.assumptions.longPollWait
            pollers[p].generation &+= 1
            poll(p, events: &events)
        case .gathering:
            // The window closed: the receives that filled it have returned already.
            handOff(p, after: spec.assumptions.invokeLatency, events: &events)
        case .throttled:
            invoke(p, events: &events)
        case .deleting, .pausing:
            endOfStep(p, events: &events)
        case .handingOff, .invoking, .retired:
            break
        }
    }

    /// A step of the poll cycle that takes time: the poller is in `state` for `delay`, then
    /// goes on (``endOfStep(_:events:)``), at once when the delay is zero.
    private func spend(_ delay: SimTime, in state: PollerState, poller p: Int, events: inout EventList<WorldEvent>) {
        pollers[p].state = state
        pollers[p].generation &+= 1
        guard delay > .zero else {
            endOfStep(p, events: &events)
            return
        }
        setTimer(poller: p, at: events.now + delay, events: &events)
    }

    /// The end of a timed step: a delete returns and the poller receives again; a pause after
    /// a failure ends.
    private func endOfStep(_ p: Int, events: inout EventList<WorldEvent>) {
        switch pollers[p].state {
        case .deleting:
            let q = Int(mappings[Int(pollers[p].mapping)].queue)
            if queues[q].isFIFO, let wait = fifoDeleteWait(queue: q, messages: pollers[p].batchCount(where: { !$0.reportedFailed }),
                                                           at: events.now) {
                // Throttled: the messages stay in flight until the call goes through.
                countSQSThrottle(poller: p, now: events.now)
                spend(wait, in: .deleting, poller: p, events: &events)
                return
            }
            deleteSucceeded(p, events: &events)
            pollAgain(p, events: &events)
        case .pausing:
            pollAgain(p, events: &events)
        case .waiting, .gathering, .handingOff, .invoking, .throttled, .retired:
            break
        }
    }

    /// The batch is complete: ReceiveMessage's response and Lambda's invoke path take `delay`
    /// (no concurrency is held meanwhile), then the batch reaches the handler (``invoke(_:events:)``).
    ///
    /// An event of its own rather than a poller timer: every batch is handed off and nothing
    /// overtakes a hand-off, while the timer's one pending event exists for waits that are
    /// mostly overtaken (long polls). It is scheduled where the timer reserved its sequence
    /// number, so it runs exactly where the timer ran (Benchmarks/PROFILE.md, seventh round).
    private func handOff(_ p: Int, after delay: SimTime, events: inout EventList<WorldEvent>) {
        pollers[p].state = .handingOff
        pollers[p].generation &+= 1
        guard delay > .zero else {
            invoke(p, events: &events)
            return
        }
        events.schedule(.handOff(poller: PollerID(p), generation: pollers[p].generation), after: delay)
    }

    /// A hand-off's delay is over: the handler is invoked with the batch.
    func handOffEnded(_ p: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard pollers[p].generation == generation, pollers[p].state == .handingOff else { return }
        invoke(p, events: &events)
    }

    // MARK: Invoking

    /// Invokes the function with the batch, or holds the batch after a throttle.
    func invoke(_ p: Int, events: inout EventList<WorldEvent>) {
        let m = Int(pollers[p].mapping)
        let f = Int(mappings[m].function)
        let now = events.now
        // Messages whose visibility timeout expired while the batch waited are not ours any more.
        if holdsStaleReceipt(p) {
            pollers[p].removeReceipts { messages[$0.message].generation != $0.generation }
        }
        pollers[p].generation &+= 1
        if pollers[p].batchIsEmpty {
            pollers[p].throttles = 0
            pollers[p].state = .waiting
            pollers[p].waitDeadline = now + spec.assumptions.longPollWait
            poll(p, events: &events)
            return
        }
        countAttempt(function: f, poller: p, now: now)
        switch admit(function: f, now: now) {
        case .throttled:
            countThrottle(function: f, poller: p, now: now)
            trace(.throttled, function: f, batch: pollers[p].batchCount, at: now)
            backOff(mapping: m, by: spec.assumptions.throttleBackoff)
            hold(mapping: m, now: now)
            let assumptions = spec.assumptions
            let exponent = min(pollers[p].throttles, 30)
            let delay = min(assumptions.throttleRetryMaximum, assumptions.throttleRetryInitial * (Int64(1) << Int64(exponent)))
            if pollers[p].throttles < 30 { pollers[p].throttles += 1 }
            pollers[p].state = .throttled
            setTimer(poller: p, at: now + delay, events: &events)
        case .warm(let env):
            pollers[p].throttles = 0
            pollers[p].state = .invoking
            startInvocation(poller: p, function: f, environment: env, cold: false, events: &events)
        case .cold(let env):
            pollers[p].throttles = 0
            pollers[p].state = .invoking
            startInvocation(poller: p, function: f, environment: env, cold: true, events: &events)
        }
    }

    /// Whether a message of poller `p`'s batch was received again (by index, not by a closure
    /// over the poller, which would copy it).
    private func holdsStaleReceipt(_ p: Int) -> Bool {
        for i in 0..<pollers[p].batchCount {
            let receipt = pollers[p].receipt(i)
            if messages[receipt.message].generation != receipt.generation { return true }
        }
        return false
    }

    /// The invocation returned: back off after a failure; after a success, delete what
    /// succeeded (DeleteMessageBatch takes `deleteTime`, then the poller receives again).
    func invocationReturned(poller p: Int, failedWhole: Bool, events: inout EventList<WorldEvent>) {
        let mapping = Int(pollers[p].mapping)
        mappings[mapping].saw(invocationSeconds: (events.now - pollers[p].invocation.startedAt).seconds)
        if failedWhole {
            backOff(mapping: mapping, share: spec.assumptions.errorBackoffShare)
            hold(mapping: mapping, now: events.now)
            spend(spec.assumptions.errorPause, in: .pausing, poller: p, events: &events)
            return
        }
        spend(spec.assumptions.deleteTime, in: .deleting, poller: p, events: &events)
    }

    /// The poller's batch is done with: it receives again.
    private func pollAgain(_ p: Int, events: inout EventList<WorldEvent>) {
        pollers[p].emptyBatch()
        pollers[p].state = .waiting
        pollers[p].generation &+= 1
        pollers[p].waitDeadline = events.now + spec.assumptions.longPollWait
        poll(p, events: &events)
    }
}
