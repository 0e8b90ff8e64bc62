import SimCore

/// One invocation of a function with a batch: init, handler, per-message work, downstream
/// calls, timeout, errors, and what happens to each message afterwards.
///
/// The timeline of an invocation:
///
/// ```
/// [init (cold start only)] [duration] [per_message + call]_1 ... [per_message + call]_n
/// ```
///
/// Messages are handled one after another, as a handler loops over `event.Records`. Each
/// downstream call is checked against the service's limits when it is made, so calls from
/// concurrent invocations meet the limits in time order. A call over a limit fails its
/// message at once: with ReportBatchItemFailures the handler reports it and goes on;
/// without, the handler throws and the whole batch returns to the queue. The handler time
/// (not init) is bounded by the function's timeout; a timed-out or failed invocation
/// returns its whole batch. Returned messages become visible when their visibility timeout
/// expires — the mapping does not change visibility on failure.
struct Invocation {
    // Laid out so that it and the poller's fields read at each step share one cache line
    // (see ``Poller``): the call first, then the times, the small fields last.
    /// The downstream call in progress.
    var call = DownstreamCall()
    var environment = EnvironmentID(0)
    var startedAt: SimTime = .zero
    /// When the handler is cut off by its timeout or its environment's crash, whichever
    /// comes first (`cutoffEnding` says which).
    var cutoff: SimTime = .never
    /// The index in the batch of the next message whose downstream call is due.
    var nextMessage: Int32 = 0
    /// The batch's size, and the id of message `nextMessage`: a step reads neither from the
    /// batch, whose receipts are one more cache line to wait for (Benchmarks/PROFILE.md, eleventh round).
    var batchCount: Int32 = 0
    var nextMessageID = MessageID(0)
    /// The invocation fails as a whole (error_rate), at its end or its start (error_at).
    var willFail = false
    /// What the next step is: progress, the timeout, or a crash.
    var ending = Ending.progress
    /// What ends the invocation at `cutoff`: the timeout or a crash.
    var cutoffEnding = Ending.timeout

    /// What ends an invocation's next step.
    enum Ending: UInt8 {
        case progress
        case timeout
        case crash
    }
}

extension World {
    /// Starts an admitted invocation of function `f` with poller `p`'s batch.
    func startInvocation(poller p: Int, function f: Int, environment env: EnvironmentID, cold: Bool,
                         events: inout EventList<WorldEvent>) {
        let now = events.now
        // Fields are read one by one: a copy of the spec would retain and release all its parts.
        let initDuration = cold ? min(functions[f].spec.coldStart.sample(streams.coldStart[f]), Self.initLimit) : .zero
        let handlerStart = now + initDuration
        let count = pollers[p].batchCount
        pollers[p].invocation.environment = env
        pollers[p].invocation.startedAt = now
        pollers[p].invocation.batchCount = Int32(count)
        let deadline = handlerStart + functions[f].spec.timeout
        pollers[p].invocation.willFail = streams.errors[f].bernoulli(errorRate(function: f, now: now))
        pollers[p].invocation.ending = .progress
        pollers[p].invocation.call = DownstreamCall()
        countInvocation(function: f, cold: cold, now: now)
        trace(cold ? .coldStart : .invoked, function: f, batch: count, at: now)
        let ownDuration = functions[f].spec.duration.sample(streams.duration[f])
        let crashAt = crashTime(function: f, handlerStart: handlerStart, duration: ownDuration)
        pollers[p].invocation.cutoff = min(deadline, crashAt)
        pollers[p].invocation.cutoffEnding = crashAt <= deadline ? .crash : .timeout
        var t = handlerStart + ownDuration
        if pollers[p].invocation.willFail, functions[f].spec.errorAt == .start {
            // The handler throws before any work: no message is worked on, no call is made.
            pollers[p].invocation.nextMessage = Int32(count)
            scheduleStep(poller: p, at: handlerStart, events: &events)
            return
        }
        if functions[f].downstream < 0 {
            // Without downstream calls nothing interacts mid-invocation: one event suffices.
            for i in 0..<count { t += perMessageWork(function: f, message: pollers[p].receipt(i).message) }
            pollers[p].invocation.nextMessage = Int32(count)
        } else {
            let first = pollers[p].receipt(0).message
            t += perMessageWork(function: f, message: first)
            pollers[p].invocation.nextMessage = 0
            pollers[p].invocation.nextMessageID = first
        }
        scheduleStep(poller: p, at: t, events: &events)
    }

    /// Lambda caps the init phase at 10 s.
    static let initLimit = SimTime.s(10)

    /// Handler time for one message, drawn from the message's own key so that the same
    /// message costs the same in every topology compared (common random numbers).
    @inline(__always) // on every message's path; the call cost about as much as the body
    private func perMessageWork(function f: Int, message id: MessageID) -> SimTime {
        streams.sample(functions[f].spec.perMessage, key: messages[id].randomKey, attempt: messages[id].receiveCount,
                       purpose: .work)
    }

    /// When an invocation crashes (by the function's crash probability), or `.never`.
    @inline(__always) // on every message's path; the call cost about as much as the body
    func crashTime(function f: Int, handlerStart: SimTime, duration: SimTime) -> SimTime {
        let probability = functions[f].spec.crashes.probability
        guard probability > 0, streams.crashes[f].bernoulli(probability) else { return .never }
        return handlerStart + SimTime(seconds: streams.crashes[f].uniform() * duration.seconds)
    }

    @inline(__always) // on every message's path; the call cost about as much as the body
    private func scheduleStep(poller p: Int, at time: SimTime, events: inout EventList<WorldEvent>) {
        let event = WorldEvent.invocationStep(poller: PollerID(p), generation: pollers[p].generation)
        let cutoff = pollers[p].invocation.cutoff
        if time > cutoff {
            pollers[p].invocation.ending = pollers[p].invocation.cutoffEnding
            events.schedule(event, at: cutoff)
        } else {
            events.schedule(event, at: time)
        }
    }

    /// The next point of an invocation's timeline: a downstream call, the end, or the timeout.
    func invocationStep(_ p: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard pollers[p].generation == generation, pollers[p].state == .invoking else { return }
        let f = Int(mappings[Int(pollers[p].mapping)].function)
        endDownstreamCall(pollers[p].invocation.call)
        pollers[p].invocation.call = DownstreamCall()
        switch pollers[p].invocation.ending {
        case .progress: break
        case .timeout:
            finishInvocation(poller: p, function: f, failedWhole: true, events: &events)
            return
        case .crash:
            finishInvocation(poller: p, function: f, failedWhole: true, crashed: true, events: &events)
            return
        }
        let i = Int(pollers[p].invocation.nextMessage)
        let count = Int(pollers[p].invocation.batchCount)
        guard i < count else {
            finishInvocation(poller: p, function: f, failedWhole: pollers[p].invocation.willFail, events: &events)
            return
        }
        pollers[p].invocation.nextMessage = Int32(i + 1)
        let now = events.now
        let id = pollers[p].invocation.nextMessageID
        let g = Int(messages[id].group)
        let d = Int(functions[f].downstream)
        // A message deleted meanwhile (its slot free) has no tenant any more.
        let tenant = messages[id].state == .free ? -1 : messages[id].tenant
        var next = now
        if let call = startDownstreamCall(d, group: g, tenant: tenant, now: now) {
            pollers[p].invocation.call = call
            next += streams.sample(downstreams[d].spec.latency, key: messages[id].randomKey,
                                   attempt: messages[id].receiveCount, purpose: .downstreamLatency)
        } else {
            if messages[id].measured {
                metrics.groups[g].downstreamViolations += 1
                if tenant >= 0 { tenants.metrics[Int(tenant)].downstreamViolations += 1 }
            }
            if isMeasured(now) { metrics.functions[f].downstreamViolations += 1 }
            guard mappings[Int(pollers[p].mapping)].spec.reportBatchItemFailures else {
                finishInvocation(poller: p, function: f, failedWhole: true, events: &events)
                return
            }
            pollers[p].reportFailed(i)
        }
        if i + 1 < count {
            let following = pollers[p].receipt(i + 1).message
            pollers[p].invocation.nextMessageID = following
            next += perMessageWork(function: f, message: following)
        }
        scheduleStep(poller: p, at: next, events: &events)
    }

    /// Ends an invocation: bills it, frees the environment, deletes what succeeded.
    func finishInvocation(poller p: Int, function f: Int, failedWhole: Bool, crashed: Bool = false,
                          events: inout EventList<WorldEvent>) {
        let now = events.now
        let environment = pollers[p].invocation.environment
        billInvocation(function: f, environment: environment, duration: now - pollers[p].invocation.startedAt)
        if failedWhole { countFunctionError(function: f, now: now) }
        let outcome: TraceRecord.Kind = crashed ? .crashed
            : failedWhole ? (pollers[p].invocation.ending == .timeout ? .timedOut : .failed) : .succeeded
        trace(outcome, function: f, batch: pollers[p].batchCount, at: now)
        if crashed {
            crashExecution(function: f, environment: environment, mapping: pollers[p].mapping, events: &events)
        } else {
            finishExecution(function: f, environment: environment, mapping: pollers[p].mapping, events: &events)
        }
        invocationReturned(poller: p, failedWhole: failedWhole, events: &events)
    }

    /// DeleteMessageBatch of a successful batch has returned: the messages not reported as
    /// failed are deleted, and done or sent on.
    func deleteSucceeded(_ p: Int, events: inout EventList<WorldEvent>) {
        let m = Int(pollers[p].mapping)
        let f = Int(mappings[m].function)
        var deleted = 0
        for i in 0..<pollers[p].batchCount {
            let receipt = pollers[p].receipt(i)
            if !receipt.reportedFailed, complete(receipt, function: f, events: &events) { deleted += 1 }
        }
        let q = Int(mappings[m].queue)
        // DeleteMessageBatch takes up to 10 receipts per request.
        for _ in 0..<((deleted + 9) / 10) { recordSQSRequest(queue: q, bytes: 0) }
    }

    /// A message the handler processed successfully: deleted, then done or sent on.
    /// Returns whether a delete reached SQS with a current receipt.
    @inline(__always) // on every message's path; the call cost about as much as the body
    private func complete(_ receipt: Receipt, function f: Int, events: inout EventList<WorldEvent>) -> Bool {
        let id = receipt.message
        let message = messages[id]
        guard delete(receipt, events: &events) else {
            // The receipt is stale: the message was received again after its visibility
            // timeout, so this processing was a duplicate and the delete deletes nothing.
            if receipt.measured { metrics.groups[Int(receipt.group)].duplicates += 1 }
            return false
        }
        if message.isDuplicate {
            if message.measured { metrics.groups[Int(message.group)].duplicates += 1 }
            releaseMessage(id)
            return true
        }
        let output = functions[f].outputQueue
        if output >= 0 {
            trace(.forwarded, message: id, at: events.now)
            recordSQSRequest(queue: Int(output), bytes: Int(message.size))
            forward(id, into: output, events: &events)
            return true
        }
        countSuccess(group: Int(message.group), function: f, latency: events.now - message.sentAt, measured: message.measured,
                     tenant: message.tenant)
        releaseMessage(id)
        return true
    }
}
