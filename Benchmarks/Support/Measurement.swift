// What the benchmark programs (MM1Benchmark, MMcBenchmark, PipelineBenchmark) share: how
// they read the clock, the OS's peak memory and their command line, and how they print.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The CPU time this process has used, in seconds. Beside the wall time it shows whether the
/// machine was busy: on a quiet machine the two are equal.
public func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// The largest resident set this process has had, in MB, as the OS counts it.
public func peakResidentMB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1_024  // Linux reports kilobytes
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576  // macOS reports bytes
    #endif
}

/// A duration in seconds.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// `value` with exactly `digits` decimals (Foundation-free).
public func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let sign = scaled < 0 ? "-" : ""
    let magnitude = scaled.magnitude
    let whole = magnitude / UInt64(scale)
    let fraction = String(magnitude % UInt64(scale))
    return digits == 0 ? "\(sign)\(whole)"
        : "\(sign)\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// The value following `flag` on the command line, if any.
public func option(_ flag: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
