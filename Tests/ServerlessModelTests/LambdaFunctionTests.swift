import SimCore
@testable import ServerlessModel
import Testing

/// Lambda behaviour: concurrency, throttles, environments, cold starts, timeouts.
@Suite struct LambdaFunctionTests {
    @Test func reservedConcurrencyZeroThrottlesEveryAttempt() throws {
        let spec = tinyPipeline(sends: (0..<5).map { .s($0) }) { $0.functions[0].reservedConcurrency = 0 }
        let result = try run(spec)
        let attempts = result.value(.attempts, "worker")
        #expect(attempts > 0)
        #expect(result.value(.throttles, "worker") == attempts)
        #expect(result.value(.invocations, "worker") == 0)
        #expect(result.value(.succeeded, "A") == 0)
    }

    @Test func aColdStartThenWarmReuseThenAColdStartAfterIdleReclaim() throws {
        let spec = tinyPipeline(sends: [.zero, .s(60), .s(1_000)], runFor: .minutes(20)) { spec in
            spec.functions[0].coldStart = .constant(.ms(300))
            spec.functions[0].idleTimeout = .constant(.minutes(5))
        }
        let result = try run(spec)
        #expect(result.times(.coldStart) == [.zero, .s(1_000)])
        #expect(result.times(.invoked) == [.s(60)])
        // The cold start's init delays the handler: done at 0.3 + 0.1 s.
        #expect(result.times(.deleted, message: 0) == [.ms(400)])
        #expect(result.value(.coldStarts, "worker") == 2)
    }

    @Test func provisionedConcurrencyAvoidsColdStarts() throws {
        let sends = (0..<50).map { SimTime.ms(Int64($0) * 700) }
        let provisioned = tinyPipeline(sends: sends) { spec in
            spec.functions[0].reservedConcurrency = 2
            spec.functions[0].provisionedConcurrency = 2
            spec.functions[0].trigger?.maximumConcurrency = 2
            spec.functions[0].coldStart = .constant(.ms(500))
        }
        let onDemand = tinyPipeline(sends: sends) { spec in
            spec.functions[0].reservedConcurrency = 2
            spec.functions[0].trigger?.maximumConcurrency = 2
            spec.functions[0].coldStart = .constant(.ms(500))
        }
        #expect(try run(provisioned).value(.coldStarts, "worker") == 0)
        #expect(try run(onDemand).value(.coldStarts, "worker") >= 1)
    }

    @Test func theScalingAllowanceThrottlesNewEnvironmentsBeyondIt() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 5), duration: .s(1)) { spec in
            spec.account.scalingPer10s = 2
        }
        let result = try run(spec)
        // Five pollers invoke at once; only two new environments are allowed at t = 0.
        #expect(result.times(.coldStart).filter { $0 == .zero }.count == 2)
        #expect(result.times(.throttled).filter { $0 == .zero }.count == 3)
        #expect(result.value(.succeeded, "A") == 5)
    }

    @Test func aHandlerThatRunsPastItsTimeoutFailsTheBatchAtTheTimeout() throws {
        let spec = tinyPipeline(sends: [.zero], duration: .s(5)) { spec in
            spec.functions[0].timeout = .s(2)
            spec.queues[0].maxReceiveCount = 1
            spec.queues[0].deadLetter = "tasks-dlq"
        }
        let result = try run(spec)
        #expect(result.times(.timedOut) == [.s(2)])
        #expect(result.value(.functionErrors, "worker") == 1)
        #expect(result.times(.deadLettered, message: 0) == [.s(30)])
    }

    @Test func accountConcurrencyBoundsUnreservedFunctions() throws {
        let spec = tinyPipeline(sends: Array(repeating: .zero, count: 50), duration: .s(10)) { spec in
            spec.account.concurrency = 103
            spec.account.unreservedMinimum = 100
            spec.functions[0].reservedConcurrency = 100
            spec.functions.append(FunctionSpec(
                name: "other", timeout: .s(30), duration: .constant(.s(10)), coldStart: .constant(.zero),
                trigger: TriggerSpec(queue: "other", batchSize: 1)))
            spec.queues.append(QueueSpec(name: "other"))
            spec.groups.append(TaskGroupSpec(name: "B", queue: "other", arrivals: .trace(Array(repeating: .zero, count: 50))))
        }
        let result = try run(spec)
        // 103 - 100 reserved leaves 3 for the unreserved function.
        #expect(result.value(.concurrencyPeak, "other") == 3)
        #expect(result.value(.throttles, "other") > 0)
    }
}

/// Crashes: an environment dies mid-invocation; its batch returns after the visibility
/// timeout and the next request pays a cold start.
@Suite struct CrashTests {
    @Test func aScheduledCrashEndsTheInvocationAndTheMessageReturnsAfterItsVisibilityTimeout() throws {
        let spec = tinyPipeline(sends: [.s(1)], duration: .s(10)) { spec in
            spec.queues[0].visibilityTimeout = .s(60)
            spec.functions[0].coldStart = .constant(.ms(500))
            spec.functions[0].crashes = CrashSpec(at: [.s(5)])
        }
        let result = try run(spec)
        #expect(result.times(.crashed) == [.s(5)])
        #expect(result.times(.returned, message: 0) == [.s(61)])
        // The crashed environment is gone: the retry at 61 s starts cold again.
        #expect(result.times(.coldStart) == [.s(1), .s(61)])
        #expect(result.times(.deleted, message: 0) == [.ms(71_500)])
        #expect(result.value(.crashes, "worker") == 1)
        #expect(result.value(.functionErrors, "worker") == 1)
        #expect(result.value(.succeeded, "A") == 1)
    }

    @Test func crashesByProbabilityHappenAtAboutThatRate() throws {
        let spec = tinyPipeline(sends: (0..<2_000).map { .ms(Int64($0) * 50) }, duration: .ms(200), runFor: .minutes(10)) { spec in
            spec.functions[0].crashes = CrashSpec(probability: 0.1)
            spec.queues[0].visibilityTimeout = .s(5)
        }
        let result = try run(spec)
        let crashes = result.value(.crashes, "worker")
        let invocations = result.value(.invocations, "worker")
        // Binomial: sd = sqrt(n 0.1 0.9) ≈ 14 for n ≈ 2,200; 5 sd either side.
        let expected = 0.1 * invocations
        #expect(abs(crashes - expected) <= 5 * (invocations * 0.09).squareRoot())
        #expect(result.value(.succeeded, "A") == 2_000)
    }

    @Test func aCrashedProvisionedEnvironmentIsReplacedWithoutAColdStartOnTheRequestPath() throws {
        let spec = tinyPipeline(sends: [.s(1), .s(100)], duration: .s(10)) { spec in
            spec.functions[0].reservedConcurrency = 1
            spec.functions[0].provisionedConcurrency = 1
            spec.functions[0].trigger?.maximumConcurrency = 2
            spec.functions[0].crashes = CrashSpec(at: [.s(5)])
        }
        let result = try run(spec)
        #expect(result.times(.crashed) == [.s(5)])
        #expect(result.records(.coldStart).isEmpty)
        #expect(result.value(.succeeded, "A") == 2)
    }
}

/// Environments alive, idle and the share busy, on a hand-computed trace.
@Suite struct EnvironmentsAliveTests {
    @Test func environmentsAliveIdleAndUtilisationFollowTheTrace() throws {
        // Two messages at 0 s with 1 s handlers: two environments, busy 0-1 s, idle until
        // their reclaim at 11 s; a third message at 30 s: one new environment, busy 30-31 s,
        // reclaimed at 41 s. Alive: 2 × 11 + 11 = 33 environment-seconds of 60 s; busy: 3 s.
        let spec = tinyPipeline(sends: [.zero, .zero, .s(30)], duration: .s(1), runFor: .s(60)) { spec in
            spec.functions[0].idleTimeout = .constant(.s(10))
        }
        let result = try run(spec)
        #expect(result.value(.coldStarts, "worker") == 3)
        #expect(DeterministicSums.same(result.value(.environmentsMean, "worker"), 33.0 / 60))
        #expect(result.value(.environmentsPeak, "worker") == 2)
        #expect(DeterministicSums.same(result.value(.idleEnvironmentsMean, "worker"), 30.0 / 60))
        #expect(DeterministicSums.same(result.value(.utilisation, "worker"), 3.0 / 33))
        #expect(DeterministicSums.same(result.value(.environmentsMean), 33.0 / 60))
        #expect(result.value(.environmentsPeak) == 2)
        // Five pollers throughout: none retires at the minimum.
        #expect(result.value(.pollersMean, "worker") == 5)
        #expect(result.value(.pollersPeak, "worker") == 5)
    }

    @Test func theTimeSeriesHasEachIntervalsEnvironments() throws {
        // The trace above in 10 s intervals.
        let spec = tinyPipeline(sends: [.zero, .zero, .s(30)], duration: .s(1), runFor: .s(60)) { spec in
            spec.functions[0].idleTimeout = .constant(.s(10))
        }
        let rows = try run(spec).timeseries.filter { $0.kind == .function }
        #expect(rows.count == 6)
        let columns: [TimeSeriesColumn] = [.environmentsMean, .environmentsPeak, .idleEnvironmentsMean, .utilisation, .pollersMean]
        func values(_ i: Int) -> [Double?] { columns.map { rows[i][$0] } }
        #expect(values(0) == [2, 2, 1.8, 0.1, 5])
        #expect(values(1) == [0.2, 2, 0.2, 0, 5])
        // The environment that starts at 30 s is in [30 s, 40 s) alone; before, it was in the
        // peak of [20 s, 30 s) too, for no time, because the send at 30 s was scheduled first.
        #expect(values(2) == [0, 0, 0, nil, 5])
        #expect(values(3) == [1, 1, 0.9, 0.1, 5])
        #expect(values(4) == [0.1, 1, 0.1, 0, 5])
    }

    @Test func aWarmUpRestartsTheAveragesFromTheEnvironmentsAliveThen() throws {
        // As above, measured from 5 s: two idle environments until 11 s, then one from 30 s to 41 s.
        let spec = tinyPipeline(sends: [.zero, .zero, .s(30)], duration: .s(1), runFor: .s(60)) { spec in
            spec.functions[0].idleTimeout = .constant(.s(10))
            spec.run.warmup = .fixed(.s(5))
        }
        let result = try run(spec)
        #expect(DeterministicSums.same(result.value(.environmentsMean, "worker"), (2 * 6 + 11) / 55.0))
        #expect(DeterministicSums.same(result.value(.utilisation, "worker"), 1.0 / 23))
    }
}

/// Equality up to the rounding of a ratio of sums.
enum DeterministicSums {
    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
}

/// Code deployments: new invocations go to new environments; old ones finish and are gone.
@Suite struct DeploymentTests {
    @Test func aDeploymentMakesEveryNextInvocationCold() throws {
        // Three messages at 0, 10 and 20 s each, one-second handlers; a deployment at 5 s
        // (idle environments of the old code are gone) and one at 20.5 s (busy ones finish on
        // the old code, then are gone).
        let sends: [SimTime] = [0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30].map { .s($0) }
        let spec = tinyPipeline(sends: sends, duration: .s(1), runFor: .s(40)) { spec in
            spec.functions[0].deployments = [.s(5), .ms(20_500)]
        }
        let result = try run(spec)
        #expect(result.times(.coldStart) == [.zero, .zero, .zero, .s(10), .s(10), .s(10), .s(30), .s(30), .s(30)])
        #expect(result.times(.invoked) == [.s(20), .s(20), .s(20)])
        #expect(result.value(.succeeded, "A") == 12)
        // Alive: 3 from 0 to 5 s, 3 from 10 to 21 s, 3 from 30 s to the end at 40 s: 78 s.
        #expect(DeterministicSums.same(result.value(.environmentsMean, "worker"), 78.0 / 40))
    }

    @Test func deploymentsEveryFewMinutesRepeatFromTheFirstInterval() throws {
        // A message a second, one environment; deployments every 3 minutes: cold at 0, 3, 6, 9 min.
        let spec = tinyPipeline(sends: (0..<600).map { .s(Int64($0)) }, runFor: .minutes(10)) { spec in
            spec.functions[0].deploymentEvery = .minutes(3)
        }
        let result = try run(spec)
        #expect(result.times(.coldStart) == [.zero, .minutes(3), .minutes(6), .minutes(9)])
    }

    /// 40 messages at 0 s, one-second handlers, batch size 1, maximum concurrency 10: 5 pollers
    /// from 0 s and 10 from 1 s (the ramp adds 5 a second), all invoking from 1 to 2 s. A code
    /// update at 1.5 s with `deploymentOvershootShare` 0.2: 2 of the 10 start a new batch loop.
    private func capped(share: Double, deploymentAt: SimTime? = .ms(1_500),
                        configure: (inout PipelineSpec) -> Void = { _ in }) -> PipelineSpec {
        tinyPipeline(sends: Array(repeating: .zero, count: 40), duration: .s(1), runFor: .s(20)) { spec in
            spec.functions[0].trigger?.maximumConcurrency = 10
            spec.functions[0].deployments = deploymentAt.map { [$0] } ?? []
            spec.assumptions.deploymentOvershootShare = share
            configure(&spec)
        }
    }

    @Test func aCodeUpdateRunsTheOldInvocationsBesideTheNewOnesAboveTheMaximum() throws {
        let result = try run(capped(share: 0.2))
        // The 2 new loops invoke the new code at once (cold), beside the 10 old invocations
        // until they end at 2 s; 2 of the 12 loops then retire, the other 8 invoke cold too.
        #expect(result.times(.coldStart) == Array(repeating: .zero, count: 5) + Array(repeating: .s(1), count: 5)
            + [.ms(1_500), .ms(1_500)] + Array(repeating: .s(2), count: 8))
        #expect(result.value(.concurrencyPeak, "worker") == 12)
        #expect(result.value(.pollersPeak, "worker") == 12)
        // 12 running for the half second from 1.5 s, 10 otherwise until the backlog drains:
        // 40 one-second invocations, so 40 execution-seconds in all.
        #expect(DeterministicSums.same(result.value(.concurrencyMean, "worker"), 40.0 / 20))
        #expect(result.value(.succeeded, "A") == 40)
        #expect(result.value(.throttles, "worker") == 0)
    }

    @Test func theOvershootIsOnlyWhileTheOldInvocationsRun() throws {
        // Measured from 2.1 s, after the old invocations ended: the mapping's maximum again.
        let after = try run(capped(share: 0.2) { $0.run.warmup = .fixed(.ms(2_100)) })
        #expect(after.value(.concurrencyPeak, "worker") == 10)
        #expect(after.value(.pollersPeak, "worker") == 10)
        // Without the update, or with a share of 0, never above the maximum.
        #expect(try run(capped(share: 0.2, deploymentAt: nil)).value(.concurrencyPeak, "worker") == 10)
        #expect(try run(capped(share: 0)).value(.concurrencyPeak, "worker") == 10)
        // A share rounds to whole pollers: 0.04 of 10 is none, 0.05 one.
        #expect(try run(capped(share: 0.04)).value(.concurrencyPeak, "worker") == 10)
        #expect(try run(capped(share: 0.05)).value(.concurrencyPeak, "worker") == 11)
    }

    @Test func aNewLoopThatFindsTheQueueEmptyWaitsForMessagesAndDoesNotRetire() throws {
        // 10 messages at 0 s: 5 invoked at 0 s, 5 at 1 s, when the ramp's 5 new pollers find
        // the queue empty. The update at 1.5 s: 0.2 of the 5 invoking is one new loop, which
        // waits too; 6 messages at 1.6 s reach the 5 waiting pollers and it, beside the 5 old
        // invocations until 2 s: 11 at once. Without the update the sixth waits for 2 s.
        let sends = Array(repeating: SimTime.zero, count: 10) + Array(repeating: .ms(1_600), count: 6)
        let spec = { (deployments: [SimTime]) in
            tinyPipeline(sends: sends, duration: .s(1), runFor: .s(20)) { spec in
                spec.functions[0].trigger?.maximumConcurrency = 10
                spec.functions[0].deployments = deployments
                spec.assumptions.deploymentOvershootShare = 0.2
            }
        }
        let updated = try run(spec([.ms(1_500)]))
        #expect(updated.times(.coldStart).filter { $0 > .s(1) } == Array(repeating: .ms(1_600), count: 6))
        #expect(updated.value(.concurrencyPeak, "worker") == 11)
        #expect(try run(spec([])).value(.concurrencyPeak, "worker") == 10)
    }

    @Test func theOvershootIsThrottledAtTheReservedConcurrency() throws {
        // Reserved concurrency 11: the first new loop's invoke is admitted, the second's throttled.
        let result = try run(capped(share: 0.2) { $0.functions[0].reservedConcurrency = 11 })
        #expect(result.times(.throttled) == [.ms(1_500)])
        #expect(result.value(.throttles, "worker") == 1)
        #expect(result.value(.concurrencyPeak, "worker") == 11)
        #expect(result.value(.succeeded, "A") == 40)
    }
}
