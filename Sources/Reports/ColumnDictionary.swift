import ServerlessModel

/// Every column of every CSV file queuesim writes, with its meaning: the one source from which
/// the column list of `docs/OUTPUTS.md` and the dictionary in `notebooks-data/README.md` are
/// generated (a test fails when either drifts from it).
public enum ColumnDictionary {
    /// One column and what it holds.
    public struct Column: Sendable, Equatable {
        /// The header, or a pattern such as `<parameter>` for columns named at run time.
        public var name: String
        /// What the column holds, with its unit.
        public var meaning: String
    }

    /// One CSV file: which commands write it, what a row is, and its columns in order.
    public struct File: Sendable, Equatable {
        /// The file name, `summary.csv`.
        public var name: String
        /// The commands that write it.
        public var writtenBy: [String]
        /// What one row is.
        public var row: String
        /// The columns in file order.
        public var columns: [Column]
    }

    /// The columns that identify a run's scope in `summary.csv` and `latency.csv`.
    static let runKey: [Column] = [
        Column(name: "scenario", meaning: "the scenario's `name:`"),
        Column(name: "variant", meaning: "`compare` only: the variant's name (its scenario name, or its file name when names repeat); blank otherwise"),
        Column(name: "point", meaning: "the sweep point's number from 0 (0 without a sweep, and for every variant of `compare`)"),
        Column(name: "replication", meaning: "the replication's number from 0"),
        Column(name: "seed", meaning: "the scenario seed; a run's random streams derive from it, the replication and their names, so replication r of every point and variant draws the same numbers"),
        Column(name: "scope", meaning: "a task group's, function's or container service's name, or `all`"),
        Column(name: "scope_kind", meaning: "`group`, `function`, `container` or `all`"),
    ]

    /// The swept-parameter columns.
    static let parameter = Column(
        name: "<parameter>",
        meaning: "one column per swept key path (`queues.orders.max_receive_count`), the point's value as written in YAML; only for a sweep")

    /// Every file, in the order the documents list them.
    public static let files: [File] = [
        File(name: "summary.csv", writtenBy: ["simulate", "sweep", "compare"],
             row: "one run's metrics in one scope: per (point, replication, scope)",
             columns: runKey + [parameter] + Metric.allCases.map { Column(name: $0.rawValue, meaning: meaning(of: $0)) }),
        File(name: "tenants.csv", writtenBy: ["simulate"],
             row: "one tenant of a group with `tenants:` in one run: per (replication, tenant); written only when a group has tenants",
             columns: [
                Column(name: "scenario", meaning: "the scenario's `name:`"),
                Column(name: "replication", meaning: "the replication's number from 0"),
                Column(name: "seed", meaning: "the scenario seed"),
                Column(name: "group", meaning: "the task group the tenant belongs to"),
                Column(name: "tenant", meaning: "the tenant's name: `<group>#<k>` (k from 1; with a Zipf share, #1 sends most), or the tenants file's name"),
                Column(name: "sent", meaning: "messages of the tenant sent after the warm-up"),
                Column(name: "succeeded", meaning: "of those, succeeded"),
                Column(name: "latency_p50_s", meaning: "end-to-end latency, median, seconds (1 ms resolution, 1 % precision); blank without a success"),
                Column(name: "latency_p99_s", meaning: "end-to-end latency, 99th percentile, seconds"),
                Column(name: "queue_wait_p50_s", meaning: "send to first receive, median, seconds; blank without a receive"),
                Column(name: "queue_wait_p99_s", meaning: "send to first receive, 99th percentile, seconds"),
                Column(name: "dead_lettered", meaning: "messages moved to a dead-letter queue"),
                Column(name: "expired", meaning: "messages deleted by retention"),
                Column(name: "dropped", meaning: "sends a FIFO queue's quota throttled past the producer's last retry (`send_retries`): never queued"),
                Column(name: "downstream_violations", meaning: "downstream calls refused by a rate or concurrency limit (the tenant's own with `per_tenant`)"),
                Column(name: "backlog_end", meaning: "messages still queued, delayed or in flight when the run ends; sent = succeeded + dead_lettered + expired + dropped + backlog_end"),
             ]),
        File(name: "aggregate.csv", writtenBy: ["simulate", "sweep"],
             row: "one metric of one scope across the replications of a point: per (point, scope, metric)",
             columns: [
                Column(name: "point", meaning: "the sweep point's number from 0"),
                parameter,
                Column(name: "scope", meaning: "as in summary.csv"),
                Column(name: "scope_kind", meaning: "as in summary.csv"),
                Column(name: "metric", meaning: "a summary.csv metric column's name (`latency_p99_s`)"),
                Column(name: "mean", meaning: "the mean over the replications that have the metric, in the metric's unit"),
                Column(name: "stddev", meaning: "their sample standard deviation; blank with one replication"),
                Column(name: "ci95_low", meaning: "lower end of the 95% Student t confidence interval of the mean (on the log or logit scale where the t interval would leave the metric's range, so never below 0, nor above 1 for a `_rate`: docs/experiments.md); blank with one replication"),
                Column(name: "ci95_high", meaning: "upper end of that interval"),
                Column(name: "n", meaning: "replications that have the metric"),
             ]),
        File(name: "timeseries.csv", writtenBy: ["simulate", "sweep"],
             row: "one entity in one interval of one run: per (replication, interval, entity); a sweep adds the point",
             columns: [
                Column(name: "point", meaning: "sweep only: the point's number"),
                parameter,
                Column(name: "replication", meaning: "the replication's number from 0"),
                Column(name: "interval_start_s", meaning: "start of the interval, seconds of simulated time from 0; intervals are half-open, [start, start + interval_s): what happens exactly at a boundary is in the interval it starts (the last interval also holds the run's last instant, as the summary does)"),
                Column(name: "interval_s", meaning: "length of the interval, seconds: the run's `timeseries_interval`, shorter for the last interval when the run (duration + drain) does not end on an interval's boundary; a run's intervals cover it exactly, so a group's `sent` and `succeeded` summed over its rows equal summary.csv's (without a warm-up, which the summary leaves out)"),
                Column(name: "entity_kind", meaning: "`queue`, `function`, `group` or `container`: which columns are filled"),
                Column(name: "entity", meaning: "the queue's, function's, group's or container service's name"),
             ] + TimeSeriesColumn.allCases.map { Column(name: $0.rawValue, meaning: meaning(of: $0)) }),
        File(name: "latency.csv", writtenBy: ["simulate", "sweep", "compare"],
             row: "one point of one scope's end-to-end latency CDF in one run: per (point, replication, scope, percentile)",
             columns: runKey + [parameter] + [
                Column(name: "percentile", meaning: "cumulative share of the scope's messages, percent (0, 1, 5, 10, ..., 99.9, 99.95, 99.99, 100)"),
                Column(name: "latency_s", meaning: "end-to-end latency at that percentile, seconds (0 and 100: the exact minimum and maximum)"),
             ]),
        File(name: "compare.csv", writtenBy: ["compare"],
             row: "one metric of one scope in one variant, with its difference to the first variant: per (variant, scope, metric)",
             columns: [
                Column(name: "variant", meaning: "the variant's name; the first is the baseline"),
                Column(name: "scope", meaning: "as in summary.csv"),
                Column(name: "scope_kind", meaning: "as in summary.csv"),
                Column(name: "metric", meaning: "a summary.csv metric column's name"),
                Column(name: "mean", meaning: "mean over the replications, in the metric's unit"),
                Column(name: "ci95_low", meaning: "lower end of its 95% confidence interval"),
                Column(name: "ci95_high", meaning: "upper end of its 95% confidence interval"),
                Column(name: "diff_vs_first", meaning: "mean of the paired differences to the baseline (same replication, same random numbers); with `--unpaired`, the difference of the means, its interval Welch's; blank for the baseline"),
                Column(name: "diff_ci95_low", meaning: "lower end of the difference's 95% interval"),
                Column(name: "diff_ci95_high", meaning: "upper end of the difference's 95% interval"),
                Column(name: "significant", meaning: "`true` when the difference's interval excludes 0; blank without an interval"),
             ]),
        File(name: "plan.csv", writtenBy: ["plan"],
             row: "one configuration evaluated and one of its constraints (long form), configurations in the order evaluated",
             columns: [
                Column(name: "scenario", meaning: "the scenario's name"),
                Column(name: "evaluation", meaning: "the evaluation's number from 0"),
                Column(name: "<plan path>", meaning: "one column per `plan.vary` key path: the configuration's value as written in YAML"),
                Column(name: "status", meaning: "`pass`, `fail` (a constraint missed with confidence), `undecided` (an interval still straddles its target at the replication cap; counts as failing) or `infeasible` (not simulated)"),
                Column(name: "pass", meaning: "`true` or `false`"),
                Column(name: "recommended", meaning: "`true` for the configuration recommended"),
                Column(name: "reason", meaning: "the first constraint missed (with its mean and interval) or the limit broken; blank for `pass`"),
                Column(name: "replications", meaning: "replications simulated for it; blank when infeasible"),
                Column(name: "concurrency", meaning: "the sum of the varied concurrency limits (without any, the pipeline's reserved concurrency)"),
                Column(name: "cost_usd", meaning: "mean `cost_usd` of `all` per run, US dollars"),
                Column(name: "cost_usd_ci95_low", meaning: "lower end of its 95% interval"),
                Column(name: "cost_usd_ci95_high", meaning: "upper end of its 95% interval"),
                Column(name: "concurrency_peak", meaning: "mean `concurrency_peak` of `all`"),
                Column(name: "scope", meaning: "the constraint's scope: a task group or `all`; blank on the one row of a configuration rejected without simulating"),
                Column(name: "metric", meaning: "the constrained metric's column (`latency_p99_s`, `dead_lettered`, `queue_wait_p99_s`, `oldest_age_max_s`); `unfinished_share` is `backlog_end / sent`"),
                Column(name: "target", meaning: "the constraint's target, in the metric's unit"),
                Column(name: "mean", meaning: "the metric's mean over the configuration's replications"),
                Column(name: "ci95_low", meaning: "lower end of its 95% interval (kept in the metric's range, as in aggregate.csv)"),
                Column(name: "ci95_high", meaning: "upper end of its 95% interval; the configuration passes when every one is within its target"),
                Column(name: "outcome", meaning: "`met`, `violated` or `undecided`"),
             ]),
    ]

    /// What a metric column holds, with its unit; every metric has one.
    public static func meaning(of metric: Metric) -> String {
        switch metric {
        case .sent: "messages (or direct requests) a producer sent"
        case .succeeded: "messages deleted after a successful invocation of their last stage"
        case .throughput:
            "succeeded per second of the sending window (warm-up to the producers' end, the drain left out: the messages "
                + "sent in it over its length, so a 50/s group reads 50/s), messages/s"
        case .latencyMean: "end-to-end latency (send to the end of the invocation that succeeded, retries included), mean, seconds"
        case .latencyP50: "end-to-end latency, median, seconds (HdrHistogram, relative error at most 1/1024)"
        case .latencyP90: "end-to-end latency, 90th percentile, seconds"
        case .latencyP99: "end-to-end latency, 99th percentile, seconds"
        case .latencyP999: "end-to-end latency, 99.9th percentile, seconds"
        case .latencyMax: "end-to-end latency, maximum, seconds"
        case .queueWaitMean: "send to first receive, mean, seconds"
        case .queueWaitP99: "send to first receive, 99th percentile, seconds"
        case .oldestAgeMax: "the oldest a message got before its first receive (the longest queue wait, or the age at the end of one never received): the peak of SQS's ApproximateAgeOfOldestMessage as the scope's messages set it, seconds"
        case .attempts: "invoke attempts by mappings and clients (for a group: deliveries, n per batch of n messages)"
        case .throttles: "attempts refused for lack of concurrency or scaling allowance (Managed Instances: no free slot in any environment)"
        case .throttleRate: "throttles / attempts, a fraction from 0 to 1"
        case .functionErrors: "invocations that failed as a whole: error_rate, timeout, or a downstream limit without ReportBatchItemFailures (container service: messages whose handling failed: error_rate, message_timeout, or held by a crashed task)"
        case .retries: "receives of a message beyond its first in the same queue (the first receive at the next stage of a chain is not a retry)"
        case .deadLettered: "messages moved to a dead-letter queue"
        case .expired: "messages deleted by retention"
        case .duplicates:
            "extra processing of a message: a copy from at-least-once delivery, or processing whose delete came with a stale receipt "
                + "(the visibility timeout expired during it and another consumer received the message again; a late delete with the "
                + "latest receipt of a standard queue's message that nobody received again still deletes it, as SQS does)"
        case .downstreamViolations: "downstream calls refused by a rate or concurrency limit"
        case .invocations: "admitted invocations"
        case .coldStarts: "invocations that started a new environment"
        case .coldStartRate: "cold_starts / invocations, a fraction from 0 to 1"
        case .crashes: "invocations whose execution environment died (also counted in function_errors); container service: tasks that crashed"
        case .concurrencyMean: "executions in progress (container service: busy workers), time-weighted mean over the window"
        case .concurrencyPeak: "executions in progress (container service: busy workers), maximum over the window"
        case .costUSD:
            "cost over the whole run, US dollars: Lambda (requests, GB-s including init, provisioned; on Managed Instances requests + "
                + "instance-seconds × price_per_hour × (1 + `managed_instances_fee_share`) / 3600, no duration charge) + Fargate (task-seconds × "
                + "(vCPU × `fargate_vcpu_hour` + GB × `fargate_gb_hour`) / 3600; per second rounded up, one-minute minimum per task, "
                + "start-up included; tasks still running billed to the end) + SQS requests (64 KB chunks, empty receives and workers' "
                + "deletes included). Functions carry their Lambda cost, container services their Fargate cost, `all` the total; groups none"
        case .costPerMillion: "cost_usd per million succeeded messages, US dollars"
        case .costPerMonth:
            "the measured window's bill (warm-up to the producers' end: warm-up and drain left out) scaled to 30 days, US dollars: "
                + "every cost of cost_usd billed in that window (requests, GB-s with init, provisioned concurrency enabled and its "
                + "duration, event poller units, Managed Instances' instance-seconds with the fee, Fargate task-seconds, SQS and fair-queue requests) × 30 days / the window's length, "
                + "priced with AWS's monthly tiers (on-demand Lambda duration per architecture, SQS requests per queue type) and, with "
                + "`prices.free_tier`, less the free tier (1 M Lambda requests and 400,000 GB-s for functions without provisioned "
                + "concurrency, 1 M SQS requests). A function pays its architecture's average tiered rate; `all` is the total with SQS; "
                + "groups none (docs/SCENARIO-REFERENCE.md, prices)"
        case .dropped: "direct requests the client gave up on (throttled past its retries, or failed), asynchronous events that ran out of age or retries without an on-failure queue, and sends a producer gave up on after a FIFO queue's quota refused them past its `send_retries`"
        case .rejected: "requests a front door refused (HTTP 429); not in `sent`"
        case .backlogEnd: "messages still queued, delayed or in flight (and requests in progress) when the run ends"
        case .inSystemMean: "time-average number of messages sent and not yet done over the window (warm-up to the end of the drain): Little's L ≈ throughput × latency_mean_s × (duration − warm-up) / (duration + drain − warm-up)"
        case .workersMean: "container services and `all`: tasks starting or running (billed), time-weighted mean; blank without container services"
        case .workersPeak: "container services and `all`: tasks starting or running, maximum"
        case .environmentsMean: "functions and `all`: execution environments alive (busy or idle, provisioned included), time-weighted mean over the window"
        case .environmentsPeak: "functions and `all`: execution environments alive, maximum over the window"
        case .idleEnvironmentsMean: "functions and `all`: environments alive and idle (alive − busy; on Managed Instances alive − those running at least one invocation), time-weighted mean over the window"
        case .utilisation: "functions and `all`: busy environments / alive environments over the window (concurrency_mean / environments_mean; on Managed Instances busy slots / (environments × per_environment_concurrency)), a fraction from 0 to 1; blank when none was alive"
        case .instancesMean: "functions on Managed Instances, and `all`: EC2 instances running or launching (billed), time-weighted mean over the window; blank without Managed Instances"
        case .instancesPeak: "functions on Managed Instances, and `all`: EC2 instances running or launching, maximum over the window"
        case .pollersMean: "functions with a trigger, and `all`: the event source mapping's pollers (each runs one batch at a time; in provisioned mode each poller may run up to 10), time-weighted mean over the window"
        case .pollersPeak: "functions with a trigger, and `all`: the mapping's pollers, maximum over the window"
        case .noisyGroupsMean:
            "fair queues: the group's tenants (message groups; `all`: of every fair queue) flagged noisy, time-weighted mean "
                + "over the window (CloudWatch's ApproximateNumberOfNoisyGroups); blank without a fair queue"
        case .noisyGroupsPeak: "fair queues: tenants flagged noisy at once, maximum; blank without a fair queue"
        case .tenantLatencyP99:
            "groups of many tenants (`tenants:`) and `all`: the 99th percentile across the tenants (nearest rank) of each "
                + "tenant's end-to-end latency p99 (`tenants.csv`), seconds; blank without tenants"
        case .sqsThrottles:
            "FIFO queues: API calls their throughput quota refused (ThrottlingException; 300 calls/s per action, high throughput "
                + "the region's): a group's SendMessage attempts (retries included), a function's mapping's ReceiveMessage and "
                + "DeleteMessageBatch calls; `all` both; blank without a FIFO queue"
        case .resent: "groups that resend (`resend:`): messages the producer sent again (not in `sent`); blank without one"
        case .deduplicated:
            "groups that resend: resends a FIFO queue accepted and did not deliver (the same deduplication id within 5 minutes); "
                + "the others are delivered again and counted in `duplicates`; blank without a group that resends"
        }
    }

    /// What a time-series value column holds, with its unit; every column has one.
    public static func meaning(of column: TimeSeriesColumn) -> String {
        switch column {
        case .visible: "queue: messages visible (waiting to be received) at the interval's end; for a dead-letter queue, the dead letters it holds (nothing reads one)"
        case .inFlight: "queue: messages received and not yet deleted (invisible) at the interval's end"
        case .delayed: "queue: messages in their delivery delay at the interval's end"
        case .oldestAge: "queue: age of the oldest message at the interval's end, seconds"
        case .noisyGroups: "fair queue: tenants (message groups) flagged noisy at the interval's end (ApproximateNumberOfNoisyGroups); blank for other queues"
        case .quietVisible: "fair queue: receivable messages of quiet tenants at the interval's end (ApproximateNumberOfMessagesVisibleInQuietGroups)"
        case .quietOldestAge: "fair queue: age of the first receivable message of a quiet tenant at the interval's end, seconds (ApproximateAgeOfOldestMessageInQuietGroups)"
        case .concurrency: "function: executions in progress, time-weighted mean over the interval"
        case .invocations: "function: invocations admitted in the interval"
        case .throttles: "function: invoke attempts throttled in the interval"
        case .coldStarts: "function: invocations that started a new environment in the interval"
        case .errors: "function: invocations that failed in the interval; container: messages whose handling failed in it (error_rate, message_timeout, held by a crashed task)"
        case .environmentsMean: "function: execution environments alive (busy or idle), time-weighted mean over the interval"
        case .environmentsPeak: "function: execution environments alive, maximum in the interval (from its first instant on, after what happens there)"
        case .idleEnvironmentsMean: "function: environments alive and idle (running no invocation), time-weighted mean over the interval"
        case .utilisation: "function: busy environments / alive environments in the interval (Managed Instances: busy slots / slots; blank when none was alive)"
        case .pollersMean: "function with a trigger: the mapping's pollers (provisioned mode: event poller units), time-weighted mean over the interval"
        case .instancesMean: "function on Managed Instances: EC2 instances running or launching (billed), time-weighted mean over the interval; summed over a run's intervals, times their lengths, the instance-seconds the bill charges; blank for other functions"
        case .instancesPeak: "function on Managed Instances: EC2 instances running or launching, maximum in the interval (from its first instant on, after what happens there)"
        case .sent: "group: messages sent in the interval"
        case .succeeded: "group: messages that succeeded in the interval"
        case .latencyP99: "group: p99 end-to-end latency of the messages that succeeded in the interval, seconds (2 significant digits)"
        case .workersRunning: "container: tasks running (past their start-up) at the interval's end"
        case .workersStarting: "container: tasks in their start-up time at the interval's end"
        case .workersBusy: "container: workers handling messages, time-weighted mean over the interval"
        }
    }

    /// The dictionary as Markdown: a section per file with its columns.
    public static func markdown(headingLevel: Int = 3) -> String {
        let hashes = String(repeating: "#", count: headingLevel)
        var text = ""
        for file in files {
            text += "\(hashes) \(file.name)\n\n"
            text += "Written by \(file.writtenBy.map { "`\($0)`" }.joined(separator: ", ")); one row is \(file.row).\n\n"
            text += "| column | meaning |\n|---|---|\n"
            for column in file.columns {
                text += "| `\(column.name)` | \(column.meaning.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
            text += "\n"
        }
        return text
    }
}
