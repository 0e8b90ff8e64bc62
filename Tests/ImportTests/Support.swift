import CGSL
import Foundation
@testable import Import
import Scenario
import Testing

/// The test corpus (Tests/ImportTests/Corpus): templates in the shapes SAM, CDK and plain
/// CloudFormation write, each with the scenario it must import to.
enum Corpus {
    static var folder: URL {
        guard let url = Bundle.module.url(forResource: "Corpus", withExtension: nil) else {
            Issue.record("the Corpus folder is missing from the test bundle")
            return URL(fileURLWithPath: "/nonexistent")
        }
        return url
    }

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }
}

/// Imports template text (named `template.yaml` unless told), or returns the errors.
func importing(_ yaml: String, file: String = "template.yaml", parameters: [String: String] = [:],
               logs: [StackImport.InputFile] = [], metrics: [StackImport.InputFile] = []) -> Result<StackImport.Output, ImportErrors> {
    Result { () throws(ImportErrors) in
        try StackImport.run(StackImport.Input(templatePath: file, templateText: yaml, parameters: parameters, logs: logs, metrics: metrics,
                                              outputPath: "out/scenario.yml"))
    }
}

/// The scenario text of a template that must import.
func imported(_ yaml: String, parameters: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) -> StackImport.Output? {
    switch importing(yaml, parameters: parameters) {
    case .success(let output): return output
    case .failure(let errors):
        Issue.record("expected the template to import, got:\n\(errors)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error descriptions of a template that must not import.
func importErrors(_ yaml: String, parameters: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    switch importing(yaml, parameters: parameters) {
    case .success(let output):
        Issue.record("expected errors, got a scenario:\n\(output.scenario)", sourceLocation: sourceLocation)
        return []
    case .failure(let errors): return errors.diagnostics.map(\.description)
    }
}

/// The scenario line that sets `key` inside the block of `entity` (the first after it).
func line(_ text: String, after entity: String, key: String) -> String? {
    let lines = text.split(separator: "\n").map(String.init)
    guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "\(entity):" }) else { return nil }
    return lines[start...].first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(key):") }?.trimmingCharacters(in: .whitespaces)
}

/// Seeded draws from GSL's samplers, for logs of known distributions.
final class Draws {
    private let generator: OpaquePointer

    init(seed: UInt64) {
        generator = OpaquePointer(queuesim_rng_alloc_splitmix64())
        queuesim_splitmix64_reseed(UnsafeMutablePointer(generator), seed)
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(generator)) }

    func sample(_ n: Int, _ draw: (UnsafeMutablePointer<gsl_rng>) -> Double) -> [Double] {
        (0..<n).map { _ in draw(UnsafeMutablePointer(generator)) }
    }
}

/// REPORT lines of invocations with the given handler times (seconds), as Lambda writes them.
func reportLines(_ durations: [Double], initDurations: [Double?] = [], failedEvery: Int? = nil) -> String {
    var lines: [String] = []
    for (i, duration) in durations.enumerated() {
        let id = String(format: "%08x-1111-4222-8333-%012x", i, i)
        let ms = String(format: "%.2f", duration * 1_000)
        lines.append("START RequestId: \(id) Version: $LATEST")
        var report = "REPORT RequestId: \(id)\tDuration: \(ms) ms\tBilled Duration: \(Int((duration * 1_000).rounded(.up))) ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB"
        if i < initDurations.count, let initDuration = initDurations[i] { report += "\tInit Duration: \(String(format: "%.2f", initDuration * 1_000)) ms" }
        if let every = failedEvery, i % every == every - 1 {
            lines.append("2026-12-06T10:00:00.000Z \(id) Task timed out after 15.00 seconds")
        }
        lines.append(report + "\t")
    }
    return lines.joined(separator: "\n") + "\n"
}
