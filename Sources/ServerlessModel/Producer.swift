import SimCore

/// A task group's producer: sends messages into its queue by its arrival process.
struct Producer {
    let spec: TaskGroupSpec
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
}

extension ArrivalProcess {
    /// The time of the next send after `now`, or nil if the process sends no more.
    ///
    /// Time-varying Poisson processes are sampled exactly by inverting the integrated rate:
    /// one Exp(1) draw is spent across piecewise-constant segments until it runs out.
    func nextArrival(after now: SimTime, position: inout Int, stream: RandomStream) -> SimTime? {
        switch self {
        case .poisson(let rate):
            guard rate.perSecond > 0 else { return nil }
            return now + SimTime(seconds: gslExponential(stream) / rate.perSecond)
        case .constant(let rate):
            guard rate.perSecond > 0 else { return nil }
            position += 1
            // Computed from the count, not by adding gaps, so rounding never accumulates.
            return SimTime(seconds: Double(position) / rate.perSecond)
        case .bursts(let rate, let on, let off, let baseRate):
            let period = on + off
            guard period > .zero else { return nil }
            return Self.piecewisePoisson(from: now, stream: stream) { t in
                let phase = SimTime(nanoseconds: t.nanoseconds % period.nanoseconds)
                let periodStart = t - phase
                return phase < on ? (rate.perSecond, periodStart + on) : (baseRate.perSecond, periodStart + period)
            }
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
        }
    }

    /// Messages sent at each arrival instant (a batch process sends many at once).
    var messagesPerArrival: Int {
        if case .batch(_, let size, _) = self { return size }
        return 1
    }

    /// Samples the next event time of a Poisson process with piecewise-constant rate.
    private static func piecewisePoisson(
        from now: SimTime, stream: RandomStream, segment: (SimTime) -> (rate: Double, end: SimTime)
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
private func gslExponential(_ stream: RandomStream) -> Double {
    Distribution.exponential(mean: .s(1)).sampleSeconds(stream)
}

extension World {
    /// Schedules a producer's first send.
    func startProducer(_ g: Int, events: inout EventList<WorldEvent>) {
        scheduleNextArrival(g, after: .zero, events: &events)
    }

    private func scheduleNextArrival(_ g: Int, after now: SimTime, events: inout EventList<WorldEvent>) {
        let process = producers[g].spec.arrivals
        guard let next = process.nextArrival(after: now, position: &producers[g].position, stream: streams.arrivals[g]),
              next < spec.run.duration else { return }
        events.schedule(.arrival(group: GroupID(g)), at: max(next, now))
    }

    /// A producer sends (a batch process sends many at once), then schedules its next send.
    func arrival(_ g: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let count = producers[g].spec.arrivals.messagesPerArrival
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
        if queues[q].isFIFO {
            let staticSlot: Int32
            switch producers[g].spec.fifoGroupKey {
            case .message: staticSlot = -1
            case .keys(let n): staticSlot = producers[g].fifoSlots[streams.fifoKeys[g].integer(below: n)]
            case .group, .fixed: staticSlot = producers[g].fifoSlots.first ?? -1
            }
            message.fifoGroup = fifoGroupSlot(queue: q, staticSlot: staticSlot)
        }
        message.group = Int32(g)
        message.queue = producers[g].queue
        message.sequence = nextSequence
        nextSequence += 1
        message.sentAt = now
        let messageSize = producers[g].spec.messageSize
        message.size = Int32(clamping: messageSize)
        message.randomKey = streams.work[g].next32()
        message.measured = now >= measurementStart
        let id = messages.allocate(message)
        recordSQSRequest(queue: q, bytes: messageSize)
        countSent(group: g, measured: message.measured)
        trace(.sent, message: id, at: now)
        enqueue(id, into: Int32(q), events: &events)
    }
}
