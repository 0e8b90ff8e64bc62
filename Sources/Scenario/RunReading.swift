import ServerlessModel
import SimCore

/// Reading of `run:` and `account:`.
extension PipelineReader {
    /// The keys of `run:`.
    static let runKeys = ["duration", "drain", "warmup", "seed", "replications", "timeseries_interval"]
    /// The valid `run.replications`, and `--replications` too (``Scenario/replicationsProblem(_:)``).
    static let replicationsRange = IntegerRange(minimum: 1, maximum: RunSettings.maximumReplications,
                                                noun: "a number of replications")
    /// The keys of `account:`.
    static let accountKeys = ["concurrency", "unreserved_minimum", "scaling_per_10s", "code_storage"]

    /// `run:` (required, for its `duration`).
    func run(_ node: SourceNode?, rootLocation: TextPosition) -> (RunSettings, MappingView?) {
        var settings = RunSettings(duration: .s(3_600))
        let path = FieldPath.root.appending("run")
        guard let node else {
            sink.error(rootLocation, path, "missing (expected a mapping with at least duration, such as {duration: 1h}; this key is required)")
            return (settings, nil)
        }
        guard let view = values.mapping(node, path, keys: Self.runKeys, expected: "a mapping such as {duration: 1h, seed: 42}") else {
            return (settings, nil)
        }
        if let value = values.required(view, "duration", expected: "a duration above 0s, such as 1h") {
            settings.duration = values.duration(value, view.path("duration"), .positive("a run duration")) ?? settings.duration
        }
        if let value = view["drain"] {
            settings.drain = values.duration(value, view.path("drain"), .any) ?? settings.drain
        }
        if let value = view["warmup"] {
            if value.scalar?.text == "auto" {
                settings.warmup = .auto
            } else if let warmup = values.duration(value, view.path("warmup"), DurationRange(noun: "a warm-up duration or auto")) {
                settings.warmup = .fixed(warmup)
                if !sink.hasFailed(view.path("duration")), warmup >= settings.duration {
                    sink.error(value.location, view.path("warmup"),
                               "\(warmup) is not shorter than run.duration \(settings.duration) (expected a warm-up shorter than the run, or auto)", kind: .conflict)
                }
            }
        }
        if let value = view["seed"] {
            settings.seed = values.unsigned(value, view.path("seed")) ?? settings.seed
        }
        if let value = view["replications"] {
            settings.replications = values.integer(value, view.path("replications"), Self.replicationsRange)
                ?? settings.replications
        }
        if let value = view["timeseries_interval"] {
            // `off`: no time series at all (a zero interval), for runs too long to keep one.
            if value.scalar.map({ !$0.isQuoted && $0.text == "off" }) ?? false {
                settings.timeseriesInterval = .zero
            } else {
                settings.timeseriesInterval = values.duration(value, view.path("timeseries_interval"),
                                                              .positive("a time-series interval or off"))
                    ?? settings.timeseriesInterval
            }
        }
        return (settings, view)
    }

    /// `account:` (optional; AWS's default quotas).
    func account(_ node: SourceNode?) -> (AccountSpec, MappingView?) {
        var account = AccountSpec()
        guard let node else { return (account, nil) }
        guard let view = values.mapping(node, .root.appending("account"), keys: Self.accountKeys,
                                        expected: "a mapping such as {concurrency: 1000}") else { return (account, nil) }
        if let value = view["concurrency"] {
            account.concurrency = values.integer(value, view.path("concurrency"),
                                                 IntegerRange(minimum: 1, maximum: nil, noun: "an account concurrency"))
                ?? account.concurrency
        }
        if let value = view["unreserved_minimum"] {
            account.unreservedMinimum = values.integer(value, view.path("unreserved_minimum"),
                                                       IntegerRange(minimum: 0, maximum: nil, noun: "an unreserved minimum"))
                ?? account.unreservedMinimum
        }
        if let value = view["scaling_per_10s"] {
            account.scalingPer10s = values.integer(value, view.path("scaling_per_10s"),
                                                   IntegerRange(minimum: 1, maximum: nil, noun: "a number of environments"))
                ?? account.scalingPer10s
        }
        if let value = view["code_storage"] {
            account.codeStorageBytes = values.bytes(value, view.path("code_storage"),
                                                    IntegerRange(minimum: 1, maximum: nil, noun: "a code storage", unit: .bytes))
                ?? account.codeStorageBytes
        }
        if !sink.hasFailed(view.path("concurrency")), !sink.hasFailed(view.path("unreserved_minimum")),
           account.unreservedMinimum > account.concurrency {
            let key = view.has("unreserved_minimum") ? "unreserved_minimum" : "concurrency"
            sink.error(view.location(of: key), view.path(key),
                       "the unreserved minimum \(NumberText.grouped(account.unreservedMinimum)) is above the account concurrency \(NumberText.grouped(account.concurrency)) (expected an unreserved minimum of at most the account concurrency)", kind: .conflict)
        }
        return (account, view)
    }
}

extension Scenario {
    /// What is wrong with a `--replications` value, if anything: it is refused the way
    /// `run.replications` is in a file.
    public static func replicationsProblem(_ replications: Int) -> String? {
        PipelineReader.replicationsRange.violation(replications, text: "--replications \(replications)")
    }
}
