#!/usr/bin/env bash
# The engine benchmark: M/M/1 on SimCore (release build) against the same model in SimPy,
# run one after the other on this machine; prints each one's events/second and the ratio.
#
# Environment: CUSTOMERS (default 1000000), REPEAT (runs per engine, fastest reported;
# default 3), SWIFT_BUILD_FLAGS (extra flags for swift build, e.g. --scratch-path DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

CUSTOMERS="${CUSTOMERS:-1000000}"
REPEAT="${REPEAT:-3}"
# Word splitting of the flags is wanted here.
# shellcheck disable=SC2206
BUILD_FLAGS=(-c release ${SWIFT_BUILD_FLAGS:-})
VENV=Benchmarks/peers/.venv
SIMPY_VERSION="4.1.2"

echo "== building MM1Benchmark (release)"
swift build "${BUILD_FLAGS[@]}" --product MM1Benchmark
BIN="$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)/MM1Benchmark"

if ! "$VENV/bin/python" -c "import simpy" 2>/dev/null; then
    echo "== creating $VENV with SimPy $SIMPY_VERSION from PyPI"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "simpy==$SIMPY_VERSION"
fi

echo "== SimCore: $CUSTOMERS customers, fastest of $REPEAT"
swift_output="$("$BIN" "$CUSTOMERS" --repeat "$REPEAT")"
echo "$swift_output"
echo "== SimPy: $CUSTOMERS customers, fastest of $REPEAT"
simpy_output="$("$VENV/bin/python" Benchmarks/peers/mm1_simpy.py "$CUSTOMERS" --repeat "$REPEAT")"
echo "$simpy_output"

rate() { awk '/^events_per_second:/ { print $2 }' <<<"$1"; }
swift_rate="$(rate "$swift_output")"
simpy_rate="$(rate "$simpy_output")"
echo "== result"
awk -v s="$swift_rate" -v p="$simpy_rate" 'BEGIN {
    printf "SimCore: %.2f million events/s\n", s / 1e6
    printf "SimPy:   %.3f million events/s\n", p / 1e6
    printf "ratio (SimCore / SimPy): %.1fx\n", s / p
}'
