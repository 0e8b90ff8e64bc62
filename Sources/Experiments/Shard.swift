/// The K-th of N slices of a sweep's runs (`--shard K/N`, K from 1 to N).
///
/// How runs are dealt, in point-major order (point 0's replications, then point 1's, ...):
/// - one run at a time, round-robin: run i goes to shard (i mod N) + 1. Slices differ by at
///   most one run, and since swept parameters usually change the cost steadily from point
///   to point (more messages, fewer workers), every slice gets its share of the cheap and
///   the expensive points;
/// - whole points, round-robin, when some point has `warmup: auto` and there are at least
///   as many points as shards. Each such point first runs a pilot (see
///   ``WarmupSelection``), which every shard holding one of its runs would repeat; dealing
///   whole points runs every pilot once, at the price of slices that differ by up to one
///   point's replications.
/// The deal depends only on the sweep (points, replications, warm-up) and N, so every
/// machine computes the same slices.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// K: which slice, from 1.
    public var number: Int
    /// N: how many slices.
    public var count: Int

    /// Creates a shard; nil unless 1 ≤ number ≤ count.
    public init?(number: Int, count: Int) {
        guard count >= 1, (1...count).contains(number) else { return nil }
        self.number = number
        self.count = count
    }

    /// Reads `K/N`, K from 1 to N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(number: number, count: count)
    }

    public var description: String { "\(number)/\(count)" }

    /// The runs of this slice, in point-major order; `runs` must be in point-major order.
    public func slice(of runs: [SweepRun], wholePoints: Bool) -> [SweepRun] {
        if wholePoints {
            var points: [Int] = []
            for run in runs where points.last != run.point { points.append(run.point) }
            if points.count >= count {
                let mine = Set(points.enumerated().filter { $0.offset % count == number - 1 }.map(\.element))
                return runs.filter { mine.contains($0.point) }
            }
        }
        return runs.enumerated().filter { $0.offset % count == number - 1 }.map(\.element)
    }
}
