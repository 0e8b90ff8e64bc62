import SimCore
@testable import ServerlessModel
import Testing

/// Memory buys CPU (CPUAllocation.swift) and the monthly bill (MonthlyBill.swift), by hand.
@Suite struct CPUAndMonthlyBillTests {
    // MARK: Memory buys CPU

    /// time = t × ((1 − share) + share × v_ref / v), v = min(memory / 1769 MB, threads).
    @Test(arguments: [1, 6])
    func theCPUFactorFollowsTheFormulaAt128And1769And10240Megabytes(threads: Int) {
        let cpu = CPUProfile(share: 0.7, threads: threads, referenceMemoryMB: 1_769)
        // 128 MB: v = 128/1769 whatever the threads; v_ref = 1.
        #expect(abs(cpu.timeFactor(memoryMB: 128) - (0.3 + 0.7 * 1_769 / 128)) < 1e-12)
        #expect(abs(cpu.timeFactor(memoryMB: 128) - 9.974_218_75) < 1e-12)
        // The reference memory: exactly as measured.
        #expect(cpu.timeFactor(memoryMB: 1_769) == 1)
        // 10,240 MB: one thread uses one vCPU (no faster); six use 10240/1769 = 5.79.
        let expected = threads == 1 ? 1 : 0.3 + 0.7 * 1_769 / 10_240
        #expect(abs(cpu.timeFactor(memoryMB: 10_240) - expected) < 1e-12)
        if threads == 6 { #expect(abs(cpu.timeFactor(memoryMB: 10_240) - 0.420_927_734_375) < 1e-12) }
    }

    @Test func aFunctionWithoutACPUProfileOrAtItsReferenceMemoryKeepsItsHandlerTime() {
        let plain = FunctionSpec(name: "f", memoryMB: 512, duration: .exponential(mean: .ms(80)))
        #expect(plain.withHandlerTimeAtMemory() == plain)
        var atReference = plain
        atReference.cpu = CPUProfile(share: 0.9, referenceMemoryMB: 512)
        #expect(atReference.withHandlerTimeAtMemory() == atReference)
    }

    /// A scaled distribution draws the same random numbers: each sample is the factor times
    /// the unscaled one (common random numbers across a memory sweep).
    @Test func aScaledDistributionIsTheFactorTimesTheSameDraws() throws {
        let empirical = try #require(EmpiricalSamples(seconds: [0.1, 0.4, 2], source: "test"))
        let mixture = try #require(MixtureComponent.normalised([(1, .constant(.ms(50))), (3, .gamma(shape: 2, mean: .ms(300)))]))
        let families: [Distribution] = [
            .constant(.ms(120)), .exponential(mean: .ms(200)), .uniform(min: .ms(10), max: .ms(90)),
            .normal(mean: .ms(100), stddev: .ms(30)), .lognormal(median: .ms(100), p99: .s(1)), .gamma(shape: 3, mean: .ms(500)),
            .weibull(shape: 1.5, scale: .ms(400)), .pareto(shape: 2.5, minimum: .ms(20)), .empirical(empirical), .mixture(mixture),
        ]
        for distribution in families {
            let scaled = distribution.scaled(by: 2.5)
            let a = RandomStream(name: "cpu", scenarioSeed: 7, replication: 0)
            let b = RandomStream(name: "cpu", scenarioSeed: 7, replication: 0)
            for _ in 0..<200 {
                let x = distribution.sampleSeconds(a), y = scaled.sampleSeconds(b)
                #expect(abs(y - 2.5 * x) <= 1e-12 * max(1, y), "\(distribution)")
            }
        }
    }

    /// A CPU-bound handler (share 1) of 1 s measured at 1,769 MB: 0.5 s at 3,538 MB with two
    /// threads, still 1 s with one, 13.8203125 s at 128 MB.
    @Test(arguments: [(3_538, 2, SimTime.ms(500)), (3_538, 1, SimTime.s(1)), (128, 1, SimTime.ns(13_820_312_500))])
    func moreMemoryShortensACPUBoundHandler(memory: Int, threads: Int, handler: SimTime) throws {
        let spec = tinyPipeline(sends: [.s(1)], duration: .s(1)) { spec in
            spec.functions[0].memoryMB = memory
            spec.functions[0].cpu = CPUProfile(share: 1, threads: threads, referenceMemoryMB: 1_769)
        }
        let result = try run(spec)
        #expect(result.times(.deleted) == [.s(1) + handler])
    }

    // MARK: The monthly bill

    private func month(x86GBSeconds: [Double] = [], arm: [Double] = [], requests: Double = 0, standard: Double = 0,
                       fifo: Double = 0) -> (BillableUsage, [Architecture]) {
        var usage = BillableUsage(functions: x86GBSeconds.count + arm.count, containers: 0)
        for (f, gbSeconds) in (x86GBSeconds + arm).enumerated() { usage.functions[f].onDemandGBSeconds = gbSeconds }
        if !usage.functions.isEmpty { usage.functions[0].requests = requests }
        usage.sqsStandardRequests = standard
        usage.sqsFifoRequests = fifo
        return (usage, Array(repeating: .x86_64, count: x86GBSeconds.count) + Array(repeating: .arm64, count: arm.count))
    }

    private func bill(_ month: (BillableUsage, [Architecture]), provisioned: [Bool]? = nil, prices: PriceTable = PriceTable())
        -> MonthlyBill {
        let functions = month.1.enumerated().map { f, architecture in
            FunctionSpec(name: "f\(f)", architecture: architecture, provisionedConcurrency: provisioned?[f] == true ? 1 : 0)
        }
        return MonthlyBill(month: month.0, functions: functions, prices: prices)
    }

    private func cents(_ dollars: Double) -> Int { Int((dollars * 100).rounded()) }

    @Test func aMonthAcrossLambdasDurationTiersIsPricedToTheCent() {
        // x86: 6 billion GB-s at $0.0000166667, then $0.000015: 7 billion = $100,000.20 + $15,000.
        #expect(cents(bill(month(x86GBSeconds: [7e9])).total) == 11_500_020)
        // Into the third tier: + 9 billion × $0.000015 + 1 billion × $0.0000133334.
        #expect(cents(bill(month(x86GBSeconds: [16e9])).total) == 24_833_360)
        // arm64 breaks at 7.5 billion: $100,000.50 + 0.5 billion × $0.0000120001.
        #expect(cents(bill(month(arm: [8e9])).total) == 10_600_055)
        // Below the first break nothing changes: 1 billion GB-s at the list price.
        #expect(cents(bill(month(x86GBSeconds: [1e9])).total) == 1_666_670)
    }

    @Test func functionsShareTheirArchitecturesTierAtItsAverageRate() {
        // 5 + 2 billion GB-s of two x86 functions are one account's 7 billion: $115,000.20 in
        // all, split 5 : 2; an arm64 function's tiers are its own.
        let bill = bill(month(x86GBSeconds: [5e9, 2e9], arm: [1e9]))
        #expect(abs(bill.functions[0] + bill.functions[1] - 115_000.20) < 1e-6)
        #expect(abs(bill.functions[0] / bill.functions[1] - 2.5) < 1e-12)
        #expect(cents(bill.functions[2]) == 1_333_340)
    }

    @Test func sqsRequestTiersBreakAt100And200Billion() {
        // Standard: 100 billion at $0.40 per million, 50 billion at $0.30.
        #expect(cents(bill(month(standard: 150e9)).sqs) == 5_500_000)
        // FIFO: 100 billion at $0.50, 100 billion at $0.40, 10 billion at $0.35.
        #expect(cents(bill(month(fifo: 210e9)).sqs) == 9_350_000)
    }

    @Test func theFreeTierTakesAWSsAllowancesOffTheMonth() {
        // AWS's pricing example: 512 MB, 3 M invocations of 1 s: 1.5 M GB-s, 3 M requests.
        var prices = PriceTable()
        prices.freeTier = true
        let example = month(x86GBSeconds: [1_500_000], requests: 3e6)
        // (1.5 M − 400,000) GB-s × $0.0000166667 + (3 M − 1 M) requests × $0.20 per million.
        #expect(cents(bill(example, prices: prices).total) == cents(1_100_000 * 0.000_016_666_7 + 0.40))
        #expect(cents(bill(example, prices: prices).total) == 1_873)
        // Off by default; and a function with provisioned concurrency gets none of it (AWS).
        #expect(cents(bill(example).total) == cents(1_500_000 * 0.000_016_666_7 + 0.60))
        #expect(bill(example, provisioned: [true], prices: prices) == bill(example, provisioned: [true]))
        // SQS: the free million goes to standard requests first, then to FIFO ones.
        let sqs = bill(month(standard: 500_000, fifo: 1e6), prices: prices)
        #expect(abs(sqs.sqs - 500_000 / 1e6 * 0.50) < 1e-12)
    }

    @Test func managedInstancesBillTheirInstancesWithTheFeeAndNoDurationOrFreeTier() {
        var usage = BillableUsage(functions: 1, containers: 0)
        usage.functions[0] = BillableUsage.Function(requests: 3e6, onDemandGBSeconds: 1e9, instanceSeconds: 2 * 30 * 86_400)
        var function = FunctionSpec(name: "f")
        function.compute = .managedInstances(ManagedInstancesSpec(
            instance: InstanceType(name: "custom", vcpus: 2, memoryGiB: 8, pricePerHour: 0.1), perEnvironmentConcurrency: 8))
        var prices = PriceTable()
        prices.freeTier = true
        // Two instances all month: 1,440 instance-hours × $0.10 × 1.15, plus 3 M requests.
        let bill = MonthlyBill(month: usage, functions: [function], prices: prices)
        #expect(cents(bill.total) == cents(1_440 * 0.1 * 1.15 + 0.60))
    }

    /// Sends every second from 0.5 s, 100 ms at 128 MB, a 10 s warm-up and a 60 s drain: the
    /// window [10 s, 60 s) bills the 50 invocations that end in it, scaled to 30 days; the
    /// drain adds nothing to it, and throughput is the 50 measured messages over 50 s.
    @Test func theMonthlyBillScalesTheMeasuredWindowAndThroughputIsOverTheSendingWindow() throws {
        var spec = tinyPipeline(sends: (0..<60).map { .ms(500 + 1_000 * Int64($0)) }, runFor: .s(60))
        spec.run.drain = .s(60)
        spec.run.warmup = .fixed(.s(10))
        let result = try run(spec)
        let prices = PriceTable()
        let window = 50 * (1 / 1e6 * prices.lambdaRequestsPerMillion + 0.1 * 0.125 * prices.lambdaGBSecondX86)
        let monthly = window * 30 * 86_400 / 50
        #expect(abs(result.value(.costPerMonth, "worker") - monthly) < 1e-12 * monthly)
        #expect(result.value(.costPerMonth) > result.value(.costPerMonth, "worker"), "SQS requests are in the total")
        #expect(result.value(.throughput, "A") == 1)
        #expect(result.value(.throughput, "worker") == 1)
        #expect(result.value(.throughput) == 1)
    }
}
