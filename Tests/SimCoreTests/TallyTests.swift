import Testing
@testable import SimCore

@Suite("Tally")
struct TallyTests {
    private func values(_ count: Int, offset: Double, seed: UInt32) -> [Double] {
        let stream = RandomStream(seed: seed)
        return (0..<count).map { _ in offset + stream.uniform() }
    }

    @Test("an empty tally has no statistics")
    func empty() {
        let tally = Tally()
        #expect(tally.count == 0)
        #expect(tally.isEmpty)
        #expect(tally.mean == nil)
        #expect(tally.variance == nil)
        #expect(tally.standardDeviation == nil)
        #expect(tally.populationVariance == nil)
        #expect(tally.min == nil)
        #expect(tally.max == nil)
        #expect(tally.sum == 0)
    }

    @Test("one value has a mean but no sample variance")
    func single() {
        var tally = Tally()
        tally.add(4.5)
        #expect(tally.mean == 4.5)
        #expect(tally.variance == nil)
        #expect(tally.populationVariance == 0)
        #expect(tally.min == 4.5)
        #expect(tally.max == 4.5)
    }

    @Test("a textbook example")
    func textbook() {
        let tally = Tally([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(tally.count == 8)
        #expect(tally.mean == 5)
        #expect(tally.populationVariance == 4)
        #expect(abs(tally.variance! - 32.0 / 7) < 1e-15)
        #expect(tally.standardDeviation! == (32.0 / 7).squareRoot())
        #expect(tally.min == 2)
        #expect(tally.max == 9)
        #expect(tally.sum == 40)
    }

    @Test("Welford agrees with two passes even when the mean dwarfs the spread")
    func welfordVersusTwoPass() {
        // Values near 10^9 with a spread of about 0.3: Σx² − n·mean² would lose all digits
        // (x² ≈ 10^18, whose rounding step of 128 dwarfs the variance of 1/12).
        let data = values(100_000, offset: 1e9, seed: 5)
        let tally = Tally(data)
        // The reference works on x − 10^9, which is exact for these values, so it is free of
        // the large magnitude that makes any running sum (Welford's too) round.
        let shifted = data.map { $0 - 1e9 }
        let exactMean = 1e9 + Sample.mean(shifted)
        let twoPass = Sample.variance(shifted)
        #expect(abs(tally.mean! - exactMean) <= 1e-13 * exactMean)
        #expect(abs(tally.variance! - twoPass) <= 1e-6 * twoPass)
        #expect(abs(tally.variance! - 1.0 / 12) <= 0.01 / 12)
        #expect(tally.min == data.min())
        #expect(tally.max == data.max())
    }

    @Test("merging equals tallying the concatenation, wherever the split is", arguments: [0, 1, 2, 500, 9_999, 10_000])
    func merge(split: Int) {
        let data = values(10_000, offset: 50, seed: 6).enumerated().map { $0.element * Double($0.offset % 7 + 1) }
        let whole = Tally(data)
        let left = Tally(data[..<split])
        let right = Tally(data[split...])
        var merged = left
        merged.merge(right)
        #expect(merged.count == whole.count)
        #expect(abs(merged.mean! - whole.mean!) <= 1e-12 * whole.mean!)
        #expect(abs(merged.variance! - whole.variance!) <= 1e-10 * whole.variance!)
        #expect(merged.min == whole.min)
        #expect(merged.max == whole.max)
        // merged(with:) leaves its receiver alone and merges the other way round too.
        let reversed = right.merged(with: left)
        #expect(reversed.count == whole.count)
        #expect(abs(reversed.variance! - whole.variance!) <= 1e-10 * whole.variance!)
        #expect(left.count == split)
    }

    @Test("merging many parts pairwise")
    func mergeMany() {
        let data = values(12_000, offset: -3, seed: 8)
        var total = Tally()
        for chunk in stride(from: 0, to: data.count, by: 1_000) {
            total.merge(Tally(data[chunk..<(chunk + 1_000)]))
        }
        let whole = Tally(data)
        #expect(total.count == 12_000)
        #expect(abs(total.mean! - whole.mean!) <= 1e-12)
        #expect(abs(total.variance! - whole.variance!) <= 1e-10 * whole.variance!)
    }
}
