/// Latency histograms that a model records into on every message (one per task group, say),
/// each read out as a ``LatencyHistogram`` when the results are built.
///
/// A ``LatencyHistogram`` is a value: a record checks that its counts are not shared
/// (copy-on-write, a call to `swift_isUniquelyReferenced_nonNull_native`) and is a call of
/// its own, about 66 instructions in all, and a pipeline makes three per message
/// (Benchmarks/PROFILE.md, fifth round). Recorders own their histograms' memory and cannot
/// be copied, so there is nothing to copy on write and nothing to check, and a record is
/// inlined where it is made. Not a class either: a class loaded from a model's mutable state
/// is retained around every call that might allocate, as a record might.
///
/// The counts are laid out as in ``LatencyHistogram`` (HdrHistogram's buckets, a block of an
/// octave's counts allocated when a duration first falls into it), so a histogram read out
/// holds exactly what recording the same durations into a ``LatencyHistogram`` would: the
/// same counts, count, sum (added in the same order), minimum and maximum. Each octave is an
/// allocation of its own, never moved, so recorders grow by octaves without copying and
/// without the slack of a doubling array. (One buffer per recorder, doubling as a histogram's
/// counts do, was tried: it was for handing memory back while results were built, which
/// reading them out one at a time made needless; Benchmarks/PROFILE.md, fifth round.)
///
/// The layout (`LatencyHistogram.Standard` or `.Plotting`) is a type, so that a record's
/// arithmetic is on constants.
///
/// Recorder numbers are checked with `assert` on the record path, as the model's entity ids
/// are: they are the model's own, never user input.
public struct LatencyRecorders<Layout: LatencyLayout>: ~Copyable {
    /// Entries per recorder in `octaves`: every octave a value can fall into, so that a
    /// record needs no length check before it looks its octave up.
    @usableFromInline static var octavesPerRecorder: Int { Layout.octaves }
    /// The counts of an octave's block, one per sub-bucket. Unlike a histogram's, a block keeps
    /// no total: a record would touch one more cache line (Benchmarks/PROFILE.md, fifth round).
    @usableFromInline static var blockSize: Int { 1 << Layout.halfCountMagnitude }

    /// Each recorder's octaves in a row of `octavesPerRecorder` entries: the block of its
    /// counts, or nil while nothing fell into it.
    @usableFromInline var octaves: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    /// Each recorder's count, sum, minimum and maximum.
    @usableFromInline var tallies: UnsafeMutablePointer<Tally>
    private var capacity: Int
    /// The number of recorders.
    public private(set) var count: Int

    /// What a histogram keeps beside its counts.
    @usableFromInline struct Tally {
        @usableFromInline var total: UInt64 = 0
        /// As ``LatencyHistogram``'s: a Double, added up in the order of the records.
        @usableFromInline var sumNanoseconds: Double = 0
        @usableFromInline var minimum: Int64 = .max
        @usableFromInline var maximum: Int64 = 0

        @usableFromInline init() {}
    }

    /// `count` empty recorders.
    public init(count: Int) {
        precondition(count >= 0, "a count cannot be negative")
        let empty = Layout.emptyHistogram()
        precondition(empty.unitMagnitude == Layout.unitMagnitude && empty.halfCountMagnitude == Layout.halfCountMagnitude
                     && empty.leadingZeroCountBase == Layout.leadingZeroCountBase && empty.subBucketMask == Layout.subBucketMask
                     && empty.octaveStart.count == Layout.octaves, "the layout's numbers are not its histogram's")
        let octavesPerRecorder = Self.octavesPerRecorder
        capacity = Swift.max(count, 1)
        octaves = .allocate(capacity: capacity * octavesPerRecorder)
        octaves.initialize(repeating: nil, count: capacity * octavesPerRecorder)
        tallies = .allocate(capacity: capacity)
        tallies.initialize(repeating: Tally(), count: capacity)
        self.count = count
    }

    deinit {
        for recorder in 0..<count { releaseOctaves(recorder) }
        octaves.deallocate()
        tallies.deallocate()
    }

    /// Adds an empty recorder and returns its number (the count before).
    public mutating func append() -> Int {
        let octavesPerRecorder = Self.octavesPerRecorder
        if count == capacity {
            let larger = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>.allocate(capacity: 2 * capacity * octavesPerRecorder)
            larger.moveInitialize(from: octaves, count: capacity * octavesPerRecorder)
            (larger + capacity * octavesPerRecorder).initialize(repeating: nil, count: capacity * octavesPerRecorder)
            octaves.deallocate()
            octaves = larger
            let largerTallies = UnsafeMutablePointer<Tally>.allocate(capacity: 2 * capacity)
            largerTallies.moveInitialize(from: tallies, count: capacity)
            (largerTallies + capacity).initialize(repeating: Tally(), count: capacity)
            tallies.deallocate()
            tallies = largerTallies
            capacity *= 2
        }
        count += 1
        return count - 1
    }

    /// Records one duration, which must not be negative, into a recorder: as
    /// ``LatencyHistogram/record(_:)`` would.
    @inlinable @inline(__always) public mutating func record(_ duration: SimTime, in recorder: Int) {
        assert(recorder >= 0 && recorder < count, "recorder out of range")
        let ns = duration.nanoseconds
        precondition(ns >= 0, "a latency cannot be negative")
        // HdrHistogram's index, (bucket << halfCountMagnitude) + subBucket (see
        // LatencyHistogram.index(of:)), taken apart into its octave and the place within it
        // without forming it: a few instructions fewer.
        let value = UInt64(bitPattern: ns)
        let bucket = Layout.leadingZeroCountBase &- (value | Layout.subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: bucket &+ Layout.unitMagnitude))
        let octave = bucket &+ (subBucket &>> Layout.halfCountMagnitude)
        let entry = octaves + (recorder &* Self.octavesPerRecorder &+ octave)
        let block = entry.pointee ?? Self.allocateOctave(at: entry)
        block[subBucket & ((1 &<< Layout.halfCountMagnitude) &- 1)] &+= 1
        let tally = tallies + recorder
        tally.pointee.total &+= 1
        tally.pointee.sumNanoseconds += Double(ns)
        if ns < tally.pointee.minimum { tally.pointee.minimum = ns }
        if ns > tally.pointee.maximum { tally.pointee.maximum = ns }
    }

    /// Allocates an octave's block, zeroed, at its entry.
    ///
    /// Out of line, as it happens a few times per recorder; static, as a method would be
    /// handed a copy of the recorders on the stack, which every record would make room for.
    @usableFromInline @inline(never)
    static func allocateOctave(at entry: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>) -> UnsafeMutablePointer<UInt64> {
        let block = UnsafeMutablePointer<UInt64>.allocate(capacity: blockSize)
        block.initialize(repeating: 0, count: blockSize)
        entry.pointee = block
        return block
    }

    /// What a recorder holds, as a histogram: equal to a ``LatencyHistogram`` that recorded
    /// the same durations in the same order, its mean included.
    ///
    /// Each octave's total is added up here, and only octaves that hold counts are copied (an
    /// octave emptied by ``reset(_:)`` is left out, which changes no percentile).
    public func histogram(_ recorder: Int) -> LatencyHistogram {
        precondition(recorder >= 0 && recorder < count, "recorder out of range")
        var result = Layout.emptyHistogram()
        let tally = tallies[recorder]
        guard tally.total > 0 else { return result }
        let row = octaves + recorder * Self.octavesPerRecorder
        var used: [(octave: Int, counts: UnsafeBufferPointer<UInt64>, total: UInt64)] = []
        for octave in 0..<Self.octavesPerRecorder {
            guard let block = row[octave] else { continue }
            let counts = UnsafeBufferPointer(start: block, count: Self.blockSize)
            let total = counts.reduce(0, &+)
            if total > 0 { used.append((octave, counts, total)) }
        }
        result.counts.reserveCapacity(used.count * (1 + Self.blockSize))
        for (octave, counts, total) in used {
            result.octaveStart[octave] = Int32(result.counts.count)
            result.counts.append(total)
            result.counts.append(contentsOf: counts)
        }
        result.total = tally.total
        result.sumNanoseconds = tally.sumNanoseconds
        result.minimum = tally.minimum
        result.maximum = tally.maximum
        return result
    }

    /// Forgets what a recorder holds but keeps its memory, for per-interval statistics (as
    /// ``LatencyHistogram/reset()`` does, every octave it has is cleared).
    public mutating func reset(_ recorder: Int) {
        precondition(recorder >= 0 && recorder < count, "recorder out of range")
        guard tallies[recorder].total > 0 else { return }
        let row = octaves + recorder * Self.octavesPerRecorder
        for octave in 0..<Self.octavesPerRecorder {
            row[octave]?.update(repeating: 0, count: Self.blockSize)
        }
        tallies[recorder] = Tally()
    }

    /// Gives a recorder's octaves back.
    private func releaseOctaves(_ recorder: Int) {
        let row = octaves + recorder * Self.octavesPerRecorder
        for octave in 0..<Self.octavesPerRecorder {
            guard let block = row[octave] else { continue }
            block.deallocate()
            row[octave] = nil
        }
    }
}
