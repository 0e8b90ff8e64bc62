import Testing
@testable import SimCore

@Suite("WheelReach")
struct WheelReachTests {
    /// Runs `tunings` tunings of `chooser` against a clock that advances, from one tuning to
    /// the next, by the cost of the reach in use in between; returns the reach used after each.
    private func run(_ chooser: inout WheelReach, tunings: Int, cost: (Int64) -> Int64) -> [Int64] {
        var clock: Int64 = 0
        var reach = chooser.reach
        var used: [Int64] = []
        for _ in 0..<tunings {
            clock += cost(reach)
            reach = chooser.tuned(cpu: { clock })
            used.append(reach)
        }
        return used
    }

    @Test("the whole wheel is kept when it is faster, the quarter tried for 3 tunings in 256")
    func farKept() {
        var chooser = WheelReach()
        #expect(chooser.reach == WheelReach.far)
        let used = run(&chooser, tunings: 4 * WheelReach.period) { $0 == WheelReach.far ? 1_000 : 1_100 }
        #expect(chooser.chosen == WheelReach.far)
        #expect(chooser.probes == 4)
        #expect(used.filter { $0 == WheelReach.near }.count == 4 * 3)
        // Each probe: the quarter from the probe's first tuning until its first window ends.
        #expect(Array(used[0..<6]) == [WheelReach.near, WheelReach.near, WheelReach.near,
                                       WheelReach.far, WheelReach.far, WheelReach.far])
        #expect(chooser.nearLessFar == 2 * 100)
    }

    @Test("the quarter is chosen after the first probe when its windows are faster")
    func nearChosen() {
        var chooser = WheelReach()
        let used = run(&chooser, tunings: 2 * WheelReach.period) { $0 == WheelReach.near ? 900 : 1_000 }
        #expect(chooser.chosen == WheelReach.near)
        #expect(used[6] == WheelReach.near)
        // From then on the whole wheel runs only in the second probe's first three tunings.
        #expect(used[6...].filter { $0 == WheelReach.far }.count == 3)
        #expect(used[WheelReach.period..<WheelReach.period + 3].allSatisfy { $0 == WheelReach.far })
    }

    @Test("the choice follows the costs when they change, within a few probes")
    func followsChange() {
        var chooser = WheelReach()
        _ = run(&chooser, tunings: 10 * WheelReach.period) { $0 == WheelReach.near ? 900 : 1_000 }
        #expect(chooser.chosen == WheelReach.near)
        var probesToFollow = 0
        while chooser.chosen == WheelReach.near && probesToFollow < 20 {
            _ = run(&chooser, tunings: WheelReach.period) { $0 == WheelReach.near ? 1_300 : 1_000 }
            probesToFollow += 1
        }
        #expect(chooser.chosen == WheelReach.far)
        #expect(probesToFollow <= 3, "a 30 % slower quarter must be left within three probes: \(probesToFollow)")
    }

    @Test("a window whose clock went backwards (another thread's) is not counted")
    func backwardsWindowIgnored() {
        var chooser = WheelReach()
        var clock: Int64 = 1_000_000
        for tuning in 0..<WheelReach.period {
            // The far window of the first probe ends on a clock that reads less than at its start.
            clock += tuning == 2 * WheelReach.timedUntil - 1 ? -500_000 : 1_000
            _ = chooser.tuned(cpu: { clock })
        }
        #expect(chooser.probes == 0)
        #expect(chooser.chosen == WheelReach.far)
    }
}
