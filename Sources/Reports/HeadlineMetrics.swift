import ServerlessModel

/// The outcomes a reader must see whenever they happen: the terms of conservation
/// (`sent = succeeded + dead_lettered + expired + dropped + backlog_end`) and the failures
/// around it. The console summary shows each as a row and the report charts it whenever some
/// scope's value is not 0; a metric added here appears in both without a change elsewhere.
public enum HeadlineMetrics {
    /// The metrics that are shown when, and only when, they are not 0 everywhere.
    public static let shownWhenNonZero: [Metric] = [
        .deadLettered, .expired, .dropped, .backlogEnd, .rejected, .functionErrors, .downstreamViolations,
    ]
}
