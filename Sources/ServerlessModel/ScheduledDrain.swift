import SimCore

/// The scheduled drain (back-pressure pattern): a schedule invokes a function that starts
/// downstream jobs from a queue only while the downstream has free job slots.
///
/// Unlike an event source mapping, nothing is pulled that cannot be started, so the
/// downstream's limit is never exceeded; the price is the wait until the next firing. Each
/// firing is an event of the rule, delivered as one ordinary invocation (admission, cold
/// start, timeout, billing). The handler's own `duration` runs first, then for each message
/// its `per_message` time: the message is received, its job is started (taking a concurrency
/// slot of the downstream for the job's `latency`) and it is deleted. When the next message's
/// job cannot start, the message is given back (visibility 0) and the invocation returns.
///
/// A throttled invocation, or one that times out or fails (`error_rate`, at its end), is
/// retried as EventBridge retries its targets (``ScheduleRetryPolicy``): after a back-off,
/// while retries remain and the event is younger than its maximum age; then the event is
/// dropped. A retry is a new invocation that drains again.
struct DrainRun {
    var schedule: Int32 = 0
    /// The rule's event this invocation delivers (an index of `World.scheduledEvents`).
    var event: Int32 = 0
    var environment = EnvironmentID(0)
    var startedAt: SimTime = .zero
    var deadline: SimTime = .zero
    var generation: UInt32 = 0
    var willFail = false
    var inUse = false
}

/// One firing of a schedule, until it is delivered or dropped.
struct ScheduledEvent {
    var schedule: Int32 = 0
    var firedAt: SimTime = .zero
    /// Retries after throttles or failures so far.
    var retries = 0
    var generation: UInt32 = 0
    var inUse = false
}

extension World {
    /// Schedules every schedule's first firing.
    func startSchedules(events: inout EventList<WorldEvent>) {
        for s in schedules.indices { scheduleNextFiring(s, events: &events) }
    }

    private func scheduleNextFiring(_ s: Int, events: inout EventList<WorldEvent>) {
        guard let next = schedules[s].spec.expression.nextFiring(after: now, calendarStart: schedules[s].spec.runStartsAt)
        else { return }
        events.schedule(.scheduleTick(schedule: Int32(s)), at: next)
    }

    /// A schedule fires: a new event of the rule invokes its function.
    func scheduleTick(_ s: Int, events: inout EventList<WorldEvent>) {
        scheduleNextFiring(s, events: &events)
        var event = ScheduledEvent()
        event.schedule = Int32(s)
        event.firedAt = now
        event.inUse = true
        let e = takeSlot(event, in: &scheduledEvents, free: &freeScheduledEvents, generation: \.generation)
        deliverScheduledEvent(e, events: &events)
    }

    /// A retry of a scheduled event is due.
    func scheduleRetry(_ e: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard scheduledEvents[e].inUse, scheduledEvents[e].generation == generation else { return }
        deliverScheduledEvent(e, events: &events)
    }

    /// EventBridge invokes the schedule's function with event `e`.
    private func deliverScheduledEvent(_ e: Int, events: inout EventList<WorldEvent>) {
        let s = Int(scheduledEvents[e].schedule)
        let f = Int(schedules[s].function)
        countAttempt(function: f, now: now)
        let admission = admit(function: f, now: now)
        let environment: EnvironmentID
        let cold: Bool
        switch admission {
        case .throttled:
            countThrottle(function: f, now: now)
            trace(.throttled, function: f, batch: 0, at: now)
            retryScheduledEvent(e, events: &events)
            return
        case .warm(let env): (environment, cold) = (env, false)
        case .cold(let env): (environment, cold) = (env, true)
        }
        countInvocation(function: f, cold: cold, now: now)
        trace(cold ? .coldStart : .invoked, function: f, batch: 0, at: now)
        let spec = functions[f].spec
        let initDuration = cold ? min(spec.coldStart.sample(streams.coldStart[f]), Self.initLimit) : .zero
        var run = DrainRun()
        run.schedule = Int32(s)
        run.event = Int32(e)
        run.environment = environment
        run.startedAt = now
        run.deadline = now + initDuration + spec.timeout
        run.willFail = spec.errorRate > 0 && streams.errors[f].bernoulli(spec.errorRate)
        run.inUse = true
        let r = takeSlot(run, in: &drainRuns, free: &freeDrainRuns, generation: \.generation)
        let first = now + initDuration + spec.duration.sample(streams.duration[f])
        // Thrown at the handler's start: the drain ends before it takes a message.
        scheduleDrainStep(r, at: run.willFail && spec.errorAt == .start ? now + initDuration : first, events: &events)
    }

    /// The event's invocation was throttled or failed: retry it after the policy's back-off,
    /// or drop it when its retries or its age are spent.
    private func retryScheduledEvent(_ e: Int, events: inout EventList<WorldEvent>) {
        let s = Int(scheduledEvents[e].schedule)
        let policy = schedules[s].spec.retryPolicy
        scheduledEvents[e].retries += 1
        let retries = scheduledEvents[e].retries
        let delay = policy.backoff(beforeRetry: retries)
        guard retries <= policy.maximumRetryAttempts,
              now + delay - scheduledEvents[e].firedAt <= policy.maximumEventAge else {
            trace(.dropped, function: Int(schedules[s].function), batch: retries - 1, at: now)
            releaseScheduledEvent(e)
            return
        }
        events.schedule(.scheduleRetry(event: Int32(e), generation: scheduledEvents[e].generation), after: delay)
    }

    private func releaseScheduledEvent(_ e: Int) {
        scheduledEvents[e].inUse = false
        scheduledEvents[e].generation &+= 1
        freeScheduledEvents.append(e)
    }

    private func scheduleDrainStep(_ r: Int, at time: SimTime, events: inout EventList<WorldEvent>) {
        events.schedule(.drainStep(run: Int32(r), generation: drainRuns[r].generation), at: min(time, drainRuns[r].deadline))
    }

    /// The drain takes the next message, if its job can start.
    func drainStep(_ r: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard drainRuns[r].inUse, drainRuns[r].generation == generation else { return }
        let s = Int(drainRuns[r].schedule)
        let f = Int(schedules[s].function)
        if now >= drainRuns[r].deadline {
            finishDrain(r, timedOut: true, events: &events)
            return
        }
        if drainRuns[r].willFail, functions[f].spec.errorAt == .start {
            finishDrain(r, timedOut: false, events: &events)
            return
        }
        var batch: [Receipt] = []
        guard receive(queue: Int(schedules[s].queue), limit: 1, into: &batch, events: &events) == 1, let receipt = batch.first else {
            // The drain's short poll came back empty: still a billed request.
            recordSQSRequest(queue: Int(schedules[s].queue), bytes: 0)
            finishDrain(r, timedOut: false, events: &events)
            return
        }
        let d = Int(schedules[s].downstream)
        let id = receipt.message
        guard let call = startDownstreamCall(d, group: Int(receipt.group), tenant: messages[receipt.message].tenant, now: now) else {
            // No free job slot: give the message back and stop until the next tick.
            giveBack(receipt, events: &events)
            finishDrain(r, timedOut: false, events: &events)
            return
        }
        let latency = streams.sample(downstreams[d].spec.latency, key: messages[id].randomKey,
                                     attempt: messages[id].receiveCount, purpose: .downstreamLatency)
        _ = delete(receipt, events: &events)
        messages[id].state = .inJob
        messages[id].generation &+= 1
        jobs[id.index] = (call, Int32(f))
        events.schedule(.jobDone(message: id, generation: messages[id].generation), after: latency)
        let work = streams.sample(functions[f].spec.perMessage, key: messages[id].randomKey,
                                  attempt: messages[id].receiveCount, purpose: .work)
        scheduleDrainStep(r, at: now + work, events: &events)
    }

    /// A downstream job ends: its slot is free and its message has succeeded.
    func jobDone(_ id: MessageID, generation: UInt32) {
        guard messages[id].generation == generation, messages[id].state == .inJob,
              let job = jobs.removeValue(forKey: id.index) else { return }
        endDownstreamCall(job.call)
        let message = messages[id]
        countSuccess(group: Int(message.group), function: Int(job.function), latency: now - message.sentAt,
                     measured: message.measured, tenant: message.tenant)
        releaseMessage(id)
    }

    /// The drain returns (`timedOut`: cut off by the function's timeout); a failed
    /// invocation's event is retried.
    private func finishDrain(_ r: Int, timedOut: Bool, events: inout EventList<WorldEvent>) {
        let f = Int(schedules[Int(drainRuns[r].schedule)].function)
        let failed = timedOut || drainRuns[r].willFail
        billInvocation(function: f, environment: drainRuns[r].environment, duration: now - drainRuns[r].startedAt)
        if failed { countFunctionError(function: f, now: now) }
        trace(timedOut ? .timedOut : failed ? .failed : .succeeded, function: f, batch: 0, at: now)
        finishExecution(function: f, environment: drainRuns[r].environment, events: &events)
        let e = Int(drainRuns[r].event)
        drainRuns[r].inUse = false
        drainRuns[r].generation &+= 1
        freeDrainRuns.append(r)
        if failed { retryScheduledEvent(e, events: &events) } else { releaseScheduledEvent(e) }
    }
}

/// A schedule resolved to indexes.
struct Schedule {
    let spec: ScheduleSpec
    let function: Int32
    let queue: Int32
    let downstream: Int32
}
