import CGSL
import Foundation
import Testing
@testable import SimCore

@Suite("RandomStream and StreamSeed")
struct RandomStreamTests {
    private func uniforms(_ stream: RandomStream, _ count: Int) -> [Double] {
        (0..<count).map { _ in stream.uniform() }
    }

    @Test("a stream's handle draws the stream's own sequence")
    func handle() {
        let direct = RandomStream(name: "duration/worker", scenarioSeed: 42, replication: 0)
        let handled = RandomStream(name: "duration/worker", scenarioSeed: 42, replication: 0)
        let lognormal = Distribution.lognormal(median: .ms(90), p99: .ms(200))
        // A handle is valid only while its stream lives.
        withExtendedLifetime(handled) {
            let handle = handled.handle
            for _ in 0..<200 {
                #expect(direct.uniform() == handle.uniform())
                #expect(direct.next32() == handle.next32())
                #expect(direct.integer(below: 7) == handle.integer(below: 7))
                #expect(direct.bernoulli(0.3) == handle.bernoulli(0.3))
                #expect(lognormal.sample(direct) == lognormal.sample(handle))
                #expect(lognormal.sampleSeconds(direct) == lognormal.sampleSeconds(handle))
            }
        }
    }

    @Test("the same name, seed and replication give the same sequence")
    func reproducible() {
        let a = RandomStream(name: "arrivals/A", scenarioSeed: 42, replication: 3)
        let b = RandomStream(name: "arrivals/A", scenarioSeed: 42, replication: 3)
        #expect(a.seed == b.seed)
        #expect(uniforms(a, 1_000) == uniforms(b, 1_000))
    }

    @Test("another name, replication or scenario seed gives another sequence")
    func independent() {
        let base = RandomStream(name: "arrivals/A", scenarioSeed: 42, replication: 3)
        let variants = [
            RandomStream(name: "arrivals/B", scenarioSeed: 42, replication: 3),
            RandomStream(name: "duration/A", scenarioSeed: 42, replication: 3),
            RandomStream(name: "arrivals/A", scenarioSeed: 42, replication: 4),
            RandomStream(name: "arrivals/A", scenarioSeed: 43, replication: 3),
        ]
        let reference = uniforms(base, 100)
        for variant in variants {
            #expect(variant.seed != base.seed)
            #expect(uniforms(variant, 100) != reference)
        }
        // Neighbouring replications must not get neighbouring seeds.
        let seeds = (0..<1_000).map { StreamSeed.derive(scenarioSeed: 1, replication: $0, stream: "x") }
        #expect(Set(seeds).count == 1_000)
    }

    @Test("FNV-1a and SplitMix64 match their published test vectors")
    func hashVectors() {
        #expect(StreamSeed.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(StreamSeed.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(StreamSeed.fnv1a64("foobar") == 0x8594_4171_F739_67E8)
        // The first output of SplitMix64 seeded with 0.
        #expect(StreamSeed.splitmix64(0) == 0xE220_A839_7B1D_CDAF)
    }

    @Test("GSL's MT19937 gives its documented first output for seed 4357; seed 0 means 4357")
    func gslGolden() {
        let stream = RandomStream(seed: 4357)
        #expect(gsl_rng_get(stream.generator) == 4_293_858_116)
        let zero = RandomStream(seed: 0)
        #expect(gsl_rng_get(zero.generator) == 4_293_858_116)
    }

    /// The seed derivation and a named stream's SplitMix64 written again in Python.
    private static let python = """
    import sys
    M = (1 << 64) - 1
    def splitmix64(v):
        z = (v + 0x9E3779B97F4A7C15) & M
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)
    def fnv1a64(text):
        h = 0xCBF29CE484222325
        for byte in text.encode("utf-8"):
            h = ((h ^ byte) * 0x100000001B3) & M
        return h
    def derive(seed, replication, name):
        return splitmix64(splitmix64(seed) ^ splitmix64((replication + 0x9E3779B97F4A7C15) & M) ^ fnv1a64(name))
    def splitmix64_first(seed, count):
        # Output n of a SplitMix64 generator started at `seed` is the finaliser of
        # seed + n golden gammas; GSL's integer interface gives its upper 32 bits.
        return [splitmix64((seed + n * 0x9E3779B97F4A7C15) & M) >> 32 for n in range(count)]
    for arg in sys.argv[1:]:
        seed, replication, name = arg.split("|", 2)
        derived = derive(int(seed), int(replication), name)
        print(derived, *splitmix64_first(derived, 3))
    """

    @Test("seeds and first numbers agree with an independent implementation in another process")
    func acrossProcesses() throws {
        let cases: [(UInt64, Int, String)] = [
            (0, 0, ""),
            (1, 0, "arrivals/A"),
            (1, 1, "arrivals/A"),
            (42, 7, "duration/worker"),
            (.max, 3, "coldstart/f"),
            (12_345, -1, "errors/größe"),
            (2_024, 1_000, "arrivals/tenant-✓"),
        ]
        let output = try runPython(Self.python, arguments: cases.map { "\($0.0)|\($0.1)|\($0.2)" })
        #expect(output.status == 0, "python3 failed: \(output.standardError)")
        let lines = output.standardOutput.split(separator: "\n")
        try #require(lines.count == cases.count)
        for (line, (seed, replication, name)) in zip(lines, cases) {
            let fields = line.split(separator: " ").compactMap { UInt64($0) }
            try #require(fields.count == 4)
            let derived = StreamSeed.derive(scenarioSeed: seed, replication: replication, stream: name)
            #expect(derived == fields[0], "seed for \(name) replication \(replication)")
            let stream = RandomStream(name: name, scenarioSeed: seed, replication: replication)
            #expect(stream.seed == derived)
            let first = (0..<3).map { _ in UInt64(gsl_rng_get(stream.generator)) }
            #expect(first == Array(fields[1...]), "SplitMix64 output for \(name)")
        }
    }

    /// SplitMix64's first outputs for seed 1234567, as published with the generator's reference
    /// implementations (Vigna's splitmix64.c; Rosetta Code, "Pseudo-random numbers/Splitmix64").
    private static let splitMix64Published: [UInt64] = [
        6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
        4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]

    @Test("the SplitMix64 generator gives its published outputs through GSL")
    func splitMix64Published() {
        let stream = RandomStream(seed: 1_234_567, algorithm: .splitMix64)
        let raw = (0..<5).map { _ in queuesim_splitmix64_next(stream.generator.pointee.state) }
        #expect(raw == Self.splitMix64Published)
        // GSL's integer interface gives the upper 32 bits, its doubles the upper 53.
        stream.reseed(1_234_567)
        #expect((0..<5).map { _ in stream.next32() } == Self.splitMix64Published.map { UInt32($0 >> 32) })
        stream.reseed(1_234_567)
        #expect(uniforms(stream, 5) == Self.splitMix64Published.map { Double($0 >> 11) * 0x1p-53 })
    }

    @Test("SplitMix64 re-seeded with 64 bits: output n is the mix of seed + n golden gammas")
    func splitMix64Counter() {
        // StreamSeed.splitmix64(v) is SplitMix64's first output for seed v (checked against its
        // test vector above), so output n for seed s is StreamSeed.splitmix64(s + n * gamma).
        let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
        let stream = RandomStream(seed: 0, algorithm: .splitMix64)
        for seed: UInt64 in [0, 1, 0xFFFF_FFFF, 0x1_0000_0000, 0xDEAD_BEEF_0000_0007, .max] {
            stream.reseed(seed)
            let expected = (0..<8).map { StreamSeed.splitmix64(seed &+ UInt64($0) &* gamma) >> 32 }
            #expect((0..<8).map { _ in UInt64(stream.next32()) } == expected, "seed \(seed)")
        }
        // The upper 32 bits of the seed matter (taus2 and MT19937 would ignore them).
        stream.reseed(0x1_0000_0005)
        let high = uniforms(stream, 10)
        stream.reseed(5)
        #expect(uniforms(stream, 10) != high)
    }

    @Test("reseeding restarts the stream as if it were new", arguments: [RandomStream.Algorithm.mersenneTwister, .splitMix64])
    func reseed(algorithm: RandomStream.Algorithm) {
        let stream = RandomStream(seed: 5, algorithm: algorithm)
        let fromFive = uniforms(stream, 20)
        stream.reseed(9)
        let fresh = RandomStream(seed: 9, algorithm: algorithm)
        #expect(uniforms(stream, 50) == uniforms(fresh, 50))
        stream.reseed(5)
        #expect(uniforms(stream, 20) == fromFive)
        #expect(stream.seed == 5)
    }

    @Test("the algorithms are different generators; Mersenne Twister is the default")
    func algorithms() {
        let twister = RandomStream(seed: 77, algorithm: .mersenneTwister)
        let splitMix = RandomStream(seed: 77, algorithm: .splitMix64)
        let plain = RandomStream(seed: 77)
        let first = (0..<5).map { _ in twister.next32() }
        #expect((0..<5).map { _ in plain.next32() } == first)
        #expect((0..<5).map { _ in splitMix.next32() } != first)
        #expect(plain.algorithm == .mersenneTwister && splitMix.algorithm == .splitMix64)
    }

    @Test("SplitMix64 through GSL: uniform() in (0, 1) with mean 1/2 and variance 1/12, integers even")
    func splitMix64Uniform() {
        let stream = RandomStream(seed: 3, algorithm: .splitMix64)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<n {
            let u = stream.uniform()
            #expect(u > 0 && u < 1)
            sum += u
            sumSquares += u * u
            counts[stream.integer(below: 10)] += 1
        }
        let mean = sum / Double(n)
        // Var(U) = 1/12, Var(U^2) = 4/45: five standard errors each.
        #expect(abs(mean - 0.5) <= 5 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(sumSquares / Double(n) - 1.0 / 3) <= 5 * (4.0 / 45 / Double(n)).squareRoot())
        let tolerance = 5 * (Double(n) * 0.1 * 0.9).squareRoot()
        for count in counts { #expect(abs(Double(count) - Double(n) / 10) <= tolerance) }
    }

    @Test("uniform() is in (0, 1) and integer(below:) in range, evenly")
    func ranges() {
        let stream = RandomStream(seed: 11)
        var counts = [Int](repeating: 0, count: 10)
        let n = 100_000
        for _ in 0..<n {
            let u = stream.uniform()
            #expect(u > 0 && u < 1)
            counts[stream.integer(below: 10)] += 1
        }
        // Each count is Binomial(n, 0.1): allow 5 standard deviations.
        let tolerance = 5 * (Double(n) * 0.1 * 0.9).squareRoot()
        for count in counts { #expect(abs(Double(count) - Double(n) / 10) <= tolerance) }
    }

    @Test("bernoulli hits with probability p and always draws one number")
    func bernoulli() {
        let stream = RandomStream(seed: 12)
        let n = 100_000
        var hits = 0
        for _ in 0..<n where stream.bernoulli(0.3) { hits += 1 }
        #expect(abs(Double(hits) - 0.3 * Double(n)) <= 5 * (Double(n) * 0.3 * 0.7).squareRoot())

        let a = RandomStream(seed: 13)
        let b = RandomStream(seed: 13)
        #expect(!a.bernoulli(0))
        #expect(b.bernoulli(1))
        // Both streams are one number in, whatever p was: they stay in step.
        #expect(uniforms(a, 10) == uniforms(b, 10))
    }

    // SplitMix64 streams draw in Swift (RandomStream.Handle), GSL's samplers through gsl_rng.
    // GSL stays the reference: a twin stream, started alike, draws with GSL's own functions,
    // and every draw must be the same Double or integer, a million of each kind.

    private static let referenceDraws = 1_000_000

    @Test("SplitMix64 in Swift draws GSL's numbers: get, uniform, uniform_pos, uniform_int, flat")
    func swiftDrawsEqualGSL() {
        let swift = RandomStream(seed: 0x5EED_0008, algorithm: .splitMix64)
        let gsl = RandomStream(seed: 0x5EED_0008, algorithm: .splitMix64)
        // Bounds that divide 2^32 - 1 evenly or not, and one above 2^31, where about half of the
        // 32-bit values are redrawn.
        let bounds = [1, 3, 7, 10, 256, 1_000_003, 0x8000_0001]
        var mismatches = 0
        withExtendedLifetime((swift, gsl)) {
            let handle = swift.handle
            let r = gsl.gsl
            for n in 0..<Self.referenceDraws {
                switch n % 6 {
                case 0: if handle.next32() != UInt32(truncatingIfNeeded: gsl_rng_get(r)) { mismatches += 1 }
                case 1: if handle.uniform() != gsl_rng_uniform_pos(r) { mismatches += 1 }
                case 2: if handle.bernoulli(0.3) != (gsl_rng_uniform(r) < 0.3) { mismatches += 1 }
                case 3:
                    let bound = bounds[(n / 6) % bounds.count]
                    if handle.integer(below: bound) != Int(gsl_rng_uniform_int(r, UInt(bound))) { mismatches += 1 }
                case 4: if handle.flat(0.25, 7.5) != gsl_ran_flat(r, 0.25, 7.5) { mismatches += 1 }
                default:
                    if Distribution.exponential(mean: .ms(250)).sampleSeconds(handle)
                        != -0.25 * log(gsl_rng_uniform_pos(r)) { mismatches += 1 }
                }
            }
            // Still in step: the same counter.
            #expect(handle.next32() == UInt32(truncatingIfNeeded: gsl_rng_get(r)))
        }
        #expect(mismatches == 0)
    }

    @Test("a re-seeded handle and GSL's samplers share one generator: interleaved draws equal GSL's")
    func swiftAndGSLSamplersInterleave() {
        let swift = RandomStream(seed: 0, algorithm: .splitMix64)
        let gsl = RandomStream(seed: 0, algorithm: .splitMix64)
        let lognormal = Distribution.lognormal(median: .ms(90), p99: .ms(200))
        guard case .lognormal(let mu, let sigma) = lognormal else {
            Issue.record("not a lognormal")
            return
        }
        let mixture = Distribution.mixture(MixtureComponent.normalised([
            (weight: 1, distribution: .uniform(min: .ms(1), max: .ms(2))),
            (weight: 3, distribution: lognormal),
        ]) ?? [])
        var mismatches = 0
        withExtendedLifetime((swift, gsl)) {
            let handle = swift.handle
            let r = gsl.gsl
            for key in 0..<UInt64(Self.referenceDraws / 4) {
                // Per-message randomness: a re-seed, then draws of GSL's ziggurat (which advances
                // the counter the handle reads) and of the handle.
                let seed = StreamSeed.splitmix64(key << 32) ^ 0x243F_6A88_85A3_08D3
                handle.reseed(seed)
                gsl_rng_set(r, UInt(seed))
                if lognormal.sampleSeconds(handle) != exp(mu + gsl_ran_gaussian_ziggurat(r, sigma)) { mismatches += 1 }
                if handle.uniform() != gsl_rng_uniform_pos(r) { mismatches += 1 }
                let u = gsl_rng_uniform(r)
                let expected = u < 0.25
                    ? gsl_ran_flat(r, 0.001, 0.002)
                    : exp(mu + gsl_ran_gaussian_ziggurat(r, sigma))
                if mixture.sampleSeconds(handle) != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("a drawn 0 is drawn again by uniform() as by gsl_rng_uniform_pos, and kept by bernoulli")
    func zeroIsRedrawn() {
        // SplitMix64's mix maps 0 to 0, so the counter 0 - gamma makes the next output 0.
        let zeroNext = 0 &- 0x9E37_79B9_7F4A_7C15 as UInt64
        let stream = RandomStream(seed: 1, algorithm: .splitMix64)
        let twin = RandomStream(seed: 1, algorithm: .splitMix64)
        withExtendedLifetime((stream, twin)) {
            let handle = stream.handle
            handle.reseed(zeroNext)
            twin.reseed(zeroNext)
            let u = handle.uniform()
            #expect(u > 0 && u == gsl_rng_uniform_pos(twin.gsl))
            handle.reseed(zeroNext)
            #expect(handle.bernoulli(Double.leastNonzeroMagnitude))
            handle.reseed(zeroNext)
            #expect(handle.next32() == 0)
        }
    }

    @Test("MT19937 streams still draw through GSL")
    func mersenneTwisterHandle() {
        let stream = RandomStream(seed: 4357)
        let twin = RandomStream(seed: 4357)
        withExtendedLifetime((stream, twin)) {
            let handle = stream.handle
            for n in 0..<1_000 {
                let bound = n % 10 + 1
                #expect(handle.next32() == UInt32(truncatingIfNeeded: gsl_rng_get(twin.gsl)))
                #expect(handle.uniform() == gsl_rng_uniform_pos(twin.gsl))
                #expect(handle.integer(below: bound) == Int(gsl_rng_uniform_int(twin.gsl, UInt(bound))))
                #expect(handle.flat(1, 2) == gsl_ran_flat(twin.gsl, 1, 2))
            }
        }
    }
}
