#!/usr/bin/env bash
# Submits a sharded queuesim sweep to Slurm: an array job of N shards (sweep.sbatch), then the
# merge (merge.sbatch), which starts once every shard has succeeded.
#   deploy/slurm/submit.sh SCENARIO N OUTPUT [SBATCH OPTION...]
# Example: deploy/slurm/submit.sh scenarios/over-pull.yml 8 "$PWD/out" --partition=batch
#
# - OUTPUT is a folder every node can write (a shared file system). The shard files, and at the
#   end the CSV files, go there; Slurm's logs go to OUTPUT/logs/ (sweep-ARRAY_K.log, merge-JOB.log).
# - SBATCH OPTIONs go to both sbatch calls and override the scripts' #SBATCH lines
#   (--cpus-per-task, --mem, --time, --partition, --account, ...).
# - queuesim must be on the nodes' PATH (the submitting shell's environment is exported to
#   the jobs), or QUEUESIM its path. QUEUESIM_OPTIONS adds options to `queuesim sweep`
#   (such as "--replications 10 --seed 3").
#
# After a task failed, timed out or was cancelled, run the same command again: it submits
# only the shards that have no shard file yet (each resumes the runs it had saved) and a new
# merge. The first merge is gone: Slurm cancels it as soon as a failed task makes its
# dependency impossible (--kill-on-invalid-dep). A task Slurm requeues itself (node failure,
# preemption; `scontrol requeue JOB` of a running task) resumes in place and the merge waits
# for it. The script refuses to submit while jobs of the same OUTPUT are still queued or
# running, so that no shard is made twice at once.
#
# Prints, on its last line: submitted shards LIST as job ARRAY and the merge as job MERGE.
set -euo pipefail

if [ "$#" -lt 3 ]; then
    echo "usage: $0 SCENARIO SHARDS OUTPUT [SBATCH OPTION...]" >&2
    exit 2
fi
scenario="$1"
shards="$2"
output="$3"
shift 3
case "$shards" in
    '' | *[!0-9]* | 0*) echo "$0: SHARDS must be a whole number from 1 (got '$shards')" >&2; exit 2 ;;
esac
if [ ! -f "$scenario" ]; then
    echo "$0: no scenario file '$scenario'" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
# Absolute paths: a job starts in the folder sbatch ran in only if the node has it.
scenario="$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")"
mkdir -p "$output/logs"
output="$(cd "$output" && pwd)"
# The jobs of one OUTPUT carry it in their comment, so that a second submission finds them.
tag="queuesim:$output"

queued=$(squeue --me --noheader --format='%i|%k' | awk -F'|' -v tag="$tag" '$2 == tag { print $1 }' | paste -sd, -)
if [ -n "$queued" ]; then
    echo "$0: jobs $queued of $output are still queued or running; wait for them to end (or scancel them), then run this again" >&2
    exit 2
fi

missing=()
for (( k = 1; k <= shards; k++ )); do
    [ -f "$output/shard-$k-of-$shards.jsonl" ] || missing+=("$k")
done
dependency=()
list="none (every shard file is there)"
array="-"
if [ "${#missing[@]}" -gt 0 ]; then
    list=$(IFS=,; echo "${missing[*]}")
    array=$(sbatch --parsable --array="$list" --comment="$tag" --output="$output/logs/sweep-%A_%a.log" \
        --export="ALL,SCENARIO=${scenario},OUTPUT=${output},SHARDS=${shards}" "$@" "$here/sweep.sbatch")
    array="${array%%;*}"
    dependency=(--dependency="afterok:${array}" --kill-on-invalid-dep=yes)
fi
merge=$(sbatch --parsable "${dependency[@]}" --comment="$tag" --output="$output/logs/merge-%j.log" \
    --export="ALL,OUTPUT=${output}" "$@" "$here/merge.sbatch")
merge="${merge%%;*}"
echo "submitted shards ${list} of ${shards} as job ${array} and the merge as job ${merge}"
