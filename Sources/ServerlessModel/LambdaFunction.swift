import BasicContainers
import SimCore

/// A Lambda function: its concurrency, execution environments and scaling allowance.
///
/// Admission follows AWS's order of checks. First concurrency: a function with reserved
/// concurrency may run that many executions and no more; the others share what the account
/// has left after all reservations. Then an environment: a provisioned one, else the most
/// recently used one with a free slot (so the others age out and are reclaimed), else a new
/// one, which needs the function's scaling allowance (1,000 new environments per 10 s,
/// refilled continuously, never accumulating beyond that) and starts with a cold start.
/// Failing either check throttles the invocation.
///
/// An environment runs `slots` invocations at once: one on Lambda's fleet, up to the
/// per-environment concurrency on Managed Instances. Those are not counted in the account's
/// concurrency (their capacity is their slots) and never start an environment on the request
/// path: their fleet scales on its own (`ManagedInstances.swift`), so a miss throttles.
struct LambdaFunction: ~Copyable {
    let spec: FunctionSpec
    let memoryGB: Double
    let downstream: Int32
    let outputQueue: Int32
    /// Invocations one environment runs at once (``Compute/slots``).
    let slots: UInt16
    /// The function's Managed Instances fleet in ``World/fleets``, or -1 on Lambda's own.
    let fleet: Int32
    /// Whether its executions come out of the account's unreserved concurrency.
    let usesUnreservedPool: Bool
    /// Executions in progress (busy environments, cold starts included).
    var executions = 0
    /// On-demand environments with a free slot (idle ones on Lambda's fleet), most recently
    /// used last.
    ///
    /// Each invocation takes one and gives it back; in `UniqueArray`s, which cannot be copied
    /// and so need no copy-on-write check, that is about 30 instructions less per message
    /// than with arrays (Benchmarks/PROFILE.md, fifth round). So a function is not copyable.
    var idle = UniqueArray<EnvironmentID>()
    /// Idle provisioned environments.
    var idleProvisioned = UniqueArray<EnvironmentID>()
    /// Environments alive (busy or idle), provisioned included.
    var environments = 0
    /// The probability that an invocation starting now fails (`errorRate`, then its changes).
    var errorRate: Double
    /// The next of `spec.errorRateChanges` to apply, and when (`.never` after the last).
    var nextErrorRateChange = 0
    var nextErrorRateChangeAt: SimTime
    /// The code's version: bumped by each deployment; environments of an older one are not reused.
    var version: UInt32 = 0
    /// Scaling allowance left for new environments.
    var scalingTokens: Double
    var scalingTokensAt: SimTime = .zero
}

/// The account-wide pool that functions without reserved concurrency share.
struct LambdaAccount {
    /// Account concurrency minus every reservation.
    let unreservedCapacity: Int
    /// Executions in progress of functions without reserved concurrency.
    var unreservedExecutions = 0
    /// Executions in progress of every function.
    var executions = 0
    /// Execution environments alive, of every function.
    var environments = 0
}

/// An execution environment: a sandbox that runs one invocation at a time, or up to its
/// function's `slots` on Managed Instances.
struct ExecutionEnvironment {
    var function: Int32 = -1
    var isProvisioned = false
    /// Invocations running in it (at most the function's `slots`: 1,600).
    var busy: UInt16 = 0
    /// Bumped when the environment slot is freed and reused: a reclaim event of an older
    /// generation belongs to an environment that no longer exists.
    var generation: UInt32 = 0
    /// When Lambda reclaims it if it stays idle until then (`.never` while busy).
    var reclaimAt: SimTime = .never
    /// Whether a reclaim event is pending. One event per environment at most: a busy
    /// environment would otherwise leave one stale event behind per invocation.
    var reclaimPending = false
    /// The function's code version it runs (see ``LambdaFunction/version``).
    var version: UInt32 = 0
}

/// How an invocation was admitted, or why not.
enum Admission {
    /// An initialised environment was free.
    case warm(EnvironmentID)
    /// A new environment must run its init phase first.
    case cold(EnvironmentID)
    /// No concurrency or no scaling allowance: HTTP 429.
    case throttled
}

extension World {
    /// The probability that an invocation of function `f` starting now fails.
    ///
    /// Time only moves forward, so the schedule is walked once: one comparison per invocation
    /// (the spec's list, whose read retains it, is read only when a change is due).
    @inline(__always) func errorRate(function f: Int, now: SimTime) -> Double {
        if now >= functions[f].nextErrorRateChangeAt { applyErrorRateChanges(function: f, now: now) }
        return functions[f].errorRate
    }

    private func applyErrorRateChanges(function f: Int, now: SimTime) {
        let changes = functions[f].spec.errorRateChanges
        var next = functions[f].nextErrorRateChange
        while next < changes.count, changes[next].at <= now {
            functions[f].errorRate = changes[next].rate
            next += 1
        }
        functions[f].nextErrorRateChange = next
        functions[f].nextErrorRateChangeAt = next < changes.count ? changes[next].at : .never
    }

    /// Tries to start an execution of function `f` now.
    @inline(__always) // on every message's path; the call cost about as much as the body
    func admit(function f: Int, now: SimTime) -> Admission {
        if let reserved = functions[f].spec.reservedConcurrency {
            guard functions[f].executions < reserved else { return .throttled }
        } else if functions[f].usesUnreservedPool {
            guard account.unreservedExecutions < account.unreservedCapacity else { return .throttled }
        }
        let admission: Admission
        // Emptiness is tested first: `popLast` on an empty array is still a call with a
        // uniqueness check, and most functions have no provisioned environments.
        if !functions[f].idleProvisioned.isEmpty, let env = functions[f].idleProvisioned.popLast() {
            admission = .warm(env)
        } else if !functions[f].idle.isEmpty {
            // The environment leaves the list when this invocation takes its last free slot.
            let env = functions[f].idle[functions[f].idle.count - 1]
            if environments[Int(env.index)].busy + 1 == functions[f].slots { _ = functions[f].idle.popLast() }
            admission = .warm(env)
        } else if functions[f].fleet >= 0 {
            // Managed Instances scale asynchronously, never on the request path.
            return .throttled
        } else {
            refillScalingTokens(function: f, now: now)
            guard functions[f].scalingTokens >= 1 else { return .throttled }
            functions[f].scalingTokens -= 1
            admission = .cold(newEnvironment(function: f, provisioned: false, now: now))
        }
        let env: EnvironmentID
        switch admission {
        case .warm(let e), .cold(let e): env = e
        case .throttled: return .throttled
        }
        environments[Int(env.index)].busy += 1
        environments[Int(env.index)].reclaimAt = .never
        changeExecutions(function: f, by: 1, now: now)
        if functions[f].fleet >= 0 { fleetSlotTaken(function: f, environment: env, now: now) }
        return admission
    }

    /// An execution ends: the environment becomes idle and may later be reclaimed.
    /// `mapping`: the event source mapping that invoked it, or -1 (a direct or scheduled call).
    /// An argument, not a returned "old code" flag the caller would test on every invocation
    /// (Benchmarks/PROFILE.md, issue 24: +0.24 % instructions against +0.02 %).
    func finishExecution(function f: Int, environment env: EnvironmentID, mapping: Int32 = -1,
                         events: inout EventList<WorldEvent>) {
        let e = Int(env.index)
        environments[e].busy -= 1
        changeExecutions(function: f, by: -1, now: events.now)
        if environments[e].version != functions[f].version {
            // It ran the code a deployment replaced: it is gone (a provisioned one is replaced).
            retireOldEnvironment(env, function: f, events: &events)
            if mapping >= 0 { oldCodeInvocationEnded(mapping: Int(mapping)) }
        } else if environments[e].isProvisioned {
            functions[f].idleProvisioned.append(env)
        } else if functions[f].fleet >= 0 {
            fleetSlotFreed(function: f, environment: env, now: events.now)
        } else {
            functions[f].idle.append(env)
            environments[e].reclaimAt = events.now + functions[f].spec.idleTimeout.sample(streams.idle[f])
            scheduleReclaim(env, events: &events)
        }
    }

    private func scheduleReclaim(_ env: EnvironmentID, events: inout EventList<WorldEvent>) {
        let e = Int(env.index)
        guard !environments[e].reclaimPending else { return }
        environments[e].reclaimPending = true
        events.schedule(.environmentReclaim(environment: env, generation: environments[e].generation), at: environments[e].reclaimAt)
    }

    /// The environment died mid-invocation: it is gone. A provisioned one is replaced in the
    /// background and is ready again after an init. `mapping` as for ``finishExecution``.
    func crashExecution(function f: Int, environment env: EnvironmentID, mapping: Int32 = -1,
                        events: inout EventList<WorldEvent>) {
        let e = Int(env.index)
        if mapping >= 0, environments[e].version != functions[f].version { oldCodeInvocationEnded(mapping: Int(mapping)) }
        environments[e].busy -= 1
        changeExecutions(function: f, by: -1, now: events.now)
        if isMeasured(events.now) { metrics.functions[f].crashes += 1 }
        if environments[e].isProvisioned {
            let initDuration = min(functions[f].spec.coldStart.sample(streams.coldStart[f]), Self.initLimit)
            events.schedule(.provisionedReplacement(function: FunctionID(f)), after: initDuration)
        }
        destroy(env, function: f, now: events.now)
    }

    /// A code update: idle environments of the old code are gone now (provisioned ones are
    /// replaced in the background, after an init), busy ones when their invocation ends; some
    /// pollers start a new batch loop without waiting for theirs (``startDeploymentOvershoot``).
    /// `repeating`: the deployment is one of `deploymentEvery`'s, which schedules the next.
    func deploy(function f: Int, repeating: Bool, events: inout EventList<WorldEvent>) {
        functions[f].version &+= 1
        while let env = functions[f].idle.popLast() { retireOldEnvironment(env, function: f, events: &events) }
        while let env = functions[f].idleProvisioned.popLast() { retireOldEnvironment(env, function: f, events: &events) }
        startDeploymentOvershoot(function: f, events: &events)
        if repeating, let every = functions[f].spec.deploymentEvery {
            events.schedule(.deployment(function: FunctionID(f), repeating: true), after: every)
        }
    }

    private func retireOldEnvironment(_ env: EnvironmentID, function f: Int, events: inout EventList<WorldEvent>) {
        if environments[Int(env.index)].isProvisioned {
            let initDuration = min(functions[f].spec.coldStart.sample(streams.coldStart[f]), Self.initLimit)
            events.schedule(.provisionedReplacement(function: FunctionID(f)), after: initDuration)
        }
        destroy(env, function: f, now: events.now)
    }

    /// A crashed provisioned environment's replacement has initialised.
    func provisionedReplacement(function f: Int, now: SimTime) {
        functions[f].idleProvisioned.append(newEnvironment(function: f, provisioned: true, now: now))
    }

    /// Every busy environment of function `f` crashes now (a scheduled crash).
    func crashAllBusyEnvironments(function f: Int, events: inout EventList<WorldEvent>) {
        // Collected first: a poller that polls again after its crash may start a new
        // invocation at this same instant, which must not crash.
        let invoking = pollers.indices.filter {
            pollers[$0].state == .invoking && mappings[Int(pollers[$0].mapping)].function == Int32(f)
        }
        let running = requests.indices.filter { requests[$0].inUse && requests[$0].isRunning && requests[$0].function == Int32(f) }
        for p in invoking {
            endDownstreamCall(pollers[p].invocation.call)
            pollers[p].invocation.call = DownstreamCall()
            finishInvocation(poller: p, function: f, failedWhole: true, crashed: true, events: &events)
        }
        for r in running { directRequestCrashed(r, events: &events) }
    }

    func destroy(_ env: EnvironmentID, function f: Int, now: SimTime) {
        let e = Int(env.index)
        changeEnvironments(function: f, by: -1, now: now)
        environments[e].function = -1
        environments[e].generation &+= 1
        environments[e].reclaimPending = false
        freeEnvironments.append(env)
    }

    /// Lambda reclaims an environment that stayed idle until its reclaim time; one that was
    /// used since gets its event again for its new idle period.
    func reclaim(_ env: EnvironmentID, generation: UInt32, events: inout EventList<WorldEvent>) {
        let e = Int(env.index)
        guard environments[e].generation == generation else { return }
        environments[e].reclaimPending = false
        guard environments[e].busy == 0, !environments[e].isProvisioned else { return }
        if environments[e].reclaimAt > events.now {
            scheduleReclaim(env, events: &events)
            return
        }
        let f = Int(environments[e].function)
        var position = functions[f].idle.count - 1
        while position >= 0, functions[f].idle[position] != env { position -= 1 }
        if position >= 0 { _ = functions[f].idle.remove(at: position) }
        destroy(env, function: f, now: events.now)
    }

    func newEnvironment(function f: Int, provisioned: Bool, now: SimTime) -> EnvironmentID {
        var environment = ExecutionEnvironment()
        environment.function = Int32(f)
        environment.isProvisioned = provisioned
        environment.version = functions[f].version
        changeEnvironments(function: f, by: 1, now: now)
        if let slot = freeEnvironments.popLast() {
            environment.generation = environments[Int(slot.index)].generation &+ 1
            environments[Int(slot.index)] = environment
            return slot
        }
        environments.append(environment)
        return EnvironmentID(environments.count - 1)
    }

    private func refillScalingTokens(function f: Int, now: SimTime) {
        let capacity = Double(spec.account.scalingPer10s)
        let elapsed = (now - functions[f].scalingTokensAt).seconds
        functions[f].scalingTokens = min(capacity, functions[f].scalingTokens + elapsed * capacity / 10)
        functions[f].scalingTokensAt = now
    }

    /// Environments alive change only when one starts or is reclaimed or dies: the
    /// accounting costs nothing per warm invocation. An environment counts once whatever it
    /// runs, so one that runs several invocations at once (Managed Instances) fits: its
    /// utilisation is then busy slots over alive slots.
    private func changeEnvironments(function f: Int, by delta: Int, now: SimTime) {
        functions[f].environments += delta
        account.environments += delta
        metrics.functions[f].environments.update(to: Double(functions[f].environments), at: now)
        // Intervals are half-open: at an interval's first instant the level it was entered
        // with gives way to the level after that instant's changes.
        if now == timeseries.intervalStart || functions[f].environments > activity.functions[f].environmentsPeak {
            activity.functions[f].environmentsPeak = functions[f].environments
        }
        if account.environments > metrics.overallEnvironmentsPeak { metrics.overallEnvironmentsPeak = account.environments }
    }

    private func changeExecutions(function f: Int, by delta: Int, now: SimTime) {
        functions[f].executions += delta
        account.executions += delta
        if functions[f].usesUnreservedPool { account.unreservedExecutions += delta }
        metrics.functions[f].concurrency.update(to: Double(functions[f].executions), at: now)
        if account.executions > metrics.overallConcurrencyPeak { metrics.overallConcurrencyPeak = account.executions }
    }
}
