import SimCore

/// Arrival times of the customers waiting (or in service), in a ring buffer, so a queueing
/// benchmark allocates nothing once the buffer has grown to the longest queue seen.
///
/// Inlinable, so that the benchmarks' hot loops call it as if it were their own code.
public struct WaitingLine {
    @usableFromInline var slots = ContiguousArray<SimTime>(repeating: .zero, count: 1024)
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// The number of customers in the line.
    @inlinable public var count: Int { stored }

    /// An empty line.
    public init() {}

    /// Adds a customer who arrived at `time` at the back.
    @inlinable public mutating func append(_ time: SimTime) {
        if count == slots.count { grow() }
        slots[(head + stored) & (slots.count - 1)] = time
        stored += 1
    }

    /// Takes the customer at the front; the line must not be empty.
    @inlinable public mutating func removeFirst() -> SimTime {
        let time = slots[head]
        head = (head + 1) & (slots.count - 1)
        stored -= 1
        return time
    }

    /// The arrival time of the customer at the front; the line must not be empty.
    @inlinable public var first: SimTime { slots[head] }

    /// Doubles the capacity, keeping it a power of two so that indices wrap with a mask.
    @usableFromInline mutating func grow() {
        var bigger = ContiguousArray<SimTime>(repeating: .zero, count: slots.count * 2)
        for i in 0..<stored { bigger[i] = slots[(head + i) & (slots.count - 1)] }
        slots = bigger
        head = 0
    }
}
