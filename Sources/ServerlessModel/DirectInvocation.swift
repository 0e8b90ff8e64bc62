import SimCore

/// Clients invoking a function directly, without an SQS queue: synchronously or asynchronously.
///
/// A synchronous caller waits for the function. A throttled call fails at once with HTTP 429;
/// the client retries by its ``ClientRetryPolicy`` (exponential back-off, full jitter, as the
/// AWS SDKs do) and gives up when the retries are spent: the request is dropped. A function
/// error or timeout is returned to the caller, which does not retry it (the SDKs retry
/// throttles, not function errors), so the request is dropped too. With no retries this is
/// the M/M/c/c loss system of Erlang B.
///
/// An asynchronous event is accepted at once into Lambda's internal queue
/// (``AsyncInvocationPolicy``): throttles are retried with back-off from 1 s to 5 minutes
/// while the event is younger than its maximum age, function errors up to the retry attempts;
/// then the event goes to the on-failure destination queue (counted as dead-lettered) or is
/// dropped.
///
/// A function with a `downstream` calls it once per request, after its handler time (as an
/// invocation of a mapping calls it once per message): the downstream's latency is added, and
/// its rate and concurrency limits apply together with every other caller's. A refused call
/// fails the invocation at once (the handler throws on the service's 429): a synchronous
/// caller gets the error, and retries it only if its policy says so
/// (``ClientRetryPolicy/retryFunctionErrors``); an asynchronous event is retried by Lambda's
/// rules above. A call still in progress at the function's timeout or a crash ends with it.
struct DirectRequest {
    var group: Int32 = 0
    var function: Int32 = 0
    var sequence: Int64 = 0
    var sentAt: SimTime = .zero
    /// Retries after throttles so far.
    var retries = 0
    /// Asynchronous: retries after function errors so far.
    var errorRetries = 0
    /// Bumped whenever the request moves on: an event of an older generation is stale.
    var generation: UInt32 = 0
    var environment = EnvironmentID(0)
    var startedAt: SimTime = .zero
    var failed = false
    /// An invocation is running (between admission and its return).
    var isRunning = false
    var measured = false
    var inUse = false
    /// The request's own random key (see ``Streams/sample(_:key:attempt:purpose:)``).
    var randomKey: UInt32 = 0
    /// With a downstream: the call in progress, when the handler is cut off, when it crashes.
    var call = DownstreamCall()
    var deadline: SimTime = .zero
    var crashAt: SimTime = .never
}

extension World {
    /// A client of group `g` sends a request to its function.
    func startDirectRequest(group g: Int, function f: Int, events: inout EventList<WorldEvent>) {
        var request = DirectRequest()
        request.group = Int32(g)
        request.function = Int32(f)
        request.sequence = nextSequence
        nextSequence += 1
        request.sentAt = now
        request.measured = isMeasured(now)
        request.inUse = true
        request.randomKey = streams.work[g].next32()
        let r = takeSlot(request, in: &requests, free: &freeRequests, generation: \.generation)
        countSent(group: g, measured: request.measured)
        if tracing {
            traceLog.append(TraceRecord(time: now, kind: .sent, message: request.sequence, entity: functions[f].spec.name, count: 0))
        }
        attemptDirectRequest(r, events: &events)
    }

    /// The client calls Invoke: admitted, or throttled and retried or dropped.
    func attemptDirectRequest(_ r: Int, events: inout EventList<WorldEvent>) {
        let f = Int(requests[r].function)
        let g = Int(requests[r].group)
        let measured = requests[r].measured
        countAttempt(function: f, group: g, messageMeasured: measured, now: now)
        requests[r].generation &+= 1
        switch admit(function: f, now: now) {
        case .throttled:
            countThrottle(function: f, group: g, messageMeasured: measured, now: now)
            trace(.throttled, function: f, batch: 1, at: now)
            guard let delay = throttleRetryDelay(r) else {
                giveUp(r, events: &events)
                return
            }
            events.schedule(.directRequestRetry(request: Int32(r), generation: requests[r].generation), after: delay)
        case .warm(let env):
            runDirectRequest(r, function: f, environment: env, cold: false, events: &events)
        case .cold(let env):
            runDirectRequest(r, function: f, environment: env, cold: true, events: &events)
        }
    }

    /// The delay before retrying a throttled request, or nil when the caller gives up.
    private func throttleRetryDelay(_ r: Int) -> SimTime? {
        let g = Int(requests[r].group)
        guard let invoke = producers[g].spec.invoke else { return nil }
        requests[r].retries += 1
        switch invoke.mode {
        case .synchronous:
            let policy = invoke.retry
            guard requests[r].retries <= policy.attempts else { return nil }
            let backoff = policy.backoff(beforeRetry: requests[r].retries)
            return policy.jitter ? SimTime(seconds: streams.clientRetry[g].uniform() * backoff.seconds) : backoff
        case .asynchronous:
            let exponent = Int64(min(requests[r].retries - 1, 20))
            let delay = min(AsyncInvocationPolicy.maximumThrottleBackoff,
                            AsyncInvocationPolicy.initialThrottleBackoff * (Int64(1) << exponent))
            guard now + delay - requests[r].sentAt <= invoke.asynchronous.maximumEventAge else { return nil }
            return delay
        }
    }

    /// The caller (or Lambda's event queue) gives up: an asynchronous event goes to its
    /// on-failure destination if it has one; anything else is dropped.
    private func giveUp(_ r: Int, events: inout EventList<WorldEvent>) {
        let g = Int(requests[r].group)
        let destination = producers[g].asyncDestination
        guard destination >= 0 else {
            dropDirectRequest(r)
            return
        }
        if requests[r].measured { metrics.groups[g].deadLettered += 1 }
        if tracing {
            traceLog.append(TraceRecord(time: now, kind: .deadLettered, message: requests[r].sequence,
                                        entity: queues[Int(destination)].spec.name, count: requests[r].retries))
        }
        // The failed event becomes a message of the destination queue; it was counted as
        // dead-lettered, so it is not measured again.
        var message = Message()
        message.group = Int32(g)
        message.queue = destination
        message.sequence = requests[r].sequence
        message.sentAt = requests[r].sentAt
        let size = messageSize(group: g, key: requests[r].randomKey)
        message.size = Int32(clamping: size)
        message.randomKey = requests[r].randomKey
        message.measured = false
        let id = messages.allocate(message)
        metrics.groups[g].inSystem.add(1, at: now)
        recordSQSRequest(queue: Int(destination), bytes: size)
        releaseDirectRequest(r)
        forward(id, into: destination, events: &events)
    }

    private func runDirectRequest(_ r: Int, function f: Int, environment env: EnvironmentID, cold: Bool,
                                  events: inout EventList<WorldEvent>) {
        let spec = functions[f].spec
        countInvocation(function: f, cold: cold, now: now)
        trace(cold ? .coldStart : .invoked, function: f, batch: 1, at: now)
        let initDuration = cold ? min(spec.coldStart.sample(streams.coldStart[f]), Self.initLimit) : .zero
        let handlerStart = now + initDuration
        var handler = spec.duration.sample(streams.duration[f])
            + streams.sample(spec.perMessage, key: requests[r].randomKey, attempt: Int32(requests[r].retries), purpose: .work)
        let willFail = streams.errors[f].bernoulli(errorRate(function: f, now: now))
        // Thrown at the handler's start: no work and no downstream call.
        let throwsAtStart = willFail && spec.errorAt == .start
        if throwsAtStart { handler = .zero }
        requests[r].environment = env
        requests[r].startedAt = now
        requests[r].isRunning = true
        requests[r].failed = willFail || handler > spec.timeout
        let crashAt = crashTime(function: f, handlerStart: handlerStart, duration: handler)
        if functions[f].downstream >= 0, !throwsAtStart {
            requests[r].deadline = handlerStart + spec.timeout
            requests[r].crashAt = crashAt
            scheduleDirectStep(r, .directRequestCall(request: Int32(r), generation: requests[r].generation),
                               at: handlerStart + handler, events: &events)
            return
        }
        let end = handlerStart + min(handler, spec.timeout)
        if crashAt < end {
            events.schedule(.directRequestCrash(request: Int32(r), generation: requests[r].generation), at: crashAt)
        } else {
            events.schedule(.directRequestDone(request: Int32(r), generation: requests[r].generation), at: end)
        }
    }

    /// Schedules the request's next step (its downstream call or its return) at `time`, or
    /// its timeout or crash if one comes first.
    private func scheduleDirectStep(_ r: Int, _ step: WorldEvent, at time: SimTime, events: inout EventList<WorldEvent>) {
        let generation = requests[r].generation
        let (deadline, crashAt) = (requests[r].deadline, requests[r].crashAt)
        if crashAt < min(time, deadline) {
            events.schedule(.directRequestCrash(request: Int32(r), generation: generation), at: crashAt)
        } else if time > deadline {
            requests[r].failed = true
            events.schedule(.directRequestDone(request: Int32(r), generation: generation), at: deadline)
        } else {
            events.schedule(step, at: time)
        }
    }

    /// The handler calls the downstream: the call holds its slots for the downstream's latency,
    /// or a refused call fails the invocation now.
    func directRequestCall(_ r: Int, events: inout EventList<WorldEvent>) {
        let f = Int(requests[r].function)
        let g = Int(requests[r].group)
        let d = Int(functions[f].downstream)
        guard let call = startDownstreamCall(d, group: g, tenant: -1, now: now) else {
            if requests[r].measured { metrics.groups[g].downstreamViolations += 1 }
            if isMeasured(now) { metrics.functions[f].downstreamViolations += 1 }
            requests[r].failed = true
            directRequestDone(r, generation: requests[r].generation, events: &events)
            return
        }
        requests[r].call = call
        let attempt = Int32(requests[r].retries + requests[r].errorRetries)
        let latency = streams.sample(downstreams[d].spec.latency, key: requests[r].randomKey, attempt: attempt,
                                     purpose: .downstreamLatency)
        scheduleDirectStep(r, .directRequestDone(request: Int32(r), generation: requests[r].generation),
                           at: now + latency, events: &events)
    }

    /// The environment running a direct request died: the caller gets an error.
    func directRequestCrashed(_ r: Int, events: inout EventList<WorldEvent>) {
        endDirectCall(r)
        let f = Int(requests[r].function)
        billInvocation(function: f, environment: requests[r].environment, duration: now - requests[r].startedAt)
        crashExecution(function: f, environment: requests[r].environment, events: &events)
        countFunctionError(function: f, now: now)
        trace(.crashed, function: f, batch: 1, at: now)
        requests[r].isRunning = false
        failedInvocation(r, events: &events)
    }

    /// The downstream call in progress, if any, ends with the invocation.
    private func endDirectCall(_ r: Int) {
        endDownstreamCall(requests[r].call)
        requests[r].call = DownstreamCall()
    }

    /// The invocation failed: a synchronous caller gets the error and retries it only if its
    /// policy retries function errors; Lambda retries an asynchronous event after 1 minute,
    /// then 2, within its retry attempts and maximum age.
    private func failedInvocation(_ r: Int, events: inout EventList<WorldEvent>) {
        let g = Int(requests[r].group)
        if let invoke = producers[g].spec.invoke, invoke.mode == .synchronous, invoke.retry.retryFunctionErrors,
           requests[r].retries < invoke.retry.attempts {
            requests[r].retries += 1
            let backoff = invoke.retry.backoff(beforeRetry: requests[r].retries)
            let delay = invoke.retry.jitter ? SimTime(seconds: streams.clientRetry[g].uniform() * backoff.seconds) : backoff
            requests[r].generation &+= 1
            events.schedule(.directRequestRetry(request: Int32(r), generation: requests[r].generation), after: delay)
            return
        }
        guard let invoke = producers[g].spec.invoke, invoke.mode == .asynchronous,
              requests[r].errorRetries < invoke.asynchronous.retryAttempts else {
            giveUp(r, events: &events)
            return
        }
        requests[r].errorRetries += 1
        let delay = AsyncInvocationPolicy.errorRetryDelay(requests[r].errorRetries)
        guard now + delay - requests[r].sentAt <= invoke.asynchronous.maximumEventAge else {
            giveUp(r, events: &events)
            return
        }
        requests[r].generation &+= 1
        events.schedule(.directRequestRetry(request: Int32(r), generation: requests[r].generation), after: delay)
    }

    /// The invocation returned to the waiting caller.
    func directRequestDone(_ r: Int, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard requests[r].inUse, requests[r].generation == generation else { return }
        endDirectCall(r)
        let f = Int(requests[r].function)
        let g = Int(requests[r].group)
        requests[r].isRunning = false
        billInvocation(function: f, environment: requests[r].environment, duration: now - requests[r].startedAt)
        finishExecution(function: f, environment: requests[r].environment, events: &events)
        if requests[r].failed {
            countFunctionError(function: f, now: now)
            trace(.failed, function: f, batch: 1, at: now)
            failedInvocation(r, events: &events)
            return
        }
        trace(.succeeded, function: f, batch: 1, at: now)
        countSuccess(group: g, function: f, latency: now - requests[r].sentAt, measured: requests[r].measured)
        releaseDirectRequest(r)
    }

    /// The client gives up: the request is lost to the caller.
    private func dropDirectRequest(_ r: Int) {
        if requests[r].measured { metrics.groups[Int(requests[r].group)].dropped += 1 }
        if tracing {
            traceLog.append(TraceRecord(time: now, kind: .dropped, message: requests[r].sequence,
                                        entity: functions[Int(requests[r].function)].spec.name, count: requests[r].retries))
        }
        releaseDirectRequest(r)
    }

    private func releaseDirectRequest(_ r: Int) {
        metrics.groups[Int(requests[r].group)].inSystem.add(-1, at: now)
        requests[r].inUse = false
        requests[r].generation &+= 1
        freeRequests.append(r)
    }
}
