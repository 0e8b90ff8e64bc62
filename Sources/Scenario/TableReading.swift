import ServerlessModel
import SimCore

/// Reading of `prices:` and `assumptions:`: overrides of two tables, one key per field.
///
/// The keys are the fields' names in snake_case. The lists below are the single place that
/// ties file keys to fields: a field added to `PriceTable` or `ModelAssumptions` needs a line
/// here (and in docs/SCENARIO-REFERENCE.md).
extension PipelineReader {
    /// A price field: its key and where it goes.
    struct PriceField {
        var key: String
        var field: WritableKeyPath<PriceTable, Double>
    }

    /// Every field of ``PriceTable``.
    static var priceFields: [PriceField] {
        [
            PriceField(key: "lambda_requests_per_million", field: \.lambdaRequestsPerMillion),
            PriceField(key: "lambda_gb_second_x86", field: \.lambdaGBSecondX86),
            PriceField(key: "lambda_gb_second_arm", field: \.lambdaGBSecondArm),
            PriceField(key: "lambda_gb_second_x86_tier_2", field: \.lambdaGBSecondX86Tier2),
            PriceField(key: "lambda_gb_second_x86_tier_3", field: \.lambdaGBSecondX86Tier3),
            PriceField(key: "lambda_gb_second_arm_tier_2", field: \.lambdaGBSecondArmTier2),
            PriceField(key: "lambda_gb_second_arm_tier_3", field: \.lambdaGBSecondArmTier3),
            PriceField(key: "lambda_tier_2_gb_seconds_x86", field: \.lambdaTier2GBSecondsX86),
            PriceField(key: "lambda_tier_3_gb_seconds_x86", field: \.lambdaTier3GBSecondsX86),
            PriceField(key: "lambda_tier_2_gb_seconds_arm", field: \.lambdaTier2GBSecondsArm),
            PriceField(key: "lambda_tier_3_gb_seconds_arm", field: \.lambdaTier3GBSecondsArm),
            PriceField(key: "provisioned_gb_second_x86", field: \.provisionedGBSecondX86),
            PriceField(key: "provisioned_gb_second_arm", field: \.provisionedGBSecondArm),
            PriceField(key: "provisioned_duration_gb_second_x86", field: \.provisionedDurationGBSecondX86),
            PriceField(key: "provisioned_duration_gb_second_arm", field: \.provisionedDurationGBSecondArm),
            PriceField(key: "sqs_standard_per_million", field: \.sqsStandardPerMillion),
            PriceField(key: "sqs_fifo_per_million", field: \.sqsFifoPerMillion),
            PriceField(key: "sqs_standard_per_million_tier_2", field: \.sqsStandardPerMillionTier2),
            PriceField(key: "sqs_standard_per_million_tier_3", field: \.sqsStandardPerMillionTier3),
            PriceField(key: "sqs_fifo_per_million_tier_2", field: \.sqsFifoPerMillionTier2),
            PriceField(key: "sqs_fifo_per_million_tier_3", field: \.sqsFifoPerMillionTier3),
            PriceField(key: "sqs_tier_2_requests", field: \.sqsTier2Requests),
            PriceField(key: "sqs_tier_3_requests", field: \.sqsTier3Requests),
            PriceField(key: "event_poller_unit_hour", field: \.eventPollerUnitHour),
            PriceField(key: "sqs_fair_per_million", field: \.sqsFairPerMillion),
            PriceField(key: "fargate_vcpu_hour", field: \.fargateVCPUHour),
            PriceField(key: "fargate_gb_hour", field: \.fargateGBHour),
            PriceField(key: "managed_instances_fee_share", field: \.managedInstancesFeeShare),
            PriceField(key: "free_lambda_requests", field: \.freeLambdaRequests),
            PriceField(key: "free_lambda_gb_seconds", field: \.freeLambdaGBSeconds),
            PriceField(key: "free_sqs_requests", field: \.freeSQSRequests),
        ]
    }

    /// Where tiers start: each pair's second must not come before its first.
    static let tierStarts: [(second: String, third: String)] = [
        ("lambda_tier_2_gb_seconds_x86", "lambda_tier_3_gb_seconds_x86"),
        ("lambda_tier_2_gb_seconds_arm", "lambda_tier_3_gb_seconds_arm"),
        ("sqs_tier_2_requests", "sqs_tier_3_requests"),
    ]

    /// A modelling assumption: its key, where it goes, and its valid range.
    enum AssumptionField {
        case count(String, WritableKeyPath<ModelAssumptions, Int>, IntegerRange)
        case time(String, WritableKeyPath<ModelAssumptions, SimTime>, DurationRange)
        case share(String, WritableKeyPath<ModelAssumptions, Double>)

        var key: String {
            switch self {
            case .count(let key, _, _), .time(let key, _, _), .share(let key, _): key
            }
        }
    }

    /// Every field of ``ModelAssumptions``.
    static var assumptionFields: [AssumptionField] {
        [
            .count("poller_start", \.pollerStart, IntegerRange(minimum: 1, maximum: nil, noun: "a number of pollers")),
            .count("poller_scale_up_per_minute", \.pollerScaleUpPerMinute, IntegerRange(minimum: 0, maximum: nil, noun: "a number of pollers")),
            .count("poller_maximum", \.pollerMaximum, IntegerRange(minimum: 1, maximum: nil, noun: "a number of pollers")),
            .count("poller_minimum", \.pollerMinimum, IntegerRange(minimum: 1, maximum: nil, noun: "a number of pollers")),
            .time("scaling_interval", \.scalingInterval, .positive("a scaling interval")),
            .count("scale_down_per_empty_receive", \.scaleDownPerEmptyReceive, IntegerRange(minimum: 0, maximum: nil, noun: "a number of pollers")),
            .count("throttle_backoff", \.throttleBackoff, IntegerRange(minimum: 0, maximum: nil, noun: "a number of pollers")),
            .count("error_backoff", \.errorBackoff, IntegerRange(minimum: 0, maximum: nil, noun: "a number of pollers")),
            .count("provisioned_scale_up_per_minute", \.provisionedScaleUpPerMinute,
                   IntegerRange(minimum: 0, maximum: nil, noun: "a number of invokes")),
            .time("throttle_retry_initial", \.throttleRetryInitial, .positive("a retry delay")),
            .time("throttle_retry_maximum", \.throttleRetryMaximum, .positive("a retry delay")),
            // Lambda always long-polls; a zero wait would make an idle poller spin in place.
            .time("long_poll_wait", \.longPollWait, DurationRange(minimum: .s(1), maximum: .s(20), noun: "a long-poll wait",
                                                                  minimumText: "1s")),
            .time("receive_time", \.receiveTime, DurationRange(maximum: .s(20), noun: "a receive time", maximumText: "20s")),
            .time("invoke_latency", \.invokeLatency, DurationRange(maximum: .s(20), noun: "an invoke latency", maximumText: "20s")),
            .time("delete_time", \.deleteTime, DurationRange(maximum: .s(20), noun: "a delete time", maximumText: "20s")),
            .time("error_pause", \.errorPause, DurationRange(maximum: .s(900), noun: "an error pause", maximumText: "900s")),
            .time("backoff_hold", \.backoffHold, DurationRange(maximum: .hours(1), noun: "a back-off hold", maximumText: "1h")),
            .time("ramp_full_speed_duration", \.rampFullSpeedDuration, DurationRange(maximum: .s(900), noun: "a ramp duration",
                                                                                    maximumText: "900s")),
            .share("deployment_overshoot_share", \.deploymentOvershootShare),
            .share("fair_noisy_in_flight_share", \.fairNoisyInFlightShare),
            .count("fair_noisy_in_flight_minimum", \.fairNoisyInFlightMinimum, IntegerRange(minimum: 1, maximum: nil, noun: "a number of messages")),
            .share("fair_noisy_processing_share", \.fairNoisyProcessingShare),
            .time("fair_processing_window", \.fairProcessingWindow, .positive("a processing-time window")),
            .time("fair_quiet_after", \.fairQuietAfter, .positive("a quiet time")),
        ]
    }

    /// `prices:` overrides of the us-east-1 price table.
    func prices(_ node: SourceNode?) -> PriceTable {
        var table = PriceTable()
        guard let node else { return table }
        let fields = Self.priceFields
        guard let view = values.mapping(node, .root.appending("prices"), keys: fields.map(\.key) + ["free_tier"],
                                        expected: "a mapping of prices such as {lambda_requests_per_million: 0.2}") else { return table }
        for field in fields {
            guard let value = view[field.key] else { continue }
            if let price = values.number(value, view.path(field.key), .nonNegative("a price in USD")) {
                table[keyPath: field.field] = price
            }
        }
        if let value = view["free_tier"] { table.freeTier = values.bool(value, view.path("free_tier")) ?? table.freeTier }
        let byKey = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.field) })
        for (second, third) in Self.tierStarts {
            guard let secondField = byKey[second], let thirdField = byKey[third], !sink.hasFailed(view.path(second)),
                  !sink.hasFailed(view.path(third)), table[keyPath: secondField] > table[keyPath: thirdField] else { continue }
            let key = view.has(third) ? third : second
            sink.error(view.location(of: key), view.path(key),
                       "\(second) \(Self.text(table[keyPath: secondField])) is above \(third) \(Self.text(table[keyPath: thirdField])) (expected the third tier to start at or after the second)",
                       kind: .conflict)
        }
        return table
    }

    /// A volume as written: whole numbers without a fraction.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `assumptions:` overrides of the modelling assumptions, with their mutual order checked.
    func assumptions(_ node: SourceNode?) -> ModelAssumptions {
        var table = ModelAssumptions()
        guard let node else { return table }
        let fields = Self.assumptionFields
        guard let view = values.mapping(node, .root.appending("assumptions"), keys: fields.map(\.key),
                                        expected: "a mapping of modelling assumptions such as {poller_start: 5}") else { return table }
        for field in fields {
            guard let value = view[field.key] else { continue }
            switch field {
            case .count(let key, let keyPath, let range):
                if let number = values.integer(value, view.path(key), range) { table[keyPath: keyPath] = number }
            case .time(let key, let keyPath, let range):
                if let time = values.duration(value, view.path(key), range) { table[keyPath: keyPath] = time }
            case .share(let key, let keyPath):
                if let share = values.number(value, view.path(key), NumberRange(minimum: 0, maximum: 1, noun: "a share")) {
                    table[keyPath: keyPath] = share
                }
            }
        }
        let ok = { (key: String) in !sink.hasFailed(view.path(key)) }
        if ok("poller_minimum"), ok("poller_start"), table.pollerMinimum > table.pollerStart {
            let key = view.has("poller_minimum") ? "poller_minimum" : "poller_start"
            sink.error(view.location(of: key), view.path(key),
                       "poller_minimum \(table.pollerMinimum) is above poller_start \(table.pollerStart) (expected poller_minimum <= poller_start <= poller_maximum)", kind: .conflict)
        } else if ok("poller_start"), ok("poller_maximum"), table.pollerStart > table.pollerMaximum {
            let key = view.has("poller_start") ? "poller_start" : "poller_maximum"
            sink.error(view.location(of: key), view.path(key),
                       "poller_start \(table.pollerStart) is above poller_maximum \(table.pollerMaximum) (expected poller_minimum <= poller_start <= poller_maximum)", kind: .conflict)
        }
        if ok("throttle_retry_initial"), ok("throttle_retry_maximum"), table.throttleRetryInitial > table.throttleRetryMaximum {
            let key = view.has("throttle_retry_maximum") ? "throttle_retry_maximum" : "throttle_retry_initial"
            sink.error(view.location(of: key), view.path(key),
                       "throttle_retry_maximum \(table.throttleRetryMaximum) is below throttle_retry_initial \(table.throttleRetryInitial) (expected a maximum of at least the initial delay)", kind: .conflict)
        }
        return table
    }
}
