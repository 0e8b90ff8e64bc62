import SimCore

/// A task group whose `arrivals:` is a list: its processes send side by side, so a group's
/// traffic is written as it is (a steady Poisson plus bursts plus a trace) instead of being
/// split into groups, which would change every per-group output.
///
/// Each process keeps its own next send time and position, and draws from its own random
/// stream: the first from `arrivals/<group>` (a group with one process is unchanged), process
/// i (from 1) from `arrivals/<group>#<i + 1>`. The group's next send is the earliest of its
/// processes'; processes due at the same instant send one after another, in list order.
struct SuperposedArrivals {
    /// The processes, as in the spec.
    let processes: [ArrivalProcess]
    /// Each process's next send time, `.never` when it sends no more.
    var next: [SimTime]
    /// Each process's position (see ``ArrivalProcess/nextArrival(after:position:stream:)``).
    var positions: [Int]
    /// Whether the first send times have been drawn.
    var started = false

    init(_ processes: [ArrivalProcess]) {
        self.processes = processes
        next = Array(repeating: .never, count: processes.count)
        positions = Array(repeating: 0, count: processes.count)
    }
}

extension World {
    /// The random stream of process `i` of group `g`'s superposition.
    private func arrivalStream(group g: Int, process i: Int) -> RandomStream.Handle {
        i == 0 ? streams.arrivals[g] : streams.superposedArrivals[g][i - 1]
    }

    /// Draws process `i`'s next send after `now`.
    private func advance(group g: Int, process i: Int, after now: SimTime) {
        let process = superposedArrivals[g].processes[i]
        var position = superposedArrivals[g].positions[i]
        let next = process.nextArrival(after: now, position: &position, stream: arrivalStream(group: g, process: i))
        superposedArrivals[g].positions[i] = position
        superposedArrivals[g].next[i] = next.map { max($0, now) } ?? .never
    }

    /// The group's next send: the earliest of its processes' (the first call draws them all).
    func nextSuperposedArrival(_ g: Int) -> SimTime? {
        if !superposedArrivals[g].started {
            superposedArrivals[g].started = true
            for i in superposedArrivals[g].processes.indices { advance(group: g, process: i, after: .zero) }
        }
        let earliest = superposedArrivals[g].next.min() ?? .never
        return earliest == .never ? nil : earliest
    }

    /// The process due now sends: its messages (a batch sends many), and its next send is drawn.
    func superposedArrival(_ g: Int) -> Int {
        guard let i = superposedArrivals[g].next.firstIndex(of: superposedArrivals[g].next.min() ?? .never) else { return 0 }
        let count = superposedArrivals[g].processes[i].messagesPerArrival
        advance(group: g, process: i, after: now)
        return count
    }
}
