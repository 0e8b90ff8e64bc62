import CGSL
import Foundation
@testable import Import
import Scenario
import ServerlessModel
import Testing

/// An imported scenario, written to files as the command writes it, loads from its file and
/// simulates with conservation of messages in every group.
@Suite struct RoundTripTests {
    @Test(arguments: CorpusTests.templates)
    func importedScenarioSimulatesWithConservation(_ name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-import-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("imported.yml").path
        let durations = Draws(seed: 31).sample(200) { gsl_ran_gamma($0, 2, 0.05) }
        var logs: [StackImport.InputFile] = []
        if name == "sam-app.yaml" {
            logs = [.init(target: "OrderWorker", path: "worker.log", text: reportLines(durations, initDurations: [0.3, 0.31, 0.35], failedEvery: 40))]
        }
        let result = try StackImport.run(StackImport.Input(templatePath: name, templateText: Corpus.text(name), logs: logs, outputPath: output))
        for file in result.dataFiles { try file.text.write(toFile: file.path, atomically: true, encoding: .utf8) }
        try result.scenario.write(toFile: output, atomically: true, encoding: .utf8)

        var scenario = try ScenarioLoader.load(path: output)
        scenario.pipeline.run.duration = .minutes(10)
        scenario.pipeline.run.drain = .minutes(5)
        let run = try World.simulate(scenario.pipeline)
        var total = 0.0
        for scope in run.scopes where scope.kind == .group || scope.kind == .all {
            let sent = scope[.sent] ?? -1
            let accounted = (scope[.succeeded] ?? 0) + (scope[.deadLettered] ?? 0) + (scope[.expired] ?? 0) + (scope[.dropped] ?? 0) + (scope[.backlogEnd] ?? 0)
            #expect(sent == accounted, "\(name) \(scope.scope): sent \(sent), accounted \(accounted)")
            if scope.kind == .all { total = sent }
        }
        #expect(total > 100)
    }
}
