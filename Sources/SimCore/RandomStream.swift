import CGSL

/// One independent stream of random numbers: a GSL generator.
///
/// Every stochastic source of a model draws from its own named stream (`arrivals/A`,
/// `duration/worker`, ...), seeded by ``StreamSeed``. Two runs that share a stream name,
/// scenario seed and replication therefore see the same numbers from that source, whatever
/// else differs: common random numbers.
///
/// A named stream runs SplitMix64 (see ``Algorithm/splitMix64``) from a 64-bit seed. It was
/// MT19937 until the model had thousands of streams: a pipeline has about ten, each with
/// MT19937's 5 KB of state, so 4,000 pipelines carried 200 MB of generator state, and a draw
/// from a stream not used for a while touched several cold cache lines (its refill of 624
/// words, 80). SplitMix64's state is one word; it passes TestU01's BigCrush, has period 2^64
/// per stream, and streams started from unrelated 64-bit seeds overlap within n draws with
/// probability about n / 2^63 (Benchmarks/PROFILE.md). MT19937 remains for `init(seed:)`.
///
/// A stream is not thread-safe; each run owns its streams.
public final class RandomStream {
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>

    /// The seed the generator was started with (``reseed(_:)`` does not change it).
    public let seed: UInt64

    /// Creates a stream started from a 32-bit seed (MT19937 uses 32 bits of seed).
    ///
    /// GSL's MT19937 treats seed 0 as its default seed, 4357, so those two seeds give the same
    /// sequence; ``StreamSeed/derive(scenarioSeed:replication:stream:)`` meets 0 once in 2^32.
    public init(seed: UInt32) {
        _ = gslErrorsOff
        guard let generator = queuesim_rng_alloc_mt19937() else {
            fatalError("GSL could not allocate a random number generator (out of memory)")
        }
        self.generator = generator
        self.seed = UInt64(seed)
        self.algorithm = .mersenneTwister
        gsl_rng_set(generator, UInt(seed))
    }

    /// Which GSL generator a stream runs.
    public enum Algorithm: Sendable {
        /// MT19937, for a stream started from a 32-bit seed with `init(seed:)`.
        case mersenneTwister
        /// SplitMix64 (Steele, Lea, Flood 2014), registered with GSL by the CGSL shim: a
        /// counter-based generator whose whole state is one 64-bit word, so ``reseed(_:)``, which
        /// per-message randomness does before every draw, is a single store. Its n-th number
        /// after a re-seed is a fixed mix of seed + n × 0x9E3779B97F4A7C15 and depends on nothing
        /// else. It passes TestU01's BigCrush.
        case splitMix64
    }

    /// The generator this stream runs.
    public let algorithm: Algorithm

    /// Creates a stream of the given algorithm started from a seed (MT19937 uses its low 32
    /// bits, SplitMix64 all 64).
    public init(seed: UInt64, algorithm: Algorithm) {
        _ = gslErrorsOff
        let allocated = algorithm == .splitMix64 ? queuesim_rng_alloc_splitmix64() : queuesim_rng_alloc_mt19937()
        guard let generator = allocated else {
            fatalError("GSL could not allocate a random number generator (out of memory)")
        }
        self.generator = generator
        self.seed = seed
        self.algorithm = algorithm
        gsl_rng_set(generator, UInt(seed))
    }

    /// Restarts the generator from another seed (per-entity randomness keyed by an id).
    ///
    /// SplitMix64 takes all 64 bits and is re-seeded by one store; MT19937 uses the low 32.
    @inlinable public func reseed(_ seed: UInt64) { handle.reseed(seed) }

    /// A uniformly distributed 32-bit value (used to give entities their own random keys).
    @inlinable public func next32() -> UInt32 { handle.next32() }

    /// Creates the stream called `name` for a scenario seed and replication: SplitMix64 from
    /// the 64-bit seed ``StreamSeed`` derives.
    public convenience init(name: String, scenarioSeed: UInt64, replication: Int) {
        self.init(seed: StreamSeed.derive(scenarioSeed: scenarioSeed, replication: replication, stream: name),
                  algorithm: .splitMix64)
    }

    deinit { gsl_rng_free(generator) }

    /// A uniform number in the open interval (0, 1).
    @inlinable public func uniform() -> Double { handle.uniform() }

    /// A uniform integer in 0..<bound.
    @inlinable public func integer(below bound: Int) -> Int { handle.integer(below: bound) }

    /// True with probability `p` (see ``Handle/bernoulli(_:)``).
    @inlinable public func bernoulli(_ p: Double) -> Bool { handle.bernoulli(p) }

    /// The underlying GSL generator, for samplers in this module.
    @inlinable var gsl: UnsafeMutablePointer<gsl_rng> { generator }

    /// This stream's handle, to draw from it without holding a reference to it.
    @inlinable public var handle: Handle {
        Handle(generator: generator, splitMix64: algorithm == .splitMix64)
    }

    /// A stream to draw from without its reference count: a plain pointer to its generator.
    ///
    /// A model keeps its streams in arrays and draws several times per message. Passing the
    /// stream itself made each draw retain and release it (the stream frees its generator
    /// when it goes, so the compiler must keep it alive across every GSL call), about 40
    /// instructions a draw (Benchmarks/PROFILE.md, fourth round). A handle is only a pointer,
    /// valid while its stream lives: the owner of the streams keeps them for as long as it
    /// hands out their handles.
    public struct Handle {
        @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>
        /// SplitMix64's counter, which GSL's samplers advance too; nil for MT19937, which GSL
        /// draws.
        @usableFromInline let counter: UnsafeMutablePointer<UInt64>?

        @inlinable init(generator: UnsafeMutablePointer<gsl_rng>, splitMix64: Bool) {
            self.generator = generator
            // The state GSL allocated for the type is a `queuesim_splitmix64_state`, one
            // `uint64_t`: its only field, read and written in place by both sides.
            counter = splitMix64
                ? UnsafeMutableRawPointer(generator.pointee.state)
                    .assumingMemoryBound(to: queuesim_splitmix64_state.self)
                    .pointer(to: \.counter)
                : nil
        }

        // The draws below are GSL's, operation for operation, with SplitMix64 computed here
        // instead of behind `gsl_rng`'s function pointers (`RandomStreamTests` draws a million
        // of each from both and requires equality; Benchmarks/PROFILE.md, eighth round).

        /// SplitMix64's next output (the CGSL shim's `queuesim_splitmix64_next`).
        @inlinable @inline(__always)
        func next64(_ counter: UnsafeMutablePointer<UInt64>) -> UInt64 {
            let value = counter.pointee
            counter.pointee = value &+ 0x9E37_79B9_7F4A_7C15
            return StreamSeed.splitmix64(value)
        }

        /// `gsl_rng_uniform`: the generator's double in [0, 1) (the upper 53 bits).
        @inlinable @inline(__always)
        func uniformIncludingZero() -> Double {
            guard let counter else { return gsl_rng_uniform(generator) }
            return Double(next64(counter) >> 11) * 0x1.0p-53
        }

        /// Starts the generator again from `seed` (SplitMix64: the counter; MT19937: its low
        /// 32 bits).
        @inlinable public func reseed(_ seed: UInt64) {
            if let counter {
                counter.pointee = seed
            } else {
                gsl_rng_set(generator, UInt(truncatingIfNeeded: seed))
            }
        }

        /// A uniformly distributed 32-bit value (`gsl_rng_get`: SplitMix64's upper 32 bits).
        @inlinable @inline(__always) public func next32() -> UInt32 {
            guard let counter else { return UInt32(truncatingIfNeeded: gsl_rng_get(generator)) }
            return UInt32(truncatingIfNeeded: next64(counter) >> 32)
        }

        /// A uniform number in the open interval (0, 1) (`gsl_rng_uniform_pos`: a 0 is drawn
        /// again).
        @inlinable @inline(__always) public func uniform() -> Double {
            while true {
                let u = uniformIncludingZero()
                if u != 0 { return u }
            }
        }

        /// A uniform integer in 0..<bound (`gsl_rng_uniform_int`: the 32-bit value divided by
        /// the largest scale that fits `bound` times, redrawn above the last whole multiple).
        @inlinable public func integer(below bound: Int) -> Int {
            precondition(bound > 0, "the bound must be positive")
            guard counter != nil, bound <= 0xFFFF_FFFF else {
                return Int(gsl_rng_uniform_int(generator, UInt(bound)))
            }
            let scale = UInt64(0xFFFF_FFFF) / UInt64(bound)
            while true {
                let k = UInt64(next32()) / scale
                if k < UInt64(bound) { return Int(k) }
            }
        }

        /// A uniform number between `a` and `b` (`gsl_ran_flat`: `a (1 - u) + b u`).
        @inlinable @inline(__always) public func flat(_ a: Double, _ b: Double) -> Double {
            let u = uniformIncludingZero()
            return a * (1 - u) + b * u
        }

        /// True with probability `p`.
        ///
        /// One number is drawn whatever `p` is, even 0: the stream's position then depends only
        /// on how many trials were made, so variants that differ in `p` (an error rate of 0 and
        /// of 1%, or a rate that changes during the run) stay in step, trial for trial, and are
        /// compared with common random numbers.
        @inlinable @inline(__always) public func bernoulli(_ p: Double) -> Bool {
            uniformIncludingZero() < p
        }
    }
}

/// GSL aborts the process on a domain error by default; a simulator must not. Turned off
/// once per process, thread-safely (Swift initialises globals exactly once).
let gslErrorsOff: Void = queuesim_gsl_errors_off()

/// The stable derivation of a stream's seed from (scenario seed, replication, stream name).
///
/// Swift's `Hasher` is randomly seeded per process, so it cannot be used: a stream must get
/// the same seed on every run and machine. The derivation is:
///
/// ```
/// h = fnv1a64(utf8(name))
/// seed = splitmix64(splitmix64(scenarioSeed) ^ splitmix64(replication + 0x9E3779B97F4A7C15) ^ h)
/// ```
///
/// FNV-1a spreads the name, SplitMix64's finaliser (Steele, Lea, Flood 2014) mixes the
/// parts so that neighbouring replications get unrelated seeds.
public enum StreamSeed {
    /// The 64-bit seed of a stream.
    public static func derive(scenarioSeed: UInt64, replication: Int, stream: String) -> UInt64 {
        let replicationPart = splitmix64(UInt64(truncatingIfNeeded: replication) &+ 0x9E37_79B9_7F4A_7C15)
        return splitmix64(splitmix64(scenarioSeed) ^ replicationPart ^ fnv1a64(stream))
    }

    /// FNV-1a, 64-bit, over the UTF-8 bytes of a string.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mixer.
    @inlinable public static func splitmix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
