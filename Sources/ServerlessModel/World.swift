import SimCore

/// The simulated world of one run: producers, queues, functions, mappings, downstreams.
///
/// Entities live in arrays and refer to each other by index; behaviour lives in the file
/// named after the entity (`SQSQueue.swift`, `LambdaFunction.swift`,
/// `EventSourceMapping.swift`, `Invocation.swift`, `Downstream.swift`, `Producer.swift`).
/// This file builds the world from a ``PipelineSpec`` and dispatches events.
///
/// The mutable state is `@exclusivity(unchecked)`: a class's stored properties are otherwise
/// checked for overlapping access at run time, on every access, and those checks (a
/// thread-local access set per read or write) took about 40 % of a run's instructions in
/// callgrind (Benchmarks/PROFILE.md). A World is owned by one run on one thread, and its
/// methods reach its arrays one element at a time, never holding one access across another.
/// The entities written on every message live in ``EntityStore``s rather than arrays, so
/// those writes make no copy-on-write check either.
public final class World: DiscreteEventModel {
    public typealias Event = WorldEvent

    let spec: PipelineSpec
    let replication: Int
    let seed: UInt64
    /// Messages sent before this are left out of statistics.
    let measurementStart: SimTime
    let streams: Streams

    /// The time of the event being handled (kept here for bookkeeping that needs no events).
    @exclusivity(unchecked) var now: SimTime = .zero
    @exclusivity(unchecked) var messages = MessagePool()
    @exclusivity(unchecked) var nextSequence: Int64 = 0
    let producers = EntityStore<Producer>()
    /// Groups with a list of arrival processes (SuperposedArrivals.swift); empty for the others.
    @exclusivity(unchecked) var superposedArrivals: [SuperposedArrivals] = []
    let queues = EntityStore<SQSQueue>()
    let functions = EntityStore<LambdaFunction>()
    @exclusivity(unchecked) var account: LambdaAccount
    let environments = EntityStore<ExecutionEnvironment>()
    /// The EC2 fleets of the functions on Managed Instances (ManagedInstances.swift).
    @exclusivity(unchecked) var fleets: [InstanceFleet] = []
    /// Instances of every fleet over the measurement window (the `all` scope's).
    @exclusivity(unchecked) var allInstances = TimeWeightedAverage()
    @exclusivity(unchecked) var freeEnvironments: [EnvironmentID] = []
    let mappings = EntityStore<EventSourceMapping>()
    let pollers = EntityStore<Poller>()
    @exclusivity(unchecked) var freePollers: [PollerID] = []
    /// Pollers of every mapping, not retired.
    @exclusivity(unchecked) var activePollers = 0
    let downstreams = EntityStore<Downstream>()
    @exclusivity(unchecked) var frontDoors: [FrontDoor] = []
    /// Container services and their workers (ContainerService.swift).
    @exclusivity(unchecked) var containers = ContainerPool()
    @exclusivity(unchecked) var schedules: [Schedule] = []
    @exclusivity(unchecked) var drainRuns: [DrainRun] = []
    @exclusivity(unchecked) var freeDrainRuns: [Int] = []
    /// Firings of schedules not yet delivered (ScheduledDrain.swift).
    @exclusivity(unchecked) var scheduledEvents: [ScheduledEvent] = []
    @exclusivity(unchecked) var freeScheduledEvents: [Int] = []
    /// Downstream jobs in progress, by message slot: the slots they hold and the function
    /// that started them.
    @exclusivity(unchecked) var jobs: [Int32: (call: DownstreamCall, function: Int32)] = [:]
    @exclusivity(unchecked) var requests: [DirectRequest] = []
    @exclusivity(unchecked) var freeRequests: [Int] = []
    /// Duplicate copies made during a receive, made receivable when it ends.
    @exclusivity(unchecked) var pendingDuplicates: [MessageID] = []
    /// FIFO queues' message groups by MessageGroupId (MessageGroupIds.swift).
    @exclusivity(unchecked) var groupIds: MessageGroupIds

    /// The run's memory budget in bytes, if any (see ``MessagePool/slotLimit``).
    let memoryBudget: Int?
    /// Where and when the backlog passed the budget: the run stopped there.
    @exclusivity(unchecked) var overBudget: (queue: String, at: SimTime, messages: Int)?

    /// Whether trace records are kept (tests and `--trace` only).
    let tracing: Bool
    @exclusivity(unchecked) var traceLog: [TraceRecord] = []

    @exclusivity(unchecked) var metrics: Metrics
    @exclusivity(unchecked) var tenants: TenantTable
    @exclusivity(unchecked) var activity: IntervalActivity
    @exclusivity(unchecked) var timeseries: TimeSeriesRecorder
    @exclusivity(unchecked) var cost: CostMeter
    /// The usage billed by the warm-up's end and by the producers' end (MonthlyBill.swift);
    /// nil until then.
    @exclusivity(unchecked) var usageAtMeasurementStart: BillableUsage?
    @exclusivity(unchecked) var usageAtProductionEnd: BillableUsage?

    /// Builds the world of one replication; names are resolved to indexes here.
    ///
    /// `memoryBudget` (bytes) bounds the messages alive at once (``MemoryBudget``): a run
    /// whose backlog passes it stops, and ``simulate(_:replication:seed:tracing:memoryBudget:)``
    /// throws ``WorldError/backlogBeyondBudget(queue:at:messages:budgetBytes:)``.
    public init(spec: PipelineSpec, replication: Int = 0, seed: UInt64? = nil, tracing: Bool = false,
                memoryBudget: Int? = nil) throws(WorldError) {
        self.spec = spec
        self.memoryBudget = memoryBudget
        self.tracing = tracing
        self.replication = replication
        self.seed = seed ?? spec.run.seed
        if case .fixed(let warmup) = spec.run.warmup { measurementStart = warmup } else { measurementStart = .zero }
        streams = Streams(spec: spec, seed: self.seed, replication: replication)
        tenants = TenantTable(groups: spec.groups)

        let queueIndex = Dictionary(spec.queues.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let groupIndex = Dictionary(spec.groups.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let downstreamIndex = Dictionary(spec.downstreams.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func resolve(_ name: String?, in index: [String: Int], _ what: String, for owner: String) throws(WorldError) -> Int32 {
            guard let name else { return -1 }
            guard let i = index[name] else { throw WorldError.unknownReference(what: what, name: name, in: owner) }
            return Int32(i)
        }

        for queue in spec.queues {
            let dlq = try resolve(queue.deadLetter, in: queueIndex, "dead-letter queue", for: "queue \(queue.name)")
            queues.append(SQSQueue(spec: queue, deadLetter: dlq, runEnd: spec.run.end))
        }
        for q in queues.indices where queues[q].deadLetter >= 0 { queues[Int(queues[q].deadLetter)].isDeadLetterQueue = true }
        for function in spec.functions {
            if let name = function.trigger?.queue, let q = queueIndex[name] { queues[q].isRead = true }
        }
        for service in spec.containers {
            if let q = queueIndex[service.queue] { queues[q].isRead = true }
        }

        groupIds = MessageGroupIds(groups: spec.groups, queues: queues.count)
        let functionIndex = Dictionary(spec.functions.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (g, group) in spec.groups.enumerated() {
            if let invoke = group.invoke {
                let f = try resolve(invoke.function, in: functionIndex, "function", for: "group \(group.name)")
                var producer = Producer(spec: group, queue: -1, directFunction: f, fifoSlots: [])
                if invoke.mode == .asynchronous {
                    producer.asyncDestination = try resolve(invoke.asynchronous.onFailure, in: queueIndex, "on-failure queue",
                                                            for: "group \(group.name)")
                }
                producers.append(producer)
                continue
            }
            let q = try resolve(group.queue, in: queueIndex, "queue", for: "group \(group.name)")
            var slots: [Int32] = []
            // FIFO message groups and fair queues' tenants: one slot per MessageGroupId.
            if queues[Int(q)].order != .plain {
                for id in groupIds.idsOfGroup[g] { slots.append(groupIds.slot(of: id, in: Int(q), of: queues, group: g)) }
            }
            producers.append(Producer(spec: group, queue: q, directFunction: -1, fifoSlots: slots))
        }

        superposedArrivals = spec.groups.map { group in
            if case .superposed(let processes) = group.arrivals { SuperposedArrivals(processes) } else { SuperposedArrivals([]) }
        }
        frontDoors = spec.frontDoors.map { FrontDoor(spec: $0, groups: spec.groups.map(\.name)) }
        let doorIndex = Dictionary(spec.frontDoors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (g, group) in spec.groups.enumerated() {
            producers[g].frontDoor = try resolve(group.frontDoor, in: doorIndex, "front door", for: "group \(group.name)")
        }

        var reserved = 0
        for (f, function) in spec.functions.enumerated() {
            let d = try resolve(function.downstream, in: downstreamIndex, "downstream", for: "function \(function.name)")
            let out = try resolve(function.outputQueue, in: queueIndex, "output queue", for: "function \(function.name)")
            var fleet: Int32 = -1
            if case .managedInstances(let managed) = function.compute {
                try Self.checkManagedInstances(function)
                fleet = Int32(fleets.count)
                fleets.append(InstanceFleet(function: Int32(f), spec: managed, memoryMB: function.memoryMB))
            }
            functions.append(LambdaFunction(
                spec: function.withHandlerTimeAtMemory(), memoryGB: Double(function.memoryMB) / 1_024, downstream: d, outputQueue: out,
                slots: UInt16(function.compute.slots), fleet: fleet,
                usesUnreservedPool: function.reservedConcurrency == nil && fleet < 0,
                errorRate: function.errorRate, nextErrorRateChangeAt: function.errorRateChanges.first?.at ?? .never,
                scalingTokens: Double(spec.account.scalingPer10s)))
            reserved += function.reservedConcurrency ?? 0
        }
        account = LambdaAccount(unreservedCapacity: max(0, spec.account.concurrency - reserved))

        for downstream in spec.downstreams {
            let limits = EntityStore<LimitState>()
            var groupLimit = Array(repeating: Int32(-1), count: spec.groups.count)
            var allLimit: Int32 = -1
            var tenantLimit: [Int32] = []
            for (key, limit) in downstream.limits.sorted(by: { $0.key < $1.key }) {
                limits.append(LimitState(limit))
                let slot = Int32(limits.count - 1)
                if key == "all" {
                    allLimit = slot
                    continue
                }
                let g = Int(try resolve(key, in: groupIndex, "task group", for: "downstream \(downstream.name)"))
                groupLimit[g] = slot
                guard limit.perTenant, let spec = spec.groups[g].tenants else { continue }
                if tenantLimit.isEmpty { tenantLimit = Array(repeating: -1, count: tenants.group.count) }
                for k in 0..<spec.count {
                    var own = limit
                    if k < spec.limits.count, let rate = spec.limits[k] {
                        own.rate = rate
                        own.burst = nil
                    }
                    limits.append(LimitState(own))
                    tenantLimit[Int(tenants.first[g]) + k] = Int32(limits.count - 1)
                }
            }
            downstreams.append(Downstream(spec: downstream, groupLimit: groupLimit, allLimit: allLimit, tenantLimit: tenantLimit,
                                          limits: limits))
        }

        let functionByName = Dictionary(spec.functions.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for schedule in spec.schedules {
            let owner = "schedule \(schedule.name)"
            schedules.append(Schedule(
                spec: schedule, function: try resolve(schedule.function, in: functionByName, "function", for: owner),
                queue: try resolve(schedule.queue, in: queueIndex, "queue", for: owner),
                downstream: try resolve(schedule.untilDownstreamBusy, in: downstreamIndex, "downstream", for: owner)))
        }

        for (f, function) in spec.functions.enumerated() {
            guard let trigger = function.trigger else { continue }
            let q = try resolve(trigger.queue, in: queueIndex, "queue", for: "trigger of function \(function.name)")
            let mapping: EventSourceMapping
            if let provisioned = trigger.provisionedPollers {
                // Each provisioned poller runs up to 10 invokes at once: 10 batch loops here.
                let perPoller = ProvisionedPollers.invokesPerPoller
                mapping = EventSourceMapping(spec: trigger, function: Int32(f), queue: q, cap: provisioned.maximum * perPoller,
                                             floor: provisioned.minimum * perPoller, provisionedMinimum: provisioned.minimum,
                                             target: 0)
            } else {
                let cap = max(1, min(spec.assumptions.pollerMaximum, trigger.maximumConcurrency ?? .max))
                mapping = EventSourceMapping(spec: trigger, function: Int32(f), queue: q, cap: cap,
                                             floor: min(spec.assumptions.pollerMinimum, cap), provisionedMinimum: 0, target: 0)
            }
            mappings.append(mapping)
        }

        containers = try Self.containerPool(spec, seed: self.seed, replication: replication, queueIndex: queueIndex,
                                            downstreamIndex: downstreamIndex)
        metrics = Metrics(groups: spec.groups.count, functions: spec.functions.count)
        activity = IntervalActivity(groups: spec.groups.count, functions: spec.functions.count)
        timeseries = TimeSeriesRecorder(functions: spec.functions.count, interval: spec.run.timeseriesInterval)
        cost = CostMeter(functions: spec.functions.count)

        if let memoryBudget { messages.slotLimit = MemoryBudget.messages(within: memoryBudget) }
        for f in functions.indices {
            for _ in 0..<functions[f].spec.provisionedConcurrency {
                functions[f].idleProvisioned.append(newEnvironment(function: f, provisioned: true, now: .zero))
            }
        }
        startFleets()
    }

    /// Schedules what starts the run: producers, mappings, the time-series clock.
    public func start(events: inout EventList<WorldEvent>) {
        timeseries.sampleSequence = events.reserveSequence()
        for g in producers.indices { startProducer(g, events: &events) }
        for m in mappings.indices { startMapping(m, events: &events) }
        startContainers(events: &events)
        startSchedules(events: &events)
        scheduleFleetScaling(events: &events)
        for f in functions.indices {
            for time in functions[f].spec.crashes.at { events.schedule(.crash(function: FunctionID(f)), at: time) }
            for time in functions[f].spec.deployments { events.schedule(.deployment(function: FunctionID(f), repeating: false), at: time) }
            if let every = functions[f].spec.deploymentEvery {
                events.schedule(.deployment(function: FunctionID(f), repeating: true), at: every)
            }
        }
        scheduleSample(after: .zero, events: &events)
        if measurementStart > .zero { events.schedule(.warmupEnds, at: measurementStart) }
        if spec.run.drain > .zero { events.schedule(.productionEnds, at: spec.run.duration) }
    }

    public func handle(_ event: WorldEvent, events: inout EventList<WorldEvent>) {
        now = events.now
        // Past the budget every event is dropped without follow-ups, so the event list runs
        // dry and the run ends at once.
        if _slowPath(messages.isOverBudget) {
            if overBudget == nil { overBudget = fullestQueue() }
            return
        }
        switch event {
        case .arrival(let group):
            arrival(Int(group.index), events: &events)
        case .delayElapsed(let message, let generation):
            delayElapsed(message, generation: generation, events: &events)
        case .visibilityTimeout(let queue):
            visibilityTimeoutDue(queue: Int(queue.index), events: &events)
        case .retentionDue(let queue):
            retentionDue(queue: Int(queue.index), events: &events)
        case .pollerTimer(let poller, let event):
            pollerTimerEvent(Int(poller.index), event: event, events: &events)
        case .handOff(let poller, let generation):
            handOffEnded(Int(poller.index), generation: generation, events: &events)
        case .invocationStep(let poller, let generation):
            invocationStep(Int(poller.index), generation: generation, events: &events)
        case .directRequestRetry(let request, let generation):
            if requests[Int(request)].inUse, requests[Int(request)].generation == generation {
                attemptDirectRequest(Int(request), events: &events)
            }
        case .directRequestCrash(let request, let generation):
            if requests[Int(request)].inUse, requests[Int(request)].generation == generation {
                directRequestCrashed(Int(request), events: &events)
            }
        case .frontDoorForward(let message, let generation):
            frontDoorForwarded(message, generation: generation, events: &events)
        case .sendRetry(let message, let generation):
            sendRetried(message, generation: generation, events: &events)
        case .resend(let message, let generation):
            resendDue(message, generation: generation, events: &events)
        case .directRequestCall(let request, let generation):
            if requests[Int(request)].inUse, requests[Int(request)].generation == generation {
                directRequestCall(Int(request), events: &events)
            }
        case .directRequestDone(let request, let generation):
            directRequestDone(Int(request), generation: generation, events: &events)
        case .crash(let function):
            crashAllBusyEnvironments(function: Int(function.index), events: &events)
        case .deployment(let function, let repeating):
            deploy(function: Int(function.index), repeating: repeating, events: &events)
        case .provisionedReplacement(let function):
            provisionedReplacement(function: Int(function.index), now: events.now)
        case .environmentReclaim(let environment, let generation):
            reclaim(environment, generation: generation, events: &events)
        case .fleetScale(let fleet):
            fleetScale(Int(fleet), events: &events)
        case .fleetInstanceReady(let fleet):
            fleetInstanceReady(Int(fleet), events: &events)
        case .fleetEnvironmentReady(let fleet):
            fleetEnvironmentReady(Int(fleet), now: events.now)
        case .mappingScale(let mapping):
            mappingScale(Int(mapping.index), events: &events)
        case .fairQuietCheck(let queue, let tenant):
            fairQuietCheck(queue: Int(queue.index), tenant: Int(tenant), events: &events)
        case .queueWake(let queue):
            wakeWaitingPollers(queue: Int(queue.index), events: &events)
        case .workerTimer(let worker, let generation):
            workerTimer(Int(worker), generation: generation, events: &events)
        case .containerCrash(let service):
            containerCrash(Int(service), events: &events)
        case .containerScale(let service):
            containerScale(Int(service), events: &events)
        case .warmupEnds:
            startMeasuring(at: events.now)
        case .productionEnds:
            usageAtProductionEnd = billableUsage(at: events.now)
        case .scheduleTick(let schedule):
            scheduleTick(Int(schedule), events: &events)
        case .scheduleRetry(let event, let generation):
            scheduleRetry(Int(event), generation: generation, events: &events)
        case .drainStep(let run, let generation):
            drainStep(Int(run), generation: generation, events: &events)
        case .jobDone(let message, let generation):
            jobDone(message, generation: generation)
        case .sample:
            sampleTimeSeries(now: events.now)
            scheduleSample(after: events.now, events: &events)
        }
    }

    /// Schedules the end of the time-series interval that starts at `start`, unless the run
    /// ends first: the last interval is written with the results, at the run's end, so that
    /// events at that very time are in it too.
    ///
    /// Intervals are half-open, [start, end): the end of an interval runs before every other
    /// event at that instant, whenever that event was scheduled, because every sample takes
    /// the sequence number reserved before anything else of the run (``TimeSeriesRecorder/sampleSequence``;
    /// samples never share a time, so the event list's keys stay unique).
    private func scheduleSample(after start: SimTime, events: inout EventList<WorldEvent>) {
        guard timeseries.isOn, start + timeseries.interval < spec.run.end else { return }
        events.schedule(.sample, at: start + timeseries.interval, sequence: timeseries.sampleSequence)
    }

    /// The queue holding the most messages now, for the message of a run past its budget.
    private func fullestQueue() -> (queue: String, at: SimTime, messages: Int) {
        var held = Array(repeating: 0, count: queues.count)
        for message in messages.slots where message.state != .free { held[Int(message.queue)] += 1 }
        let fullest = held.indices.max { held[$0] < held[$1] } ?? 0
        return (queues.count == 0 ? "?" : queues[fullest].spec.name, now, messages.alive)
    }

    /// Steps of simulated time in which a run with a progress hook reports its clock.
    public static let progressSlices = 200

    /// Runs one replication of a pipeline from start to end and returns its results;
    /// `progress`, if given, is called with the simulated time ``progressSlices`` times
    /// along the way (the run is the same run with or without it).
    public static func simulate(_ spec: PipelineSpec, replication: Int = 0, seed: UInt64? = nil,
                                tracing: Bool = false, memoryBudget: Int? = nil,
                                progress: ((SimTime) -> Void)? = nil) throws(WorldError) -> RunResult {
        let world = try World(spec: spec, replication: replication, seed: seed, tracing: tracing, memoryBudget: memoryBudget)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        if let progress {
            simulation.run(until: spec.run.end, slices: progressSlices, progress: progress)
        } else {
            simulation.run(until: spec.run.end)
        }
        if let over = world.overBudget, let budget = memoryBudget {
            throw .backlogBeyondBudget(queue: over.queue, at: over.at, messages: over.messages, budgetBytes: budget)
        }
        return world.result(at: simulation.now, handledEvents: simulation.handledEvents)
    }
}

/// A pipeline description that cannot be built.
public enum WorldError: Error, Equatable, CustomStringConvertible {
    /// A name refers to nothing.
    case unknownReference(what: String, name: String, in: String)
    /// A combination the model does not simulate (yet); never silently approximated.
    case unsupported(String)
    /// The messages alive passed the run's memory budget: the run was stopped there.
    case backlogBeyondBudget(queue: String, at: SimTime, messages: Int, budgetBytes: Int)

    public var description: String {
        switch self {
        case .unknownReference(let what, let name, let owner): "\(owner) refers to unknown \(what) '\(name)'"
        case .unsupported(let what): what
        case .backlogBeyondBudget(let queue, let time, let messages, let budget):
            "arrivals exceed capacity: at \(MemoryBudget.clock(time)) of simulated time, \(MemoryBudget.grouped(messages)) messages were alive "
                + "(most of them in queue \(queue)), past the memory budget of \(MemoryBudget.text(bytes: budget)) "
                + "(about \(MemoryBudget.bytesPerMessage) bytes a message); the run was stopped there (expected a pipeline "
                + "that keeps up with its arrivals, a shorter run, or a larger --max-memory)"
        }
    }
}
