import SimCore

/// A task group's producer: sends messages into its queue by its arrival process.
struct Producer {
    let spec: TaskGroupSpec
    /// The spec's arrival process in plain numbers, read on every arrival.
    let clock: ArrivalClock
    let queue: Int32
    /// The function its clients invoke directly, or -1 when it sends to `queue`.
    let directFunction: Int32
    /// The front door its requests pass, or -1.
    var frontDoor: Int32 = -1
    /// Asynchronous invocations: the on-failure destination queue, or -1.
    var asyncDestination: Int32 = -1
    /// FIFO: the message group slots this producer's keys map to (empty for per-message ids).
    let fifoSlots: [Int32]
    /// Trace and batch processes: how far through the process the producer is.
    var position = 0
    /// The spec's resends, kept beside it: read on every send.
    let resend: ResendSpec?
    /// The spec's message size when it has no size distribution, else -1 (read on every send).
    let fixedMessageSize: Int

    init(spec: TaskGroupSpec, queue: Int32, directFunction: Int32, fifoSlots: [Int32]) {
        self.spec = spec
        self.clock = ArrivalClock(spec.arrivals)
        self.queue = queue
        self.directFunction = directFunction
        self.fifoSlots = fifoSlots
        resend = spec.resend
        fixedMessageSize = spec.messageSizes == nil ? spec.messageSize : -1
    }
}

/// A producer's arrival process as plain numbers, for the processes that need no more.
///
/// ``ArrivalProcess`` has cases that hold arrays (schedules, traces), so reading it out of the
/// producer on every arrival copied the enum and retained and released its payload, about 75
/// instructions per message (Benchmarks/PROFILE.md, fourth round). Poisson and bursts, the
/// processes of nearly every scenario, need only numbers; the others are read from the spec.
enum ArrivalClock {
    case poisson(perSecond: Double)
    case bursts(perSecond: Double, on: SimTime, off: SimTime, basePerSecond: Double)
    /// Constant, schedule, batch or trace: ``ArrivalProcess/nextArrival(after:position:stream:)``.
    case fromSpec
    /// Several processes side by side: SuperposedArrivals.swift.
    case superposed

    init(_ process: ArrivalProcess) {
        switch process {
        case .poisson(let rate): self = .poisson(perSecond: rate.perSecond)
        case .bursts(let rate, let on, let off, let baseRate):
            self = .bursts(perSecond: rate.perSecond, on: on, off: off, basePerSecond: baseRate.perSecond)
        case .constant, .schedule, .batch, .trace: self = .fromSpec
        case .superposed: self = .superposed
        }
    }
}

extension ArrivalProcess {
    /// The time of the next send after `now`, or nil if the process sends no more.
    ///
    /// Time-varying Poisson processes are sampled exactly by inverting the integrated rate:
    /// one Exp(1) draw is spent across piecewise-constant segments until it runs out.
    func nextArrival(after now: SimTime, position: inout Int, stream: RandomStream.Handle) -> SimTime? {
        switch self {
        case .poisson(let rate):
            return Self.poissonArrival(after: now, perSecond: rate.perSecond, stream: stream)
        case .constant(let rate):
            guard rate.perSecond > 0 else { return nil }
            position += 1
            // Computed from the count, not by adding gaps, so rounding never accumulates.
            return SimTime(seconds: Double(position) / rate.perSecond)
        case .bursts(let rate, let on, let off, let baseRate):
            return Self.burstArrival(after: now, perSecond: rate.perSecond, on: on, off: off,
                                     basePerSecond: baseRate.perSecond, stream: stream)
        case .schedule(let steps):
            guard !steps.isEmpty else { return nil }
            return Self.piecewisePoisson(from: now, stream: stream) { t in
                // The last step whose time has come; before the first step nothing is sent.
                var rate = 0.0
                var segmentEnd = SimTime.never
                for step in steps {
                    if step.at <= t { rate = step.rate.perSecond } else { segmentEnd = step.at; break }
                }
                return (rate, segmentEnd)
            }
        case .batch(let every, _, let start):
            // `position` counts batches already sent.
            guard every > .zero || position == 0 else { return nil }
            let next = start + every * Int64(position)
            position += 1
            return next
        case .trace(let times):
            while position < times.count, times[position] < now { position += 1 }
            guard position < times.count else { return nil }
            position += 1
            return times[position - 1]
        case .superposed:
            // Each process of a superposition has its own position and stream: the world
            // draws them one by one (``World/nextSuperposedArrival(_:)``).
            return nil
        }
    }

    /// The next send of a Poisson process.
    @inline(__always)
    static func poissonArrival(after now: SimTime, perSecond: Double, stream: RandomStream.Handle) -> SimTime? {
        guard perSecond > 0 else { return nil }
        return now + SimTime(seconds: gslExponential(stream) / perSecond)
    }

    /// The next send of an on/off modulated Poisson process: `perSecond` for `on`, then
    /// `basePerSecond` for `off`, repeating.
    static func burstArrival(after now: SimTime, perSecond: Double, on: SimTime, off: SimTime,
                             basePerSecond: Double, stream: RandomStream.Handle) -> SimTime? {
        let period = on + off
        guard period > .zero else { return nil }
        return piecewisePoisson(from: now, stream: stream) { t in
            let phase = SimTime(nanoseconds: t.nanoseconds % period.nanoseconds)
            let periodStart = t - phase
            return phase < on ? (perSecond, periodStart + on) : (basePerSecond, periodStart + period)
        }
    }

    /// Messages sent at each arrival instant (a batch process sends many at once).
    var messagesPerArrival: Int {
        if case .batch(_, let size, _) = self { return size }
        return 1
    }

    /// Samples the next event time of a Poisson process with piecewise-constant rate.
    private static func piecewisePoisson(
        from now: SimTime, stream: RandomStream.Handle, segment: (SimTime) -> (rate: Double, end: SimTime)
    ) -> SimTime? {
        var t = now
        var work = gslExponential(stream)
        // A schedule whose last rate is zero ends; bounded loops guard a degenerate spec.
        for _ in 0..<1_000_000 {
            let (rate, end) = segment(t)
            if rate > 0 {
                let candidate = t.seconds + work / rate
                if end == .never || candidate < end.seconds { return SimTime(seconds: candidate) }
                work -= rate * (end - t).seconds
            } else if end == .never {
                return nil
            }
            t = end
        }
        return nil
    }
}

/// An Exp(1) draw.
@inline(__always)
private func gslExponential(_ stream: RandomStream.Handle) -> Double {
    Distribution.exponential(mean: .s(1)).sampleSeconds(stream)
}

extension World {
    /// Schedules a producer's first send.
    func startProducer(_ g: Int, events: inout EventList<WorldEvent>) {
        scheduleNextArrival(g, after: .zero, events: &events)
    }

    private func scheduleNextArrival(_ g: Int, after now: SimTime, events: inout EventList<WorldEvent>) {
        let next: SimTime?
        switch producers[g].clock {
        case .poisson(let perSecond):
            next = ArrivalProcess.poissonArrival(after: now, perSecond: perSecond, stream: streams.arrivals[g])
        case .bursts(let perSecond, let on, let off, let basePerSecond):
            next = ArrivalProcess.burstArrival(after: now, perSecond: perSecond, on: on, off: off,
                                               basePerSecond: basePerSecond, stream: streams.arrivals[g])
        case .fromSpec:
            let process = producers[g].spec.arrivals
            next = process.nextArrival(after: now, position: &producers[g].position, stream: streams.arrivals[g])
        case .superposed:
            next = nextSuperposedArrival(g)
        }
        guard let next, next < spec.run.duration else { return }
        events.schedule(.arrival(group: GroupID(g)), at: max(next, now))
    }

    /// A producer sends (a batch process sends many at once), then schedules its next send.
    func arrival(_ g: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let count: Int
        switch producers[g].clock {
        case .fromSpec: count = producers[g].spec.arrivals.messagesPerArrival
        case .superposed: count = superposedArrival(g)
        case .poisson, .bursts: count = 1
        }
        let direct = Int(producers[g].directFunction)
        for _ in 0..<count {
            if direct >= 0 {
                startDirectRequest(group: g, function: direct, events: &events)
            } else if frontDoorAdmits(group: g) {
                send(group: g, events: &events)
            }
        }
        scheduleNextArrival(g, after: now, events: &events)
    }

    /// SendMessage: a new message of group `g` enters its queue.
    private func send(group g: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        // Fields are read one by one: a copy of the producer would retain its spec's parts.
        let q = Int(producers[g].queue)
        var message = Message()
        // A group of many tenants: each its own MessageGroupId (Tenants.swift).
        let tenant = chooseTenant(group: g)
        if queues[q].order != .plain { message.fifoGroup = groupSlotOfSend(group: g, queue: q, tenant: tenant, at: now) }
        message.tenant = tenant
        message.group = Int32(g)
        message.queue = producers[g].queue
        message.sequence = nextSequence
        nextSequence += 1
        message.sentAt = now
        message.randomKey = streams.work[g].next32()
        let messageSize = messageSize(group: g, key: message.randomKey)
        message.size = Int32(clamping: messageSize)
        message.measured = now >= measurementStart
        let id = messages.allocate(message)
        countSent(group: g, measured: message.measured)
        if tenant >= 0, message.measured { countTenantSent(tenant) }
        // A FIFO queue's quota may refuse the call (FifoThroughput.swift).
        if queues[q].isFIFO, !fifoSendAccepted(id, queue: q, events: &events) { return }
        sendAccepted(id, queue: q, events: &events)
    }

    /// SQS has accepted a producer's SendMessage: the message goes into its queue, through
    /// the front door's integration latency if it has one.
    @inline(__always) // on every message's path
    func sendAccepted(_ id: MessageID, queue q: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let g = Int(messages[id].group)
        recordSQSRequest(queue: q, bytes: Int(messages[id].size))
        trace(.sent, message: id, at: now)
        if let resend = producers[g].resend { scheduleResend(of: id, resend: resend, events: &events) }
        let integration = frontDoorLatency(group: g, key: messages[id].randomKey)
        guard integration > .zero else {
            enqueue(id, into: Int32(q), events: &events)
            return
        }
        // On its way from the front door (FrontDoor.swift).
        messages[id].state = .inJob
        messages[id].enqueuedAt = now
        events.schedule(.frontDoorForward(message: id, generation: messages[id].generation), after: integration)
    }
}
