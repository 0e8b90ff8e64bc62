#!/usr/bin/env bash
# make test-cluster: deploy/slurm/ on a real Slurm scheduler. Starts a one-node cluster of its
# own (scripts/cluster.sh: slurm-wlm and munge from apt-get where missing, every daemon
# stopped by process id at the end, on failure and when killed too), then:
#   1. submits scenarios/over-pull.yml (3 points x 3 replications = 9 runs) in 4 shards with
#      deploy/slurm/submit.sh as the README shows, waits for the array and the merge, and
#      checks the merged CSV files byte for byte against an unsharded `queuesim sweep`;
#   2. faults, on the same scenario with 8 replications (24 runs, 6 a shard): shard 1 is
#      cancelled and shard 2 requeued, each after its first saved run; shard 2 resumes in
#      place, the merge is cancelled by Slurm (its dependency can no longer be met), a second
#      submit.sh refuses while shard 2 is queued, and once it is done submits shard 1 alone,
#      which resumes; the new merge matches the unsharded sweep byte for byte;
#   3. the merge job on a folder without shard 3 exits 2 naming it and writes nothing;
#   4. deploy/slurm/plan.sbatch runs scenarios/plan-per-group.yml as one job, and its plan.csv
#      is byte for byte that of the plan run here with --jobs 1.
# Uses the debug build of queuesim (`make test` has made it). Settings: TEST_CLUSTER_WAIT
# (seconds to wait for jobs, default 300), TEST_CLUSTER_KEEP=1 (keep the temporary folder,
# logs and outputs, after a success too), CLUSTER_PORT and CLUSTER_WAIT (scripts/cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="/opt/swift/usr/bin:$PATH"
start=$(date +%s)
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

cluster_install
swift build --product queuesim
# queuesim on the nodes' PATH: submit.sh exports the submitting shell's environment.
export PATH="$root/.build/debug:$PATH"

work=$(mktemp -d "${TMPDIR:-/tmp}/queuesim-cluster-XXXXXX")
finish() {
    local status=$?
    trap - EXIT INT TERM HUP
    cluster_stop
    if [ "$status" -eq 0 ]; then
        [ -n "${TEST_CLUSTER_KEEP:-}" ] || rm -rf "$work"
    else
        echo "test-cluster: FAILED; the daemons' logs are in $work/cluster/log, the jobs' in $work/*/logs" >&2
    fi
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

fail() {
    echo "test-cluster: $*" >&2
    squeue --all --states=all --format='%i %j %T %r' >&2 2>/dev/null || true
    exit 1
}
say() { echo "test-cluster: $*"; }
elapsed() { echo "$(( $(date +%s) - start ))s"; }

# wait_jobs ID...: until none of the jobs (or their array tasks) is pending or running.
wait_jobs() {
    local deadline=$(( $(date +%s) + ${TEST_CLUSTER_WAIT:-300} )) queued
    while true; do
        queued=$(squeue --noheader --jobs="$(IFS=,; echo "$*")" --format=%i) \
            || fail "squeue failed: is slurmctld up? (read $CLUSTER/log/slurmctld.log)"
        [ -n "$queued" ] || return 0
        [ "$(date +%s)" -lt "$deadline" ] || fail "jobs $* still queued after ${TEST_CLUSTER_WAIT:-300} s"
        sleep 0.5
    done
}
# state JOB: the state of a job or array task (such as 12_3), and its exit code.
state() {
    local line
    line=$(scontrol --oneliner show job "$1") || fail "no job $1"
    echo "$(sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p' <<<"$line") $(sed -n 's/.* ExitCode=\([0-9:]*\) .*/\1/p' <<<"$line")"
}
expect_state() {  # expect_state JOB "STATE EXIT"
    local actual
    actual=$(state "$1")
    [ "$actual" = "$2" ] || fail "job $1 is '$actual', expected '$2'"
}
# submit ARGS...: runs deploy/slurm/submit.sh; sets array and merge from its last line.
submit() {
    local line
    line=$(deploy/slurm/submit.sh "$@" | tail -n 1) || fail "submit.sh $* failed"
    say "$line"
    array=$(sed -n 's/.* as job \([0-9-]*\) and the merge as job [0-9]*$/\1/p' <<<"$line")
    merge=$(sed -n 's/.* and the merge as job \([0-9]*\)$/\1/p' <<<"$line")
    [ -n "$array" ] && [ -n "$merge" ] || fail "cannot read the job ids in: $line"
}
same_csv() {  # same_csv EXPECTED_FOLDER FOLDER
    for file in summary.csv aggregate.csv timeseries.csv latency.csv; do
        cmp "$1/$file" "$2/$file" || fail "$2/$file differs from the unsharded sweep's"
    done
}
# expect_resumed K LOG: shard K of 4 (6 runs) reused some saved runs and made the others,
# so it was stopped after its first saved run and before its last.
expect_resumed() {
    local line reused made
    line=$(grep -m 1 "resumed shard $1/4: reused" "$2") || fail "shard $1 did not resume (see $2)"
    reused=$(sed -n 's/.*reused \([0-9]*\) runs, made \([0-9]*\).*/\1/p' <<<"$line")
    made=$(sed -n 's/.*reused \([0-9]*\) runs, made \([0-9]*\).*/\2/p' <<<"$line")
    [ "${reused:-0}" -ge 1 ] && [ "${made:-0}" -ge 1 ] && [ $(( reused + made )) -eq 6 ] \
        || fail "shard $1 was not resumed mid-run: '$line' (see $2)"
    say "shard $1: $line"
}
saved_runs() {  # saved_runs FOLDER: runs saved so far in a .partial folder
    find "$1" -maxdepth 1 -name 'run-*.json' 2>/dev/null | wc -l
}

cluster_start "$work/cluster"
say "one-node cluster up ($(sinfo --noheader --format='%n, %c CPUs, %m MB') in $(elapsed))"

# 1. The documented submission, checked against the sweep on one machine.
queuesim sweep scenarios/over-pull.yml --output "$work/whole" --quiet
say "deploy/slurm/submit.sh scenarios/over-pull.yml 4 $work/out --cpus-per-task=1"
submit scenarios/over-pull.yml 4 "$work/out" --cpus-per-task=1
wait_jobs "$array" "$merge"
for k in 1 2 3 4; do expect_state "${array}_$k" "COMPLETED 0:0"; done
expect_state "$merge" "COMPLETED 0:0"
same_csv "$work/whole" "$work/out"
say "1. 4 shards and the merge: byte-identical to the unsharded sweep ($(elapsed))"

# 2. Faults: one task cancelled, one requeued, then the same submission again.
queuesim sweep scenarios/over-pull.yml --replications 8 --output "$work/whole-8" --quiet
export QUEUESIM_OPTIONS="--replications 8"
say "QUEUESIM_OPTIONS='$QUEUESIM_OPTIONS' deploy/slurm/submit.sh scenarios/over-pull.yml 4 $work/fault --cpus-per-task=1"
submit scenarios/over-pull.yml 4 "$work/fault" --cpus-per-task=1
first="$array"
firstMerge="$merge"
cancelled="" requeued=""
deadline=$(( $(date +%s) + ${TEST_CLUSTER_WAIT:-300} ))
until [ -n "$cancelled" ] && [ -n "$requeued" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "shards 1 and 2 saved no run in ${TEST_CLUSTER_WAIT:-300} s"
    if [ -z "$cancelled" ] && [ "$(saved_runs "$work/fault/.partial-1-of-4")" -ge 1 ]; then
        scancel "${first}_1"
        cancelled=yes
    fi
    if [ -z "$requeued" ] && [ "$(saved_runs "$work/fault/.partial-2-of-4")" -ge 1 ]; then
        scontrol requeue "${first}_2"
        requeued=yes
    fi
    sleep 0.05
done
say "cancelled shard 1 and requeued shard 2, each after its first saved run"
# Shard 2 waits to start again, so a second submission now must refuse.
if again=$(deploy/slurm/submit.sh scenarios/over-pull.yml 4 "$work/fault" --cpus-per-task=1 2>&1); then
    fail "a second submit.sh while shard 2 was queued submitted: $again"
fi
grep -q "still queued or running" <<<"$again" || fail "submit.sh refused without saying why: $again"
say "a second submit.sh while shard 2 is queued refuses: ${again#*: }"
wait_jobs "$first" "$firstMerge"
[ "$(state "${first}_1" | cut -d' ' -f1)" = CANCELLED ] || fail "shard 1 is $(state "${first}_1"), expected CANCELLED"
expect_state "$firstMerge" "CANCELLED 0:0"
expect_state "${first}_2" "COMPLETED 0:0"
[ ! -e "$work/fault/summary.csv" ] || fail "the merge ran although shard 1 was cancelled"
grep -q "attempt 2" "$work/fault/logs/sweep-${first}_2.log" || fail "shard 2 did not run a second time"
expect_resumed 2 "$work/fault/logs/sweep-${first}_2.log"
submit scenarios/over-pull.yml 4 "$work/fault" --cpus-per-task=1
wait_jobs "$array" "$merge"
expect_state "${array}_1" "COMPLETED 0:0"
expect_state "$merge" "COMPLETED 0:0"
expect_resumed 1 "$work/fault/logs/sweep-${array}_1.log"
same_csv "$work/whole-8" "$work/fault"
unset QUEUESIM_OPTIONS
say "2. cancelled, requeued and resubmitted shards resumed; the merge is byte-identical ($(elapsed))"

# 3. The merge job refuses a folder that lacks a shard.
mkdir -p "$work/missing"
cp "$work/out/shard-1-of-4.jsonl" "$work/out/shard-2-of-4.jsonl" "$work/out/shard-4-of-4.jsonl" "$work/missing/"
status=0
job=$(timeout "${TEST_CLUSTER_WAIT:-300}" sbatch --wait --parsable --output="$work/missing/merge.log" \
    --export="ALL,OUTPUT=$work/missing" deploy/slurm/merge.sbatch) || status=$?
[ "$status" -eq 2 ] || fail "the merge job without shard 3 ended with status $status, expected 2"
expect_state "${job%%;*}" "FAILED 2:0"
grep -q "missing shard 3/4" "$work/missing/merge.log" || fail "the merge job's log does not name shard 3/4: $(cat "$work/missing/merge.log")"
[ ! -e "$work/missing/summary.csv" ] || fail "the merge job wrote summary.csv without shard 3"
say "3. the merge job without shard 3: exit 2, '$(grep -m1 "missing shard" "$work/missing/merge.log")'"

# 4. A plan as one job on one node: the plan.csv of the same plan run here.
queuesim plan scenarios/plan-per-group.yml --output "$work/plan-here" --quiet --jobs 1
mkdir -p "$work/plan"
cpus=$(sinfo --noheader --format=%c | head -n 1)
say "sbatch --cpus-per-task=$cpus --export=ALL,SCENARIO=$root/scenarios/plan-per-group.yml,OUTPUT=$work/plan deploy/slurm/plan.sbatch"
status=0
timeout "${TEST_CLUSTER_WAIT:-300}" sbatch --wait --quiet --cpus-per-task="$cpus" --output="$work/plan/plan.log" \
    --export="ALL,SCENARIO=$root/scenarios/plan-per-group.yml,OUTPUT=$work/plan" deploy/slurm/plan.sbatch || status=$?
[ "$status" -eq 0 ] || fail "the plan job ended with status $status: $(cat "$work/plan/plan.log")"
cmp "$work/plan-here/plan.csv" "$work/plan/plan.csv" || fail "the plan job's plan.csv differs from the plan run here"
grep -q "^recommended: configuration" "$work/plan/plan.log" || fail "the plan job's log has no recommendation"
say "4. the plan job on $cpus CPUs: plan.csv byte-identical to the plan run here ($(elapsed))"

say "passed in $(elapsed)"
