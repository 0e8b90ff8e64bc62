import ArgumentParser
import Experiments
import Reports
import ServerlessModel

extension RunOptions {
    /// Everything checked before a run starts: the run-size estimate (printed for a long run,
    /// on standard error unless quiet; a run beyond `--max-memory` or the disk's free space
    /// refused with exit status 2, nothing written), then the output folder, made and checked
    /// writable, so that no simulation is made for nothing.
    ///
    /// `pipelines` are the points' or variants' pipelines as in the file: `--replications`
    /// is applied here. `savesRuns` for a sweep, whose finished runs are kept on disk too;
    /// `keepsRunMetrics` for compare, which pairs every run's metrics (`--format json`, which
    /// lists them, is counted here).
    func prepare(folder: String, pipelines: [PipelineSpec], savesRuns: Bool = false,
                 keepsRunMetrics: Bool = false) throws -> OutputFolder {
        let overridden = pipelines.map { pipeline in
            var pipeline = pipeline
            if let replications { pipeline.run.replications = replications }
            return pipeline
        }
        return try prepare(folder: folder, estimate: RunEstimate(pipelines: overridden, jobs: jobs, savesRuns: savesRuns,
                                                                  keepsRunMetrics: keepsRunMetrics || format == .json))
    }

    /// Everything checked before a run starts (see ``prepare(folder:pipelines:savesRuns:keepsRunMetrics:)``),
    /// from an estimate made already (a sweep's, from its plan).
    func prepare(folder: String, estimate: RunEstimate) throws -> OutputFolder {
        if let refusal = estimate.refusal(maxMemory: try memoryLimit(), availableDisk: OutputFolder.availableBytes(at: folder)) {
            Console.error("error: \(refusal)")
            throw ExitCode(2)
        }
        if estimate.isLong && !quiet { Console.error(estimate.text) }
        return try ScenarioInput.writableFolder(folder)
    }
}

extension ScenarioInput {
    /// The output folder, made with its parents and checked writable
    /// (``OutputFolder/checkWritable()``); a failure is exit status 1, before any run.
    static func writableFolder(_ folder: String) throws(ExitCode) -> OutputFolder {
        try writing { () throws(ReportError) in
            let output = try OutputFolder(creating: folder)
            try output.checkWritable()
            return output
        }
    }
}
