import Testing
@testable import SimCore

@Suite("SimTime")
struct SimTimeTests {
    @Test("unit constructors count nanoseconds")
    func constructors() {
        #expect(SimTime.ns(7).nanoseconds == 7)
        #expect(SimTime.us(3).nanoseconds == 3_000)
        #expect(SimTime.ms(250).nanoseconds == 250_000_000)
        #expect(SimTime.s(30).nanoseconds == 30_000_000_000)
        #expect(SimTime.minutes(5) == .s(300))
        #expect(SimTime.hours(2) == .s(7_200))
        #expect(SimTime.ms(1500).seconds == 1.5)
    }

    @Test("seconds convert to the nearest nanosecond, halves away from zero")
    func fromSeconds() {
        #expect(SimTime(seconds: 1.5).nanoseconds == 1_500_000_000)
        #expect(SimTime(seconds: 0.25e-6).nanoseconds == 250)
        #expect(SimTime(seconds: -2).nanoseconds == -2_000_000_000)
        // 1.25e-9 s and 2.5e-9 s land on exact halves after the product with 1e9 (checked
        // here so that the rounding cases below are really halves).
        #expect(2.5e-9 * 1e9 == 2.5)
        #expect(SimTime(seconds: 2.5e-9).nanoseconds == 3)
        #expect(SimTime(seconds: -2.5e-9).nanoseconds == -3)
        #expect(SimTime(seconds: 2.4e-9).nanoseconds == 2)
        #expect(SimTime(seconds: -2.6e-9).nanoseconds == -3)
    }

    @Test("the fast rounding equals Double.rounded() on many values")
    func roundingMatchesReference() {
        let stream = RandomStream(seed: 99)
        var checked = 0
        for exponent in -10...9 {
            for _ in 0..<500 {
                let magnitude = stream.uniform() * pow10(exponent)
                for value in [magnitude, -magnitude, (magnitude * 1e9).rounded() / 1e9 + 0.5e-9] {
                    let expected = Int64((value * 1e9).rounded())
                    #expect(SimTime(seconds: value).nanoseconds == expected, "value \(value)")
                    checked += 1
                }
            }
        }
        #expect(checked == 30_000)
    }

    @Test("out-of-range seconds saturate and NaN is zero")
    func saturation() {
        #expect(SimTime(seconds: 1e12) == .never)
        #expect(SimTime(seconds: .infinity) == .never)
        #expect(SimTime(seconds: -1e12).nanoseconds == .min)
        #expect(SimTime(seconds: -.infinity).nanoseconds == .min)
        #expect(SimTime(seconds: .nan) == .zero)
        // Just inside the range stays exact, on both sides of 4.6e18 ns, where the common
        // path (which doubles the count) hands over to the far one.
        #expect(SimTime(seconds: 9.0e9).nanoseconds == 9_000_000_000_000_000_000)
        #expect(SimTime(seconds: -9.0e9).nanoseconds == -9_000_000_000_000_000_000)
        #expect(SimTime(seconds: 4.599e9).nanoseconds == 4_599_000_000_000_000_000)
        #expect(SimTime(seconds: 4.601e9).nanoseconds == 4_601_000_000_000_000_000)
        #expect(SimTime(seconds: -4.599e9).nanoseconds == -4_599_000_000_000_000_000)
    }

    @Test("addition and multiplication saturate instead of trapping")
    func arithmetic() {
        #expect(SimTime.s(2) + .ms(500) == .ms(2_500))
        #expect(SimTime.s(2) - .ms(500) == .ms(1_500))
        #expect(SimTime.never + .s(1) == .never)
        #expect(SimTime(nanoseconds: .max - 5) + .ns(10) == .never)
        #expect(SimTime(nanoseconds: .min + 5) + .ns(-10) == SimTime(nanoseconds: .min))
        #expect(SimTime.s(3) * 4 == .s(12))
        #expect(SimTime.s(3) * -4 == .s(-12))
        #expect(SimTime.hours(1) * Int64.max == .never)
        #expect(SimTime.hours(-1) * Int64.max == SimTime(nanoseconds: .min))
        #expect(SimTime.hours(1) * Int64.min == SimTime(nanoseconds: .min))
        var t = SimTime.s(1)
        t += .ms(1)
        #expect(t == .ms(1_001))
    }

    @Test("ordering is by nanoseconds")
    func ordering() {
        #expect(SimTime.ns(1) > .zero)
        #expect(SimTime.ms(999) < .s(1))
        #expect([SimTime.s(3), .ms(1), .never, .zero].sorted() == [.zero, .ms(1), .s(3), .never])
    }

    @Test("description uses the scenario notation")
    func description() {
        #expect(SimTime.ms(250).description == "250ms")
        #expect(SimTime.never.description == "never")
        #expect("\(SimTime.minutes(5))" == "5m")
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
        } else {
            for _ in 0..<(-exponent) { result /= 10 }
        }
        return result
    }
}
