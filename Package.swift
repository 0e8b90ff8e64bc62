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
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
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
            dependencies: [
                "CGSL",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The world: SQS queues, Lambda, event source mappings, downstreams, cost, metrics.
        .target(
            name: "ServerlessModel",
            dependencies: [
                "SimCore",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Scenario files: YAML -> validated, typed model; units; sweeps; located errors.
        .target(
            name: "Scenario",
            dependencies: ["ServerlessModel", "SimCore", "Yams"]
        ),
        // The command-line tool; thin.
        .executableTarget(
            name: "queuesim",
            dependencies: [
                "Scenario", "ServerlessModel", "SimCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The engine benchmark: M/M/1 on SimCore, compared with SimPy in the same run.
        .executableTarget(
            name: "MM1Benchmark",
            dependencies: ["SimCore"],
            path: "Benchmarks/MM1"
        ),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "CGSL"]),
        .testTarget(name: "ServerlessModelTests", dependencies: ["ServerlessModel", "SimCore"]),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["Scenario", "ServerlessModel", "SimCore"],
            resources: [.copy("Malformed")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
