import ServerlessModel
import SimCore
import Testing

/// Reading of the event source mapping's and the function's keys of issue 24: provisioned
/// pollers, error rates over time, deployments, and the new assumptions and price.
@Suite struct MappingReadingTests {
    static func scenario(function: String, trigger: String = "{queue: tasks}", top: String = "") -> String {
        """
        name: mapping
        run: {duration: 1m}
        groups:
          A: {queue: tasks, arrivals: {poisson: {rate: 1/s}}}
        queues:
          tasks: {}
        functions:
          worker:
            trigger: \(trigger)
        \(function)
        \(top)
        """
    }

    @Test func provisionedPollersErrorRateStepsDeploymentsAndThePriceAreRead() throws {
        let yaml = Self.scenario(function: """
                error_rate: [{at: 5m, rate: 0.05}, {at: 9m, rate: 0}]
                deployments: [3m, 1m]
            """, trigger: "{queue: tasks, provisioned_pollers: {minimum: 3, maximum: 40}}",
            top: "prices: {event_poller_unit_hour: 0.01}\nassumptions: {error_pause: 2s, backoff_hold: 5s, ramp_full_speed_duration: 0s, provisioned_scale_up_per_minute: 500}")
        let scenario = try #require(loadValid(yaml))
        let function = scenario.pipeline.functions[0]
        #expect(function.trigger?.provisionedPollers == ProvisionedPollers(minimum: 3, maximum: 40))
        #expect(function.errorRate == 0)
        #expect(function.errorRateChanges == [ErrorRateChange(at: .minutes(5), rate: 0.05), ErrorRateChange(at: .minutes(9), rate: 0)])
        #expect(function.deployments == [.minutes(1), .minutes(3)])
        #expect(scenario.pipeline.prices.eventPollerUnitHour == 0.01)
        var assumptions = ModelAssumptions()
        assumptions.errorPause = .s(2)
        assumptions.backoffHold = .s(5)
        assumptions.rampFullSpeedDuration = .zero
        assumptions.provisionedScaleUpPerMinute = 500
        #expect(scenario.pipeline.assumptions == assumptions)
    }

    @Test func deploymentsEveryIsRead() throws {
        let scenario = try #require(loadValid(Self.scenario(function: "    deployments: {every: 3m}")))
        #expect(scenario.pipeline.functions[0].deploymentEvery == .minutes(3))
    }

    @Test func theDeploymentOvershootShareIsReadAndIsAShare() throws {
        let scenario = try #require(loadValid(Self.scenario(function: "", top: "assumptions: {deployment_overshoot_share: 0.2}")))
        #expect(scenario.pipeline.assumptions.deploymentOvershootShare == 0.2)
        #expect(ModelAssumptions().deploymentOvershootShare == 0.07)
        let above = diagnostics(ofYAML: Self.scenario(function: "", top: "assumptions: {deployment_overshoot_share: 1.5}"))
        #expect(above.count == 1)
        #expect(above.first?.contains("assumptions.deployment_overshoot_share") == true)
    }

    @Test func provisionedPollersAreRefusedWithMaximumConcurrencyAndOutOfOrder() {
        let both = diagnostics(ofYAML: Self.scenario(
            function: "", trigger: "{queue: tasks, maximum_concurrency: 10, provisioned_pollers: {minimum: 2}}"))
        #expect(both.count == 1)
        #expect(both.first?.contains("functions.worker.trigger.provisioned_pollers: provisioned_pollers cannot be combined with maximum_concurrency") == true)
        let order = diagnostics(ofYAML: Self.scenario(function: "", trigger: "{queue: tasks, provisioned_pollers: {minimum: 20, maximum: 10}}"))
        #expect(order.count == 1)
        #expect(order.first?.contains("functions.worker.trigger.provisioned_pollers.minimum: minimum 20 is above maximum 10 (expected minimum <= maximum)") == true)
        let range = diagnostics(ofYAML: Self.scenario(function: "", trigger: "{queue: tasks, provisioned_pollers: {maximum: 10001}}"))
        #expect(range.first?.contains("functions.worker.trigger.provisioned_pollers.maximum: 10001 is above the maximum 10,000") == true)
    }

    @Test func errorRateStepsMustBeInIncreasingTimeWithProbabilities() {
        let late = diagnostics(ofYAML: Self.scenario(function: "    error_rate: [{at: 5m, rate: 0.1}, {at: 5m, rate: 0}]"))
        #expect(late.first?.contains("functions.worker.error_rate.1.at: 5m is not after the previous step's 5m (expected steps in increasing time)") == true)
        let rate = diagnostics(ofYAML: Self.scenario(function: "    error_rate: [{at: 5m, rate: 2}]"))
        #expect(rate.count == 1)
        #expect(rate.first?.contains("functions.worker.error_rate.0.rate") == true)
    }
}
