import Foundation
import Testing

/// Runs the built `queuesim` binary, the one next to this test bundle.
enum CLI {
    /// What a run of the tool produced.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The folder the build products are in: the test bundle's (macOS: the `.xctest`
    /// bundle's parent; Linux: the test executable's folder).
    static var productsFolder: URL? {
        var candidates: [URL] = []
        candidates += Bundle.allBundles.filter { $0.bundleURL.pathExtension == "xctest" }.map { $0.bundleURL.deletingLastPathComponent() }
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("queuesim").path) }
    }

    /// Runs `queuesim` with arguments in a working folder.
    static func run(_ arguments: [String], in folder: URL) throws -> Outcome {
        let binary = try #require(productsFolder?.appendingPathComponent("queuesim"), "queuesim is not built next to the tests")
        return try launch(binary, arguments, in: folder)
    }

    #if os(Linux)
    /// Runs a `/bin/sh -c` command line in a working folder with SIGXFSZ at its default
    /// action and no signal blocked (the test runner's thread may block or ignore it, children
    /// inherit that, and a shell cannot undo an ignored signal): its status is the exit code,
    /// or 128 + the signal that killed it.
    static func run(shell command: String, in folder: URL) throws -> Outcome {
        let out = folder.appendingPathComponent(".shell-out-\(UUID().uuidString)")
        let err = folder.appendingPathComponent(".shell-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let line = "cd '\(folder.path)' && { \(command); } > '\(out.path)' 2> '\(err.path)'"
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let words: [String] = ["/bin/sh", "-c", line]
        let arguments = words.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, arguments + [nil], environ)
        try #require(spawned == 0, "cannot start /bin/sh: \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return Outcome(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
                       standardOutput: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                       standardError: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
    #endif

    private static func launch(_ executable: URL, _ arguments: [String], in folder: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting, so that a full pipe cannot block the tool.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                       standardError: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder with scenario files written into it.
    static func workspace(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("queuesim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// The bytes of a file in a folder.
    static func bytes(_ folder: URL, _ path: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(path))
    }
}

/// Small scenario files that run in well under a second each in a debug build.
enum Scenarios {
    static func pipeline(name: String, shared: Bool, sweep: String = "", replications: Int = 3) -> String {
        let topology = shared ? """
            groups:
              A: {queue: tasks, arrivals: {poisson: {rate: 3/s}}}
              B: {queue: tasks, arrivals: {poisson: {rate: 1/s}}}
            queues:
              tasks: {visibility_timeout: 5m}
            functions:
              worker:
                timeout: 30s
                reserved_concurrency: 6
                duration: 20ms
                per_message: {lognormal: {median: 300ms, p99: 2s}}
                trigger: {queue: tasks, batch_size: 1}
            """ : """
            groups:
              A: {queue: tasks-a, arrivals: {poisson: {rate: 3/s}}}
              B: {queue: tasks-b, arrivals: {poisson: {rate: 1/s}}}
            queues:
              tasks-a: {visibility_timeout: 5m}
              tasks-b: {visibility_timeout: 5m}
            functions:
              worker-a:
                timeout: 30s
                reserved_concurrency: 3
                duration: 20ms
                per_message: {lognormal: {median: 300ms, p99: 2s}}
                trigger: {queue: tasks-a, batch_size: 1}
              worker-b:
                timeout: 30s
                reserved_concurrency: 3
                duration: 20ms
                per_message: {lognormal: {median: 300ms, p99: 2s}}
                trigger: {queue: tasks-b, batch_size: 1}
            """
        return """
            name: \(name)
            run:
              duration: 1m
              warmup: 10s
              seed: 17
              replications: \(replications)
            \(topology)
            \(sweep)
            """
    }
}
