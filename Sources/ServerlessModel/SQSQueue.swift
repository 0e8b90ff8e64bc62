import BasicContainers
import DequeModule
import SimCore

/// An SQS queue: visibility timeouts, receive counts, redrive, retention, delay, and the
/// order in which receives find messages (``DeliveryOrder``: plain, fair, FIFO).
///
/// Plain standard queues keep receivable messages in one deque. A message whose visibility timeout
/// expires goes back to the front: it is older than the rest, and SQS's best-effort order
/// delivers older messages first. FIFO queues keep a deque per message group; a group with a
/// message in flight delivers nothing more until that message is deleted or visible again,
/// which is what limits a FIFO pipeline's concurrency to its number of active groups. Fair
/// queues keep a list per tenant and serve quiet tenants first (FairQueue.swift). Everything
/// that depends on the order switches on the queue's `order` in one place per operation:
/// `makeVisible`, `receive`, `deliver`, `leaveFlight`, `removeReceivable`.
///
/// Retention deletes a message at its instant: a queue whose retention is shorter than the
/// run keeps a timer per message in send order (they all have the queue's retention, so they
/// expire in that order) with only the first on the event list, as visibility timers are
/// kept; a queue whose retention outlasts the run (the default of 4 days) keeps none and
/// costs nothing. A message in flight at its instant is deleted when its visibility timeout
/// returns it (it is in flight until then, as SQS's counts show it), and one still in flight
/// when the run ends is counted as expired then.
///
/// The lists every message passes through (`visible`, `waiting`, `visibilityTimers`,
/// `readyGroups`) are non-copyable `UniqueDeque`s, so a queue cannot be copied either: it
/// lives in an ``EntityStore`` and is read and changed in place. A copy-on-write `Deque`
/// checked that its buffer was not shared before every change (a call to
/// `swift_isUniquelyReferenced_nonNull_native`) and appended through a closure; without
/// them a pipeline run takes about 100 instructions fewer per message, 2.4 %
/// (Benchmarks/PROFILE.md, fifth round). FIFO message groups, each with a deque of its own,
/// are in a `UniqueArray` for the same reason.
struct SQSQueue: ~Copyable {
    let spec: QueueSpec
    /// The redrive target, or -1.
    let deadLetter: Int32
    /// Whether some queue redrives into this one (its messages are dead letters).
    var isDeadLetterQueue = false
    /// Whether a trigger or a container service reads this queue: dead letters redriven into
    /// it are receivable like any other message instead of staying (World.swift sets it).
    var isRead = false

    /// How receives choose messages.
    let order: DeliveryOrder
    /// Plain standard queues: receivable messages, oldest (roughly) first.
    var visible = UniqueDeque<MessageID>()
    /// FIFO queues: message groups by slot; static keys first, per-message groups after.
    var fifoGroups = UniqueArray<FifoMessageGroup>()
    /// FIFO queues: groups with a receivable message and nothing in flight.
    var readyGroups = UniqueDeque<Int32>()
    /// FIFO queues: slots of per-message groups that can be reused.
    var freeFifoGroups: [Int32] = []
    /// Fair queues: tenants, quiet and noisy (empty otherwise).
    var fair = FairState()
    /// FIFO queues: the throughput quotas (FifoThroughput.swift); nil for standard queues.
    var throughput: FifoThroughput?

    var visibleCount = 0
    var inFlightCount = 0
    var delayedCount = 0
    /// Messages that reached this queue as dead letters and stay here.
    var deadLetters = 0

    /// Pollers waiting in a long poll (or gathering a batch), first come first served.
    var waiting = UniqueDeque<PollerID>()
    /// The event source mappings reading this queue, whose scaling clocks run only while it
    /// has receivable messages (EventSourceMapping.swift).
    var readers: [Int32] = []
    /// How many of those clocks are stopped (a test on every send, instead of a walk of
    /// `readers`).
    var stoppedClocks = 0
    /// What the pollers' receives `messagesPerReceive` cut short have returned below it so far,
    /// in [0, 1): a fractional mean alternates between the whole numbers around it.
    var receiveCredit = 0.0

    /// The visibility timeouts of received messages, in the order they expire: every
    /// receive starts one, and the timeout is the queue's, so they expire in receive order.
    /// Only the first is on the event list (`visibilityTimerPending`): most messages are
    /// deleted long before their timeout, and one pending event per received message made
    /// the event list as long as the receive rate times the timeout. Each timer keeps the
    /// sequence number its event would have had (``EventList/reserveSequence()``), so
    /// timeouts still run in exactly the order of one event per receive. A message leaving
    /// flight cancels its timer in place; cancelled timers are dropped when they reach the
    /// front.
    var visibilityTimers = UniqueDeque<VisibilityTimer>()
    /// Whether a `visibilityTimeout` event of this queue is on the event list.
    var visibilityTimerPending = false
    /// Visibility timers started on this queue so far (wrapping): the list's first timer is
    /// number `visibilityTimersStarted - visibilityTimers.count`, which locates a message's
    /// timer (``Message/visibilityTimer``) to cancel it when the message leaves flight.
    var visibilityTimersStarted: UInt32 = 0

    /// The retention deadlines of messages sent into the queue, in send order, when they can
    /// come within the run (`expiresDuringRun`); the first is on the event list while
    /// `retentionTimerPending`. A timer whose message has left the queue finds so itself.
    var retentionTimers = UniqueDeque<RetentionTimer>()
    var retentionTimerPending = false
    /// Whether a message sent into the queue can reach its retention before the run ends.
    let expiresDuringRun: Bool

    /// Whether it is a FIFO queue.
    var isFIFO: Bool { order == .fifo }
    /// The spec's in-flight limit, kept beside it for the same reason.
    let inFlightLimit: Int
    /// The spec's `maxReceiveCount`, read by every receive (Int32, as a message's count).
    let maxReceiveCount: Int32

    init(spec: QueueSpec, deadLetter: Int32, runEnd: SimTime) {
        self.spec = spec
        self.deadLetter = deadLetter
        expiresDuringRun = spec.retention < runEnd
        order = spec.kind == .fifo ? .fifo : spec.fair ? .fair : .plain
        inFlightLimit = spec.inFlightLimit
        maxReceiveCount = Int32(clamping: spec.maxReceiveCount)
        throughput = FifoThroughput(spec)
    }

    /// Whether a receive now would return at least one message: something is visible and the
    /// in-flight limit leaves room (at the limit SQS answers OverLimit until a delete).
    var hasReceivable: Bool {
        guard inFlightCount < inFlightLimit else { return false }
        switch order {
        case .plain: return !visible.isEmpty
        case .fair: return visibleCount > 0
        case .fifo: return !readyGroups.isEmpty
        }
    }

    /// Messages queued or in flight (the backlog).
    var backlog: Int { visibleCount + inFlightCount + delayedCount }
}

/// How a queue chooses the messages a receive returns: its delivery policy.
enum DeliveryOrder: UInt8 {
    /// A standard queue: best-effort order, roughly oldest first, returns first.
    case plain
    /// A standard fair queue: the plain order among quiet tenants, whose messages come before
    /// noisy tenants' (FairQueue.swift).
    case fair
    /// A FIFO queue: strict order within a message group, and a group with a message in
    /// flight delivers nothing more.
    case fifo
}

/// A received message's visibility timeout: when it expires, and the event-list position
/// reserved for it.
struct VisibilityTimer {
    var message: MessageID
    /// The message's generation at the receive: the timer is stale once it changed.
    var generation: UInt32
    /// When it expires; `.never` once cancelled (kept in this field rather than a flag of
    /// its own so that a timer stays 24 bytes: a list can hold a whole timeout's receives).
    var expiresAt: SimTime
    var sequence: UInt64

    /// The message left flight (deleted, given back) before the timer expired.
    var isCancelled: Bool { expiresAt == .never }
}

/// When a message sent into a queue reaches the queue's retention.
struct RetentionTimer {
    var message: MessageID
    /// The message's send order and the instant it entered the queue: the timer concerns the
    /// slot only while both still match (the slot is reused once the message has gone).
    var sequence: Int64
    var enqueuedAt: SimTime
}

/// One FIFO message group of a queue; not copyable, as its queue (``SQSQueue``).
struct FifoMessageGroup: ~Copyable {
    /// Receivable messages in send order.
    var messages = UniqueDeque<MessageID>()
    /// Messages of this group in flight; while above zero the group delivers nothing.
    var inFlight: Int32 = 0
    /// Whether the group is in the queue's ready list.
    var isReady = false
    /// A per-message group, freed when empty.
    var isTransient = false
}

extension World {
    // MARK: Sending

    /// A producer, a function's output or a redrive puts a message in a queue.
    /// `wakingPollers: false` leaves waiting pollers to an event the caller schedules (a
    /// redrive in the middle of a receive).
    func enqueue(_ id: MessageID, into queueIndex: Int32, wakingPollers: Bool = true, events: inout EventList<WorldEvent>) {
        let now = events.now
        let delay = queues[Int(queueIndex)].spec.delay
        messages[id].queue = queueIndex
        messages[id].enqueuedAt = now
        messages[id].receiveCount = 0
        messages[id].generation &+= 1
        if queues[Int(queueIndex)].expiresDuringRun { startRetentionTimer(id, queue: Int(queueIndex), events: &events) }
        if delay > .zero {
            messages[id].state = .delayed
            queues[Int(queueIndex)].delayedCount += 1
            events.schedule(.delayElapsed(message: id, generation: messages[id].generation), after: delay)
        } else {
            makeVisible(id, atFront: false)
            if wakingPollers { wakeWaitingPollers(queue: Int(queueIndex), events: &events) }
        }
    }

    // MARK: Retention

    private func startRetentionTimer(_ id: MessageID, queue q: Int, events: inout EventList<WorldEvent>) {
        queues[q].retentionTimers.append(RetentionTimer(message: id, sequence: messages[id].sequence,
                                                        enqueuedAt: messages[id].enqueuedAt))
        if !queues[q].retentionTimerPending {
            queues[q].retentionTimerPending = true
            events.schedule(.retentionDue(queue: QueueID(q)), at: events.now + queues[q].spec.retention)
        }
    }

    /// A queue's retention event: every message whose retention has passed and that is
    /// receivable or delayed is deleted now; the next deadline goes on the event list.
    func retentionDue(queue q: Int, events: inout EventList<WorldEvent>) {
        queues[q].retentionTimerPending = false
        let now = events.now
        let retention = queues[q].spec.retention
        while !queues[q].retentionTimers.isEmpty, queues[q].retentionTimers[0].enqueuedAt + retention <= now {
            let timer = queues[q].retentionTimers.removeFirst()
            let id = timer.message
            let message = messages[id]
            guard Int(message.queue) == q, message.sequence == timer.sequence, message.enqueuedAt == timer.enqueuedAt
            else { continue }
            switch message.state {
            case .visible:
                removeReceivable(id, queue: q)
            case .delayed:
                queues[q].delayedCount -= 1
            case .free, .inFlight, .inJob:
                // In flight: deleted when its visibility timeout returns it; in a job: no
                // longer in the queue.
                continue
            }
            trace(.expired, message: id, at: now)
            expire(id)
        }
        if !queues[q].retentionTimers.isEmpty {
            queues[q].retentionTimerPending = true
            events.schedule(.retentionDue(queue: QueueID(q)), at: queues[q].retentionTimers[0].enqueuedAt + retention)
        }
    }

    /// Takes a receivable message off its queue's lists wherever it is in them (a delete of a
    /// visible message, retention); false if it is not there.
    @discardableResult
    func removeReceivable(_ id: MessageID, queue q: Int) -> Bool {
        switch queues[q].order {
        case .plain:
            guard let position = queues[q].visible.indices.first(where: { queues[q].visible[$0] == id }) else { return false }
            queues[q].visible.remove(at: position)
        case .fair:
            guard fairRemove(id, queue: q) else { return false }
        case .fifo:
            let g = Int(messages[id].fifoGroup)
            guard let position = queues[q].fifoGroups[g].messages.indices.first(where: { queues[q].fifoGroups[g].messages[$0] == id })
            else { return false }
            queues[q].fifoGroups[g].messages.remove(at: position)
        }
        queues[q].visibleCount -= 1
        return true
    }

    /// A delayed message becomes receivable.
    func delayElapsed(_ id: MessageID, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard messages[id].generation == generation, messages[id].state == .delayed else { return }
        let q = Int(messages[id].queue)
        queues[q].delayedCount -= 1
        makeVisible(id, atFront: false)
        wakeWaitingPollers(queue: q, events: &events)
    }

    /// Puts a message where a receive can find it. The caller wakes waiting pollers once it
    /// is done changing the queue, so that no poller runs in the middle of a queue operation.
    func makeVisible(_ id: MessageID, atFront: Bool) {
        let q = Int(messages[id].queue)
        messages[id].state = .visible
        queues[q].visibleCount += 1
        switch queues[q].order {
        case .plain:
            if atFront { queues[q].visible.prepend(id) } else { queues[q].visible.append(id) }
        case .fair:
            fairMakeVisible(id, queue: q, atFront: atFront)
        case .fifo:
            let g = Int(messages[id].fifoGroup)
            if atFront {
                // Returned messages are older than every receivable one of their group: put
                // them back in send order.
                let sequence = messages[id].sequence
                var position = 0
                while position < queues[q].fifoGroups[g].messages.count,
                      messages[queues[q].fifoGroups[g].messages[position]].sequence < sequence {
                    position += 1
                }
                queues[q].fifoGroups[g].messages.insert(id, at: position)
            } else {
                queues[q].fifoGroups[g].messages.append(id)
            }
            markReadyIfDeliverable(queue: q, group: g)
        }
    }

    func markReadyIfDeliverable(queue q: Int, group g: Int) {
        if queues[q].fifoGroups[g].inFlight == 0, !queues[q].fifoGroups[g].messages.isEmpty, !queues[q].fifoGroups[g].isReady {
            queues[q].fifoGroups[g].isReady = true
            queues[q].readyGroups.append(Int32(g))
        }
    }

    // MARK: Receiving

    /// A poller's ReceiveMessage (EventSourceMapping.swift): as ``receive(queue:limit:into:responseTime:events:)``,
    /// but never more than `messagesPerReceive` messages however many are visible (SQS "might
    /// return fewer" than asked for; the number is a calibrated assumption, docs/CALIBRATION.md,
    /// measured on mappings only, so container workers and drains are not limited). A
    /// fractional `messagesPerReceive` is a mean: each receive it cuts short returns the whole
    /// number below or above it, as the queue's `receiveCredit` says, so that those receives
    /// average it without a random draw.
    func pollerReceive(queue q: Int, limit: Int, into batch: inout some ReceiptSink, responseTime: SimTime,
                       events: inout EventList<WorldEvent>) -> Int {
        let allowance = spec.assumptions.messagesPerReceive + queues[q].receiveCredit
        let most = Int(allowance)
        guard most < limit else { return receive(queue: q, limit: limit, into: &batch, responseTime: responseTime, events: &events) }
        let received = receive(queue: q, limit: most, into: &batch, responseTime: responseTime, events: &events)
        // Only a receive the rule cut short counts towards the mean.
        if received == most { queues[q].receiveCredit = allowance - Double(most) }
        return received
    }

    /// ReceiveMessage: up to `limit` messages go in flight, appended to `batch`.
    ///
    /// Each receive starts the message's visibility timeout and raises its receive count. A
    /// FIFO receive takes messages of one group in order before moving to the next group;
    /// every group it touches is then locked until its messages leave flight.
    /// `responseTime` is how long the response takes to reach the receiver: it counts in the
    /// queue wait of a first receive. Returns how many messages were received.
    func receive(queue q: Int, limit: Int, into batch: inout some ReceiptSink, responseTime: SimTime = .zero,
                 events: inout EventList<WorldEvent>) -> Int {
        var received = 0
        var bytes = 0
        func take(_ id: MessageID, events: inout EventList<WorldEvent>) {
            deliver(id, responseTime: responseTime, events: &events)
            bytes += Int(messages[id].size)
            batch.append(Receipt(message: id, generation: messages[id].generation, group: messages[id].group,
                                 measured: messages[id].measured && !messages[id].isDuplicate))
            received += 1
        }
        // Read field by field: a copy of the spec would retain and release its strings.
        let inFlightLimit = queues[q].inFlightLimit
        let retention = queues[q].spec.retention
        switch queues[q].order {
        case .fifo:
            while received < limit, queues[q].inFlightCount < inFlightLimit,
                  let g = queues[q].readyGroups.popFirst() {
                queues[q].fifoGroups[Int(g)].isReady = false
                while received < limit, queues[q].inFlightCount < inFlightLimit,
                      let id = queues[q].fifoGroups[Int(g)].messages.popFirst() {
                    queues[q].visibleCount -= 1
                    guard isDeliverable(id, queue: q, retention: retention, events: &events) else { continue }
                    take(id, events: &events)
                }
                // A group left with receivable messages but nothing in flight (all expired)
                // stays deliverable; a per-message group left empty is freed.
                markReadyIfDeliverable(queue: q, group: Int(g))
                releaseTransientGroupIfEmpty(queue: q, group: Int(g))
            }
        case .fair:
            while received < limit, queues[q].inFlightCount < inFlightLimit, let id = fairTakeNext(queue: q) {
                queues[q].visibleCount -= 1
                guard isDeliverable(id, queue: q, retention: retention, events: &events) else { continue }
                take(id, events: &events)
            }
        case .plain:
            while received < limit, queues[q].inFlightCount < inFlightLimit,
                  let id = queues[q].visible.popFirst() {
                // The next receives most likely take the next messages, whose slots have left
                // the cache during their wait in the backlog: the one `receivePrefetchDistance`
                // ahead is asked for now (the nearer ones were by the receives before). The wait
                // it hides was two thirds of `receive`'s cycles; asking two ahead rather than
                // one took another seventh off them (Benchmarks/PROFILE.md, fourth and eleventh
                // rounds). The address is taken before the hint, which a retain of the message
                // store would otherwise surround (``EntityStore/address(of:)``).
                let waiting = queues[q].visible.count
                if waiting > 0 {
                    let next = messages.address(of: queues[q].visible[Swift.min(waiting, Self.receivePrefetchDistance) - 1])
                    EntityStore<Message>.prefetch(at: next)
                }
                queues[q].visibleCount -= 1
                guard isDeliverable(id, queue: q, retention: retention, events: &events) else { continue }
                take(id, events: &events)
            }
        }
        // A receive that finds nothing is part of a long poll, billed once when the poll
        // returns empty (see the pollers' and workers' timers), not here.
        if received > 0 { recordSQSRequest(queue: q, bytes: bytes) }
        // At-least-once delivery: copies made by this receive become receivable after it,
        // and waiting pollers hear of them through an event rather than in mid-receive.
        if !pendingDuplicates.isEmpty {
            while let copy = pendingDuplicates.popLast() { makeVisible(copy, atFront: false) }
            events.schedule(.queueWake(queue: QueueID(q)), after: .zero)
        }
        return received
    }

    /// How many receives ahead a receive asks for a visible message's slot.
    static let receivePrefetchDistance = 2

    /// What a receive does with a receivable message it found, taken off its list: SQS
    /// deletes it when its retention has passed (a duplicate copy, which has no retention
    /// timer of its own, or a message of a queue whose retention outlasts the run), and moves
    /// it to the dead-letter queue when its receive count has reached `maxReceiveCount`: the
    /// move happens at the receive that finds it there, not when its last visibility timeout
    /// expires (SQS developer guide, "Using dead-letter queues": "when the ReceiveCount for
    /// a message exceeds the maxReceiveCount for a queue, Amazon SQS moves the message to a
    /// dead-letter queue"; it counts receives, so it acts on the one more). Returns whether
    /// the message is delivered.
    @inline(__always) // on every message's path; two tests of fields the receive has read
    private func isDeliverable(_ id: MessageID, queue q: Int, retention: SimTime, events: inout EventList<WorldEvent>) -> Bool {
        let now = events.now
        if now - messages[id].enqueuedAt >= retention {
            trace(.expired, message: id, at: now)
            expire(id)
            return false
        }
        if queues[q].deadLetter >= 0, messages[id].receiveCount >= queues[q].maxReceiveCount {
            trace(.deadLettered, message: id, at: now)
            moveToDeadLetterQueue(id, from: q, events: &events)
            return false
        }
        return true
    }

    /// Marks a message received: in flight until deleted or until its visibility timeout.
    @inline(__always) // on every message's path; the call cost about as much as the body
    private func deliver(_ id: MessageID, responseTime: SimTime, events: inout EventList<WorldEvent>) {
        let q = Int(messages[id].queue)
        let now = events.now
        messages[id].state = .inFlight
        messages[id].receiveCount += 1
        messages[id].generation &+= 1
        queues[q].inFlightCount += 1
        if queues[q].order != .plain { groupReceived(id, queue: q, events: &events) }
        let message = messages[id]
        if message.measured, !message.isDuplicate {
            if !message.wasReceived {
                messages[id].wasReceived = true
                metrics.recordFirstReceive(group: Int(message.group), wait: now + responseTime - message.sentAt)
                if message.tenant >= 0 { recordTenantQueueWait(message.tenant, wait: now + responseTime - message.sentAt) }
            }
            // A retry is a receive of this message in this queue beyond its first; the first
            // receive in the next queue of a chain is not one.
            if message.receiveCount > 1 { metrics.groups[Int(message.group)].retries += 1 }
        }
        trace(.received, message: id, at: now)
        startVisibilityTimer(id, generation: message.generation, queue: q, events: &events)
        if queues[q].order != .fifo, queues[q].spec.duplicateProbability > 0,
           streams.duplicates[q].bernoulli(queues[q].spec.duplicateProbability) {
            makeDuplicate(of: id)
        }
    }

    /// A FIFO group's or fair tenant's message went in flight. Not inlined into `deliver`, so
    /// that a plain queue's receive pays one test.
    @inline(never)
    private func groupReceived(_ id: MessageID, queue q: Int, events: inout EventList<WorldEvent>) {
        if queues[q].isFIFO {
            queues[q].fifoGroups[Int(messages[id].fifoGroup)].inFlight += 1
        } else {
            fairReceived(queue: q, tenant: Int(messages[id].fifoGroup), events: &events)
        }
    }

    /// At-least-once delivery: a copy of the message stays receivable.
    private func makeDuplicate(of id: MessageID) {
        var copy = messages[id]
        copy.isDuplicate = true
        copy.state = .free
        pendingDuplicates.append(messages.allocate(copy))
    }

    // MARK: Visibility, redrive, deletion

    /// Starts a received message's visibility timeout.
    @inline(__always) // on every message's path; the call cost about as much as the body
    private func startVisibilityTimer(_ id: MessageID, generation: UInt32, queue q: Int, events: inout EventList<WorldEvent>) {
        let timer = VisibilityTimer(message: id, generation: generation, expiresAt: events.now + queues[q].spec.visibilityTimeout,
                                    sequence: events.reserveSequence())
        // Timers of deleted messages at the front are dropped now, so the list holds about
        // the messages in flight rather than every receive within one timeout. The pending
        // event, if it was for one of them, finds that out when it runs.
        dropStaleVisibilityTimers(queue: q)
        messages[id].visibilityTimer = queues[q].visibilityTimersStarted
        queues[q].visibilityTimersStarted &+= 1
        queues[q].visibilityTimers.append(timer)
        if !queues[q].visibilityTimerPending {
            queues[q].visibilityTimerPending = true
            events.schedule(.visibilityTimeout(queue: QueueID(q)), at: timer.expiresAt, sequence: timer.sequence)
        }
    }

    /// Whether a visibility timer no longer concerns its message (deleted, returned, moved).
    ///
    /// The timer says so itself, cancelled when its message left flight: asking the message
    /// meant reading a slot received seconds ago and long out of the cache, a wait of its own
    /// for every message received (about 3 % of a pipeline run's time in `perf`;
    /// Benchmarks/PROFILE.md). Debug builds, which run the tests, check that both agree.
    private func isStale(_ timer: VisibilityTimer) -> Bool {
        assert(timer.isCancelled
               == (messages[timer.message].generation != timer.generation || messages[timer.message].state != .inFlight),
               "a visibility timer's cancellation disagrees with its message")
        return timer.isCancelled
    }

    /// Cancels the visibility timer of a message leaving flight, if it is still in the list
    /// (the timer that has just expired is not: its number is then before the list's first).
    @inline(__always) // on every message's path; the call cost about as much as the body
    private func cancelVisibilityTimer(of id: MessageID, queue q: Int) {
        let count = queues[q].visibilityTimers.count
        let first = queues[q].visibilityTimersStarted &- UInt32(truncatingIfNeeded: count)
        let position = Int(messages[id].visibilityTimer &- first)
        if position < count { queues[q].visibilityTimers[position].expiresAt = .never }
    }

    private func dropStaleVisibilityTimers(queue q: Int) {
        while !queues[q].visibilityTimers.isEmpty, isStale(queues[q].visibilityTimers[0]) {
            queues[q].visibilityTimers.removeFirst()
        }
    }

    /// A queue's visibility-timeout event: the timer it was scheduled for expires (unless it
    /// was dropped as stale), and the next live timer goes on the event list.
    func visibilityTimeoutDue(queue q: Int, events: inout EventList<WorldEvent>) {
        queues[q].visibilityTimerPending = false
        var due: VisibilityTimer?
        if !queues[q].visibilityTimers.isEmpty, queues[q].visibilityTimers[0].sequence == events.sequence {
            due = queues[q].visibilityTimers.removeFirst()
        }
        dropStaleVisibilityTimers(queue: q)
        if !queues[q].visibilityTimers.isEmpty {
            let next = queues[q].visibilityTimers[0]
            queues[q].visibilityTimerPending = true
            events.schedule(.visibilityTimeout(queue: QueueID(q)), at: next.expiresAt, sequence: next.sequence)
        }
        if let due { visibilityExpired(due.message, generation: due.generation, events: &events) }
    }

    /// A received message was neither deleted nor extended: it is visible again (a message
    /// received `maxReceiveCount` times moves to the dead-letter queue at its next receive,
    /// ``isDeliverable(_:queue:retention:events:)``), or deleted if its retention has passed
    /// while it was in flight.
    func visibilityExpired(_ id: MessageID, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard messages[id].generation == generation, messages[id].state == .inFlight else { return }
        let q = Int(messages[id].queue)
        leaveFlight(id, queue: q)
        if events.now - messages[id].enqueuedAt >= queues[q].spec.retention {
            trace(.expired, message: id, at: events.now)
            expire(id)
        } else {
            trace(.returned, message: id, at: events.now)
            makeVisible(id, atFront: true)
        }
        unlockFifoGroup(queue: q, of: id)
        wakeWaitingPollers(queue: q, events: &events)
    }

    /// DeleteMessage after a successful invocation. A stale receipt (the message has been
    /// received again since) deletes nothing, as SQS documents for old receipt handles.
    /// The receipt of the most recent receive still deletes a standard queue's message whose
    /// visibility timeout has expired, as long as nobody has received it again (SQS
    /// DeleteMessage); a FIFO queue's receipt expires with the visibility timeout.
    /// Returns whether the message was deleted.
    func delete(_ receipt: Receipt, events: inout EventList<WorldEvent>) -> Bool {
        let id = receipt.message
        guard messages[id].generation == receipt.generation else { return false }
        let q = Int(messages[id].queue)
        switch messages[id].state {
        case .inFlight:
            leaveFlight(id, queue: q)
        case .visible where !queues[q].isFIFO:
            guard removeReceivable(id, queue: q) else { return false }
        default:
            return false
        }
        trace(.deleted, message: id, at: events.now)
        messages[id].generation &+= 1
        unlockFifoGroup(queue: q, of: id)
        wakeWaitingPollers(queue: q, events: &events)
        return true
    }

    /// ChangeMessageVisibility to 0: a received message is given back at once (its receive
    /// count stays raised, as in SQS).
    func giveBack(_ receipt: Receipt, events: inout EventList<WorldEvent>) {
        let id = receipt.message
        guard messages[id].generation == receipt.generation, messages[id].state == .inFlight else { return }
        let q = Int(messages[id].queue)
        leaveFlight(id, queue: q)
        messages[id].generation &+= 1
        trace(.returned, message: id, at: events.now)
        makeVisible(id, atFront: true)
        unlockFifoGroup(queue: q, of: id)
        wakeWaitingPollers(queue: q, events: &events)
    }

    @inline(__always) // on every message's path; the call cost about as much as the body
    private func leaveFlight(_ id: MessageID, queue q: Int) {
        cancelVisibilityTimer(of: id, queue: q)
        queues[q].inFlightCount -= 1
        switch queues[q].order {
        case .plain: break
        case .fair: fairLeftFlight(queue: q, tenant: Int(messages[id].fifoGroup), at: now)
        case .fifo: queues[q].fifoGroups[Int(messages[id].fifoGroup)].inFlight -= 1
        }
    }

    /// After a FIFO message leaves flight, its group may deliver again.
    ///
    /// Always inlined, so that other queues pay one test, not a call (13 instructions per
    /// message once `isFIFO` was read from the delivery order).
    @inline(__always) private func unlockFifoGroup(queue q: Int, of id: MessageID) {
        guard queues[q].isFIFO else { return }
        unlockFifoGroupSlot(queue: q, group: Int(messages[id].fifoGroup))
    }

    private func unlockFifoGroupSlot(queue q: Int, group g: Int) {
        markReadyIfDeliverable(queue: q, group: g)
        releaseTransientGroupIfEmpty(queue: q, group: g)
    }

    /// Redrive, at the receive that finds the message (taken off its queue's lists). Into a
    /// dead-letter queue that nothing reads, the message ends there (counted in
    /// `dead_lettered`). Into one that a trigger or container service reads, it is sent on
    /// like any other message and counted once, where its path ends (docs/OUTPUTS.md); its
    /// pollers hear of it through an event, not in the middle of this receive. SQS keeps a
    /// standard message's enqueue time across the redrive (retention counts from the first
    /// send; it is then checked at the dead-letter queue's receives, the retention timer
    /// `enqueue` started being stale) and resets a FIFO message's; in a FIFO dead-letter queue
    /// each dead letter is a message group of its own (its source group's slot means nothing
    /// there).
    private func moveToDeadLetterQueue(_ id: MessageID, from q: Int, events: inout EventList<WorldEvent>) {
        let target = Int(queues[q].deadLetter)
        if queues[target].isRead {
            let enqueuedAt = messages[id].enqueuedAt
            // A fair dead-letter queue: without a group of its own there, each its own tenant.
            if queues[target].order != .plain { messages[id].fifoGroup = messageGroupSlot(queue: target, staticSlot: -1) }
            enqueue(id, into: Int32(target), wakingPollers: false, events: &events)
            if !queues[target].isFIFO { messages[id].enqueuedAt = enqueuedAt }
            events.schedule(.queueWake(queue: QueueID(target)), after: .zero)
            return
        }
        queues[target].deadLetters += 1
        let message = messages[id]
        if message.measured, !message.isDuplicate {
            metrics.groups[Int(message.group)].deadLettered += 1
            if message.tenant >= 0 { tenants.metrics[Int(message.tenant)].deadLettered += 1 }
        }
        releaseMessage(id)
    }

    /// Retention: the message is deleted by SQS, lost.
    func expire(_ id: MessageID) {
        let message = messages[id]
        if message.measured, !message.isDuplicate {
            metrics.groups[Int(message.group)].expired += 1
            if message.tenant >= 0 { tenants.metrics[Int(message.tenant)].expired += 1 }
        }
        releaseMessage(id)
    }

    /// Frees a message's slot (and a per-message FIFO group it held alone).
    func releaseMessage(_ id: MessageID) {
        let message = messages[id]
        if !message.isDuplicate { metrics.groups[Int(message.group)].inSystem.add(-1, at: now) }
        messages.release(id)
        if message.fifoGroup >= 0, queues[Int(message.queue)].isFIFO {
            releaseTransientGroupIfEmpty(queue: Int(message.queue), group: Int(message.fifoGroup))
        }
    }

    private func releaseTransientGroupIfEmpty(queue q: Int, group g: Int) {
        guard queues[q].fifoGroups[g].isTransient, queues[q].fifoGroups[g].inFlight == 0,
              queues[q].fifoGroups[g].messages.isEmpty, !queues[q].fifoGroups[g].isReady else { return }
        queues[q].fifoGroups[g].isTransient = false
        queues[q].freeFifoGroups.append(Int32(g))
    }

    /// The message group (FIFO) or tenant (fair) a new message joins; a fair queue's
    /// messages without a group id share slot 0, each its own tenant.
    func messageGroupSlot(queue q: Int, staticSlot: Int32) -> Int32 {
        if staticSlot >= 0 { return staticSlot }
        if queues[q].order == .fair { return 0 }
        if let slot = queues[q].freeFifoGroups.popLast() {
            queues[q].fifoGroups[Int(slot)].isTransient = true
            return slot
        }
        queues[q].fifoGroups.append(FifoMessageGroup(isTransient: true))
        return Int32(queues[q].fifoGroups.count - 1)
    }

    // MARK: Billing

    /// One SQS API request; payloads are billed per started 64 KB chunk. A fair queue's
    /// requests are standard ones and also counted for the fair-queue price.
    ///
    /// Always inlined: with the fair queues' count the compiler stopped inlining it, and the
    /// call cost 44 instructions per message (callgrind, two-minute benchmark).
    @inline(__always) func recordSQSRequest(queue q: Int, bytes: Int) {
        let chunks = max(1, (bytes + 65_535) / 65_536)
        let order = queues[q].order
        if order == .fifo {
            cost.sqsFifoRequests += chunks
        } else {
            cost.sqsStandardRequests += chunks
            if order == .fair { cost.sqsFairRequests += chunks }
        }
    }
}
