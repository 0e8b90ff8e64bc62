/// Everything that can happen in the world, as a small value: an enum of integer ids.
///
/// Events that may become obsolete carry the generation of their target (see
/// ``SimCore/Generations``): a visibility timeout after the message was deleted, a poller's
/// timer after it moved on, an idle reclaim after the environment was reused.
public enum WorldEvent: Sendable {
    /// A producer sends its next message(s).
    case arrival(group: GroupID)
    /// A delayed message becomes receivable.
    case delayElapsed(message: MessageID, generation: UInt32)
    /// The earliest pending visibility timeout of a queue's received messages is due (see
    /// ``SQSQueue``'s `visibilityTimers`).
    case visibilityTimeout(queue: QueueID)
    /// The earliest retention deadline of a queue's messages is due (see ``SQSQueue``'s
    /// `retentionTimers`).
    case retentionDue(queue: QueueID)
    /// A poller's long poll, batching window or throttle back-off ends (or its timer is
    /// passed on to a later event; see `EventSourceMapping.swift`). `event` tells a replaced
    /// event from the poller's current one.
    case pollerTimer(poller: PollerID, event: UInt32)
    /// A complete batch's receive response and invoke path are over: the handler is invoked.
    case handOff(poller: PollerID, generation: UInt32)
    /// An invocation reaches its next downstream call, its end, or its timeout.
    case invocationStep(poller: PollerID, generation: UInt32)
    /// A throttled direct request's back-off ends: the client calls again.
    case directRequestRetry(request: Int32, generation: UInt32)
    /// A direct invocation's environment crashes.
    case directRequestCrash(request: Int32, generation: UInt32)
    /// A message accepted by a front door reaches its queue after the integration latency.
    case frontDoorForward(message: MessageID, generation: UInt32)
    /// A producer's SendMessage refused by a FIFO queue's quota is sent again.
    case sendRetry(message: MessageID, generation: UInt32)
    /// A producer sends a message again (a copy; Deduplication.swift).
    case resend(message: MessageID, generation: UInt32)
    /// A direct invocation's handler calls its function's downstream.
    case directRequestCall(request: Int32, generation: UInt32)
    /// A direct invocation returns to its caller.
    case directRequestDone(request: Int32, generation: UInt32)
    /// Every busy environment of a function crashes (a scheduled crash).
    case crash(function: FunctionID)
    /// A function's code is updated (a deployment).
    case deployment(function: FunctionID, repeating: Bool)
    /// A crashed provisioned environment's replacement is ready.
    case provisionedReplacement(function: FunctionID)
    /// An idle execution environment is reclaimed.
    case environmentReclaim(environment: EnvironmentID, generation: UInt32)
    /// A Managed Instances fleet's scaler looks at its utilisation (ManagedInstances.swift).
    case fleetScale(fleet: Int32)
    /// An instance a fleet launched is running.
    case fleetInstanceReady(fleet: Int32)
    /// A fleet's new execution environment has initialised.
    case fleetEnvironmentReady(fleet: Int32)
    /// An event source mapping reconsiders its number of pollers.
    case mappingScale(mapping: MappingID)
    /// A noisy tenant of a fair queue may have gone `fairQuietAfter` without a send.
    case fairQuietCheck(queue: QueueID, tenant: Int32)
    /// Messages became receivable in the middle of another operation: wake waiting pollers.
    case queueWake(queue: QueueID)
    /// A container worker's start-up, long poll or current message's step ends.
    case workerTimer(worker: Int32, generation: UInt32)
    /// Every task of a container service crashes (its crash times).
    case containerCrash(service: Int32)
    /// A container service's target tracking looks at its queue.
    case containerScale(service: Int32)
    /// The warm-up ends: time-weighted statistics start here.
    case warmupEnds
    /// Producers stop (a run with a drain): the monthly bill's window ends here.
    case productionEnds
    /// A schedule fires and invokes its drain function.
    case scheduleTick(schedule: Int32)
    /// A throttled or failed scheduled event is delivered again.
    case scheduleRetry(event: Int32, generation: UInt32)
    /// A scheduled drain takes its next message.
    case drainStep(run: Int32, generation: UInt32)
    /// A downstream job started by a drain ends.
    case jobDone(message: MessageID, generation: UInt32)
    /// The time-series interval ends: write its row.
    case sample
}
