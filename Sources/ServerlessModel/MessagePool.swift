import SimCore

/// Where a message is in its life.
enum MessageState: UInt8 {
    /// The slot holds no message.
    case free
    /// Sent with a delay; not yet receivable.
    case delayed
    /// Receivable.
    case visible
    /// Received and not deleted; invisible until its visibility timeout expires.
    case inFlight
    /// In no queue: deleted from its queue and handed to a downstream job that has not
    /// finished yet, or accepted by a front door and not yet in its queue.
    case inJob
}

/// One message as SQS holds it, plus what statistics need to know about it.
///
/// A message keeps its identity through a chain of queues: when a function sends a succeeded
/// message on to its output queue, the same slot moves, so end-to-end latency covers the
/// whole chain and conservation counts it once.
///
/// A message is 64 bytes, one cache line (its store starts on a line, see ``EntityStore``):
/// its fields are read and written at the send, the receive, each step of its invocation and
/// the delete, and each of those visits comes after the line has left the first-level cache.
/// At 72 bytes every slot straddled two lines; at 64 the simulated first-level misses of the
/// benchmark fell by 15 % and its CPU time by about 4 % (Benchmarks/PROFILE.md, fifth round).
/// A test keeps it at 64.
struct Message {
    /// The task group that produced it.
    var group: Int32 = 0
    /// The queue it is in now.
    var queue: Int32 = 0
    /// The FIFO message group slot in its queue (FIFO queues only).
    var fifoGroup: Int32 = -1
    /// Its tenant (``TenantTable``), or -1; left as it was when the slot is freed.
    var tenant: Int32 = -1
    /// Send order, for FIFO ordering within a message group.
    var sequence: Int64 = 0
    /// When the producer first sent it (end-to-end latency starts here).
    var sentAt: SimTime = .zero
    /// When it entered its current queue (retention counts from here).
    var enqueuedAt: SimTime = .zero
    /// Receives in the current queue.
    var receiveCount: Int32 = 0
    /// Bumped on every receive, delete and move: a visibility-timeout event or a receipt held
    /// by a poller that carries an older generation is stale.
    var generation: UInt32 = 0
    /// Payload size in bytes.
    var size: Int32 = 0
    /// The message's own random key, drawn when it is sent: its handler time and downstream
    /// latency are drawn from it, so they are the same whichever topology processes it.
    var randomKey: UInt32 = 0
    /// The number of its visibility timer in its queue's list, while in flight (see
    /// ``SQSQueue``'s `visibilityTimersStarted`).
    var visibilityTimer: UInt32 = 0
    var state: MessageState = .free
    /// Sent at or after the warm-up: counted in statistics.
    var measured = false
    /// An extra copy made by at-least-once delivery; processed, but not counted as sent.
    var isDuplicate = false
    /// Whether it has been received (its queue wait is recorded at the first receive).
    var wasReceived = false
}

/// The messages alive, in reusable slots: memory follows messages alive, not messages sent.
struct MessagePool {
    /// A store rather than an array: each message's fields are written several times on its
    /// way (see ``EntityStore``). Shared by copies of the pool; the world never copies it.
    let slots = EntityStore<Message>()
    /// The free slots, the most recently freed on top, so that a send and a delete touch only
    /// the slot itself and the top: with an array of free slots each made a uniqueness check
    /// and a call, about a third of their instructions (Benchmarks/PROFILE.md, fourth round).
    /// A stack rather than a list through the free slots: the slots the next sends will take
    /// are known before their turn (see ``allocate(_:)``).
    private let freeSlots = EntityStore<Int32>()
    /// Messages alive now.
    private(set) var alive = 0
    /// The most slots the pool may hold (the run's backlog budget, ``MemoryBudget``); one more
    /// sets ``isOverBudget``, and the world stops the run (World.swift's `handle`).
    var slotLimit = Int.max
    /// Whether the pool has grown past ``slotLimit``.
    private(set) var isOverBudget = false

    /// Stores a message in a free slot and returns its id.
    mutating func allocate(_ message: Message) -> MessageID {
        alive += 1
        let free = freeSlots.count
        if free > 0 {
            let slot = Int(freeSlots.removeLast())
            // Free slots pile up while a backlog drains and are reused last-freed first; how
            // long the next ones have been free is a random walk, often long enough for their
            // slots to leave the cache. The one a few sends ahead is asked for now: the next
            // one alone was asked for too late (Benchmarks/PROFILE.md, eleventh round).
            let ahead = free - 1 - Self.prefetchDistance
            if ahead >= 0 { slots.prefetch(Int(freeSlots[ahead])) }
            let generation = slots[slot].generation &+ 1
            slots[slot] = message
            slots[slot].generation = generation
            return MessageID(slot)
        }
        slots.append(message)
        if slots.count > slotLimit { isOverBudget = true }
        return MessageID(slots.count - 1)
    }

    /// Frees a slot; any event still holding its old generation becomes stale.
    @inline(__always) // on every message's path; the call cost about as much as the body
    mutating func release(_ id: MessageID) {
        alive -= 1
        slots[Int(id.index)].state = .free
        slots[Int(id.index)].generation &+= 1
        freeSlots.append(id.index)
    }

    /// How many sends ahead ``allocate(_:)`` asks for a free slot.
    static let prefetchDistance = 2

    /// Where a message's slot lives, for ``EntityStore/prefetch(at:)`` (see
    /// ``EntityStore/address(of:)`` for why not a `prefetch` of the pool's own).
    func address(of id: MessageID) -> UnsafeRawPointer { slots.address(of: Int(id.index)) }

    subscript(id: MessageID) -> Message {
        _read { yield slots[Int(id.index)] }
        _modify { yield &slots[Int(id.index)] }
    }
}

/// A receipt handle: a message at one moment of its life, stale once the message changes
/// state. It remembers whose message it was, for the statistics of a stale delete.
/// Where ReceiveMessage puts the receipts it returns: a worker's list, or a poller's batch.
protocol ReceiptSink {
    mutating func append(_ receipt: Receipt)
}

extension Array: ReceiptSink where Element == Receipt {}

struct Receipt: Hashable {
    var message: MessageID
    var generation: UInt32
    var group: Int32
    var measured: Bool
    /// The handler reported this message of its batch as failed (ReportBatchItemFailures),
    /// so it is not deleted. Kept with the receipt, where the batch's loops read it anyway.
    var reportedFailed = false
}
