import Foundation
import Scenario

/// Lambda's per-invocation records in CloudWatch Logs: `REPORT RequestId: ... Duration:
/// 397.75 ms Billed Duration: 398 ms Memory Size: 128 MB Max Memory Used: 65 MB Init
/// Duration: 150.12 ms [Status: timeout]`, as plain text (one event a line) or as the JSON that
/// `aws logs filter-log-events` and `get-log-events` print (`{"events": [{"message": ...}]}`),
/// and the `platform.report` records of Lambda's JSON log format.
struct ReportLog: Sendable {
    /// One invocation.
    struct Invocation: Sendable, Equatable {
        var requestID: String?
        /// The handler's time, seconds.
        var duration: Double
        /// The init phase of a cold start, seconds, if this invocation had one.
        var initDuration: Double?
        /// Failed (`Status: error`/`timeout`, a `Task timed out` line, an `Invoke Error`).
        var failed: Bool
    }

    var invocations: [Invocation] = []
    /// The log group the events came from, when the file says (`logGroupName`, Logs Insights'
    /// `@log`): `/aws/lambda/NAME` names the function.
    var logGroup: String?

    /// Reads a log file's text; `file` names it in errors.
    static func read(_ text: String, file: String) throws(ImportErrors) -> ReportLog {
        let (messages, logGroup) = try self.messages(in: text, file: file)
        var invocations: [Invocation] = []
        var failedIDs: Set<String> = []
        var anonymousFailures = 0
        // A plain text file is one message: its lines are the file's lines.
        let isPlain = messages.count == 1 && messages[0] == text
        for message in messages {
            for (number, line) in message.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                if var record = jsonReport(line) ?? plainReport(line) {
                    // A failure line without a request id belongs to the REPORT that follows it
                    // (Lambda writes "Task timed out" just before the invocation's REPORT).
                    if anonymousFailures > 0 { record.failed = true; anonymousFailures -= 1 }
                    invocations.append(record)
                } else if line.contains("REPORT RequestId:") {
                    throw ImportErrors(file: file, at: isPlain ? TextPosition(line: number + 1, column: 1) : .start,
                                       "a REPORT line without Duration: '\(line.prefix(120))' (expected Lambda's REPORT format)")
                } else if line.contains("Task timed out after") || line.contains("\tERROR\tInvoke Error") || line.contains("[ERROR] Runtime.") {
                    if let id = requestID(in: line) { failedIDs.insert(id) } else { anonymousFailures += 1 }
                }
            }
        }
        for i in invocations.indices where !invocations[i].failed {
            if let id = invocations[i].requestID, failedIDs.contains(id) { invocations[i].failed = true }
        }
        guard !invocations.isEmpty else {
            throw ImportErrors(file: file, at: .start, "no REPORT lines (expected Lambda's log events: REPORT RequestId: ... Duration: ... ms)")
        }
        return ReportLog(invocations: invocations, logGroup: logGroup)
    }

    /// The log group an event or file names.
    private static func group(of object: [String: Any]) -> String? {
        (object["logGroupName"] as? String) ?? (object["@log"] as? String).map { String($0.split(separator: ":").last ?? "") }
    }

    /// The log events' messages (the `message` of each JSON event, or the text's lines) and
    /// the log group they name, if any.
    private static func messages(in text: String, file: String) throws(ImportErrors) -> ([String], String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else { return ([text], nil) }
        if let data = trimmed.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) {
            if let top = object as? [String: Any], let events = top["events"] as? [[String: Any]] {
                return (events.compactMap { $0["message"] as? String }, group(of: top) ?? events.lazy.compactMap(group).first)
            }
            if let events = object as? [[String: Any]] {
                return (events.compactMap { ($0["message"] ?? $0["@message"]) as? String }, events.lazy.compactMap(group).first)
            }
            if let record = object as? [String: Any], record["type"] != nil { return ([trimmed], nil) }
            throw ImportErrors(file: file, at: .start, "JSON without an events list (expected the output of aws logs filter-log-events or get-log-events)")
        }
        // JSON lines: one event (or one JSON-format log record) a line.
        var messages: [String] = []
        var logGroup: String?
        for (number, line) in trimmed.split(whereSeparator: \.isNewline).enumerated() {
            guard let data = line.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ImportErrors(file: file, at: .init(line: number + 1, column: 1), "not JSON (expected one JSON log event a line, or the JSON of aws logs filter-log-events)")
            }
            messages.append((object["message"] as? String) ?? String(line))
            logGroup = logGroup ?? group(of: object)
        }
        return (messages, logGroup)
    }

    /// A plain REPORT line.
    private static func plainReport(_ line: String) -> Invocation? {
        guard let range = line.range(of: "REPORT RequestId:") else { return nil }
        let line = String(line[range.lowerBound...])
        guard let duration = milliseconds(after: "Duration:", in: line, excluding: ["Billed", "Init", "Restore"]) else { return nil }
        let status = line.range(of: "Status:").map { line[$0.upperBound...].trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace } }
        return Invocation(requestID: requestID(in: line), duration: duration / 1_000,
                          initDuration: milliseconds(after: "Init Duration:", in: line, excluding: []).map { $0 / 1_000 },
                          failed: status.map { $0 != "success" } ?? false)
    }

    /// Lambda's JSON log format: `{"type": "platform.report", "record": {"metrics": {...}}}`.
    private static func jsonReport(_ line: String) -> Invocation? {
        guard line.contains("platform.report"), let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["type"] as? String == "platform.report", let record = object["record"] as? [String: Any],
              let metrics = record["metrics"] as? [String: Any], let duration = (metrics["durationMs"] as? NSNumber)?.doubleValue else { return nil }
        return Invocation(requestID: record["requestId"] as? String, duration: duration / 1_000,
                          initDuration: (metrics["initDurationMs"] as? NSNumber).map { $0.doubleValue / 1_000 },
                          failed: (record["status"] as? String).map { $0 != "success" } ?? false)
    }

    /// The number of milliseconds after a label (`Duration: 397.75 ms`) not preceded by one of
    /// the excluded words (`Billed Duration`).
    private static func milliseconds(after label: String, in line: String, excluding words: [String]) -> Double? {
        var searchStart = line.startIndex
        while let range = line.range(of: label, range: searchStart..<line.endIndex) {
            searchStart = range.upperBound
            let before = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            if words.contains(where: { before.hasSuffix($0) }) { continue }
            let rest = line[range.upperBound...].drop { $0 == " " || $0 == "\t" }
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number), rest.dropFirst(number.count).drop(while: { $0 == " " }).hasPrefix("ms") else { return nil }
            return value
        }
        return nil
    }

    /// The first UUID in a line (Lambda's request ids are UUIDs).
    private static func requestID(in line: String) -> String? {
        let characters = Array(line)
        let pattern = [8, 4, 4, 4, 12]
        var i = 0
        while i + 36 <= characters.count {
            var j = i, ok = true
            for (k, length) in pattern.enumerated() {
                for _ in 0..<length {
                    guard characters[j].isHexDigit else { ok = false; break }
                    j += 1
                }
                guard ok else { break }
                if k < 4 { guard characters[j] == "-" else { ok = false; break }; j += 1 }
            }
            if ok { return String(characters[i..<(i + 36)]) }
            i += 1
        }
        return nil
    }
}
