import CGSL
import Foundation
@testable import Import
import Scenario
import Testing

/// REPORT lines (plain, `aws logs` JSON, Lambda's JSON log format) and CloudWatch metrics.
@Suite struct LogsAndMetricsTests {
    @Test func plainReportLines() throws {
        let text = """
            START RequestId: 6f1c2e4a-1b2c-4d5e-8f90-0123456789ab Version: $LATEST
            REPORT RequestId: 6f1c2e4a-1b2c-4d5e-8f90-0123456789ab\tDuration: 397.75 ms\tBilled Duration: 398 ms\tMemory Size: 128 MB\tMax Memory Used: 65 MB\tInit Duration: 151.20 ms
            REPORT RequestId: 7f1c2e4a-1b2c-4d5e-8f90-0123456789ab Duration: 12.00 ms Billed Duration: 12 ms Memory Size: 128 MB Max Memory Used: 65 MB
            2026-12-06T10:00:03.000Z 8f1c2e4a-1b2c-4d5e-8f90-0123456789ab Task timed out after 3.00 seconds
            REPORT RequestId: 8f1c2e4a-1b2c-4d5e-8f90-0123456789ab\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB
            REPORT RequestId: 9f1c2e4a-1b2c-4d5e-8f90-0123456789ab\tDuration: 20.00 ms\tBilled Duration: 20 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: error\tError Type: Runtime.Unknown
            """
        let log = try ReportLog.read(text, file: "a.log")
        #expect(log.invocations.map(\.duration) == [0.39775, 0.012, 3, 0.02])
        #expect(log.invocations.map(\.initDuration) == [0.1512, nil, nil, nil])
        #expect(log.invocations.map(\.failed) == [false, false, true, true])
    }

    @Test func theJSONOfFilterLogEventsAndLambdasJSONLogFormat() throws {
        let events = """
            {"events": [
              {"logStreamName": "2026/12/06/[$LATEST]abc", "timestamp": 1765015200000,
               "message": "REPORT RequestId: 6f1c2e4a-1b2c-4d5e-8f90-0123456789ab\\tDuration: 100.50 ms\\tBilled Duration: 101 ms\\tMemory Size: 128 MB\\tMax Memory Used: 65 MB\\t\\n", "ingestionTime": 1765015200100, "eventId": "1"},
              {"logStreamName": "2026/12/06/[$LATEST]abc", "timestamp": 1765015201000,
               "message": "{\\"time\\": \\"2026-12-06T10:00:01Z\\", \\"type\\": \\"platform.report\\", \\"record\\": {\\"requestId\\": \\"x\\", \\"metrics\\": {\\"durationMs\\": 250.0, \\"billedDurationMs\\": 250, \\"memorySizeMB\\": 128, \\"maxMemoryUsedMB\\": 60, \\"initDurationMs\\": 80.0}, \\"status\\": \\"timeout\\"}}", "eventId": "2"}
            ], "searchedLogStreams": []}
            """
        let log = try ReportLog.read(events, file: "a.json")
        #expect(log.invocations.map(\.duration) == [0.1005, 0.25])
        #expect(log.invocations.map(\.initDuration) == [nil, 0.08])
        #expect(log.invocations.map(\.failed) == [false, true])
    }

    @Test func theLogGroupOfTheEventsNamesTheFunction() throws {
        // CloudFormation names a function stack-LogicalId-SUFFIX when FunctionName is absent.
        let events = """
            {"events": [{"logGroupName": "/aws/lambda/sam-app-Nightly-4kQ2xY1", "message": "REPORT RequestId: 6f1c2e4a-1b2c-4d5e-8f90-0123456789ab\\tDuration: 80.00 ms\\tBilled Duration: 80 ms\\tMemory Size: 128 MB\\tMax Memory Used: 60 MB"}]}
            """
        let result = try StackImport.run(StackImport.Input(templatePath: "sam-app.yaml", templateText: Corpus.text("sam-app.yaml"),
                                                           logs: [.init(target: nil, path: "export.json", text: events)]))
        #expect(line(result.scenario, after: "Nightly", key: "error_rate")?.hasPrefix("error_rate: 0  # export.json: 0 of 1 invocations failed") == true)
        #expect(line(result.scenario, after: "OrderWorker", key: "error_rate")?.hasPrefix("error_rate: 0  # PLACEHOLDER") == true)
    }

    @Test func aFileWithoutReportLinesOrWithABrokenOneIsALocatedError() {
        #expect(throws: ImportErrors.self) { try ReportLog.read("START RequestId: x\nEND RequestId: x\n", file: "a.log") }
        do {
            _ = try ReportLog.read("START RequestId: x\nREPORT RequestId: x\tDuration: soon\n", file: "a.log")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("a.log:2:1: a REPORT line without Duration: "))
        }
    }

    @Test func getMetricDataBecomesAScheduleAtItsPeriod() throws {
        // Newest first, as get-metric-data returns by default; 10:03 is missing (no messages).
        let json = """
            {"MetricDataResults": [{"Id": "sent", "Label": "NumberOfMessagesSent", "StatusCode": "Complete",
              "Timestamps": ["2026-12-06T10:04:00+00:00", "2026-12-06T10:02:00+00:00", "2026-12-06T10:01:00+00:00", "2026-12-06T10:00:00+00:00"],
              "Values": [30.0, 120.0, 120.0, 60.0]}], "Messages": []}
            """
        let series = try #require(try MetricSeries.read(json, file: "m.json").first)
        #expect(series.period == 60)
        let arrivals = series.arrivals(file: "m.json")
        #expect(arrivals.steps.map(\.yaml) == ["{at: 0s, rate: 60/min}", "{at: 1m, rate: 120/min}", "{at: 3m, rate: 0/s}", "{at: 4m, rate: 30/min}"])
        #expect(arrivals.span == 300)
    }

    @Test func getMetricStatisticsNeedsTheSum() throws {
        let json = """
            {"Label": "NumberOfMessagesSent", "Datapoints": [
              {"Timestamp": "2026-12-06T10:05:00+00:00", "Sum": 600.0, "Unit": "Count"},
              {"Timestamp": "2026-12-06T10:00:00+00:00", "Sum": 300.0, "Unit": "Count"}]}
            """
        let series = try #require(try MetricSeries.read(json, file: "m.json").first)
        #expect(series.period == 300)
        #expect(series.arrivals(file: "m.json").steps.map(\.yaml) == ["{at: 0s, rate: 1/s}", "{at: 5m, rate: 2/s}"])
        let average = json.replacingOccurrences(of: "\"Sum\"", with: "\"Average\"")
        #expect(throws: ImportErrors.self) { try MetricSeries.read(average, file: "m.json") }
    }

    @Test func logsAndMetricsReplaceThePlaceholders() throws {
        let durations = Draws(seed: 21).sample(500) { gsl_ran_lognormal($0, log(0.3), 0.4) }
        let inits: [Double?] = (0..<500).map { i -> Double? in i % 25 == 0 ? 0.2 + Double(i) / 10_000 : nil }
        let logs = reportLines(durations, initDurations: inits, failedEvery: 50)
        let metrics = """
            {"MetricDataResults": [{"Id": "orders", "Label": "OrdersQueue NumberOfMessagesSent",
              "Timestamps": ["2026-12-06T10:00:00Z", "2026-12-06T10:01:00Z"], "Values": [60, 600]}]}
            """
        let result = try StackImport.run(StackImport.Input(
            templatePath: "sam-app.yaml", templateText: Corpus.text("sam-app.yaml"),
            logs: [.init(target: nil, path: "logs/aws-lambda-OrderWorker.log", text: logs)],
            metrics: [.init(target: nil, path: "metrics.json", text: metrics)], outputPath: "out/orders.yml"))
        let scenario = result.scenario
        #expect(line(scenario, after: "OrderWorker", key: "duration")?.hasPrefix("duration: {lognormal: {mu: -1.") == true)
        #expect(line(scenario, after: "OrderWorker", key: "error_rate")?.hasPrefix("error_rate: 0.02  # aws-lambda-OrderWorker.log: 10 of 500 invocations failed") == true)
        // 20 cold starts: too few for a fit, so the values themselves, in a file beside the scenario.
        #expect(line(scenario, after: "OrderWorker", key: "cold_start")?.hasPrefix("cold_start: {empirical: {file: \"orders.OrderWorker.cold_start.txt\"}}") == true)
        #expect(result.dataFiles.map { $0.path } == ["out/orders.OrderWorker.cold_start.txt"])
        #expect(result.dataFiles.first?.text.split(separator: "\n").count == 21)
        #expect(scenario.contains("        - {at: 0s, rate: 60/min}  # 60 messages\n        - {at: 1m, rate: 600/min}  # 600 messages\n"))
        #expect(line(scenario, after: "run", key: "duration")?.hasPrefix("duration: 2m  # the span of the metrics given") == true)
        #expect(result.fits.contains { $0.hasPrefix("OrderWorker duration: 490 values; ") && $0.contains("KS ") })
        let placeholders = try #require(result.warnings.first { $0.message.contains("placeholders to fill") })
        #expect(!placeholders.message.contains("OrderWorker"))
        #expect(!placeholders.message.contains("run.duration"))
    }

    @Test func aLogFileForNoKnownFunctionIsAnError() {
        let result = importing(Corpus.text("sam-app.yaml"), file: "sam-app.yaml",
                               logs: [.init(target: nil, path: "other.log", text: reportLines([0.1]))])
        guard case .failure(let errors) = result else { Issue.record("expected an error"); return }
        #expect(errors.description.contains("other.log:1:1: cannot tell which function this file is for (expected --logs FUNCTION=other.log, one of: OrderWorker, Nightly)"))
        let named = importing(Corpus.text("sam-app.yaml"), file: "sam-app.yaml",
                              logs: [.init(target: "Nightly", path: "other.log", text: reportLines([0.1]))])
        #expect((try? named.get()) != nil)
    }
}
