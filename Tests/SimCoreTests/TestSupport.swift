import CGSL
import Foundation
@testable import SimCore

/// Helpers shared by the SimCore tests: sample statistics computed independently of the code
/// under test (two-pass sums, GSL's sort and quantiles), and a way to run a short Python
/// program in another process.
enum Sample {
    /// `count` draws of `distribution`, in seconds, sorted ascending (by GSL's sort).
    static func sortedSeconds(_ distribution: Distribution, count: Int, stream: RandomStream) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count { values[i] = distribution.sample(stream).seconds }
        return sorted(values)
    }

    /// The values sorted ascending by `gsl_sort` (fast even in a debug build).
    static func sorted(_ values: [Double]) -> [Double] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, $0.count) }
        return copy
    }

    /// The quantile `fraction` (0...1) of sorted data, by GSL's linear interpolation.
    static func quantile(sorted values: [Double], _ fraction: Double) -> Double {
        values.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
    }

    /// The mean, by a plain sum.
    static func mean(_ values: [Double]) -> Double {
        var sum = 0.0
        for v in values { sum += v }
        return sum / Double(values.count)
    }

    /// The sample variance (n − 1), by two passes: accurate and independent of Welford.
    static func variance(_ values: [Double]) -> Double {
        let m = mean(values)
        var sum = 0.0
        for v in values { sum += (v - m) * (v - m) }
        return sum / Double(values.count - 1)
    }
}

/// The outcome of a child process.
struct ProcessOutput {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `python3 -c program args...` through `/usr/bin/env` and collects its output.
func runPython(_ program: String, arguments: [String] = []) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", program] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting, so that a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus,
                         standardOutput: String(decoding: outData, as: UTF8.self),
                         standardError: String(decoding: errData, as: UTF8.self))
}
