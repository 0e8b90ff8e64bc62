/// Lambda's CPU follows memory: how a function's handler time depends on its memory.
///
/// AWS allocates CPU in proportion to the memory configured: the equivalent of one vCPU at
/// 1,769 MB, up to 6 vCPUs at 10,240 MB (Lambda developer guide, "Configure Lambda function
/// memory", configuration-memory.html). A handler measured at `referenceMemoryMB` spends
/// `share` of its time on the CPU; that part runs on the vCPUs it can use, `v = min(memory /
/// 1,769 MB, threads)`, the rest (waiting on I/O) does not change:
///
///     time = t × ((1 − share) + share × v_ref / v)
///
/// The factor is computed once, when the world is built, as a scale of the `duration` and
/// `per_message` distributions (``FunctionSpec/withHandlerTimeAtMemory()``): no work per event,
/// and every draw takes the same random numbers at every memory, so a memory sweep compares
/// the same invocations (common random numbers).
///
/// Left alone: `cold_start` (the init phase: AWS documents no CPU rule for it, and init is
/// given as measured at the function's memory), downstream latency (waiting, not CPU).
public struct CPUProfile: Hashable, Sendable {
    /// The share of the handler time measured at `referenceMemoryMB` that is CPU work (0 - 1).
    public var share: Double
    /// The threads the handler runs at once: the most vCPUs it can use (at least 1).
    public var threads: Int
    /// The memory at which `duration` and `per_message` were measured, in MB.
    public var referenceMemoryMB: Int

    /// The memory that buys one vCPU (AWS: 1,769 MB).
    public static let megabytesPerVCPU = 1_769.0

    /// Creates a profile.
    public init(share: Double, threads: Int = 1, referenceMemoryMB: Int) {
        self.share = share
        self.threads = threads
        self.referenceMemoryMB = referenceMemoryMB
    }

    /// The vCPUs a handler of `threads` threads uses at `memoryMB`.
    public func vCPUs(memoryMB: Int) -> Double {
        min(Double(memoryMB) / Self.megabytesPerVCPU, Double(max(1, threads)))
    }

    /// The factor on handler time at `memoryMB`: 1 at the reference memory.
    public func timeFactor(memoryMB: Int) -> Double {
        (1 - share) + share * vCPUs(memoryMB: referenceMemoryMB) / vCPUs(memoryMB: memoryMB)
    }
}

extension FunctionSpec {
    /// The function with its handler time (`duration`, `per_message`) as it runs at its
    /// memory; itself when it has no CPU profile or runs at its reference memory.
    public func withHandlerTimeAtMemory() -> FunctionSpec {
        guard let cpu else { return self }
        let factor = cpu.timeFactor(memoryMB: memoryMB)
        guard factor != 1 else { return self }
        var spec = self
        spec.duration = duration.scaled(by: factor)
        spec.perMessage = perMessage.scaled(by: factor)
        return spec
    }
}
