#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses how far ahead the event list's wheel takes events (its reach, in buckets; later
/// events go to the heap) by timing the run itself under each of two reaches.
///
/// Which reach is faster depends on what the model does between an event's schedule and its
/// pop, which the list cannot see: the pipeline benchmark, whose handler ends are scheduled
/// about 760 buckets ahead, ran about 4 % faster with those in the heap (a reach of 256), and
/// the hold model with 200 pending events (exponential delays, no model touching memory) 36 %
/// slower. Neither the share of schedules beyond 256 buckets (21 % and 34 %) nor the pending
/// count (about 400 and 200) tells the two apart (Benchmarks/PROFILE.md, twelfth round). So the
/// list keeps the reach measured faster and, once every `period` tunings of the wheel, runs a
/// window with the other reach and then one with its own, comparing their CPU times. The
/// reach decides only where an event waits, never the order (the full key decides it), so
/// results never depend on the choice; only the run's speed does.
@usableFromInline
struct WheelReach {
    /// The two reaches, in buckets: all of the wheel, and a quarter of it.
    static let far: Int64 = 1_024
    static let near: Int64 = 256
    /// Tunings (of 1,024 pops each) per probe, and the tunings of a probe: one with the other
    /// reach to settle (events already placed stay where they are), two timed, one with the
    /// reach chosen to settle, two timed. About 1 % of the pops run with the slower reach.
    static let period = 256
    static let settled = 1, timedUntil = 3

    /// The reach in use.
    @usableFromInline private(set) var reach: Int64 = far
    /// The reach measured faster (`far` until the first probe).
    private(set) var chosen: Int64 = far
    /// A moving average of a probe's near window's CPU time less its far window's, in
    /// nanoseconds: the two windows of a probe run one after the other, so a change of the
    /// machine's load between probes does not count, and a change of what the run does is
    /// followed within a few probes.
    private(set) var nearLessFar: Int64 = 0
    private(set) var probes = 0
    private var tunings = 0
    private var windowStart: Int64 = 0
    private var otherWindow: Int64 = 0

    init() {}

    /// Called at every tuning of the wheel; `cpu` reads the run's clock (called only at the
    /// edges of timed windows). Returns the reach to use from now.
    mutating func tuned(cpu: () -> Int64) -> Int64 {
        let phase = tunings % Self.period
        tunings &+= 1
        switch phase {
        case 0:
            reach = chosen == Self.far ? Self.near : Self.far
        case Self.settled, Self.timedUntil + Self.settled:
            windowStart = cpu()
        case Self.timedUntil:
            otherWindow = cpu() &- windowStart
            reach = chosen
        case 2 &* Self.timedUntil:
            let chosenWindow = cpu() &- windowStart
            // A window that ran on two threads' clocks (a run resumed elsewhere) says nothing.
            if otherWindow > 0, chosenWindow > 0 {
                let difference = chosen == Self.near ? chosenWindow &- otherWindow : otherWindow &- chosenWindow
                nearLessFar = probes == 0 ? difference : nearLessFar &+ (difference &- nearLessFar) / 8
                probes &+= 1
                chosen = nearLessFar < 0 ? Self.near : Self.far
            }
            reach = chosen
        default:
            break
        }
        return reach
    }

    /// The CPU time of the calling thread, in nanoseconds.
    static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
}
