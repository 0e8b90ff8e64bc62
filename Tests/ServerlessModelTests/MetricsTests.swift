import SimCore
@testable import ServerlessModel
import Testing

/// The statistics a run keeps on the way.
@Suite struct MetricsTests {
    @Test func successLatenciesReachTheirGroupsAndTheirFunctionOnce() throws {
        // Two groups on one queue, one function: each success is recorded once, for its
        // (group, function) pair, and reaches both histograms when the results are built.
        let spec = tinyPipeline(sends: (0..<300).map { .ms(Int64($0) * 100) }, runFor: .s(60)) { spec in
            spec.groups.append(TaskGroupSpec(name: "B", queue: "tasks",
                                             arrivals: .trace((0..<200).map { .ms(Int64($0) * 150 + 7) })))
        }
        let world = try World(spec: spec)
        var simulation = Simulation(model: world)
        world.start(events: &simulation.events)
        simulation.run(until: spec.run.end)
        let first = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        // Building the results again must not add the pairs a second time.
        let second = world.result(at: simulation.now, handledEvents: simulation.handledEvents)
        let pairs = world.metrics.pairsByGroupAndFunction()
        let a = world.metrics.completed(group: 0, pairs: pairs.groups[0])
        let b = world.metrics.completed(group: 1, pairs: pairs.groups[1])
        let worker = world.metrics.completed(function: 0, pairs: pairs.functions[0])
        #expect(a.succeeded == 300 && b.succeeded == 200 && worker.succeeded == 500)
        #expect(a.latency.count == 300)
        #expect(b.latency.count == 200)
        #expect(worker.latency == a.latency.merged(with: b.latency))
        // Queue waits reach their groups once, too.
        #expect(a.queueWait.count == 300 && b.queueWait.count == 200)
        #expect(first.scopes == second.scopes)
    }

    @Test func theOldestAgeCountsMessagesNeverReceivedAtTheEnd() throws {
        // Two executions of 10 s for twenty sends 1 s apart, over a 45 s run without a drain:
        // the messages not yet received at the end have waited since they were sent, longer
        // than any received one waited, and the earliest of them sets the oldest age.
        let spec = tinyPipeline(sends: (0..<20).map { .s(Int64($0)) }, duration: .s(10), runFor: .s(45)) { spec in
            spec.functions[0].trigger?.maximumConcurrency = 2
            spec.run.drain = .zero
        }
        let result = try run(spec)
        let sent = Dictionary(uniqueKeysWithValues: result.records(.sent).map { ($0.message, $0.time) })
        let received = result.records(.received).filter { $0.count == 1 }
        let longestWait = received.map { $0.time - sent[$0.message]! }.max()!
        let waiting = Set(sent.keys).subtracting(received.map(\.message))
        #expect(!waiting.isEmpty)
        let earliestWaiting = waiting.map { sent[$0]! }.min()!
        let expected = max(longestWait, result.end - earliestWaiting)
        #expect(expected > longestWait)
        #expect(result.value(.oldestAgeMax, "A") == expected.seconds)
        #expect(result.overall[.oldestAgeMax] == expected.seconds)
    }

    @Test func queueWaitsAndEachIntervalsLatenciesAreThoseOfTheTrace() throws {
        // Sends over 40 s into intervals of 10 s, a backlog behind three executions: every first
        // receive's wait and every success's latency, as the trace has them, must be what the
        // recorders held.
        let spec = tinyPipeline(sends: (0..<400).map { .ms(Int64($0) * 97 + 3) }, duration: .ms(350), runFor: .s(120)) { spec in
            spec.functions[0].reservedConcurrency = 3
        }
        let result = try run(spec)
        let sent = Dictionary(uniqueKeysWithValues: result.records(.sent).map { ($0.message, $0.time) })
        var waits = LatencyHistogram()
        for received in result.records(.received) where received.count == 1 { waits.record(received.time - sent[received.message]!) }
        #expect(waits.count == 400)
        #expect(waits.max! > .ms(100))
        #expect(result.value(.queueWaitMean, "A") == waits.meanSeconds)
        #expect(result.value(.queueWaitP99, "A") == waits.p99?.seconds)
        // Every message was received: the oldest a message got is the longest wait.
        #expect(result.value(.oldestAgeMax, "A") == waits.max?.seconds)
        #expect(result.overall[.oldestAgeMax] == waits.max?.seconds)

        let interval = spec.run.timeseriesInterval
        let rows = result.timeseries.filter { $0.kind == .group }
        #expect(rows.filter { ($0[.succeeded] ?? 0) > 0 }.count >= 4)
        for row in rows {
            var latencies = LatencyHistogram.forPlotting()
            for deleted in result.records(.deleted) where deleted.time >= row.intervalStart && deleted.time < row.intervalStart + interval {
                latencies.record(deleted.time - sent[deleted.message]!)
            }
            #expect(row[.succeeded] == Double(latencies.count), "interval at \(row.intervalStart)")
            #expect(row[.latencyP99] == latencies.p99?.seconds, "interval at \(row.intervalStart)")
        }
    }

    @Test func theAccountsConcurrencyIsThatOfItsFunctionsTogether() throws {
        // Two functions on two queues, their executions overlapping: the account's mean is
        // the sum of theirs, its peak at least each one's and at most their sum.
        let spec = tinyPipeline(sends: (0..<400).map { .ms(Int64($0) * 50) }, duration: .ms(300), runFor: .s(60)) { spec in
            spec.queues.append(QueueSpec(name: "other"))
            spec.groups.append(TaskGroupSpec(name: "B", queue: "other",
                                             arrivals: .trace((0..<100).map { .ms(Int64($0) * 170 + 3) })))
            var other = spec.functions[0]
            other.name = "other-worker"
            other.duration = .constant(.ms(900))
            other.trigger = TriggerSpec(queue: "other", batchSize: 1)
            spec.functions.append(other)
        }
        let result = try run(spec)
        let means = ["worker", "other-worker"].map { result.value(.concurrencyMean, $0) }
        let peaks = ["worker", "other-worker"].map { result.value(.concurrencyPeak, $0) }
        #expect(means.allSatisfy { $0 > 1 })
        #expect(abs(result.value(.concurrencyMean) - (means[0] + means[1])) <= 1e-12 * (means[0] + means[1]))
        #expect(result.value(.concurrencyPeak) >= peaks.max()!)
        #expect(result.value(.concurrencyPeak) <= peaks[0] + peaks[1])
    }
}
