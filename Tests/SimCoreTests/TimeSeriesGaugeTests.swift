import Testing
@testable import SimCore

@Suite("TimeSeriesGauge")
struct TimeSeriesGaugeTests {
    @Test("per-bin mean, peak and end value, by hand")
    func byHand() {
        var gauge = TimeSeriesGauge(interval: .s(10))
        gauge.update(to: 4, at: .s(5))
        gauge.update(to: 2, at: .s(25))
        gauge.close(at: .s(32))
        #expect(gauge.binCount == 4)
        // [0, 10): 0 for 5 s then 4 for 5 s.
        #expect(gauge.mean(ofBin: 0) == 2)
        #expect(gauge.max(ofBin: 0) == 4)
        #expect(gauge.last(ofBin: 0) == 4)
        // [10, 20): 4 all along, carried over from the bin before.
        #expect(gauge.mean(ofBin: 1) == 4)
        #expect(gauge.max(ofBin: 1) == 4)
        #expect(gauge.last(ofBin: 1) == 4)
        // [20, 30): 4 for 5 s then 2 for 5 s.
        #expect(gauge.mean(ofBin: 2) == 3)
        #expect(gauge.max(ofBin: 2) == 4)
        #expect(gauge.last(ofBin: 2) == 2)
        // [30, 32): the part accounted so far.
        #expect(gauge.mean(ofBin: 3) == 2)
        #expect(gauge.max(ofBin: 3) == 2)
        #expect(gauge.last(ofBin: 3) == 2)
        #expect(gauge.mean(ofBin: 4) == nil)
        #expect(gauge.start(ofBin: 3) == .s(30))
    }

    @Test("closing on a boundary adds no empty bin")
    func closeOnBoundary() {
        var gauge = TimeSeriesGauge(interval: .s(10), initialValue: 1)
        gauge.close(at: .s(30))
        #expect(gauge.binCount == 3)
        #expect(gauge.mean(ofBin: 2) == 1)
        #expect(gauge.mean(ofBin: 3) == nil)
        #expect(TimeSeriesGauge(interval: .s(1)).binCount == 0)
    }

    @Test("a spike within one instant shows in the peak only")
    func spike() {
        var gauge = TimeSeriesGauge(interval: .s(1), initialValue: 1)
        gauge.add(9, at: .ms(300))
        gauge.add(-9, at: .ms(300))
        gauge.close(at: .s(1))
        #expect(gauge.mean(ofBin: 0) == 1)
        #expect(gauge.max(ofBin: 0) == 10)
        #expect(gauge.value == 1)
    }

    @Test("the bins add up to the time-weighted average over the whole run")
    func consistentWithTimeWeightedAverage() {
        let stream = RandomStream(seed: 77)
        var gauge = TimeSeriesGauge(interval: .ms(250), origin: .s(1), initialValue: 3)
        var average = TimeWeightedAverage(initialValue: 3, at: .s(1))
        var time = SimTime.s(1)
        var peak = 3.0
        for _ in 0..<5_000 {
            time += .ms(Int64(stream.integer(below: 400)))
            let level = Double(stream.integer(below: 50))
            gauge.update(to: level, at: time)
            average.update(to: level, at: time)
            peak = max(peak, level)
        }
        let end = time + .ms(123)
        gauge.close(at: end)
        var area = 0.0
        var gaugePeak = -Double.infinity
        for bin in 0..<gauge.binCount {
            let start = gauge.start(ofBin: bin)
            let width = min(start + gauge.interval, end) - start
            area += gauge.mean(ofBin: bin)! * width.seconds
            gaugePeak = max(gaugePeak, gauge.max(ofBin: bin)!)
        }
        let expected = average.integral(until: end)
        #expect(abs(area - expected) <= 1e-9 * expected)
        #expect(gaugePeak == peak)
        #expect(gauge.binCount == Int(((end - .s(1)).nanoseconds + 249_999_999) / 250_000_000))
    }
}
