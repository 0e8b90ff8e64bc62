import SimCore

/// A producer that sends some messages again: a retry after a response that was lost, say,
/// `after` the message was accepted.
///
/// On a FIFO queue a resend within the 5-minute deduplication interval of the first send, with
/// the same deduplication id, "is accepted successfully but isn't delivered" (SQS developer
/// guide, "Exactly-once processing in Amazon SQS"); the id is the same when the producer
/// gives the resend its first id (`deduplication_id: same`, what an SDK's retry does) or when
/// the queue derives it from the body (`content_based_deduplication: true`). Otherwise, and on
/// a standard queue, the resend is a second message that a consumer processes: a duplicate.
public struct ResendSpec: Hashable, Sendable {
    /// The chance that a message is sent again.
    public var probability: Double
    /// How long after the first send was accepted.
    public var after: SimTime
    /// Whether the resend carries the first send's deduplication id.
    public var sameDeduplicationId: Bool = true

    public init(probability: Double, after: SimTime, sameDeduplicationId: Bool = true) {
        self.probability = probability
        self.after = after
        self.sameDeduplicationId = sameDeduplicationId
    }
}

extension World {
    /// A message of a group that resends was accepted: with the resend probability (a draw of
    /// the message's own, so variants resend the same messages) a copy goes out `after` it.
    /// The copy is a duplicate (not counted as sent) that waits as a message in a job does;
    /// it keeps the first send's acceptance in `enqueuedAt`, where the deduplication interval
    /// starts.
    func scheduleResend(of id: MessageID, resend: ResendSpec, events: inout EventList<WorldEvent>) {
        let original = messages[id]
        guard streams.uniform(key: original.randomKey, purpose: .resend) < resend.probability else { return }
        var copy = original
        copy.isDuplicate = true
        copy.state = .inJob
        copy.enqueuedAt = events.now
        copy.receiveCount = 0
        copy.wasReceived = false
        // A message group of its own (`fifo_group_key: message`) is freed with the message;
        // the copy gets one of its own when it enters the queue.
        let q = Int(original.queue)
        if queues[q].isFIFO, original.fifoGroup >= 0, queues[q].fifoGroups[Int(original.fifoGroup)].isTransient {
            copy.fifoGroup = -1
        }
        let copyID = messages.allocate(copy)
        if original.measured { metrics.groups[Int(original.group)].resent += 1 }
        events.schedule(.resend(message: copyID, generation: messages[copyID].generation), after: resend.after)
    }

    /// The resend is due: SendMessage again (held to a FIFO queue's quota like any send).
    func resendDue(_ id: MessageID, generation: UInt32, events: inout EventList<WorldEvent>) {
        guard messages[id].generation == generation, messages[id].state == .inJob else { return }
        let q = Int(messages[id].queue)
        if queues[q].isFIFO {
            guard fifoSendAccepted(id, queue: q, events: &events) else { return }
        }
        resendAccepted(id, queue: q, events: &events)
    }

    /// SQS accepted the resend: deduplicated, or a second message in the queue.
    func resendAccepted(_ id: MessageID, queue q: Int, events: inout EventList<WorldEvent>) {
        let now = events.now
        let message = messages[id]
        recordSQSRequest(queue: q, bytes: Int(message.size))
        let spec = queues[q].spec
        let sameID = producers[Int(message.group)].spec.resend?.sameDeduplicationId == true || spec.contentBasedDeduplication
        if spec.kind == .fifo, sameID, now - message.enqueuedAt < QueueSpec.deduplicationInterval {
            if message.measured { metrics.groups[Int(message.group)].deduplicated += 1 }
            releaseMessage(id)
            return
        }
        if queues[q].order != .plain, message.fifoGroup < 0 {
            messages[id].fifoGroup = messageGroupSlot(queue: q, staticSlot: -1)
        }
        if queues[q].order == .fair { fairSent(queue: q, tenant: Int(messages[id].fifoGroup), at: now) }
        enqueue(id, into: Int32(q), events: &events)
    }
}
