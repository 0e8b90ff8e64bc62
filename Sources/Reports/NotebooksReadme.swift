/// The text of `notebooks-data/README.md`: how to load each CSV file in pandas and polars,
/// and the column dictionary, generated from ``ColumnDictionary``.
public enum NotebooksReadme {
    /// The whole file.
    public static var text: String {
        var text = """
            # notebooks-data

            `queuesim simulate`, `sweep`, `compare` and `plan` write their CSV files here, one folder per
            scenario (`notebooks-data/<scenario>/`, `notebooks-data/compare-<a>-vs-<b>/`) unless `--output`
            says otherwise. Everything in this folder but this file is ignored by git. The files are tidy:
            a header row, one observation a row, `.` decimal point, times in seconds, blank where a value
            does not apply. This file is generated from the same source as the column list of
            [docs/OUTPUTS.md](../docs/OUTPUTS.md), and a test fails when the two drift apart.

            ## Loading

            pandas:

            ```python
            import pandas as pd
            summary = pd.read_csv("notebooks-data/shared-queue/summary.csv")
            ```

            polars:

            ```python
            import polars as pl
            summary = pl.read_csv("notebooks-data/shared-queue/summary.csv")
            ```

            Every file loads the same way; a few first steps for each:

            | file | pandas | polars |
            |---|---|---|

            """
        for file in ColumnDictionary.files {
            let example = examples[file.name] ?? ("", "")
            text += "| `\(file.name)` | `\(example.pandas)` | `\(example.polars)` |\n"
        }
        text += """

            `variant` is blank outside `compare` and reads as a missing value; a sweep's parameter
            columns read as text when their values carry units (`512MB`). The latency CDF of a group,
            averaged over replications, in pandas:

            ```python
            lat = pd.read_csv("notebooks-data/shared-queue/latency.csv")
            cdf = lat[lat.scope_kind == "group"].groupby(["scope", "percentile"]).latency_s.mean().unstack(0)
            ```

            ## Columns


            """
        text += ColumnDictionary.markdown(headingLevel: 3)
        return text
    }

    /// A first step with each file in pandas and polars (`df` is the loaded file).
    static let examples: [String: (pandas: String, polars: String)] = [
        "summary.csv": ("df[df.scope == \"all\"][[\"replication\", \"latency_p99_s\"]]",
                        "df.filter(pl.col(\"scope\") == \"all\").select(\"replication\", \"latency_p99_s\")"),
        "aggregate.csv": ("df[df.metric == \"latency_p99_s\"].pivot(index=\"point\", columns=\"scope\", values=\"mean\")",
                          "df.filter(pl.col(\"metric\") == \"latency_p99_s\").pivot(\"scope\", index=\"point\", values=\"mean\")"),
        "timeseries.csv": ("df[df.entity_kind == \"queue\"].pivot_table(index=\"interval_start_s\", columns=\"entity\", values=\"visible\")",
                           "df.filter(pl.col(\"entity_kind\") == \"queue\").select(\"interval_start_s\", \"entity\", \"visible\")"),
        "latency.csv": ("df.groupby([\"scope\", \"percentile\"]).latency_s.mean()",
                        "df.group_by(\"scope\", \"percentile\").agg(pl.col(\"latency_s\").mean())"),
        "compare.csv": ("df[df.significant == True][[\"variant\", \"scope\", \"metric\", \"diff_vs_first\"]]",
                        "df.filter(pl.col(\"significant\")).select(\"variant\", \"scope\", \"metric\", \"diff_vs_first\")"),
        "plan.csv": ("df[df.recommended]",
                     "df.filter(pl.col(\"recommended\"))"),
    ]
}
