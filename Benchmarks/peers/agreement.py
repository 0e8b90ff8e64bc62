"""Checks that the SimPy peer and queuesim agree on the shared-queue pipeline, statistically.

Runs `queuesim simulate` on a copy of Benchmarks/scenarios/shared-queue-1000.yml with a
shorter duration (N replications), and the SimPy peer with N seeds, then prints a Markdown
table: each metric's mean and standard deviation over the runs on each side, and the
difference of the means in standard errors. The two use different random generators, so
they agree when the differences are a few standard errors at most, not when digits match.

Usage (from the repository root, after `swift build -c release --product queuesim`):
    Benchmarks/peers/.venv/bin/python Benchmarks/peers/agreement.py [--duration 600] [--runs 6]
"""

import csv
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile

SCENARIO = "Benchmarks/scenarios/shared-queue-1000.yml"
PEER = "Benchmarks/peers/shared_queue_simpy.py"
QUEUESIM = ".build/release/queuesim"
# summary.csv column of the `all` scope -> the SimPy peer's output key.
METRICS = [
    ("sent", "sent"),
    ("succeeded", "succeeded"),
    ("throughput", "throughput"),
    ("latency_mean_s", "latency_mean_s"),
    ("latency_p50_s", "latency_p50_s"),
    ("latency_p99_s", "latency_p99_s"),
    ("downstream_violations", "downstream_violations"),
    ("retries", "retries"),
    ("dead_lettered", "dead_lettered"),
    ("invocations", "invocations"),
    ("cold_starts", "cold_starts"),
    ("concurrency_mean", "concurrency_mean"),
]


def queuesim_runs(duration, runs):
    with open(SCENARIO) as f:
        text = f.read()
    text, changed = re.subn(r"(?m)^  duration: .*$", f"  duration: {duration}s", text, count=1)
    assert changed == 1, "the scenario's run.duration line was not found"
    with tempfile.TemporaryDirectory() as folder:
        scenario = os.path.join(folder, "shared-queue-short.yml")
        with open(scenario, "w") as f:
            f.write(text)
        output = os.path.join(folder, "out")
        subprocess.run([QUEUESIM, "simulate", scenario, "--replications", str(runs), "--output", output,
                        "--quiet"], check=True, stderr=subprocess.DEVNULL)
        with open(os.path.join(output, "summary.csv")) as f:
            rows = [row for row in csv.DictReader(f) if row["scope"] == "all"]
    return [{column: float(row[column]) for column, _ in METRICS} for row in rows]


def simpy_runs(duration, runs):
    results = []
    for seed in range(1, runs + 1):
        output = subprocess.run([sys.executable, PEER, "--duration", str(duration), "--seed", str(seed)],
                                check=True, capture_output=True, text=True).stdout
        values = dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
        results.append({column: float(values[key].split()[0]) for column, key in METRICS})
    return results


def main(argv):
    duration, runs = 600, 6
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--duration":
            duration = int(next(arguments))
        elif argument == "--runs":
            runs = int(next(arguments))
        else:
            sys.exit(f"unknown argument {argument!r} (expected --duration or --runs)")
    ours = queuesim_runs(duration, runs)
    theirs = simpy_runs(duration, runs)
    print(f"shared-queue-1000 with duration {duration}s (drain 300s): {runs} queuesim replications, "
          f"{runs} SimPy seeds; mean ± standard deviation over the runs\n")
    print("| metric | queuesim | SimPy | difference / standard error |")
    print("| --- | --- | --- | --- |")
    for column, _ in METRICS:
        a = [run[column] for run in ours]
        b = [run[column] for run in theirs]
        ma, mb = statistics.mean(a), statistics.mean(b)
        sa, sb = statistics.stdev(a), statistics.stdev(b)
        se = math.sqrt(sa * sa / len(a) + sb * sb / len(b))
        z = (mb - ma) / se if se > 0 else 0.0
        digits = 0 if max(abs(ma), abs(mb)) >= 1000 else 2 if column.endswith("_s") or column in (
            "throughput", "concurrency_mean") else 1
        print(f"| {column} | {ma:,.{digits}f} ± {sa:,.{digits}f} | {mb:,.{digits}f} ± {sb:,.{digits}f} | {z:+.1f} |")


if __name__ == "__main__":
    main(sys.argv)
