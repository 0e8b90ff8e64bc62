import SimCore

/// The MessageGroupIds of a run, and the message group each one is in every FIFO queue (and
/// the tenant it is in every fair queue).
///
/// A task group's `fifo_group_key` decides the id its messages carry: its own name, a fixed
/// id, one of N keys, or an id per message. A message keeps that id through a chain: a
/// function or container service that sends a message on to a FIFO queue sends it with the
/// id it received it with (the usual handler copies `MessageGroupId`). A message that reaches
/// a FIFO queue without one (from a standard queue, or as a failed asynchronous event) takes
/// its task group's id as a new message would, one of N keys being drawn then. A group of
/// many tenants (``TenantSpec``) has an id per tenant, and a message carries its tenant's.
///
/// Ids are numbered once, when the world is built; each FIFO queue maps an id to the slot of
/// its message group when the first message with that id arrives. A per-message id has no
/// number: its group is a transient slot (``World/messageGroupSlot(queue:staticSlot:)``).
struct MessageGroupIds {
    /// Per task group: the numbers of the ids its messages carry (empty for per-message ids).
    let idsOfGroup: [Range<Int>]
    /// Per queue: the message group slot of each id a message has carried there.
    private var slotOfID: [[Int: Int32]]
    /// Per queue: the id of each message group slot, -1 for a transient slot; slots past its
    /// end are transient.
    private var idOfSlot: [[Int]]

    init(groups: [TaskGroupSpec], queues: Int) {
        var named: [String: Int] = [:]
        var next = 0
        func number(_ name: String) -> Range<Int> {
            if let known = named[name] { return known..<known + 1 }
            named[name] = next
            next += 1
            return next - 1..<next
        }
        idsOfGroup = groups.map { group in
            if let tenants = group.tenants {
                next += tenants.count
                return next - tenants.count..<next
            }
            switch group.fifoGroupKey {
            case .group: return number("group:\(group.name)")
            case .message: return 0..<0
            case .keys(let n):
                next += max(1, n)
                return next - max(1, n)..<next
            // Groups with the same fixed id share its message group.
            case .fixed(let id): return number("id:\(id)")
            }
        }
        slotOfID = Array(repeating: [:], count: queues)
        idOfSlot = Array(repeating: [], count: queues)
    }

    /// The slot of the message group of the id numbered `id` in FIFO queue `q` of `queues`
    /// (of its tenant in a fair queue, counted as task group `g`'s), made when the first
    /// message with that id arrives.
    mutating func slot(of id: Int, in q: Int, of queues: EntityStore<SQSQueue>, group g: Int) -> Int32 {
        if let known = slotOfID[q][id] { return known }
        let slot: Int32
        if queues[q].isFIFO {
            queues[q].fifoGroups.append(FifoMessageGroup())
            slot = Int32(queues[q].fifoGroups.count - 1)
        } else {
            queues[q].fair.tenants.append(FairTenant(group: Int32(g)))
            slot = Int32(queues[q].fair.tenants.count - 1)
        }
        slotOfID[q][id] = slot
        if idOfSlot[q].count <= Int(slot) { idOfSlot[q].append(contentsOf: repeatElement(-1, count: Int(slot) + 1 - idOfSlot[q].count)) }
        idOfSlot[q][Int(slot)] = id
        return slot
    }

    /// The id of the message group in `slot` of queue `q`, nil for a transient one.
    func id(ofSlot slot: Int32, in q: Int) -> Int? {
        guard slot >= 0, Int(slot) < idOfSlot[q].count else { return nil }
        let id = idOfSlot[q][Int(slot)]
        return id >= 0 ? id : nil
    }
}

extension World {
    /// A function, a container service or Lambda's event queue sends message `id` on to
    /// queue `q`: in a FIFO queue it joins the message group of its id, in a fair queue the
    /// tenant of its id (see ``MessageGroupIds``). The slot it held in its last queue means
    /// nothing in the next.
    func forward(_ id: MessageID, into q: Int32, events: inout EventList<WorldEvent>) {
        messages[id].fifoGroup = queues[Int(q)].order != .plain ? fifoGroupOnArrival(of: id, in: Int(q)) : -1
        if queues[Int(q)].order == .fair { fairSent(queue: Int(q), tenant: Int(messages[id].fifoGroup), at: events.now) }
        enqueue(id, into: q, events: &events)
    }

    /// The message group (FIFO) or tenant (fair) a new message of group `g` (and of its
    /// `tenant`, or -1) joins in queue `q`: its id's.
    ///
    /// Not inlined into the send, whose plain path it would crowd (spilled registers, about
    /// 20 instructions per message in callgrind's two-minute benchmark).
    @inline(never)
    func groupSlotOfSend(group g: Int, queue q: Int, tenant: Int32, at now: SimTime) -> Int32 {
        let staticSlot: Int32
        if tenant >= 0 {
            staticSlot = producers[g].fifoSlots[Int(tenant - tenants.first[g])]
        } else {
            switch producers[g].spec.fifoGroupKey {
            case .message: staticSlot = -1
            case .keys(let n): staticSlot = producers[g].fifoSlots[streams.fifoKeys[g].integer(below: n)]
            case .group, .fixed: staticSlot = producers[g].fifoSlots.first ?? -1
            }
        }
        let slot = messageGroupSlot(queue: q, staticSlot: staticSlot)
        if queues[q].order == .fair { fairSent(queue: q, tenant: Int(slot), at: now) }
        return slot
    }

    /// The message group (tenant) a forwarded message joins in FIFO (fair) queue `q`.
    private func fifoGroupOnArrival(of id: MessageID, in q: Int) -> Int32 {
        let message = messages[id]
        let g = Int(message.group)
        let cameFromFIFO = message.fifoGroup >= 0 && queues[Int(message.queue)].order != .plain
        if cameFromFIFO {
            // Its id, or a group of its own again when it had one of its own.
            guard let carried = groupIds.id(ofSlot: message.fifoGroup, in: Int(message.queue)) else {
                return messageGroupSlot(queue: q, staticSlot: -1)
            }
            return groupIds.slot(of: carried, in: q, of: queues, group: g)
        }
        let ids = groupIds.idsOfGroup[g]
        if ids.isEmpty { return messageGroupSlot(queue: q, staticSlot: -1) }
        let pick = message.tenant >= 0 ? Int(message.tenant - tenants.first[g])
            : ids.count == 1 ? 0 : streams.fifoKeys[g].integer(below: ids.count)
        return groupIds.slot(of: ids.lowerBound + pick, in: q, of: queues, group: g)
    }
}
