import SimCore

/// The EC2 fleet of a function on Lambda Managed Instances: its instances, the environments
/// on them, and the scaler that sizes both (docs/SCENARIO-REFERENCE.md, "Managed Instances").
///
/// Environments are the function's ordinary execution environments (`LambdaFunction.swift`)
/// with `perEnvironmentConcurrency` slots each; an invocation takes a free slot of the most
/// recently used environment that has one, or is throttled: nothing starts on the request
/// path. The scaler looks every `scalingInterval` at the mean of busy slots over the interval
/// and aims at the environments that hold it at `targetUtilisation`, never more than twice
/// those it aimed at five minutes before (AWS: "if your traffic more than doubles within 5
/// minutes, you may see throttles"). It adds environments at once, removes them only after
/// `scaleInDelay` below target and only idle ones. Environments are packed onto the fewest
/// instances; a new environment initialises (the function's `cold_start`, off the request
/// path), on a running instance if one has room, else on an instance launched for it, which
/// takes `instanceLaunchTime` first. Instances are billed from launch to termination.
struct InstanceFleet {
    let function: Int32
    let spec: ManagedInstancesSpec
    let environmentsPerInstance: Int
    /// The environments the scaler aims at.
    var target: Int
    /// Instances running, and launching.
    var instances = 0
    var launching = 0
    /// Environments initialising on running instances, and waiting for a launching one.
    var starting = 0
    var waiting = 0
    /// Environments with at least one invocation running.
    var occupied = 0
    /// Busy slots over the whole run: the scaler's signal.
    var busySlots = TimeWeightedAverage()
    var busyAreaAtEvaluation = 0.0
    /// Instances running or launching over the whole run: the bill.
    var billedInstances = TimeWeightedAverage()
    /// The same over the measurement window.
    var measuredInstances = TimeWeightedAverage()
    /// Occupied environments over the whole run, and its area where the measurement window
    /// and the time series' current interval start.
    var occupiedEnvironments = TimeWeightedAverage()
    var occupiedAreaAtMeasuring = 0.0
    var occupiedAreaAtSample = 0.0
    /// Where the time series' current interval starts: the billed instances' area, and their
    /// most in it so far.
    var instanceAreaAtSample = 0.0
    var instancesPeakOfInterval = 0.0
    /// The targets of the evaluations of the last five minutes, oldest first.
    var recentTargets: [Int]
    /// Since when the environments needed have been below target, if they are.
    var belowTargetSince: SimTime?

    init(function: Int32, spec: ManagedInstancesSpec, memoryMB: Int) {
        self.function = function
        self.spec = spec
        environmentsPerInstance = spec.environmentsPerInstance(memoryMB: memoryMB)
        target = spec.minimumEnvironments
        let evaluations = max(1, Int(ManagedInstancesSpec.doublingWindow.nanoseconds / spec.scalingInterval.nanoseconds))
        recentTargets = Array(repeating: target, count: evaluations)
    }

    /// Instances needed for `environments`, the minimum kept.
    func instancesNeeded(for environments: Int) -> Int {
        max(spec.minimumInstances, (environments + environmentsPerInstance - 1) / environmentsPerInstance)
    }

    /// The environments the scaler wants for a mean of `busySlots`, within the bounds and the
    /// doubling rule.
    func wanted(busySlots: Double) -> Int {
        let slots = spec.targetUtilisation * Double(spec.perEnvironmentConcurrency)
        let needed = Int((busySlots / slots - 1e-9).rounded(.up))
        let ceiling = Int(ManagedInstancesSpec.growthPerWindow * Double(recentTargets.first ?? target))
        return min(max(needed, spec.minimumEnvironments), spec.maximumEnvironments, max(ceiling, spec.minimumEnvironments))
    }
}

extension World {
    /// The fleets of the functions on Managed Instances, built with the world: the version is
    /// active, its minimum instances and environments running, before the run starts.
    func startFleets() {
        for f in functions.indices where functions[f].fleet >= 0 {
            let i = Int(functions[f].fleet)
            setInstances(fleet: i, running: fleets[i].instancesNeeded(for: fleets[i].target), launching: 0, now: .zero)
            for _ in 0..<fleets[i].target { functions[f].idle.append(newEnvironment(function: f, provisioned: false, now: .zero)) }
        }
    }

    func scheduleFleetScaling(events: inout EventList<WorldEvent>) {
        for i in fleets.indices { events.schedule(.fleetScale(fleet: Int32(i)), after: fleets[i].spec.scalingInterval) }
    }

    /// An invocation took a slot of `env` (already counted in its `busy`).
    func fleetSlotTaken(function f: Int, environment env: EnvironmentID, now: SimTime) {
        let i = Int(functions[f].fleet)
        fleets[i].busySlots.update(to: Double(functions[f].executions), at: now)
        if environments[Int(env.index)].busy == 1 { changeOccupied(fleet: i, by: 1, now: now) }
    }

    /// An invocation left its slot of `env`: an environment that was full has room again.
    func fleetSlotFreed(function f: Int, environment env: EnvironmentID, now: SimTime) {
        let i = Int(functions[f].fleet)
        let busy = environments[Int(env.index)].busy
        fleets[i].busySlots.update(to: Double(functions[f].executions), at: now)
        if busy == 0 { changeOccupied(fleet: i, by: -1, now: now) }
        if busy + 1 == functions[f].slots { functions[f].idle.append(env) }
    }

    private func changeOccupied(fleet i: Int, by delta: Int, now: SimTime) {
        fleets[i].occupied += delta
        fleets[i].occupiedEnvironments.update(to: Double(fleets[i].occupied), at: now)
    }

    /// The scaler's periodic look at the fleet.
    func fleetScale(_ i: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let f = Int(fleets[i].function)
        let area = fleets[i].busySlots.area(until: now)
        let busyMean = (area - fleets[i].busyAreaAtEvaluation) / Double(fleets[i].spec.scalingInterval.nanoseconds)
        fleets[i].busyAreaAtEvaluation = area
        let wanted = fleets[i].wanted(busySlots: busyMean)
        if wanted > fleets[i].target {
            fleets[i].target = wanted
            fleets[i].belowTargetSince = nil
            provision(fleet: i, events: &events)
        } else if wanted < fleets[i].target {
            let since = fleets[i].belowTargetSince ?? now
            fleets[i].belowTargetSince = since
            if now - since >= fleets[i].spec.scaleInDelay {
                fleets[i].target = wanted
                fleets[i].belowTargetSince = nil
                scaleIn(fleet: i, function: f, now: now)
            }
        } else {
            fleets[i].belowTargetSince = nil
        }
        fleets[i].recentTargets.removeFirst()
        fleets[i].recentTargets.append(fleets[i].target)
        events.schedule(.fleetScale(fleet: Int32(i)), after: fleets[i].spec.scalingInterval)
    }

    /// Starts the environments the target lacks: on running instances with room, the rest on
    /// instances launched for them.
    private func provision(fleet i: Int, events: inout EventList<WorldEvent>) {
        let f = Int(fleets[i].function)
        let placed = functions[f].environments + fleets[i].starting
        let lacking = fleets[i].target - placed - fleets[i].waiting
        guard lacking > 0 else { return }
        let room = max(0, fleets[i].instances * fleets[i].environmentsPerInstance - placed)
        startEnvironments(min(lacking, room), fleet: i, events: &events)
        fleets[i].waiting += lacking - min(lacking, room)
        let launches = fleets[i].instancesNeeded(for: placed + min(lacking, room) + fleets[i].waiting)
            - fleets[i].instances - fleets[i].launching
        guard launches > 0 else { return }
        setInstances(fleet: i, running: fleets[i].instances, launching: fleets[i].launching + launches, now: events.now)
        for _ in 0..<launches {
            events.schedule(.fleetInstanceReady(fleet: Int32(i)), after: fleets[i].spec.instanceLaunchTime)
        }
    }

    private func startEnvironments(_ count: Int, fleet i: Int, events: inout EventList<WorldEvent>) {
        let f = Int(fleets[i].function)
        fleets[i].starting += count
        for _ in 0..<count {
            let initDuration = min(functions[f].spec.coldStart.sample(streams.coldStart[f]), Self.initLimit)
            events.schedule(.fleetEnvironmentReady(fleet: Int32(i)), after: initDuration)
        }
    }

    /// A launched instance runs: the environments waiting for room start on it; one no longer
    /// needed (the fleet scaled in meanwhile) is terminated at once.
    func fleetInstanceReady(_ i: Int, events: inout EventList<WorldEvent>) {
        let f = Int(fleets[i].function)
        let running = fleets[i].instances + 1
        let placed = functions[f].environments + fleets[i].starting
        let room = max(0, running * fleets[i].environmentsPerInstance - placed)
        let started = min(fleets[i].waiting, room)
        fleets[i].waiting -= started
        startEnvironments(started, fleet: i, events: &events)
        let kept = fleets[i].waiting > 0 ? running : min(running, fleets[i].instancesNeeded(for: placed + started))
        setInstances(fleet: i, running: kept, launching: fleets[i].launching - 1, now: events.now)
    }

    /// An environment finished its init: it takes invocations.
    func fleetEnvironmentReady(_ i: Int, now: SimTime) {
        let f = Int(fleets[i].function)
        fleets[i].starting -= 1
        functions[f].idle.append(newEnvironment(function: f, provisioned: false, now: now))
    }

    /// Removes what the target no longer needs: environments still waiting for an instance,
    /// then idle environments, least recently used first; then instances left without one.
    private func scaleIn(fleet i: Int, function f: Int, now: SimTime) {
        var excess = functions[f].environments + fleets[i].starting + fleets[i].waiting - fleets[i].target
        let cancelled = min(max(0, excess), fleets[i].waiting)
        fleets[i].waiting -= cancelled
        excess -= cancelled
        var position = 0
        while excess > 0, position < functions[f].idle.count {
            let env = functions[f].idle[position]
            guard environments[Int(env.index)].busy == 0 else {
                position += 1
                continue
            }
            _ = functions[f].idle.remove(at: position)
            destroy(env, function: f, now: now)
            excess -= 1
        }
        // Waiting environments hold their launching instances; running ones beyond what the
        // placed environments need are terminated.
        let needed = fleets[i].instancesNeeded(for: functions[f].environments + fleets[i].starting)
        if fleets[i].instances > needed {
            setInstances(fleet: i, running: needed, launching: fleets[i].launching, now: now)
        }
    }

    private func setInstances(fleet i: Int, running: Int, launching: Int, now: SimTime) {
        allInstances.add(Double(running + launching - fleets[i].instances - fleets[i].launching), at: now)
        fleets[i].instances = running
        fleets[i].launching = launching
        fleets[i].billedInstances.update(to: Double(running + launching), at: now)
        // As for environments (`changeEnvironments`): the level after the interval's first instant.
        let level = Double(running + launching)
        if now == timeseries.intervalStart || level > fleets[i].instancesPeakOfInterval { fleets[i].instancesPeakOfInterval = level }
        fleets[i].measuredInstances.update(to: Double(running + launching), at: now)
    }

    /// The warm-up is over: the fleets' window averages restart from their current state.
    func restartFleetMeasuring(at now: SimTime) {
        allInstances = TimeWeightedAverage(initialValue: allInstances.value, at: now)
        for i in fleets.indices {
            fleets[i].measuredInstances = TimeWeightedAverage(initialValue: fleets[i].measuredInstances.value, at: now)
            fleets[i].occupiedAreaAtMeasuring = fleets[i].occupiedEnvironments.area(until: now)
        }
    }

    /// The area of occupied environments over the measurement window.
    func fleetOccupiedArea(_ i: Int, until end: SimTime) -> Double {
        fleets[i].occupiedEnvironments.area(until: end) - fleets[i].occupiedAreaAtMeasuring
    }

    /// The area of occupied environments over the time series' interval ending at `end`.
    /// Changes nothing: the last interval's rows are made again each time the results are.
    func fleetOccupiedAreaOfInterval(_ i: Int, until end: SimTime) -> Double {
        fleets[i].occupiedEnvironments.area(until: end) - fleets[i].occupiedAreaAtSample
    }

    /// A time-series interval ends at `now`: the fleets' interval areas and peaks restart there.
    func restartFleetIntervals(at now: SimTime) {
        for i in fleets.indices {
            fleets[i].occupiedAreaAtSample = fleets[i].occupiedEnvironments.area(until: now)
            fleets[i].instanceAreaAtSample = fleets[i].billedInstances.area(until: now)
            fleets[i].instancesPeakOfInterval = fleets[i].billedInstances.value
        }
    }
}

extension World {
    /// What a function on Managed Instances cannot have here, refused rather than approximated
    /// (the scenario reader says the same at the key; this guards pipelines built in code).
    static func checkManagedInstances(_ function: FunctionSpec) throws(WorldError) {
        guard case .managedInstances(let managed) = function.compute else { return }
        let name = "function \(function.name) on Managed Instances"
        if function.provisionedConcurrency > 0 || function.reservedConcurrency != nil {
            throw .unsupported("\(name): provisioned and reserved concurrency are Lambda's, not modelled on Managed Instances")
        }
        if function.crashes != CrashSpec() || !function.deployments.isEmpty || function.deploymentEvery != nil {
            throw .unsupported("\(name): crashes and deployments are not modelled on Managed Instances")
        }
        guard (1...1_600).contains(managed.perEnvironmentConcurrency) else {
            throw .unsupported("\(name): per-environment concurrency \(managed.perEnvironmentConcurrency) is outside AWS's 1 - 1,600")
        }
        guard managed.environmentsPerInstance(memoryMB: function.memoryMB) > 0 else {
            throw .unsupported("\(name): an environment of \(function.memoryMB) MB does not fit on a \(managed.instance.name)")
        }
    }
}
