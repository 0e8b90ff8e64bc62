import SimCore

/// FIFO throughput quotas: a FIFO queue allows so many API calls per second per action
/// (SendMessage, ReceiveMessage, DeleteMessage), 300 by default, and in high-throughput mode
/// the region's quota for the queue with a partition's 300 for each message group (its group id
/// is hashed to one partition). "Requests over 300 TPS get the ThrottlingException error even if
/// messages in the queue are available" (SQS developer guide, "Troubleshoot FIFO throttling
/// issues"; "Amazon SQS message quotas"). A batch call (ReceiveMessage of up to 10,
/// DeleteMessageBatch) is one call, which is how batching reaches 3,000 messages per second.
///
/// What AWS does not document is a named assumption here (docs/SCENARIO-REFERENCE.md):
/// - each quota is a token bucket that refills at the quota and holds one second of calls (how
///   SQS meters a second is not published);
/// - a producer whose send is throttled retries it by its `send_retries` (the AWS SDKs retry
///   ThrottlingException: standard mode, 3 attempts, exponential back-off with full jitter) and
///   gives up after them: the message is `dropped`, as a direct client's request is;
/// - a mapping's poller whose ReceiveMessage or DeleteMessageBatch is throttled calls again
///   as soon as the quota has room (Lambda's pollers retry; when is not published): its batch
///   stays in flight meanwhile, so its message group stays locked;
/// - a throttled call is not billed;
/// - only producers and mappings are held to the quota: a function's sends into a chain, a
///   redrive, container workers and scheduled drains are not.
///
/// A standard queue has no quota and pays nothing: every check is behind the queue's
/// `isFIFO`.
struct RequestQuota {
    let perSecond: Double
    /// The most calls the bucket holds: one second's.
    let burst: Double
    var tokens: Double
    var tokensAt: SimTime = .zero

    init(perSecond: Double) {
        self.perSecond = perSecond
        burst = max(1, perSecond)
        tokens = burst
    }

    private mutating func refill(at now: SimTime) {
        tokens = min(burst, tokens + (now - tokensAt).seconds * perSecond)
        tokensAt = now
    }

    /// Takes `calls` if the bucket holds them now; false (taking nothing) otherwise.
    mutating func take(_ calls: Double, at now: SimTime) -> Bool {
        refill(at: now)
        guard tokens >= calls else { return false }
        tokens -= calls
        return true
    }

    /// Takes a call that the quota cannot refuse any more (a long poll that has ended empty was
    /// accepted when it started): the bucket may go below zero.
    mutating func charge(_ calls: Double, at now: SimTime) {
        refill(at: now)
        tokens -= calls
    }

    /// How long until the bucket holds `calls` (after a refusal).
    func wait(for calls: Double, at now: SimTime) -> SimTime {
        let missing = min(burst, calls) - min(burst, tokens + (now - tokensAt).seconds * perSecond)
        return missing > 0 ? max(.ns(1), SimTime(seconds: missing / perSecond)) : .ns(1)
    }
}

/// A FIFO queue's quotas, one per action, and in high-throughput mode one for each message
/// group's sends (by slot, grown as groups appear).
struct FifoThroughput {
    var send: RequestQuota
    var receive: RequestQuota
    var delete: RequestQuota
    /// High-throughput mode: the per-partition quota of each message group's sends; empty
    /// otherwise. Per-message groups (`fifo_group_key: message`) send once each and are not
    /// held to it.
    var groupSends: [RequestQuota] = []
    let isHighThroughput: Bool

    init?(_ spec: QueueSpec) {
        guard let perSecond = spec.fifoAPICallsPerSecond else { return nil }
        send = RequestQuota(perSecond: perSecond)
        receive = RequestQuota(perSecond: perSecond)
        delete = RequestQuota(perSecond: perSecond)
        isHighThroughput = spec.highThroughput
    }

    /// Whether a SendMessage into message group slot `group` (or -1) is within both quotas; if
    /// so it is taken from both.
    mutating func takeSend(group: Int32, at now: SimTime) -> Bool {
        guard isHighThroughput, group >= 0 else { return send.take(1, at: now) }
        let g = Int(group)
        while groupSends.count <= g { groupSends.append(RequestQuota(perSecond: QueueSpec.partitionAPICallsPerSecond)) }
        // Both are checked before either is taken.
        var partition = groupSends[g]
        guard partition.take(1, at: now) else { return false }
        guard send.take(1, at: now) else { return false }
        groupSends[g] = partition
        return true
    }
}

extension World {
    // MARK: SendMessage

    /// A producer's SendMessage into FIFO queue `q`: true when the quotas take it. Otherwise
    /// the message waits for its retry (`sendRetry`), or is dropped when the producer's
    /// retries are spent; its attempts are counted in `receiveCount`, unused until it is
    /// enqueued.
    func fifoSendAccepted(_ id: MessageID, queue q: Int, events: inout EventList<WorldEvent>) -> Bool {
        let now = events.now
        let slot = messages[id].fifoGroup
        let perMessageGroup = slot >= 0 && queues[q].fifoGroups[Int(slot)].isTransient
        if queues[q].throughput?.takeSend(group: perMessageGroup ? -1 : slot, at: now) ?? true { return true }
        let message = messages[id]
        let g = Int(message.group)
        if isMeasured(now) { metrics.groups[g].sqsThrottles += 1 }
        let policy = producers[g].spec.sendRetry
        let attempt = Int(message.receiveCount) + 1
        messages[id].state = .inJob
        guard attempt <= policy.attempts else {
            // Given up: the message never reached the queue.
            if message.measured, !message.isDuplicate {
                metrics.groups[g].dropped += 1
                if message.tenant >= 0 { tenants.metrics[Int(message.tenant)].dropped += 1 }
            }
            trace(.dropped, message: id, at: now)
            releaseMessage(id)
            return false
        }
        messages[id].receiveCount = Int32(attempt)
        let backoff = policy.backoff(beforeRetry: attempt)
        let delay = policy.jitter ? SimTime(seconds: streams.clientRetry[g].uniform() * backoff.seconds) : backoff
        events.schedule(.sendRetry(message: id, generation: messages[id].generation), after: delay)
        return false
    }

    /// A throttled send's back-off has ended: the producer calls again.
    func sendRetried(_ id: MessageID, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard messages[id].generation == generation, messages[id].state == .inJob else { return }
        let q = Int(messages[id].queue)
        guard fifoSendAccepted(id, queue: q, events: &events) else { return }
        // SQS orders a FIFO group by acceptance: the message takes its place in the send order now.
        messages[id].sequence = nextSequence
        nextSequence += 1
        if messages[id].isDuplicate {
            resendAccepted(id, queue: q, events: &events)
        } else {
            sendAccepted(id, queue: q, events: &events)
        }
    }

    // MARK: ReceiveMessage and DeleteMessageBatch

    /// How long a mapping's ReceiveMessage on FIFO queue `q` must wait for the quota, or nil
    /// when it may call now (the call is then taken). A call that finds nothing receivable is
    /// a long poll, charged when it ends (``chargeEmptyReceive(queue:at:)``).
    func fifoReceiveWait(queue q: Int, at now: SimTime) -> SimTime? {
        guard queues[q].hasReceivable, queues[q].throughput != nil else { return nil }
        if queues[q].throughput?.receive.take(1, at: now) == true { return nil }
        return queues[q].throughput?.receive.wait(for: 1, at: now)
    }

    /// A long poll of FIFO queue `q` ended empty: one ReceiveMessage call of the quota.
    func chargeEmptyReceive(queue q: Int, at now: SimTime) {
        queues[q].throughput?.receive.charge(1, at: now)
    }

    /// How long a mapping's DeleteMessageBatch of `messages` receipts on FIFO queue `q` must
    /// wait for the quota (a call per 10), or nil when it may call now (the calls are taken).
    func fifoDeleteWait(queue q: Int, messages count: Int, at now: SimTime) -> SimTime? {
        let calls = Double((count + 9) / 10)
        guard calls > 0, queues[q].throughput != nil else { return nil }
        if queues[q].throughput?.delete.take(calls, at: now) == true { return nil }
        return queues[q].throughput?.delete.wait(for: calls, at: now)
    }
}
