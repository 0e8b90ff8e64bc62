import Foundation
import SimCore
@testable import ServerlessModel
import Testing

/// A message's own draws (handler time per message, downstream latency) re-seed a SplitMix64
/// generator from (key, attempt, purpose); these tests pin down what that must give.
@Suite("Per-message randomness")
struct PerMessageRandomnessTests {
    private let streams = Streams(spec: tinyPipeline(sends: []), seed: 1, replication: 0)
    private let latency = Distribution.lognormal(mu: 0, sigma: 1)

    private func draw(_ key: UInt32, _ attempt: Int32, _ purpose: Streams.Purpose) -> Double {
        streams.sample(latency, key: key, attempt: attempt, purpose: purpose).seconds
    }

    @Test("a draw depends only on key, attempt and purpose, not on the draws made before it")
    func commonRandomNumbers() {
        let first = draw(7, 1, .downstreamLatency)
        for key: UInt32 in 0..<50 { _ = draw(key, 2, .work) }
        #expect(draw(7, 1, .downstreamLatency) == first)
        let other = Streams(spec: tinyPipeline(sends: []), seed: 99, replication: 5)
        #expect(other.sample(latency, key: 7, attempt: 1, purpose: .downstreamLatency).seconds == first)
        #expect(draw(7, 2, .downstreamLatency) != first)
        #expect(draw(7, 1, .work) != first)
        #expect(draw(8, 1, .downstreamLatency) != first)
    }

    /// Consecutive keys are the hardest case for seeding: a weak seed mix would show up as a
    /// wrong spread or as correlation between neighbours, purposes or attempts.
    @Test("draws over consecutive keys have the distribution's moments and are uncorrelated")
    func distributionOverKeys() {
        let n = 20_000
        var logs = [Double](), work = [Double](), retry = [Double]()
        for key in 0..<UInt32(n) {
            logs.append(log(draw(key, 1, .downstreamLatency)))
            work.append(log(draw(key, 1, .work)))
            retry.append(log(draw(key, 2, .downstreamLatency)))
        }
        let mean = logs.reduce(0, +) / Double(n)
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // log(draw) is standard normal: SE of the mean 1/√n, of the variance about √(2/n).
        #expect(abs(mean) <= 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) <= 5 * (2 / Double(n)).squareRoot())

        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for (x, y) in zip(a, b) {
                sab += (x - ma) * (y - mb)
                saa += (x - ma) * (x - ma)
                sbb += (y - mb) * (y - mb)
            }
            return sab / (saa * sbb).squareRoot()
        }
        // Under independence a sample correlation has standard error about 1/√n.
        let bound = 5 / Double(n).squareRoot()
        #expect(abs(correlation(logs, work)) <= bound, "purposes of one message")
        #expect(abs(correlation(logs, retry)) <= bound, "attempts of one message")
        #expect(abs(correlation(Array(logs.dropLast()), Array(logs.dropFirst()))) <= bound, "neighbouring keys")
    }
}
