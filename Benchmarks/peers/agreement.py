"""Checks that the SimPy peer and queuesim agree on the shared-queue pipeline, statistically.

Runs `queuesim simulate` on a copy of Benchmarks/scenarios/shared-queue-1000.yml with a
shorter duration (N replications), and the SimPy peer with N seeds, then prints a Markdown
table: each metric's mean and standard deviation over the runs on each side, and the
difference of the means in standard errors. The two use different random generators, so
they agree when the differences are a few standard errors at most, not when digits match.

`--queuesim PATH` runs another build of queuesim (default: .build/release/queuesim).
`--seed S` draws another sample on both sides: queuesim's replications from run.seed S
(`queuesim simulate --seed S`), the SimPy peer's seeds S, S+1, ... (default: the scenario's
seed 42 for queuesim, 1, 2, ... for SimPy). `--jobs J` runs J SimPy seeds at a time.

Usage (from the repository root, after `swift build -c release --product queuesim`):
    Benchmarks/peers/.venv/bin/python Benchmarks/peers/agreement.py [--duration 600] [--runs 16]
        [--seed S] [--jobs 1] [--queuesim PATH]
"""

import concurrent.futures
import csv
import datetime
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
    ("queue_wait_mean_s", "queue_wait_mean_s"),
    ("downstream_violations", "downstream_violations"),
    ("retries", "retries"),
    ("dead_lettered", "dead_lettered"),
    ("invocations", "invocations"),
    ("cold_starts", "cold_starts"),
    ("function_errors", "function_errors"),
    ("throttles", "throttles"),
    ("concurrency_mean", "concurrency_mean"),
    ("pollers_mean", "pollers_mean"),
]
FUNCTION = "worker"  # the scenario's one function: where summary.csv puts the mapping's columns


def queuesim_runs(duration, runs, seed, queuesim=QUEUESIM):
    with open(SCENARIO) as f:
        text = f.read()
    text, changed = re.subn(r"(?m)^  duration: .*$", f"  duration: {duration}s", text, count=1)
    assert changed == 1, "the scenario's run.duration line was not found"
    with tempfile.TemporaryDirectory() as folder:
        scenario = os.path.join(folder, "shared-queue-short.yml")
        with open(scenario, "w") as f:
            f.write(text)
        output = os.path.join(folder, "out")
        command = [queuesim, "simulate", scenario, "--replications", str(runs), "--output", output, "--quiet"]
        if seed is not None:
            command += ["--seed", str(seed)]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        with open(os.path.join(output, "summary.csv")) as f:
            rows = list(csv.DictReader(f))
    # A metric blank in the `all` row (the mapping's pollers) is read from the function's.
    runs = []
    for replication in sorted({row["replication"] for row in rows}, key=int):
        scopes = {row["scope"]: row for row in rows if row["replication"] == replication}
        runs.append({column: float(scopes["all"][column] or scopes[FUNCTION][column]) for column, _ in METRICS})
    return runs


def simpy_run(duration, seed):
    output = subprocess.run([sys.executable, PEER, "--duration", str(duration), "--seed", str(seed)],
                            check=True, capture_output=True, text=True).stdout
    values = dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
    return {column: float(values[key].split()[0]) for column, key in METRICS}


def simpy_runs(duration, seeds, jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda seed: simpy_run(duration, seed), seeds))


def print_table(ours, theirs):
    """The Markdown table: each metric's mean ± standard deviation on each side, and the
    difference of the means in standard errors of that difference."""
    print("| metric | queuesim | SimPy | difference / standard error |")
    print("| --- | --- | --- | --- |")
    for column, _ in METRICS:
        a = [run[column] for run in ours]
        b = [run[column] for run in theirs]
        ma, mb = statistics.mean(a), statistics.mean(b)
        sa, sb = statistics.stdev(a), statistics.stdev(b)
        se = math.sqrt(sa * sa / len(a) + sb * sb / len(b))
        z = (mb - ma) / se if se > 0 else 0.0
        fractional = column.endswith("_s") or column in ("throughput", "concurrency_mean", "pollers_mean")
        digits = 2 if fractional else 0 if max(abs(ma), abs(mb)) >= 1000 else 1
        print(f"| {column} | {ma:,.{digits}f} ± {sa:,.{digits}f} | {mb:,.{digits}f} ± {sb:,.{digits}f} | {z:+.1f} |")


def main(argv):
    duration, runs, seed, jobs, queuesim = 600, 16, None, 1, QUEUESIM
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--duration":
            duration = int(next(arguments))
        elif argument == "--runs":
            runs = int(next(arguments))
        elif argument == "--seed":
            seed = int(next(arguments))
        elif argument == "--jobs":
            jobs = int(next(arguments))
        elif argument == "--queuesim":
            queuesim = next(arguments)
        else:
            sys.exit(f"unknown argument {argument!r} (expected --duration, --runs, --seed, --jobs or --queuesim)")
    if runs < 2 or jobs < 1:
        sys.exit("--runs must be at least 2 and --jobs at least 1")
    first = 1 if seed is None else seed
    if seed is None:
        with open(SCENARIO) as f:
            seed = int(re.search(r"(?m)^  seed: (\d+)$", f.read()).group(1))
    ours = queuesim_runs(duration, runs, seed, queuesim)
    theirs = simpy_runs(duration, range(first, first + runs), jobs)
    print(f"shared-queue-1000 with duration {duration}s (drain 300s), {datetime.date.today()}: {runs} queuesim "
          f"replications (run.seed {seed}), SimPy seeds {first}-{first + runs - 1}; "
          f"mean ± standard deviation over the runs\n")
    print_table(ours, theirs)


if __name__ == "__main__":
    main(sys.argv)
