import ServerlessModel

/// Reading of `groups:`: who produces what, into which queue.
extension PipelineReader {
    /// The keys of a task group.
    static let groupKeys = ["queue", "invoke", "front_door", "arrivals", "message_size", "fifo_group_key", "tenants",
                            "resend", "send_retries"]

    /// The keys of a producer's resends (`resend:`).
    static let resendKeys = ["probability", "after", "deduplication_id"]

    /// The keys of a direct invocation (`invoke:`).
    static let invokeKeys = ["function", "mode", "retries", "max_event_age", "retry_attempts", "on_failure"]

    /// The keys of a client's retry policy (`invoke.retries:`).
    static let retryKeys = ["attempts", "backoff", "max_backoff", "jitter", "function_errors"]

    /// Every task group.
    func groups(_ node: SourceNode?, rootLocation: TextPosition) -> [ReadEntity<TaskGroupSpec>] {
        let path = FieldPath.root.appending("groups")
        let entries = namedEntries(node, path, location: rootLocation, required: true, noun: "task group",
                                   example: "{A: {queue: tasks, arrivals: {poisson: {rate: 2/s}}}}", reservesAll: true)
        return entries.compactMap { group($0, path: path.appending($0.key.text)) }
    }

    /// One task group.
    private func group(_ entry: SourceEntry, path: FieldPath) -> ReadEntity<TaskGroupSpec>? {
        let name = entry.key.text
        guard let view = values.mapping(entry.value, path, keys: Self.groupKeys,
                                        expected: "a task group such as {queue: tasks, arrivals: {poisson: {rate: 2/s}}}")
        else { return nil }
        var spec = TaskGroupSpec(name: name, queue: "", arrivals: .poisson(rate: .init(perSecond: 1)))
        if let value = view["invoke"] {
            if view.has("queue") {
                sink.error(view.location(of: "invoke"), view.path("invoke"),
                           "a group either sends to a queue or invokes a function (expected queue or invoke, not both)")
            }
            spec.invoke = directInvocation(value, view.path("invoke"))
        } else if let value = values.required(view, "queue", expected: "the name of a queue, or invoke: {function: f} to call a function directly") {
            spec.queue = values.text(value, view.path("queue"), expected: "the name of a queue") ?? ""
        }
        if let value = values.required(view, "arrivals", expected: ValueReader.arrivalsExpected) {
            spec.arrivals = values.arrivals(value, view.path("arrivals"), group: name) ?? spec.arrivals
        }
        if let value = view["message_size"] {
            switch values.messageSize(value, view.path("message_size")) {
            case .constant(let bytes): spec.messageSize = bytes
            case .distribution(let sizes): spec.messageSizes = sizes
            case nil: break
            }
        }
        if let value = view["front_door"] {
            spec.frontDoor = values.text(value, view.path("front_door"), expected: "the name of a front door")
        }
        if let value = view["fifo_group_key"] {
            spec.fifoGroupKey = fifoGroupKey(value, view.path("fifo_group_key")) ?? spec.fifoGroupKey
        }
        if let value = view["tenants"] {
            spec.tenants = tenants(value, view.path("tenants"))
            if view.has("fifo_group_key") {
                sink.error(view.keyLocation(of: "fifo_group_key"), view.path("fifo_group_key"),
                           "each tenant is its own message group (expected tenants or fifo_group_key, not both)", kind: .conflict)
            }
            if view.has("invoke") {
                sink.error(view.keyLocation(of: "tenants"), view.path("tenants"),
                           "tenants are modelled for groups that send to a queue (expected queue with tenants)", kind: .conflict)
            }
        }
        if let value = view["resend"] { spec.resend = resend(value, view.path("resend")) }
        if let value = view["send_retries"], let policy = retryPolicy(value, view.path("send_retries"), functionErrors: false) {
            spec.sendRetry = policy
        }
        for key in ["resend", "send_retries"] where view.has(key) && view.has("invoke") {
            sink.error(view.keyLocation(of: key), view.path(key),
                       "applies to a group that sends to a queue (expected queue with \(key), or no \(key))", kind: .conflict)
        }
        return ReadEntity(spec: spec, view: view, nameLocation: entry.key.location)
    }

    /// `resend: {probability: 0.01, after: 2s, deduplication_id: same}`.
    private func resend(_ node: SourceNode, _ path: FieldPath) -> ResendSpec? {
        guard let view = values.mapping(node, path, keys: Self.resendKeys,
                                        expected: "resends such as {probability: 0.01, after: 2s}")
        else { return nil }
        var spec = ResendSpec(probability: 0, after: .zero)
        if let value = values.required(view, "probability", expected: "a probability from 0 to 1") {
            spec.probability = values.number(value, view.path("probability"), .probability) ?? 0
        }
        if let value = values.required(view, "after", expected: "a duration such as 2s") {
            spec.after = values.duration(value, view.path("after"), DurationRange(maximum: .hours(24), noun: "a resend delay"))
                ?? .zero
        }
        if let value = view["deduplication_id"] {
            spec.sameDeduplicationId = values.choice(value, view.path("deduplication_id"), ["same", "new"],
                                                     noun: "a deduplication id") != "new"
        }
        return spec
    }

    /// `invoke: {function: f, mode: sync, retries: {attempts: 2, backoff: 100ms, max_backoff: 20s, jitter: true}}`.
    private func directInvocation(_ node: SourceNode, _ path: FieldPath) -> DirectInvocationSpec? {
        guard let view = values.mapping(node, path, keys: Self.invokeKeys,
                                        expected: "a direct invocation such as {function: api, mode: sync}")
        else { return nil }
        var spec = DirectInvocationSpec(function: "")
        if let value = values.required(view, "function", expected: "the name of a function") {
            spec.function = values.text(value, view.path("function"), expected: "the name of a function") ?? ""
        }
        if let value = view["mode"], let text = values.text(value, view.path("mode"), expected: "sync or async") {
            switch text {
            case "sync": spec.mode = .synchronous
            case "async": spec.mode = .asynchronous
            default:
                sink.error(view.location(of: "mode"), view.path("mode"), "'\(text)' is not an invocation mode (expected sync or async)")
            }
        }
        let asyncKeys = ["max_event_age", "retry_attempts", "on_failure"]
        for key in asyncKeys where view.has(key) && spec.mode == .synchronous && !sink.hasFailed(view.path("mode")) {
            sink.error(view.keyLocation(of: key), view.path(key),
                       "applies to asynchronous invocation only (expected mode: async with \(key), or no \(key))")
        }
        if view.has("retries"), spec.mode == .asynchronous {
            sink.error(view.keyLocation(of: "retries"), view.path("retries"),
                       "a client's retries apply to synchronous invocation only; Lambda retries asynchronous events itself (expected retry_attempts and max_event_age with mode: async)")
        }
        if let value = view["max_event_age"] {
            spec.asynchronous.maximumEventAge = values.duration(value, view.path("max_event_age"),
                DurationRange(minimum: .s(60), maximum: .hours(6), noun: "a maximum event age", minimumText: "60s", maximumText: "6h"))
                ?? spec.asynchronous.maximumEventAge
        }
        if let value = view["retry_attempts"] {
            spec.asynchronous.retryAttempts = values.integer(value, view.path("retry_attempts"),
                                                             IntegerRange(minimum: 0, maximum: 2, noun: "a number of retry attempts"))
                ?? spec.asynchronous.retryAttempts
        }
        if let value = view["on_failure"] {
            spec.asynchronous.onFailure = values.text(value, view.path("on_failure"), expected: "the name of a queue")
        }
        if let value = view["retries"], let policy = retryPolicy(value, view.path("retries"), functionErrors: true) {
            spec.retry = policy
        }
        return spec
    }

    /// A client's retry policy: `{attempts: 2, backoff: 100ms, max_backoff: 20s, jitter: true}`
    /// (and `function_errors` where the client can see them). Unset keys keep the default's.
    private func retryPolicy(_ node: SourceNode, _ path: FieldPath, functionErrors: Bool) -> ClientRetryPolicy? {
        let keys = functionErrors ? Self.retryKeys : Self.retryKeys.filter { $0 != "function_errors" }
        guard let retries = values.mapping(node, path, keys: keys, expected: "a retry policy such as {attempts: 2, backoff: 100ms}")
        else { return nil }
        var policy = functionErrors ? ClientRetryPolicy() : ClientRetryPolicy(attempts: 2)
        if let attempts = retries["attempts"] {
            policy.attempts = values.integer(attempts, retries.path("attempts"), IntegerRange(minimum: 0, maximum: 100, noun: "a number of retries"))
                ?? policy.attempts
        }
        if let backoff = retries["backoff"] {
            policy.initialBackoff = values.duration(backoff, retries.path("backoff"), DurationRange(maximum: .s(3_600), noun: "a back-off"))
                ?? policy.initialBackoff
        }
        if let maximum = retries["max_backoff"] {
            policy.maximumBackoff = values.duration(maximum, retries.path("max_backoff"), DurationRange(maximum: .s(3_600), noun: "a back-off"))
                ?? policy.maximumBackoff
        }
        if let jitter = retries["jitter"] {
            policy.jitter = values.bool(jitter, retries.path("jitter")) ?? policy.jitter
        }
        if let errors = retries["function_errors"] {
            policy.retryFunctionErrors = values.bool(errors, retries.path("function_errors")) ?? policy.retryFunctionErrors
        }
        return policy
    }

    /// `group`, `message`, a whole number N (N random keys), or any other text (a fixed id).
    private func fifoGroupKey(_ node: SourceNode, _ path: FieldPath) -> FifoGroupKey? {
        guard let scalar = values.scalar(node, path, expected: "group, message, a number of keys, or a fixed group id")
        else { return nil }
        if scalar.isQuoted { return .fixed(scalar.text) }
        switch scalar.text {
        case "group": return .group
        case "message": return .message
        default:
            if let count = ValueReader.parseInteger(scalar.text) {
                guard count >= 1 else {
                    sink.error(scalar.location, path,
                               "\(scalar.text) keys is below the minimum 1 (expected a number of keys of at least 1, or group, message or a fixed id)")
                    return nil
                }
                return .keys(count)
            }
            return .fixed(scalar.text)
        }
    }
}
