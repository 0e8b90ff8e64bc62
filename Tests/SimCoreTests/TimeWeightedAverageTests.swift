import Testing
@testable import SimCore

@Suite("TimeWeightedAverage")
struct TimeWeightedAverageTests {
    /// 0 on [0, 1), 2 on [1, 3), 5 on [3, 4), 1 from 4 on.
    private func example() -> TimeWeightedAverage {
        var average = TimeWeightedAverage()
        average.update(to: 2, at: .s(1))
        average.update(to: 5, at: .s(3))
        average.update(to: 1, at: .s(4))
        return average
    }

    @Test("a mean from a difference of areas is, bit for bit, that of an average over the window")
    func meanFromAreas() {
        // A concurrency that steps up and down at irregular times, read over a window that
        // starts and ends inside steps, as the time series reads each interval.
        var whole = TimeWeightedAverage()
        let start = SimTime.ms(1_234)
        var window: TimeWeightedAverage?
        var areaAtStart = 0.0
        var time = SimTime.zero
        var value = 0.0
        for step in 0..<20_000 {
            time = time + .ns(Int64(17_000 + (step * 7_919) % 1_000_003))
            if window == nil, time > start {
                areaAtStart = whole.area(until: start)
                window = TimeWeightedAverage(initialValue: whole.value, at: start)
            }
            value = max(0, value + (step % 3 == 0 ? -1 : 1) * Double(1 + step % 4))
            whole.update(to: value, at: time)
            window?.update(to: value, at: time)
        }
        let end = time + .ns(123_457)
        let fromAreas = TimeWeightedAverage.mean(ofArea: whole.area(until: end) - areaAtStart, from: start, until: end)
        #expect(fromAreas != nil)
        #expect(fromAreas == window?.mean(until: end))
        #expect(whole.integral(until: end) == whole.area(until: end) / 1e9)
    }

    @Test("the mean is the area under the steps over the window, by hand")
    func byHand() {
        let average = example()
        // Closed at 10 s: 0·1 + 2·2 + 5·1 + 1·6 = 15 value-seconds over 10 s.
        #expect(average.integral(until: .s(10)) == 15)
        #expect(average.mean(until: .s(10)) == 1.5)
        // Read earlier, the open stretch counts up to the reading: (0 + 4 + 5) / 4.
        #expect(average.mean(until: .s(4)) == 2.25)
        // 0·1 + 2·2 + 5·1 + 1·0.5 = 9.5 over 4.5 s.
        #expect(average.mean(until: .ms(4_500)) == 9.5 / 4.5)
        #expect(average.max == 5)
        #expect(average.min == 0)
        #expect(average.value == 1)
        #expect(average.lastChange == .s(4))
    }

    @Test("the plain average of the updates would be wrong")
    func notTheMeanOfUpdates() {
        // 100 for one second, then 0 for 99 seconds: the average level is 1, although the
        // two updates average 50.
        var average = TimeWeightedAverage(initialValue: 100)
        average.update(to: 0, at: .s(1))
        #expect(average.mean(until: .s(100)) == 1)
    }

    @Test("a window that does not start at zero")
    func offsetStart() {
        var average = TimeWeightedAverage(initialValue: 3, at: .s(10))
        average.add(1, at: .s(12))
        average.add(-2, at: .s(14))
        // 3·2 + 4·2 + 2·6 = 26 over 10 s.
        #expect(average.mean(until: .s(20)) == 2.6)
        #expect(average.start == .s(10))
        #expect(average.max == 4)
        #expect(average.min == 2)
    }

    @Test("changes within one instant count for the peak, not for the mean")
    func instantaneousSpike() {
        var average = TimeWeightedAverage(initialValue: 1)
        average.update(to: 50, at: .s(5))
        average.update(to: 1, at: .s(5))
        #expect(average.mean(until: .s(10)) == 1)
        #expect(average.max == 50)
    }

    @Test("an empty window has no mean")
    func emptyWindow() {
        let average = TimeWeightedAverage(initialValue: 7, at: .s(3))
        #expect(average.mean(until: .s(3)) == nil)
        #expect(average.integral(until: .s(3)) == 0)
    }

    @Test("agrees with a direct sum over random steps")
    func randomSteps() {
        let stream = RandomStream(seed: 31)
        var average = TimeWeightedAverage()
        var time = SimTime.zero
        var level = 0.0
        var area = 0.0
        for _ in 0..<10_000 {
            let step = SimTime.ms(Int64(stream.integer(below: 1_000)))
            area += level * step.seconds
            time += step
            level = Double(stream.integer(below: 100))
            average.update(to: level, at: time)
        }
        let end = time + .s(1)
        area += level
        #expect(abs(average.integral(until: end) - area) <= 1e-9 * area)
        #expect(abs(average.mean(until: end)! - area / end.seconds) <= 1e-9 * area / end.seconds)
    }
}
