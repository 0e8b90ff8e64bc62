import Foundation
import SimCore

/// One line of the validation table.
struct ReportRow: Sendable {
    var caseName: String
    var parameters: String
    var statistic: String
    var theory: String
    var simulated: String
    var relativeError: String
    var tolerance: String
    var pass: Bool

    /// A row of a stochastic check: theory, mean with its 95 % interval, relative error.
    init(caseName: String, parameters: String, check: Check) {
        self.caseName = caseName
        self.parameters = parameters
        statistic = check.statistic
        theory = Report.number(check.theory)
        if let interval = check.interval, let low = interval.low, let high = interval.high {
            simulated = "\(Report.number(interval.mean)) [\(Report.number(low)), \(Report.number(high))]"
        } else {
            simulated = "n/a"
        }
        relativeError = check.relativeError.isFinite ? Report.signedPercent(check.relativeError) : "—"
        tolerance = check.tolerance.description
        pass = check.passes
    }

    /// A row of an exact or qualitative check.
    init(caseName: String, parameters: String, statistic: String, expected: String, observed: String,
         relativeError: String = "—", tolerance: String = "exact", pass: Bool) {
        self.caseName = caseName
        self.parameters = parameters
        self.statistic = statistic
        theory = expected
        simulated = observed
        self.relativeError = relativeError
        self.tolerance = tolerance
        self.pass = pass
    }
}

/// The sections of docs/VALIDATION.md's generated table, in document order.
enum ReportSection: Int, CaseIterable, Sendable {
    case analytic, mmc, md1, erlangB, deterministic, aws

    var title: String {
        switch self {
        case .analytic: "Analytic helper against published tables"
        case .mmc: "M/M/c: queue wait against Erlang C"
        case .md1: "M/D/1: queue wait against Pollaczek–Khinchine"
        case .erlangB: "M/G/c/c: synchronous throttles against Erlang B"
        case .deterministic: "Deterministic pipelines: every trace timestamp computed by hand"
        case .aws: "Documented AWS behaviour (AWS-SEMANTICS.md)"
        }
    }
}

/// Collects the rows of every validation case and, when `QUEUESIM_VALIDATION_REPORT` names a
/// file, rewrites that file's generated table after each case.
///
/// Cases run in parallel and in no fixed order, so every case replaces its own rows and the
/// whole table is rendered again, sorted, under a lock: when the last case is done the file
/// holds every row. The text between the two markers is replaced and the rest of the file (the
/// hand-written explanation) is kept; the file is written atomically (a temporary file renamed
/// over it), so a reader never sees half a table.
final class Report: @unchecked Sendable {
    static let shared = Report()

    static let beginMarker = "<!-- BEGIN GENERATED VALIDATION TABLE: do not edit by hand, run `make validation` -->"
    static let endMarker = "<!-- END GENERATED VALIDATION TABLE -->"

    private let lock = NSLock()
    /// Rows by (section, case order, case key).
    private var cases: [CaseKey: [ReportRow]] = [:]

    private struct CaseKey: Hashable, Comparable {
        var section: ReportSection
        var order: Int
        var name: String

        static func < (a: CaseKey, b: CaseKey) -> Bool {
            (a.section.rawValue, a.order, a.name) < (b.section.rawValue, b.order, b.name)
        }
    }

    /// Records a case's rows (replacing any earlier ones) and rewrites the report file.
    func record(section: ReportSection, order: Int, name: String, rows: [ReportRow]) {
        guard let path = ValidationMode.reportPath else { return }
        lock.lock()
        defer { lock.unlock() }
        cases[CaseKey(section: section, order: order, name: name)] = rows
        do {
            try write(to: path)
        } catch {
            // A report that cannot be written must not pass silently.
            Issue.recordReportFailure("cannot write the validation report to \(path): \(error)")
        }
    }

    private func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? Self.skeleton
        let table = render()
        let document: String
        if let begin = existing.range(of: Self.beginMarker), let end = existing.range(of: Self.endMarker),
           begin.upperBound <= end.lowerBound {
            document = String(existing[..<begin.lowerBound]) + table + String(existing[end.upperBound...])
        } else {
            document = existing + (existing.hasSuffix("\n") ? "\n" : "\n\n") + table + "\n"
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(document.utf8).write(to: url, options: .atomic)
    }

    /// The generated part: one table per section, between the markers.
    private func render() -> String {
        let all = cases.sorted { $0.key < $1.key }
        let rows = all.flatMap(\.value)
        let passed = rows.filter(\.pass).count
        var lines = [Self.beginMarker, ""]
        lines.append("Plan: **\(ValidationMode.name)**\(ValidationMode.isLong ? " (`QUEUESIM_LONG_VALIDATION=1`)" : ""). "
                     + "\(rows.count) checks, \(passed) pass, \(rows.count - passed) fail.")
        for section in ReportSection.allCases {
            let sectionRows = all.filter { $0.key.section == section }.flatMap(\.value)
            guard !sectionRows.isEmpty else { continue }
            lines.append("")
            lines.append("### \(section.title)")
            lines.append("")
            lines.append("| Case | Parameters | Statistic | Theory | Simulated: mean [95 % CI] | Rel. error | Tolerance | Pass |")
            lines.append("|---|---|---|---|---|---|---|---|")
            for row in sectionRows {
                let cells = [row.caseName, row.parameters, row.statistic, row.theory, row.simulated, row.relativeError,
                             row.tolerance, row.pass ? "yes" : "**NO**"]
                lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines.append(Self.endMarker)
        return lines.joined(separator: "\n")
    }

    private static let skeleton = """
        # Validation

        The hand-written explanation of this file was missing; `make validation` wrote the table only.

        """

    // MARK: Formatting

    /// Four significant digits, plain or scientific as fits.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "n/a" : (x > 0 ? "∞" : "−∞") }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var text = String(format: "%.4g", x)
            if text.contains("e") { text = String(format: "%.4f", x) }
            return text
        }
        return String(format: "%.3e", x)
    }

    static func percent(_ x: Double) -> String {
        String(format: "%.1f %%", 100 * x)
    }

    /// An integer with thin groups of three digits: 1,000,000.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (n < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func signedPercent(_ x: Double) -> String {
        String(format: "%+.2f %%", 100 * x)
    }
}

import Testing

extension Issue {
    /// Records a failure of the report machinery as a test issue.
    static func recordReportFailure(_ message: String) {
        Issue.record(Comment(rawValue: message))
    }
}
