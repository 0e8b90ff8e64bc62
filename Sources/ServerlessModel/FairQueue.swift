import BasicContainers
import DequeModule
import Foundation
import SimCore

/// SQS fair queues (July 2025): a standard queue whose producers set a MessageGroupId, the
/// tenant. A tenant is *noisy* when it holds more than 10 % of the queue's in-flight messages
/// and at least 30 of its own, or takes more than 10 % of the consumers' recent processing
/// time; receives then return quiet tenants' messages whenever any wait, and noisy ones'
/// (never dropped or throttled) when none do, the noisy tenant with the fewest in flight
/// first. A tenant stops being noisy when its backlog is drained or after 5 minutes without
/// a send. (SQS developer guide, "How Amazon SQS fair queues work".)
///
/// Among quiet tenants the order is the plain queue's: every receivable message has a key,
/// increasing for sends and decreasing for returns (which SQS puts first, as the plain deque
/// does), each tenant's messages are in key order, and quiet tenants are in a heap by their
/// first message's key. So a fair queue with no noisy tenant delivers exactly as a plain one.
///
/// SQS sees processing time as time in flight (receive to delete or return): a tenant's share
/// is its in-flight count integrated with an exponential forgetting of time constant
/// `fairProcessingWindow` (AWS does not publish the window), over the queue's.
struct FairState: ~Copyable {
    /// Tenants by slot (a message's `fifoGroup` in a fair queue); slot 0 holds the messages
    /// without a group id, each its own tenant, so never noisy (one in flight).
    var tenants = UniqueArray<FairTenant>()
    /// Quiet tenants with receivable messages, by their first message's key; an entry is
    /// stale once its tenant's `version` has moved on.
    var quiet = FairHeap()
    /// Noisy tenants, in the order they were flagged: few (each holds more than a tenth of
    /// something), so a receive scans them.
    var noisy: [Int32] = []
    /// The next key of a send (up) and of a return (down).
    var backKey: Int64 = 0
    var frontKey: Int64 = -1
    /// The queue's in-flight count integrated with forgetting (the shares' denominator).
    var area = ForgettingArea()

    init() {
        tenants.append(FairTenant(group: -1, neverNoisy: true))
    }
}

/// One tenant (message group) of a fair queue.
struct FairTenant: ~Copyable {
    /// Receivable messages in key order.
    var messages = UniqueDeque<FairEntry>()
    var inFlight: Int32 = 0
    var isNoisy = false
    /// Messages without a group id: each its own tenant, so never flagged.
    var neverNoisy = false
    /// Whether a check of its 5 minutes without sends is on the event list.
    var quietCheckPending = false
    /// Bumped whenever its first message or its flag changes: its heap entries go stale.
    var version: UInt32 = 0
    /// The task group whose tenant it is (its noisy time is counted there), or -1.
    var group: Int32
    var lastSend: SimTime = .zero
    /// Its in-flight count integrated with forgetting (its processing-time share's numerator).
    var area = ForgettingArea()

    init(group: Int32, neverNoisy: Bool = false) {
        self.group = group
        self.neverNoisy = neverNoisy
    }
}

struct FairEntry {
    var message: MessageID
    var key: Int64
}

/// An in-flight count integrated over time with exponential forgetting:
/// area(t) = ∫ n(s) e^{-(t-s)/τ} ds, kept exact between changes of n.
struct ForgettingArea {
    var value = 0.0
    var since: SimTime = .zero

    /// Brings the area to `now`, with `count` in flight since the last change.
    mutating func advance(to now: SimTime, count: Int32, window: SimTime) {
        guard now > since else { return }
        let tau = window.seconds
        let decay = exp(-(now - since).seconds / tau)
        value = value * decay + Double(count) * tau * (1 - decay)
        since = now
    }
}

/// A binary min-heap of (key, tenant, version).
struct FairHeap {
    struct Entry {
        var key: Int64
        var tenant: Int32
        var version: UInt32
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var top: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].key < entries[parent].key else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popTop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { break }
            var child = left
            if left + 1 < entries.count, entries[left + 1].key < entries[left].key { child = left + 1 }
            guard entries[child].key < entries[parent].key else { break }
            entries.swapAt(child, parent)
            parent = child
        }
    }
}

extension World {
    /// A message becomes receivable in a fair queue: at the back (a send) or the front (a
    /// return) of its tenant's list.
    func fairMakeVisible(_ id: MessageID, queue q: Int, atFront: Bool) {
        let t = Int(messages[id].fifoGroup)
        let key: Int64
        if atFront {
            key = queues[q].fair.frontKey
            queues[q].fair.frontKey -= 1
            queues[q].fair.tenants[t].messages.prepend(FairEntry(message: id, key: key))
            fairRequeue(queue: q, tenant: t)
        } else {
            key = queues[q].fair.backKey
            queues[q].fair.backKey += 1
            let wasEmpty = queues[q].fair.tenants[t].messages.isEmpty
            queues[q].fair.tenants[t].messages.append(FairEntry(message: id, key: key))
            if wasEmpty { fairRequeue(queue: q, tenant: t) }
        }
    }

    /// A send of a tenant (its 5 minutes without sends start again).
    func fairSent(queue q: Int, tenant t: Int, at now: SimTime) {
        queues[q].fair.tenants[t].lastSend = now
    }

    /// The tenant's heap entry is renewed: stale ones are dropped when they reach the top.
    private func fairRequeue(queue q: Int, tenant t: Int) {
        queues[q].fair.tenants[t].version &+= 1
        guard !queues[q].fair.tenants[t].isNoisy, !queues[q].fair.tenants[t].messages.isEmpty else { return }
        queues[q].fair.quiet.push(FairHeap.Entry(key: queues[q].fair.tenants[t].messages[0].key, tenant: Int32(t),
                                                 version: queues[q].fair.tenants[t].version))
    }

    /// The quiet tenant whose first message comes first, after dropping stale heap entries.
    private func firstQuietTenant(queue q: Int) -> Int? {
        while let top = queues[q].fair.quiet.top {
            if queues[q].fair.tenants[Int(top.tenant)].version == top.version { return Int(top.tenant) }
            queues[q].fair.quiet.popTop()
        }
        return nil
    }

    /// The next message a receive of a fair queue takes, off its tenant's list: a quiet
    /// tenant's whenever one waits, else the noisy tenant's with the fewest in flight (ties:
    /// the one whose first message comes first).
    func fairTakeNext(queue q: Int) -> MessageID? {
        var chosen = firstQuietTenant(queue: q)
        if chosen == nil {
            var best: (inFlight: Int32, key: Int64)?
            for t32 in queues[q].fair.noisy {
                let t = Int(t32)
                guard !queues[q].fair.tenants[t].messages.isEmpty else { continue }
                let candidate = (queues[q].fair.tenants[t].inFlight, queues[q].fair.tenants[t].messages[0].key)
                if best.map({ candidate < $0 }) ?? true {
                    best = candidate
                    chosen = t
                }
            }
        }
        guard let t = chosen else { return nil }
        let entry = queues[q].fair.tenants[t].messages.removeFirst()
        fairRequeue(queue: q, tenant: t)
        fairUnflagIfDrained(queue: q, tenant: t)
        return entry.message
    }

    /// Takes a receivable message off its tenant's list wherever it is (a delete of a
    /// visible message, retention); false if it is not there.
    func fairRemove(_ id: MessageID, queue q: Int) -> Bool {
        let t = Int(messages[id].fifoGroup)
        guard let position = queues[q].fair.tenants[t].messages.indices.first(where: {
            queues[q].fair.tenants[t].messages[$0].message == id
        }) else { return false }
        queues[q].fair.tenants[t].messages.remove(at: position)
        if position == 0 { fairRequeue(queue: q, tenant: t) }
        fairUnflagIfDrained(queue: q, tenant: t)
        return true
    }

    /// A message of the tenant went in flight: the shares change, and the tenant is flagged
    /// noisy at the receive that takes either share over its threshold.
    func fairReceived(queue q: Int, tenant t: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let window = spec.assumptions.fairProcessingWindow
        queues[q].fair.area.advance(to: now, count: Int32(queues[q].inFlightCount - 1), window: window)
        queues[q].fair.tenants[t].area.advance(to: now, count: queues[q].fair.tenants[t].inFlight, window: window)
        queues[q].fair.tenants[t].inFlight += 1
        guard !queues[q].fair.tenants[t].isNoisy, !queues[q].fair.tenants[t].neverNoisy else { return }
        let assumptions = spec.assumptions
        let inFlight = Double(queues[q].fair.tenants[t].inFlight)
        let concurrencyShare = inFlight > assumptions.fairNoisyInFlightShare * Double(queues[q].inFlightCount)
            && queues[q].fair.tenants[t].inFlight >= Int32(assumptions.fairNoisyInFlightMinimum)
        let total = queues[q].fair.area.value
        let processingShare = total > 0
            && queues[q].fair.tenants[t].area.value > assumptions.fairNoisyProcessingShare * total
        // A tenant with nothing left to receive, or without a send for `fairQuietAfter`,
        // would be quiet again at once.
        let lastSend = queues[q].fair.tenants[t].lastSend
        if concurrencyShare || processingShare, !queues[q].fair.tenants[t].messages.isEmpty,
           now - lastSend < assumptions.fairQuietAfter {
            setNoisy(true, queue: q, tenant: t, at: now)
            if !queues[q].fair.tenants[t].quietCheckPending {
                queues[q].fair.tenants[t].quietCheckPending = true
                events.schedule(.fairQuietCheck(queue: QueueID(q), tenant: Int32(t)),
                                at: lastSend + assumptions.fairQuietAfter)
            }
        }
    }

    /// A message of the tenant left flight (deleted, returned, moved).
    func fairLeftFlight(queue q: Int, tenant t: Int, at now: SimTime) {
        let window = spec.assumptions.fairProcessingWindow
        queues[q].fair.area.advance(to: now, count: Int32(queues[q].inFlightCount + 1), window: window)
        queues[q].fair.tenants[t].area.advance(to: now, count: queues[q].fair.tenants[t].inFlight, window: window)
        queues[q].fair.tenants[t].inFlight -= 1
    }

    /// A noisy tenant whose backlog is drained (nothing receivable left) is quiet again.
    private func fairUnflagIfDrained(queue q: Int, tenant t: Int) {
        if queues[q].fair.tenants[t].isNoisy, queues[q].fair.tenants[t].messages.isEmpty {
            setNoisy(false, queue: q, tenant: t, at: now)
        }
    }

    /// The check of a noisy tenant's minutes without sends: quiet again once
    /// `fairQuietAfter` has passed since its last send, else checked again then.
    func fairQuietCheck(queue q: Int, tenant t: Int, events: inout EventList<WorldEvent>) {
        queues[q].fair.tenants[t].quietCheckPending = false
        guard queues[q].fair.tenants[t].isNoisy else { return }
        let due = queues[q].fair.tenants[t].lastSend + spec.assumptions.fairQuietAfter
        if due <= events.now {
            setNoisy(false, queue: q, tenant: t, at: events.now)
        } else {
            queues[q].fair.tenants[t].quietCheckPending = true
            events.schedule(.fairQuietCheck(queue: QueueID(q), tenant: Int32(t)), at: due)
        }
    }

    private func setNoisy(_ noisy: Bool, queue q: Int, tenant t: Int, at now: SimTime) {
        queues[q].fair.tenants[t].isNoisy = noisy
        if noisy {
            queues[q].fair.noisy.append(Int32(t))
        } else if let position = queues[q].fair.noisy.firstIndex(of: Int32(t)) {
            queues[q].fair.noisy.remove(at: position)
        }
        fairRequeue(queue: q, tenant: t)
        let g = Int(queues[q].fair.tenants[t].group)
        let delta: Double = noisy ? 1 : -1
        if g >= 0 { metrics.groups[g].noisyGroups.add(delta, at: now) }
        metrics.noisyGroups.add(delta, at: now)
    }

    /// CloudWatch's fair-queue gauges of a queue now: receivable messages of quiet tenants
    /// (ApproximateNumberOfMessagesVisibleInQuietGroups), the age of the first of them
    /// (ApproximateAgeOfOldestMessageInQuietGroups), and the age of the first receivable
    /// message of all (as a plain queue's front).
    func fairQuietGauges(queue q: Int, now: SimTime) -> (quietVisible: Int, oldestQuietAge: SimTime?, oldestAgeAll: SimTime?) {
        var noisyVisible = 0
        var first: FairEntry?
        var firstQuiet: FairEntry?
        if let t = firstQuietTenant(queue: q) { firstQuiet = queues[q].fair.tenants[t].messages[0] }
        first = firstQuiet
        for t in queues[q].fair.noisy where !queues[q].fair.tenants[Int(t)].messages.isEmpty {
            noisyVisible += queues[q].fair.tenants[Int(t)].messages.count
            let head = queues[q].fair.tenants[Int(t)].messages[0]
            if first.map({ head.key < $0.key }) ?? true { first = head }
        }
        func age(_ entry: FairEntry?) -> SimTime? { entry.map { now - messages[$0.message].enqueuedAt } }
        return (queues[q].visibleCount - noisyVisible, age(firstQuiet), age(first))
    }
}
