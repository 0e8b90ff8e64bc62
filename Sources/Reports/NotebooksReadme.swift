/// The text of `notebooks-data/README.md`: how to load each CSV file in pandas and polars,
/// and the column dictionary, generated from ``ColumnDictionary``.
public enum NotebooksReadme {
    /// The whole file.
    public static var text: String {
        var text = """
            # notebooks-data

            `queuesim simulate`, `sweep`, `compare` and `plan` write their CSV files here, one folder per
            scenario (`notebooks-data/<scenario>/`, `notebooks-data/compare-<a>-vs-<b>[-vs-<c>...]/`) unless `--output`
            says otherwise. Everything in this folder but this file is ignored by git. The files are tidy:
            a header row, one observation a row, `.` decimal point, times in seconds, blank where a value
            does not apply. This file is generated from the same source as the column list of
            [docs/OUTPUTS.md](../docs/OUTPUTS.md), and a test fails when the two drift apart.

            ## Loading

            Two lines per file, in pandas (`import pandas as pd`) and polars (`import polars as pl`),
            on the folders `make demo` and the README's examples write:


            """
        for file in ColumnDictionary.files {
            guard let example = examples[file.name] else { continue }
            text += "### Loading \(file.name)\n\n```python\n"
            text += "df = pd.read_csv(\"\(example.path)\")\n\(example.pandas)\n\n"
            text += "df = pl.read_csv(\"\(example.path)\")\n\(example.polars)\n```\n\n"
        }
        text += """
            `variant` is blank outside `compare` and reads as a missing value; a sweep's parameter
            columns read as text when their values carry units (`512MB`); `true`/`false` columns read
            as booleans.

            ## Columns


            """
        text += ColumnDictionary.markdown(headingLevel: 3)
        return text
    }

    /// A file of the shipped examples, and a first step with it in pandas and polars (`df`
    /// is the loaded file).
    static let examples: [String: (path: String, pandas: String, polars: String)] = [
        "summary.csv": ("notebooks-data/shared-queue/summary.csv",
                        "df[df.scope == \"all\"][[\"replication\", \"latency_p99_s\"]]",
                        "df.filter(pl.col(\"scope\") == \"all\").select(\"replication\", \"latency_p99_s\")"),
        "aggregate.csv": ("notebooks-data/over-pull/aggregate.csv",
                          "df[df.metric == \"latency_p99_s\"].pivot(index=\"point\", columns=\"scope\", values=\"mean\")",
                          "df.filter(pl.col(\"metric\") == \"latency_p99_s\").pivot(\"scope\", index=\"point\", values=\"mean\")"),
        "timeseries.csv": ("notebooks-data/shared-queue/timeseries.csv",
                           "df[df.entity_kind == \"queue\"].pivot_table(index=\"interval_start_s\", columns=\"entity\", values=\"visible\")",
                           "df.filter(pl.col(\"entity_kind\") == \"queue\").select(\"interval_start_s\", \"entity\", \"visible\")"),
        "latency.csv": ("notebooks-data/shared-queue/latency.csv",
                        "df.groupby([\"scope\", \"percentile\"]).latency_s.mean()",
                        "df.group_by(\"scope\", \"percentile\").agg(pl.col(\"latency_s\").mean())"),
        "tenants.csv": ("notebooks-data/noisy-neighbour/tenants.csv",
                        "df.groupby(\"group\").queue_wait_p99_s.describe()",
                        "df.group_by(\"group\").agg(pl.col(\"queue_wait_p99_s\").max())"),
        "compare.csv": ("notebooks-data/compare-shared-queue-vs-shared-fair-queue-vs-per-group-queues/compare.csv",
                        "df[df.significant == True][[\"variant\", \"scope\", \"metric\", \"diff_vs_first\"]]",
                        "df.filter(pl.col(\"significant\").cast(pl.Utf8) == \"true\").select(\"variant\", \"scope\", \"metric\", \"diff_vs_first\")"),
        "plan.csv": ("notebooks-data/plan-per-group/plan.csv",
                     "df[df.recommended]",
                     "df.filter(pl.col(\"recommended\"))"),
    ]
}
