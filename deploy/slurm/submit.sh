#!/usr/bin/env bash
# Submits a sharded queuesim sweep to Slurm: an array job of N shards, then the merge,
# which starts only when every shard has succeeded.
#   deploy/slurm/submit.sh SCENARIO N OUTPUT
# Example: deploy/slurm/submit.sh scenarios/over-pull.yml 8 "$PWD/out"
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 SCENARIO SHARDS OUTPUT" >&2
    exit 2
fi
scenario="$1"
shards="$2"
output="$3"
here="$(cd "$(dirname "$0")" && pwd)"

array=$(sbatch --parsable --array="1-${shards}" \
    --export="ALL,SCENARIO=${scenario},OUTPUT=${output},SHARDS=${shards}" "$here/sweep.sbatch")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:${array}" --export="ALL,OUTPUT=${output}" "$here/merge.sbatch")
echo "submitted shards as job ${array} (1-${shards}) and the merge as job ${merge}"
