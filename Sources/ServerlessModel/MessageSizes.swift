import SimCore

/// A distribution of message sizes (`message_size: {lognormal: {median: 4KB, p99: 600KB}}`):
/// each message's size in bytes is drawn when it is sent, so a workload of mostly small
/// messages with a tail of large ones is billed (SQS's 64 KB chunks) and batched (the 6 MB
/// payload cut of an event source mapping, which reads each message's own size) as AWS would.
///
/// The sizes are held as a ``Distribution`` whose nanoseconds are bytes: the samplers are the
/// same, and only this type reads them. A draw is rounded to whole bytes and kept within 1 B
/// and the SQS limit of 1 MiB (a lognormal tail beyond it is cut there, as SQS would refuse
/// the message).
public struct SizeDistribution: Hashable, Sendable {
    /// The sizes, one nanosecond per byte.
    public var bytes: Distribution

    /// The largest SQS message (1 MiB since August 2025).
    public static let maximumBytes = 1 << 20

    /// Creates a size distribution from one whose nanoseconds are bytes.
    public init(bytes: Distribution) { self.bytes = bytes }

    /// A draw, in whole bytes between 1 and 1 MiB.
    func bytes(of draw: SimTime) -> Int {
        Int(min(max(draw.nanoseconds, 1), Int64(Self.maximumBytes)))
    }
}

extension World {
    /// The size of a new message of group `g` whose random key is `key`: the group's constant
    /// size, or a draw of its size distribution from the message's own key (the same message
    /// has the same size in every variant compared).
    ///
    /// Always inlined, with the constant size read from the producer: reading the spec's
    /// optional sizes and the call cost about 25 instructions per message (Benchmarks/PROFILE.md,
    /// seventh round).
    @inline(__always) func messageSize(group g: Int, key: UInt32) -> Int {
        let fixed = producers[g].fixedMessageSize
        return fixed >= 0 ? fixed : drawnMessageSize(group: g, key: key)
    }

    private func drawnMessageSize(group g: Int, key: UInt32) -> Int {
        guard let sizes = producers[g].spec.messageSizes else { return producers[g].spec.messageSize }
        return sizes.bytes(of: streams.sample(sizes.bytes, key: key, attempt: 0, purpose: .messageSize))
    }
}
