import Testing
@testable import SimCore

@Suite("TimeSeriesBins")
struct TimeSeriesBinsTests {
    @Test("observations land in their interval; a boundary belongs to the later bin")
    func binning() {
        var bins = TimeSeriesBins(interval: .s(1))
        bins.add(at: .zero)
        bins.add(at: .ms(999))
        bins.add(at: .s(1))
        bins.add(at: .ms(2_500))
        bins.add(at: .ms(2_999))
        #expect(bins.binCount == 3)
        #expect(bins.counts == [2, 1, 2])
        #expect(bins.sums == [2, 1, 2])
        #expect(bins.bin(containing: .ms(1_999)) == 1)
        #expect(bins.bin(containing: .s(2)) == 2)
        #expect(bins.start(ofBin: 2) == .s(2))
    }

    @Test("sums, counts, means and rates per bin")
    func values() {
        var bins = TimeSeriesBins(interval: .minutes(1))
        bins.add(0.5, at: .s(10))
        bins.add(1.5, at: .s(50))
        bins.add(6, at: .s(130))
        #expect(bins.sum(inBin: 0) == 2)
        #expect(bins.count(inBin: 0) == 2)
        #expect(bins.mean(inBin: 0) == 1)
        #expect(bins.mean(inBin: 1) == nil)   // an empty minute in between
        #expect(bins.count(inBin: 1) == 0)
        #expect(bins.mean(inBin: 2) == 6)
        #expect(bins.ratePerSecond(inBin: 2) == 0.1)
        #expect(bins.sum(inBin: 40) == 0)
        #expect(bins.count(inBin: 40) == 0)
    }

    @Test("extending covers a quiet end of the run with empty bins")
    func extend() {
        var bins = TimeSeriesBins(interval: .s(10), expectedEnd: .s(60))
        bins.add(at: .s(5))
        bins.extend(through: .s(60))
        #expect(bins.binCount == 6)
        bins.extend(through: .s(61))
        #expect(bins.binCount == 7)
        bins.extend(through: .s(20))
        #expect(bins.binCount == 7)
        #expect(bins.counts == [1, 0, 0, 0, 0, 0, 0])
        bins.extend(through: .never)
        #expect(bins.binCount == 7)
    }

    @Test("a series may start at an origin other than zero")
    func origin() {
        var bins = TimeSeriesBins(interval: .s(1), origin: .s(100))
        bins.add(at: .s(100))
        bins.add(at: .ms(101_500))
        #expect(bins.counts == [1, 1])
        #expect(bins.start(ofBin: 1) == .s(101))
    }

    @Test("merging adds bin by bin")
    func merge() {
        var a = TimeSeriesBins(interval: .s(1))
        var b = TimeSeriesBins(interval: .s(1))
        a.add(2, at: .zero)
        b.add(3, at: .zero)
        b.add(4, at: .s(3))
        a.merge(b)
        #expect(a.sums == [5, 0, 0, 4])
        #expect(a.counts == [2, 0, 0, 1])
    }
}
