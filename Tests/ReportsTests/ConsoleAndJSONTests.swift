import Foundation
@testable import Experiments
@testable import Reports
@testable import ServerlessModel
import Testing

/// Console tables and JSON documents.
@Suite struct ConsoleAndJSONTests {
    @Test func theSummaryShowsGroupsFunctionsAndOverallWithHalfWidths() {
        let text = SummaryConsole.render(Fixtures.simulate)
        #expect(text.contains("tiny: 2 replications, seed 42"))
        #expect(text.contains("Task groups"))
        #expect(text.contains("Functions"))
        #expect(text.contains("Overall"))
        // sent: 10 and 12, a t interval of 11 ± 12.71 would reach below 0: on the log scale
        // 11 / e^(12.71/11) to 11 · e^(12.71/11).
        #expect(text.contains("11 [3.47, 34.9]"))
        // latency p99 is in one replication only: a value without an interval.
        #expect(text.contains("2.00 s"))
    }

    /// api-front-door showed partners sent = succeeded = 12,480 and no row for the 26,779
    /// requests rejected: every term of conservation that is not 0 has a row.
    @Test func everyNonZeroTermOfConservationHasARow() {
        func run(_ replication: Int) -> RunResult {
            var run = Fixtures.run(replication: replication, sent: 10, latency: 2)
            run.scopes[0].values[.rejected] = 26_779
            run.scopes[0].values[.backlogEnd] = 1
            run.scopes[0].values[.dropped] = 0
            run.scopes[1].values[.functionErrors] = Double(3 + replication)
            return run
        }
        let text = SummaryConsole.render(ExperimentResult(scenario: "tiny", points: [Fixtures.point(0, runs: [run(0), run(1)])]))
        let lines = text.split(separator: "\n")
        let labels = Set(lines.map { String($0.prefix(while: { $0 != " " })) })
        #expect(lines.contains { $0.hasPrefix("rejected ") && $0.hasSuffix(" 26779 ± 0") }, "\(text)")
        #expect(text.contains("backlog at end"))
        #expect(text.contains("function errors"))
        #expect(!labels.contains("dropped"), "a term that is 0 everywhere has no row")
        #expect(!text.contains("expired"))
    }

    @Test func replicationsThatDisagreeAreMarkedAndListed() {
        let runs = [5.1, 120, 4.0].enumerated().map { Fixtures.run(replication: $0.offset, sent: 10, latency: $0.element) }
        let text = SummaryConsole.render(ExperimentResult(scenario: "tiny", points: [Fixtures.point(0, runs: runs)]))
        #expect(text.contains("43.0 s [0.918 s, 2018 s] !"), "\(text)")
        #expect(text.contains("replications disagree"))
        #expect(text.contains("A latency p99: 4.00 s to 120 s over 3 replications"))
    }

    @Test func oneReplicationShowsValuesWithoutHalfWidths() {
        let result = ExperimentResult(scenario: "tiny", points: [Fixtures.point(0, runs: [Fixtures.run(replication: 0, sent: 10, latency: 2)])])
        let text = SummaryConsole.render(result)
        #expect(!text.contains("±"))
        #expect(text.contains("1 replication,"))
    }

    @Test func consoleNumbersHaveThreeSignificantDigitsAndUnits() {
        #expect(ConsoleNumber.format(0.52345, halfWidth: 0.0412, style: .seconds) == "0.523 ± 0.041 s")
        #expect(ConsoleNumber.format(2174, halfWidth: 38.4, style: .count) == "2174 ± 38")
        #expect(ConsoleNumber.format(0.0123, style: .percent) == "1.23%")
        #expect(ConsoleNumber.format(-0.0005, style: .usd) == "-$0.000500")
        #expect(ConsoleNumber.format(1e-17, halfWidth: 1.15, style: .count) == "0.00 ± 1.15")
        #expect(ConsoleNumber.format(nil, style: .count) == "-")
    }

    @Test func theCompareTableNamesSignificantDifferences() {
        let base = Fixtures.point(0, runs: [Fixtures.run(replication: 0, sent: 10, latency: 2), Fixtures.run(replication: 1, sent: 12, latency: 4)])
        let other = Fixtures.point(1, runs: [Fixtures.run(replication: 0, sent: 11, latency: 1), Fixtures.run(replication: 1, sent: 13, latency: 3)])
        let comparison = ComparisonResult(
            variants: [ExperimentResult(scenario: "tiny", variant: "one", points: [base]),
                       ExperimentResult(scenario: "tiny", variant: "two", points: [other])],
            rows: Comparison.rows(variants: ["one", "two"], results: [base, other]), seed: 42, replications: 2,
            commonRandomNumbers: true)
        let text = CompareConsole.render(comparison)
        #expect(text.contains("compare: one vs two"))
        #expect(text.contains("group A"))
        #expect(text.contains("Overall"))
        #expect(text.contains("+1 ± 0 *"))
        #expect(text.contains("two: group A sent +1"))
        #expect(text.contains("two: group A latency_p99_s -1.00 s"))
    }

    @Test func jsonUsesSnakeCaseKeysAndReadsBack() throws {
        let document = JSONDocuments.experiment(Fixtures.simulate, command: "simulate", files: ["a/summary.csv"])
        let text = JSONDocuments.encode(document)
        #expect(text.contains("\"scope_kind\" : \"group\""))
        #expect(text.contains("\"ci95_low\""))
        #expect(text.contains("\"latency_p99_s\""))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode(JSONDocuments.Experiment.self, from: Data(text.utf8))
        #expect(decoded.points.count == 1)
        #expect(decoded.points[0].runs.count == 2)
        #expect(decoded.files == ["a/summary.csv"])
    }
}
