import ServerlessModel
import Testing
@testable import Scenario

/// `cpu:` on a function, and the monthly bill's keys of `prices:` (tiers, free tier).
@Suite struct CPUAndPricesReadingTests {
    @Test func aCPUProfileIsReadWithThreadsDefaultingToOne() throws {
        let scenario = try #require(loadValid(minimalYAML(function: "cpu: {share: 0.7, reference_memory: 1769MB}")))
        #expect(scenario.pipeline.functions[0].cpu == CPUProfile(share: 0.7, threads: 1, referenceMemoryMB: 1_769))
        let six = try #require(loadValid(minimalYAML(function: "cpu: {share: 1, threads: 6, reference_memory: 10GB}")))
        #expect(six.pipeline.functions[0].cpu == CPUProfile(share: 1, threads: 6, referenceMemoryMB: 10_240))
        #expect(try #require(loadValid(minimalYAML())).pipeline.functions[0].cpu == nil)
    }

    @Test func aCPUProfileNeedsItsShareAndReferenceMemoryInRange() {
        let missing = diagnostics(ofYAML: minimalYAML(function: "cpu: {threads: 2}"))
        #expect(missing.contains { $0.contains("functions.f.cpu.share: missing") })
        #expect(missing.contains { $0.contains("functions.f.cpu.reference_memory: missing") })
        #expect(diagnostics(ofYAML: minimalYAML(function: "cpu: {share: 1.5, reference_memory: 1769MB}"))
            .contains { $0.contains("functions.f.cpu.share") })
        #expect(diagnostics(ofYAML: minimalYAML(function: "cpu: {share: 0.5, reference_memory: 64MB}"))
            .contains { $0.contains("functions.f.cpu.reference_memory") })
        #expect(diagnostics(ofYAML: minimalYAML(function: "cpu: {share: 0.5, threads: 0, reference_memory: 1769MB}"))
            .contains { $0.contains("functions.f.cpu.threads") })
        #expect(diagnostics(ofYAML: minimalYAML(function: "cpu: {share: 0.5, reference_memory: 1769MB, thread: 2}"))
            .contains { $0.contains("functions.f.cpu.thread") && $0.contains("threads") })
    }

    @Test func theTimeoutWarningUsesTheHandlerTimeAtTheFunctionsMemory() {
        // 2 s measured at 1,769 MB, all CPU: 27.6 s at 128 MB, above the 10 s timeout.
        let slow = diagnostics(ofYAML: minimalYAML(function: "memory: 128MB\n    duration: 2s\n    cpu: {share: 1, reference_memory: 1769MB}"))
        #expect(slow.contains { $0.contains("functions.f.timeout") })
        let fast = diagnostics(ofYAML: minimalYAML(function: "memory: 1769MB\n    duration: 2s\n    cpu: {share: 1, reference_memory: 1769MB}"))
        #expect(!fast.contains { $0.contains("functions.f.timeout") })
    }

    @Test func pricesReadTiersAndTheFreeTier() throws {
        let yaml = minimalYAML() + """

            prices: {free_tier: true, lambda_tier_2_gb_seconds_x86: 1000, lambda_gb_second_x86_tier_2: 0.00001, sqs_tier_3_requests: 3e11}
            """
        let prices = try #require(loadValid(yaml)).pipeline.prices
        #expect(prices.freeTier)
        #expect(prices.lambdaTier2GBSecondsX86 == 1_000)
        #expect(prices.lambdaGBSecondX86Tier2 == 0.000_01)
        #expect(prices.sqsTier3Requests == 3e11)
        #expect(!(try #require(loadValid(minimalYAML()))).pipeline.prices.freeTier)
    }

    @Test func aThirdTierBeforeTheSecondIsAnError() {
        let errors = diagnostics(ofYAML: minimalYAML() + "\nprices: {lambda_tier_3_gb_seconds_x86: 1000}")
        #expect(errors.contains {
            $0.contains("prices.lambda_tier_3_gb_seconds_x86") && $0.contains("lambda_tier_2_gb_seconds_x86 6000000000 is above")
        })
        #expect(diagnostics(ofYAML: minimalYAML() + "\nprices: {free_tier: maybe}").contains { $0.contains("prices.free_tier") })
    }

    @Test func aPlanCanMinimiseTheMonthlyBill() throws {
        let yaml = minimalYAML() + "\nslo: {latency_p99: 10s}\nplan: {minimize: cost_per_month, vary: {functions.f.memory: [512MB, 1GB]}}"
        #expect(try #require(loadValid(yaml)).plan?.minimize == .costPerMonth)
    }
}
