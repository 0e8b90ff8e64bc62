# A one-node Slurm cluster in a temporary folder, for scripts/test-cluster.sh (sourced, not run).
#
# cluster_start writes slurm.conf (this machine's hostname and the CPUs and memory
# `slurmd -C` reports, addresses on the loopback) and a munge key into $CLUSTER, starts
# munged, slurmctld and slurmd in the foreground as children of this shell, and waits for
# `sinfo` to show the node idle. cluster_stop cancels the cluster's jobs and stops the three
# daemons by the process ids it recorded. Clients find the cluster through SLURM_CONF, which
# cluster_start exports; nothing is written outside $CLUSTER.
#
# Settings: CLUSTER_PORT (slurmctld's port, default 6817; slurmd takes the next one),
# CLUSTER_WAIT (seconds to wait for the node, default 60).

cluster_pids=()

# Installs what is missing: slurm-wlm (slurmctld, slurmd, the client commands) and munge.
cluster_install() {
    local missing=()
    for tool in munged slurmctld slurmd sbatch; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "test-cluster: installing slurm-wlm and munge with apt-get (missing: ${missing[*]})"
    local sudo
    sudo=$( [ "$(id -u)" = 0 ] || echo sudo )
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

# cluster_start FOLDER
cluster_start() {
    CLUSTER="$1"
    local port="${CLUSTER_PORT:-6817}" host node memory
    host=$(hostname -s)
    mkdir -p "$CLUSTER/munge" "$CLUSTER/state" "$CLUSTER/spool" "$CLUSTER/log"
    chmod 700 "$CLUSTER/munge"

    # munged refuses a key that others can read. --force: it would also refuse a socket in a
    # folder that users other than root cannot enter, as this private temporary one; only
    # root (the daemons, the test and its jobs) uses it.
    dd if=/dev/urandom of="$CLUSTER/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$CLUSTER/munge/munge.key"
    munged --foreground --force --key-file="$CLUSTER/munge/munge.key" \
        --socket="$CLUSTER/munge/munge.socket" --pid-file="$CLUSTER/munge/munged.pid" \
        --seed-file="$CLUSTER/munge/munged.seed" --log-file="$CLUSTER/log/munged.log" \
        >>"$CLUSTER/log/munged.log" 2>&1 &
    cluster_pids+=("$!")
    cluster_wait_for "munged's socket" "$CLUSTER/log/munged.log" test -S "$CLUSTER/munge/munge.socket"

    # The node as slurmd sees it (CPUs, sockets, cores, threads, memory), less 5 % of the
    # memory, which slurmd would otherwise find short of what it is told and drain the node.
    node=$(slurmd -C | head -n 1)
    memory=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node")
    node="${node/RealMemory=$memory/RealMemory=$(( memory * 95 / 100 ))}"
    # cred_expire=10: a requeued job waits that long (120 s by default) before it may start
    # again. MinJobAge: finished jobs stay visible to squeue and scontrol for an hour.
    # jobcomp/filetxt: a line per finished job in log/jobcomp.txt, which `sacct --completion`
    # reads without a database. sched_interval=2: a requeued job whose wait is over starts at
    # the next pass of the main scheduler (every 60 s by default), not on an event.
    cat >"$CLUSTER/slurm.conf" <<EOF
# One-node cluster of scripts/cluster.sh; everything it writes is under $CLUSTER.
ClusterName=queuesim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$(( port + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$CLUSTER/munge/munge.socket,cred_expire=10
CredType=cred/munge
StateSaveLocation=$CLUSTER/state
SlurmdSpoolDir=$CLUSTER/spool
SlurmctldPidFile=$CLUSTER/slurmctld.pid
SlurmdPidFile=$CLUSTER/slurmd.pid
SlurmctldLogFile=$CLUSTER/log/slurmctld.log
SlurmdLogFile=$CLUSTER/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$CLUSTER/log/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
MpiDefault=none
ReturnToService=2
MinJobAge=3600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$CLUSTER/slurm.conf"

    slurmctld -D -f "$SLURM_CONF" >>"$CLUSTER/log/slurmctld.log" 2>&1 &
    cluster_pids+=("$!")
    cluster_wait_for "slurmctld" "$CLUSTER/log/slurmctld.log" scontrol ping
    slurmd -D -f "$SLURM_CONF" >>"$CLUSTER/log/slurmd.log" 2>&1 &
    cluster_pids+=("$!")
    cluster_wait_for "the node $host to be idle" "$CLUSTER/log/slurmd.log" \
        sh -c "sinfo -h -n '$host' -o %T | grep -qx idle"
}

# cluster_wait_for WHAT LOG COMMAND...: runs COMMAND each half second until it succeeds, for
# at most CLUSTER_WAIT seconds; then fails, naming the log to read.
cluster_wait_for() {
    local what="$1" log="$2" tries=$(( ${CLUSTER_WAIT:-60} * 2 ))
    shift 2
    while ! "$@" >/dev/null 2>&1; do
        tries=$(( tries - 1 ))
        if [ "$tries" -le 0 ]; then
            echo "test-cluster: gave up waiting for $what after ${CLUSTER_WAIT:-60} s; read $log" >&2
            tail -n 20 "$log" >&2 || true
            return 1
        fi
        for pid in "${cluster_pids[@]}"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                echo "test-cluster: a daemon (process $pid) ended while waiting for $what; read $log" >&2
                tail -n 20 "$log" >&2 || true
                return 1
            fi
        done
        sleep 0.5
    done
}

# Cancels every job of the cluster (so that no slurmstepd or job outlives it), then stops the
# daemons this shell started, newest first, by process id: TERM, then KILL after 10 s.
cluster_stop() {
    if [ -n "${SLURM_CONF:-}" ] && [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
        scancel --user="$(id -un)" 2>/dev/null || true
        for _ in $(seq 20); do
            [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
            sleep 0.5
        done
    fi
    local index pid
    for (( index = ${#cluster_pids[@]} - 1; index >= 0; index-- )); do
        pid="${cluster_pids[$index]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    cluster_pids=()
}
