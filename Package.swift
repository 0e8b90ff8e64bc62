// swift-tools-version: 6.0
// queuesim: a discrete-event simulator and capacity planner for SQS -> Lambda pipelines.

import PackageDescription

let package = Package(
    name: "queuesim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "queuesim", targets: ["queuesim"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "ServerlessModel", targets: ["ServerlessModel"]),
        .library(name: "Scenario", targets: ["Scenario"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Import", targets: ["Import"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // GSL through a system library: random generators, distributions, quantiles, Student t.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // The engine: virtual time, event list, random streams, distributions, statistics.
        .target(
            name: "SimCore",
            dependencies: ["CGSL"]
        ),
        // A cache prefetch hint, which Swift cannot express (used by ServerlessModel's EntityStore).
        .target(name: "CPrefetch"),
        // The world: SQS queues, Lambda, event source mappings, downstreams, cost, metrics.
        .target(
            name: "ServerlessModel",
            dependencies: [
                "SimCore",
                "CPrefetch",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "BasicContainers", package: "swift-collections"),
            ]
        ),
        // Scenario files: YAML -> validated, typed model; units; sweeps; located errors.
        .target(
            name: "Scenario",
            dependencies: ["ServerlessModel", "SimCore", "Yams"]
        ),
        // Runs, replications (parallel), warm-up, sweeps, compare; aggregation with intervals.
        .target(
            name: "Experiments",
            dependencies: ["Scenario", "ServerlessModel", "SimCore"]
        ),
        // CSV writers (atomic), console tables and JSON documents of Experiments' results.
        .target(
            name: "Reports",
            dependencies: ["Experiments", "ServerlessModel", "SimCore"]
        ),
        // `queuesim import`: CloudFormation/SAM/CDK templates, Lambda logs and CloudWatch
        // metrics to a scenario document, which the Scenario reader validates.
        .target(
            name: "Import",
            dependencies: ["Scenario", "ServerlessModel", "SimCore", "CGSL", "Yams"]
        ),
        // The command-line tool; thin.
        .executableTarget(
            name: "queuesim",
            dependencies: [
                "Experiments", "Import", "Reports", "Scenario", "ServerlessModel", "SimCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the benchmark programs share: clocks, peak memory, command line, a ring buffer.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["SimCore"],
            path: "Benchmarks/Support"
        ),
        // The engine benchmark: M/M/1 on SimCore, compared with SimPy in the same run.
        .executableTarget(
            name: "MM1Benchmark",
            dependencies: ["BenchmarkSupport", "SimCore"],
            path: "Benchmarks/MM1"
        ),
        // The same engine with c servers (M/M/c), compared with SimPy and Ciw.
        .executableTarget(
            name: "MMcBenchmark",
            dependencies: ["BenchmarkSupport", "SimCore"],
            path: "Benchmarks/MMc"
        ),
        // The whole model: one replication of a scenario, compared with the SimPy peer model.
        .executableTarget(
            name: "PipelineBenchmark",
            dependencies: ["BenchmarkSupport", "Scenario", "ServerlessModel", "SimCore"],
            path: "Benchmarks/Pipeline"
        ),
        // HdrHistogram is the reference that LatencyHistogram's bucket layout is tested against.
        .testTarget(
            name: "SimCoreTests",
            dependencies: ["SimCore", "CGSL", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .testTarget(name: "ServerlessModelTests", dependencies: ["ServerlessModel", "SimCore"]),
        .testTarget(name: "ValidationTests", dependencies: ["ServerlessModel", "SimCore", "CGSL"]),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["Scenario", "ServerlessModel", "SimCore"],
            resources: [.copy("Malformed"), .copy("Examples")]
        ),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Scenario", "ServerlessModel", "SimCore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Experiments", "ServerlessModel", "SimCore"]),
        .testTarget(
            name: "ImportTests",
            dependencies: ["Import", "Scenario", "ServerlessModel", "Experiments", "CGSL"],
            resources: [.copy("Corpus")]
        ),
        .testTarget(
            name: "queuesimTests",
            dependencies: ["queuesim", "Experiments", "Reports", "Scenario", "ServerlessModel", "SimCore", "Yams"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
