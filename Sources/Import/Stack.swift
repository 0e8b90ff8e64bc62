import Scenario

/// What the import read from a template: the SQS queues, Lambda functions, their triggers and
/// the schedules that invoke them, each value with its provenance. Plain data; the
/// ``ScenarioBuilder`` turns it into a scenario document.
struct Stack: Sendable {
    struct Queue: Sendable {
        var id: String
        var at: TextPosition
        /// The queue's name in AWS (QueueName, or the logical ID), which ARNs end with.
        var name: String
        var fifo: Sourced
        var isFIFO: Bool
        var visibilityTimeout: Sourced
        var retention: Sourced
        var delay: Sourced
        var deadLetter: (id: String, provenance: Provenance)?
        var maxReceiveCount: Sourced?
        /// FIFO: high-throughput mode (DeduplicationScope messageGroup with FifoThroughputLimit
        /// perMessageGroupId), when the template sets either.
        var highThroughput: Sourced?
        /// FIFO: ContentBasedDeduplication, when the template sets it.
        var contentBasedDeduplication: Sourced?
    }

    struct Trigger: Sendable {
        /// The logical ID of the mapping (or `Function.Events.Name` for SAM).
        var id: String
        var at: TextPosition
        var queue: String
        var batchSize: Sourced
        var batchingWindow: Sourced
        var maximumConcurrency: Sourced?
        var reportBatchItemFailures: Sourced
        /// ProvisionedPollerConfig: (minimum, maximum), each with where it was written or AWS's default.
        var provisionedPollers: (minimum: Sourced, maximum: Sourced)?
        /// The alias or version the mapping invokes, if any.
        var qualifier: String?
    }

    struct Function: Sendable {
        var id: String
        var at: TextPosition
        /// The function's name in AWS (FunctionName, or the logical ID).
        var name: String
        var memory: Sourced
        var timeout: Sourced
        var architecture: Sourced
        var reservedConcurrency: Sourced?
        /// Provisioned concurrency by alias or version name.
        var provisioned: [String: Sourced] = [:]
        /// SAM's AutoPublishAlias: its events invoke this alias.
        var autoPublishAlias: String?
        var triggers: [Trigger] = []
        /// Asynchronous invocation settings (EventInvokeConfig, DeadLetterConfig).
        var onFailure: (queue: String, provenance: Provenance)?
        var retryAttempts: Sourced?
        var maxEventAge: Sourced?
    }

    /// An EventBridge rule or Scheduler schedule that invokes a function.
    struct Schedule: Sendable {
        var id: String
        var at: TextPosition
        var function: String
        var expression: String
        var expressionAt: TextPosition
        var property: String
    }

    var queues: [Queue] = []
    var functions: [Function] = []
    var schedules: [Schedule] = []
    /// What the import read but cannot write (unsupported resources, properties, mappings),
    /// one located warning each.
    var notImported: [Diagnostic] = []
}
