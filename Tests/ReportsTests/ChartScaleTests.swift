import Testing
@testable import Reports

/// Scales, ticks and the units their labels carry.
@Suite struct ChartScaleTests {
    @Test func aLogarithmicTimeAxisTicksAtDecadesWithUnits() {
        let scale = ChartScale(covering: [0.003, 0.2, 45], unit: .seconds, logarithmic: true)
        #expect(scale.lower == 0.001 && scale.upper == 100)
        #expect(scale.ticks.map(\.label) == ["1 ms", "10 ms", "100 ms", "1 s", "10 s", "100 s"])
        #expect(scale.position(0.001) == 0 && scale.position(100) == 1)
        #expect(abs(scale.position(0.1) - 0.4) < 1e-12, "a decade is a fifth of five decades")
    }

    @Test func aShortLogarithmicAxisAddsTwosAndFives() {
        let scale = ChartScale(covering: [0.2, 3], unit: .seconds, logarithmic: true)
        #expect(scale.ticks.map(\.label) == ["100 ms", "200 ms", "500 ms", "1 s", "2 s", "5 s", "10 s"])
    }

    @Test func linearAxesTickAtNiceValuesInOneUnit() {
        let hour = ChartScale(covering: [0, 3590], unit: .seconds)
        #expect(hour.ticks.first?.label == "0")
        #expect(hour.ticks.dropFirst().allSatisfy { $0.label.hasSuffix(" min") }, "\(hour.ticks)")
        #expect(hour.upper >= 3590 && hour.lower == 0)
        let share = ChartScale(covering: [0.02, 0.37], unit: .fraction)
        #expect(share.ticks.map(\.label) == ["0%", "10%", "20%", "30%", "40%"])
        let dollars = ChartScale(covering: [0.0265, 0.0278], unit: .dollars, includeZero: false)
        #expect(dollars.lower < 0.0265 && dollars.upper > 0.0278 && dollars.lower > 0.02)
        #expect(dollars.ticks.allSatisfy { $0.label.hasPrefix("$") })
    }

    @Test func aFloorCutsIntervalsThatReachBelowZero() {
        let scale = ChartScale(covering: [-3, 10], unit: .count, floor: 0)
        #expect(scale.lower == 0 && scale.upper == 10)
    }

    @Test func numbersAndDurationsForPeople() {
        #expect(ChartUnit.seconds.format(0.0123) == "12.3 ms")
        #expect(ChartUnit.seconds.format(0.0000042) == "4.2 µs")
        #expect(ChartUnit.seconds.format(7.25) == "7.25 s")
        #expect(ChartUnit.seconds.format(600) == "10 min")
        #expect(ChartUnit.fraction.format(0.125) == "12.5%")
        #expect(ChartUnit.dollars.format(0.02713) == "$0.0271")
        #expect(ChartUnit.perSecond.format(12_500) == "12.5k /s")
        #expect(ChartNumber.format(-0.0) == "0")
    }

    /// The latency tail axis: its ticks name the percentiles, p99.99 not rounded to p100.
    @Test func sharesSlowerReadAsPercentiles() {
        #expect([1, 0.1, 0.02, 0.01, 0.001, 0.0001].map(ChartUnit.slowerShare.format) == ["p0", "p90", "p98", "p99", "p99.9", "p99.99"])
        let scale = ChartScale(covering: [1, 0.0001], unit: .slowerShare, logarithmic: true)
        #expect(scale.ticks.map(\.label) == ["p99.99", "p99.9", "p99", "p90", "p0"])
    }

    /// A lopsided interval of replications that disagree does not flatten the chart.
    @Test func intervalsReachAtMostThreeTimesTheHighestValue() {
        #expect(ChartScale.intervalCeiling([2, 5, 1]) == 15)
        #expect(ChartScale.intervalCeiling([0, 0]) == nil)
    }
}
