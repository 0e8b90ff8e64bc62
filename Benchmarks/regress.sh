#!/usr/bin/env bash
# Regression outputs of a queuesim binary, for checking that a change to how the model runs
# (not what it models) leaves every result byte for byte the same (Benchmarks/PROFILE.md):
#
#   Benchmarks/regress.sh BINARY FOLDER
#
# writes into FOLDER (emptied first) the outputs of `simulate` of every scenarios/*.yml,
# `compare` of shared-queue and per-group-queues, `simulate` of the two-minute variant of the
# pipeline benchmark (Benchmarks/scenarios/shared-queue-1000.yml), `sweep` of over-pull and
# `plan` of plan-per-group, all with --jobs 1. Make a reference folder with the binary before
# the change and compare: `diff -r REFERENCE FOLDER` (no output: identical). Each command's
# exit status and standard output are kept too (stdout.txt); time figures are not written.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 BINARY FOLDER" >&2
    exit 2
fi
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
OUT="$2"
cd "$(dirname "$0")/.."
rm -rf "$OUT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# run NAME COMMAND...: one command, its files in $OUT/NAME, its status and output beside them.
run() {
    local name="$1"
    shift
    local status=0
    "$BIN" "$@" --jobs 1 --quiet --output "$OUT/$name" > "$OUT/$name.stdout.txt" 2>&1 || status=$?
    echo "$status" > "$OUT/$name.status"
}

for scenario in scenarios/*.yml; do
    name="$(basename "$scenario" .yml)"
    [ "$name" = plan-per-group ] && continue   # planned below; simulated too, as a plain scenario
    run "simulate-$name" simulate "$scenario"
done
run simulate-plan-per-group simulate scenarios/plan-per-group.yml
run compare compare scenarios/shared-queue.yml scenarios/per-group-queues.yml
sed -e 's/duration: 1h/duration: 2m/' -e 's/drain: 5m/drain: 30s/' \
    Benchmarks/scenarios/shared-queue-1000.yml > "$OUT/shared-queue-1000-2m.yml"
run simulate-shared-queue-1000-2m simulate "$OUT/shared-queue-1000-2m.yml"
run sweep-over-pull sweep scenarios/over-pull.yml
run plan-per-group plan scenarios/plan-per-group.yml
echo "regress: outputs in $OUT"
