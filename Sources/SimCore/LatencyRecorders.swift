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
/// The counts are laid out as in ``LatencyHistogram`` (HdrHistogram's buckets, a block of
/// an octave's total and its counts, allocated when a duration first falls into it), so a
/// histogram read out holds exactly what recording the same durations into a
/// ``LatencyHistogram`` would: the same counts, count, sum (added in the same order), minimum
/// and maximum. Each octave is an allocation of its own, never moved, so a store grows by
/// octaves without copying and without the slack of a doubling array.
///
/// Recorder numbers are checked with `assert` on the record path, as the model's entity ids
/// are: they are the model's own, never user input.
public struct LatencyRecorders: ~Copyable {
    /// An empty histogram of the layout recorded into, which every read-out starts from.
    private let empty: LatencyHistogram

    // The layout's numbers, kept apart from `empty` so that a record reads plain integers.
    @usableFromInline let unitMagnitude: Int
    @usableFromInline let halfCountMagnitude: Int
    @usableFromInline let leadingZeroCountBase: Int
    @usableFromInline let subBucketMask: UInt64
    /// The index of a count within its octave is its counts index masked by this.
    @usableFromInline let offsetMask: Int
    /// Entries per recorder in `octaves`: every octave a value can fall into, so that a
    /// record needs no length check before it looks its octave up.
    @usableFromInline let octavesPerRecorder: Int

    /// Each recorder's octaves in a row of `octavesPerRecorder` entries: the block (its total,
    /// then its counts) or nil while nothing fell into it.
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

    /// `count` empty recorders of the resolution and precision of `layout`, an empty
    /// histogram (`LatencyHistogram()`, or `.forPlotting()` for plots).
    public init(count: Int, layout: LatencyHistogram = LatencyHistogram()) {
        precondition(layout.isEmpty && layout.counts.isEmpty, "the layout is given by an empty histogram")
        precondition(count >= 0, "a count cannot be negative")
        empty = layout
        unitMagnitude = layout.unitMagnitude
        halfCountMagnitude = layout.halfCountMagnitude
        leadingZeroCountBase = layout.leadingZeroCountBase
        subBucketMask = layout.subBucketMask
        offsetMask = (1 << layout.halfCountMagnitude) - 1
        octavesPerRecorder = layout.octaveStart.count
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

    /// The counts of an octave's block: its total, then one per sub-bucket.
    private var blockSize: Int { 1 + (1 << halfCountMagnitude) }

    /// Adds an empty recorder and returns its number (the count before).
    public mutating func append() -> Int {
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
        let index = LatencyHistogram.index(
            of: UInt64(bitPattern: ns), unitMagnitude: unitMagnitude, halfCountMagnitude: halfCountMagnitude,
            leadingZeroCountBase: leadingZeroCountBase, subBucketMask: subBucketMask)
        let entry = octaves + (recorder &* octavesPerRecorder &+ (index &>> halfCountMagnitude))
        let block = entry.pointee ?? Self.allocateOctave(at: entry, counts: offsetMask &+ 2)
        block[0] &+= 1
        block[1 &+ (index & offsetMask)] &+= 1
        let tally = tallies + recorder
        tally.pointee.total &+= 1
        tally.pointee.sumNanoseconds += Double(ns)
        if ns < tally.pointee.minimum { tally.pointee.minimum = ns }
        if ns > tally.pointee.maximum { tally.pointee.maximum = ns }
    }

    /// Allocates an octave's block of `counts` (its total and its counts), zeroed, at its
    /// entry.
    ///
    /// Out of line, as it happens a few times per recorder; static, as a method would be
    /// handed a copy of the recorders on the stack, which every record would make room for.
    @usableFromInline @inline(never)
    static func allocateOctave(at entry: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>, counts: Int)
        -> UnsafeMutablePointer<UInt64> {
        let block = UnsafeMutablePointer<UInt64>.allocate(capacity: counts)
        block.initialize(repeating: 0, count: counts)
        entry.pointee = block
        return block
    }

    /// What a recorder holds, as a histogram: equal to a ``LatencyHistogram`` that recorded
    /// the same durations in the same order, its mean included.
    ///
    /// Only octaves that hold counts are copied (an octave emptied by ``reset(_:)`` is left
    /// out, which changes no percentile).
    public func histogram(_ recorder: Int) -> LatencyHistogram {
        precondition(recorder >= 0 && recorder < count, "recorder out of range")
        var result = empty
        let tally = tallies[recorder]
        guard tally.total > 0 else { return result }
        let row = octaves + recorder * octavesPerRecorder
        var used = 0
        for octave in 0..<octavesPerRecorder where (row[octave]?[0] ?? 0) > 0 { used += 1 }
        result.counts.reserveCapacity(used * blockSize)
        for octave in 0..<octavesPerRecorder {
            guard let block = row[octave], block[0] > 0 else { continue }
            result.octaveStart[octave] = Int32(result.counts.count)
            result.counts.append(contentsOf: UnsafeBufferPointer(start: block, count: blockSize))
        }
        result.total = tally.total
        result.sumNanoseconds = tally.sumNanoseconds
        result.minimum = tally.minimum
        result.maximum = tally.maximum
        return result
    }

    /// Forgets what a recorder holds but keeps its memory, for per-interval statistics; only
    /// the octaves that hold counts are cleared.
    public mutating func reset(_ recorder: Int) {
        precondition(recorder >= 0 && recorder < count, "recorder out of range")
        let row = octaves + recorder * octavesPerRecorder
        for octave in 0..<octavesPerRecorder {
            guard let block = row[octave], block[0] > 0 else { continue }
            block.update(repeating: 0, count: blockSize)
        }
        tallies[recorder] = Tally()
    }

    /// What a recorder holds, as ``histogram(_:)`` gives it, leaving the recorder empty and
    /// its memory given back: for the end of a run, when every histogram would otherwise be
    /// held twice.
    public mutating func take(_ recorder: Int) -> LatencyHistogram {
        let result = histogram(recorder)
        releaseOctaves(recorder)
        tallies[recorder] = Tally()
        return result
    }

    /// Gives a recorder's octaves back.
    private func releaseOctaves(_ recorder: Int) {
        let row = octaves + recorder * octavesPerRecorder
        for octave in 0..<octavesPerRecorder {
            guard let block = row[octave] else { continue }
            block.deallocate()
            row[octave] = nil
        }
    }
}
