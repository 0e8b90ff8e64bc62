import Experiments
import Foundation
import SimCore

/// A progress bar on standard error, drawn only when standard error is a terminal: what is
/// done, the time elapsed and an estimate of the time left.
///
/// `@unchecked Sendable`: updates come from worker threads; every stored property is read
/// and written only while holding `lock`.
final class ProgressBar: @unchecked Sendable {
    /// What the bar counts.
    enum Unit {
        /// Sweep points.
        case points
        /// Runs (replications).
        case runs
    }

    private let unit: Unit
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    /// The current phase (warm-up pilots, replications) and when it started: estimates of
    /// the time left extrapolate the current phase only.
    private var phase: ExperimentProgress.Phase?
    private var phaseStart = Date()
    private var drawn = false

    /// A bar, or nil when standard error is not a terminal (then nothing is ever printed).
    init?(unit: Unit) {
        guard Console.isTerminal(STDERR_FILENO) else { return nil }
        self.unit = unit
    }

    /// Redraws the bar, at most ten times a second and always at the end of a phase.
    func update(_ progress: ExperimentProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if phase != progress.phase {
            phase = progress.phase
            // The first report of a phase comes after its first run; the phase began at the
            // previous report (or the start), which is close enough for an estimate.
            phaseStart = lastDraw == .distantPast ? start : lastDraw
        }
        let complete = progress.runsDone == progress.runsTotal
        guard complete || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let elapsed = now.timeIntervalSince(start)
        // One run reports its simulated clock as it goes; more runs count finished runs.
        let fraction = progress.clock?.fraction
            ?? (progress.runsTotal > 0 ? Double(progress.runsDone) / Double(progress.runsTotal) : 1)
        let width = 24
        let filled = Int((fraction * Double(width)).rounded(.down))
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
        if progress.phase == .pilot { line += "warm-up pilots " }
        if let clock = progress.clock {
            line += "simulated \(Self.clock(clock.now.seconds)) of \(Self.clock(clock.end.seconds))"
        } else {
            switch unit {
            case .points where progress.phase == .replications:
                line += "\(progress.pointsDone)/\(progress.pointsTotal) points"
            default:
                line += "\(progress.runsDone)/\(progress.runsTotal) runs"
            }
        }
        line += "  \(Self.clock(elapsed)) elapsed"
        if fraction > 0 && !complete {
            let left = now.timeIntervalSince(phaseStart) * (1 - fraction) / fraction
            line += "  ~\(Self.clock(left)) left"
        }
        line += "\u{1B}[K"  // Clear what a longer previous line left behind.
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Removes the bar, so that what follows starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
