#!/usr/bin/env bash
# make bench: queuesim against its peers, one after the other in the same run, on the same
# work; then the scale benchmarks (Benchmarks/scale.sh) if they are there.
#
#   1. M/M/1: SimCore against SimPy (the engine alone).
#   2. M/M/c: SimCore against SimPy and Ciw.
#   3. The shared-queue pipeline (Benchmarks/scenarios/shared-queue-1000.yml, 1,000 messages/s
#      for one simulated hour): queuesim's whole model against the same model in SimPy
#      (Benchmarks/peers/shared_queue_simpy.py).
#
# Each program prints wall_seconds, cpu_seconds, events, events_per_second, messages,
# messages_per_second and peak_rss_mb (getrusage), plus its results for a sanity check; the
# final table has the ratios. Events are counted differently in the pipeline (queuesim's
# handled events, SimPy's own events), so messages per second is the like-for-like figure
# there; see Benchmarks/README.md.
#
# Environment:
#   REPEAT                runs of each M/M/1 and M/M/c program, fastest reported (default 3)
#   CUSTOMERS             M/M/1 customers (default 1000000)
#   MMC_CUSTOMERS         M/M/c customers (default 1000000)
#   SERVERS, RHO          M/M/c servers and utilisation (default 16, 0.9)
#   DURATION              pipeline: simulated seconds of sending (default: the scenario's 3600);
#                         e.g. DURATION=600 for a quick look
#   SKIP_SIMPY_PIPELINE=1 leave out the SimPy pipeline run (the longest part: minutes)
#   SKIP_CIW=1            leave out Ciw
#   SKIP_SCALE=1          do not run Benchmarks/scale.sh
#   SWIFT_BUILD_FLAGS     extra flags for swift build, e.g. --scratch-path .build-bench
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

REPEAT="${REPEAT:-3}"
CUSTOMERS="${CUSTOMERS:-1000000}"
MMC_CUSTOMERS="${MMC_CUSTOMERS:-1000000}"
SERVERS="${SERVERS:-16}"
RHO="${RHO:-0.9}"
DURATION="${DURATION:-}"
SCENARIO=Benchmarks/scenarios/shared-queue-1000.yml
# Word splitting of the flags is wanted here.
# shellcheck disable=SC2206
BUILD_FLAGS=(-c release ${SWIFT_BUILD_FLAGS:-})
VENV=Benchmarks/peers/.venv
SIMPY_VERSION="4.1.2"
CIW_VERSION="3.2.7"
PYTHON="$VENV/bin/python"

echo "== building the benchmarks (release)"
for product in MM1Benchmark MMcBenchmark PipelineBenchmark; do
    swift build "${BUILD_FLAGS[@]}" --product "$product"
done
BIN="$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)"

if ! "$PYTHON" -c "import simpy, ciw, sys; sys.exit(simpy.__version__ != '$SIMPY_VERSION' or ciw.__version__ != '$CIW_VERSION')" 2>/dev/null; then
    echo "== creating $VENV with SimPy $SIMPY_VERSION and Ciw $CIW_VERSION from PyPI"
    python3 -m venv "$VENV"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "simpy==$SIMPY_VERSION" "ciw==$CIW_VERSION"
fi

# Rows of the final table: comparison, engine, then the raw output's figures.
ROWS=()
# key NAME OUTPUT: the value of `NAME: value` in a program's output.
key() { awk -v k="$1:" '$1 == k { print $2; exit }' <<<"$2"; }
# measure COMPARISON ENGINE COMMAND...: runs one program, shows its output, keeps its figures.
measure() {
    local comparison="$1" engine="$2"
    shift 2
    echo "== $comparison: $engine"
    local output
    output="$("$@")"
    echo "$output"
    ROWS+=("$comparison|$engine|$(key wall_seconds "$output")|$(key cpu_seconds "$output")|$(key events_per_second "$output")|$(key messages_per_second "$output")|$(key peak_rss_mb "$output")")
}

measure "M/M/1" queuesim "$BIN/MM1Benchmark" "$CUSTOMERS" --repeat "$REPEAT"
measure "M/M/1" SimPy "$PYTHON" Benchmarks/peers/mm1_simpy.py "$CUSTOMERS" --repeat "$REPEAT"

MMC=("$MMC_CUSTOMERS" --servers "$SERVERS" --rho "$RHO" --repeat "$REPEAT")
measure "M/M/c" queuesim "$BIN/MMcBenchmark" "${MMC[@]}"
measure "M/M/c" SimPy "$PYTHON" Benchmarks/peers/mmc_simpy.py "${MMC[@]}"
if [ -z "${SKIP_CIW:-}" ]; then
    measure "M/M/c" Ciw "$PYTHON" Benchmarks/peers/mmc_ciw.py "${MMC[@]}"
fi

PIPELINE=()
if [ -n "$DURATION" ]; then PIPELINE=(--duration "$DURATION"); fi
measure "pipeline" queuesim "$BIN/PipelineBenchmark" "$SCENARIO" "${PIPELINE[@]}"
if [ -z "${SKIP_SIMPY_PIPELINE:-}" ]; then
    measure "pipeline" SimPy "$PYTHON" Benchmarks/peers/shared_queue_simpy.py "${PIPELINE[@]}"
fi

echo
echo "== result (ratios against queuesim in the same comparison; cpu beside wall shows a busy machine)"
printf '%s\n' "${ROWS[@]}" | awk -F'|' '
    BEGIN {
        printf "%-9s %-9s %9s %9s %12s %12s %8s | %8s %8s %10s %9s %7s\n", "workload", "engine", "wall s", "cpu s",
            "events/s", "messages/s", "RSS MB", "wall x", "cpu x", "events/s x", "msgs/s x", "RSS x"
    }
    {
        if ($2 == "queuesim") { wall[$1] = $3; cpu[$1] = $4; events[$1] = $5; messages[$1] = $6; rss[$1] = $7 }
        printf "%-9s %-9s %9.3f %9.3f %12d %12d %8.1f", $1, $2, $3, $4, $5, $6, $7
        if ($2 == "queuesim") { printf " |\n"; next }
        # Speed: how many times faster queuesim is; memory: queuesim peak / peer peak.
        printf " | %7.1fx %7.1fx %9.1fx %8.1fx %6.2fx\n", $3 / wall[$1], $4 / cpu[$1], events[$1] / $5, messages[$1] / $6,
            rss[$1] / $7
    }'
echo "wall x, cpu x = peer seconds / queuesim seconds; events/s x and msgs/s x = queuesim / peer (pipeline"
echo "events are not the same unit on both sides: compare messages/s); RSS x = queuesim peak / peer peak."

if [ -f Benchmarks/scale.sh ] && [ -z "${SKIP_SCALE:-}" ]; then
    echo
    echo "== Benchmarks/scale.sh"
    bash Benchmarks/scale.sh
fi
