import Foundation

/// GSL's taus2 generator and its lognormal sampler, written in Swift so that per-message
/// draws need no C calls: the same numbers as `gsl_rng_taus2` and `gsl_ran_lognormal`, bit
/// for bit (the tests compare them with GSL seed by seed).
///
/// Per-message randomness re-seeds a generator for every draw (``RandomStream/reseed(_:)``),
/// and through GSL each draw cost an indirect `gsl_rng_set` (seeding plus six warm-up steps)
/// and an indirect call per uniform: together with the lognormal itself about 7 % of a
/// pipeline run's instructions (Benchmarks/PROFILE.md). A value on the stack, inlined into
/// the caller, does the same arithmetic without the calls.
@frozen public struct Taus2 {
    @usableFromInline var s1: UInt32
    @usableFromInline var s2: UInt32
    @usableFromInline var s3: UInt32

    /// Seeds as `gsl_rng_set` seeds taus2: an LCG spreads the seed over the three words (each
    /// kept above the minimum its Tausworthe step needs), then six steps warm it up.
    @inlinable public init(seed: UInt32) {
        let s = seed == 0 ? 1 : seed
        s1 = 69_069 &* s
        if s1 < 2 { s1 &+= 2 }
        s2 = 69_069 &* s1
        if s2 < 8 { s2 &+= 8 }
        s3 = 69_069 &* s2
        if s3 < 16 { s3 &+= 16 }
        for _ in 0..<6 { _ = next() }
    }

    /// The next 32-bit output (GSL's `taus_get`; 32-bit arithmetic is its masking to 32 bits).
    @inlinable @inline(__always) public mutating func next() -> UInt32 {
        s1 = ((s1 & 4_294_967_294) << 12) ^ (((s1 << 13) ^ s1) >> 19)
        s2 = ((s2 & 4_294_967_288) << 4) ^ (((s2 << 2) ^ s2) >> 25)
        s3 = ((s3 & 4_294_967_280) << 17) ^ (((s3 << 3) ^ s3) >> 11)
        return s1 ^ s2 ^ s3
    }

    /// A uniform number in [0, 1) (`gsl_rng_uniform`).
    @inlinable @inline(__always) public mutating func uniform() -> Double {
        Double(next()) / 4_294_967_296.0
    }

    /// A lognormal draw, `gsl_ran_lognormal(r, mu, sigma)`: a normal by the polar method,
    /// with GSL's operations in GSL's order so every rounding is the same.
    @inlinable public mutating func lognormal(mu: Double, sigma: Double) -> Double {
        var u: Double
        var r2: Double
        repeat {
            u = -1 + 2 * uniform()
            let v = -1 + 2 * uniform()
            r2 = u * u + v * v
        } while r2 > 1.0 || r2 == 0
        let normal = u * (-2.0 * Foundation.log(r2) / r2).squareRoot()
        return Foundation.exp(sigma * normal + mu)
    }
}
