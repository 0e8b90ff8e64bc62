"""The pipeline benchmark's peer: Benchmarks/scenarios/shared-queue-1000.yml, modelled in SimPy.

Three task groups send to one standard SQS queue; Lambda's event source mapping (pollers that
long-poll, scale up while messages wait and retire after empty receives) invokes one function
with reserved concurrency; execution environments cold-start, are reused most recently used
first and are reclaimed after an idle time; each message calls a downstream API whose
per-group token buckets refuse calls over the limit, which fails the invocation: the message
becomes visible again when its visibility timeout expires, is retried, and moves to the
dead-letter queue after 10 receives.

The model follows queuesim's (Sources/ServerlessModel, docs/, the named ModelAssumptions)
step by step, with the same distributions and parameters (listed below), written the way a
SimPy user writes such a model:

- a process per producer, per poller, for the mapping's scaling clock;
- a poller's cycle is receive, hand-off (`RECEIVE_TIME + INVOKE_LATENCY`), invocation, delete
  (`DELETE_TIME`) or, after a failure, a pause (`ERROR_PAUSE`, none by default); each failed
  batch takes a share of the mapping's target (`ERROR_BACKOFF_SHARE`), each empty receive or
  throttle one poller; the ramp is slower with short invocations (`RAMP_FULL_SPEED_DURATION`),
  as queuesim's ModelAssumptions have it;
- the queue is a `simpy.Store` whose waiting `get`s are the long polls, served first come
  first served; a long poll is `get | timeout`; returned messages go to the front;
- an invocation is the poller's process yielding timeouts (init, handler, downstream call);
- the visibility timeout of a failed message and the reclaim of an idle environment are
  timeouts with a callback; the function, its environments and the downstream's token
  buckets are plain objects (their admission never waits, so a Resource does not fit).

It is not bit-identical to queuesim (different random generators); its results agree
statistically (Benchmarks/README.md has the side-by-side table). Latencies go to a
logarithmic histogram (0.1 % buckets) rather than a list, as queuesim's HdrHistogram does,
so memory does not grow with the number of messages.

Output: the same `key: value` lines as Benchmarks/Pipeline (PipelineBenchmark), for
Benchmarks/run.sh to read. `events` are SimPy's own events (every event the environment
processed: timeouts, puts, gets, conditions, process starts), read from SimPy's event
counter; they are not the same unit as queuesim's handled events, so messages per second is
the like-for-like figure.

Usage: python shared_queue_simpy.py [--duration SECONDS] [--drain SECONDS] [--seed N]
"""

import math
import random
import resource
import sys
import time
from collections import deque

import simpy
from simpy.resources.store import Store, StorePut

# --- The scenario's parameters (Benchmarks/scenarios/shared-queue-1000.yml) --------------

DURATION = 3600.0  # run.duration: producers send for one hour
DRAIN = 300.0  # run.drain: then five more minutes for the queue to drain
SEED = 42

# groups: name -> arrivals. A and C are Poisson; B is on/off-modulated Poisson.
POISSON_RATES = {"A": 400.0, "C": 275.0}
BURST = {"group": "B", "rate": 1000.0, "on": 30.0, "off": 90.0, "base_rate": 100.0}
GROUPS = ["A", "B", "C"]  # the order of queuesim's scopes

# queues.tasks: standard, visibility timeout 30 s, dead letter after 10 receives.
VISIBILITY_TIMEOUT = 30.0
MAX_RECEIVE_COUNT = 10

# functions.worker
RESERVED_CONCURRENCY = 200
TIMEOUT = 10.0
DURATION_MEDIAN, DURATION_P99 = 0.090, 0.200  # handler time, lognormal
COLD_START_MEDIAN, COLD_START_P99 = 0.250, 1.0  # init time, lognormal
INIT_LIMIT = 10.0  # Lambda caps the init phase at 10 s
IDLE_MIN, IDLE_MAX = 300.0, 900.0  # idle environments are reclaimed after U(5 min, 15 min)
SCALING_PER_10S = 1000  # new environments per function per 10 s (token bucket)

# functions.worker.trigger: batch size 1, maximum concurrency 200.
MAPPING_CAP = 200  # min(maximum_concurrency 200, 1,250 pollers per mapping)

# downstreams.api: latency, and per-group token buckets; on_limit: fail.
LATENCY_MEDIAN, LATENCY_P99 = 0.005, 0.030
LIMITS = {"A": (800.0, 800), "B": (500.0, 500), "C": (600.0, 600)}  # rate/s, burst

# ModelAssumptions (Sources/ServerlessModel/PipelineSpec.swift), queuesim's defaults.
POLLER_START = 5
POLLER_SCALE_UP_PER_MINUTE = 300
POLLER_MINIMUM = 5
SCALING_INTERVAL = 1.0
SCALE_DOWN_PER_EMPTY_RECEIVE = 1
THROTTLE_BACKOFF = 1
ERROR_BACKOFF_SHARE = 0.004  # a failed batch multiplies the mapping's target by 1 - this
THROTTLE_RETRY_INITIAL, THROTTLE_RETRY_MAXIMUM = 1.0, 20.0
LONG_POLL_WAIT = 20.0
# The poll cycle, the back-off and the ramp rule (calibrated, docs/CALIBRATION.md).
RECEIVE_TIME, INVOKE_LATENCY, DELETE_TIME = 0.005, 0.002, 0.0
ERROR_PAUSE = 0.0  # a poller whose batch failed waits this long before receiving again
BACKOFF_HOLD = 0.0  # after a failed or throttled batch, no pollers are added for this long
RAMP_FULL_SPEED_DURATION = 0.4  # the ramp: 300/min × min(1, sqrt(mean invocation time / this))

Z99 = 2.3263478740408408  # the standard normal's 99th percentile


def lognormal(median, p99):
    """(mu, sigma) of a lognormal given by its median and 99th percentile, as queuesim reads it."""
    return math.log(median), (math.log(p99) - math.log(median)) / Z99


# An invocation always ends (init + handler, both capped) before its message's visibility
# timeout expires, so a successful message is always deleted with a current receipt, and a
# failed one needs its visibility timer only once it has failed: this model starts the timer
# then, at the receive time plus the timeout, instead of for every receive.
assert RECEIVE_TIME + INVOKE_LATENCY + INIT_LIMIT + TIMEOUT < VISIBILITY_TIMEOUT


class Histogram:
    """Latencies in logarithmic buckets 0.1 % wide from 1 microsecond, like an HdrHistogram."""

    def __init__(self):
        self.counts = [0] * 32_000  # up to about 77,000 s
        self.count = 0
        self.total = 0.0
        self.scale = 1 / math.log1p(0.001)

    def record(self, seconds):
        index = int(math.log(max(seconds, 1e-6) * 1e6) * self.scale)
        self.counts[min(index, len(self.counts) - 1)] += 1
        self.count += 1
        self.total += seconds

    def quantile(self, q):
        """The upper edge of the bucket holding the q-quantile, or None when empty."""
        if self.count == 0:
            return None
        rank = math.ceil(q * self.count)
        seen = 0
        for index, n in enumerate(self.counts):
            seen += n
            if seen >= rank:
                return math.exp((index + 1) / self.scale) * 1e-6
        return None


class QueuePut(StorePut):
    """A SendMessage, or a message made visible again (`front`: older ones are served first)."""

    def __init__(self, queue, item, front=False):
        self.front = front
        super().__init__(queue, item)


class SQSQueue(Store):
    """The standard queue's visible messages; waiting `get`s are long polls, first come first
    served. Returned messages go to the front, as queuesim's best-effort order has it."""

    put = simpy.core.BoundClass(QueuePut)

    def __init__(self, env):
        super().__init__(env)
        self.items = deque()

    def _do_put(self, event):
        if event.front:
            self.items.appendleft(event.item)
        else:
            self.items.append(event.item)
        event.succeed()

    def _do_get(self, event):
        if self.items:
            event.succeed(self.items.popleft())


class Message:
    __slots__ = ("group", "sent_at", "received_at", "receive_count")

    def __init__(self, group, sent_at):
        self.group = group
        self.sent_at = sent_at
        self.received_at = 0.0
        self.receive_count = 0


class ExecutionEnvironment:
    __slots__ = ("busy", "reclaim_at", "reclaim_pending")

    def __init__(self):
        self.busy = False
        self.reclaim_at = math.inf
        self.reclaim_pending = False


class TokenBucket:
    """A downstream limit: `rate` tokens per second, at most `burst`; a call takes one."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = 0.0

    def take(self, now):
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Pipeline:
    def __init__(self, env, seed, duration):
        self.env = env
        self.duration = duration
        # One generator per purpose, like queuesim's named streams.
        seeds = random.Random(seed)
        self.rng = {name: random.Random(seeds.getrandbits(64))
                    for name in ("A", "B", "C", "duration", "cold", "latency", "idle")}
        self.duration_params = lognormal(DURATION_MEDIAN, DURATION_P99)
        self.cold_params = lognormal(COLD_START_MEDIAN, COLD_START_P99)
        self.latency_params = lognormal(LATENCY_MEDIAN, LATENCY_P99)

        self.queue = SQSQueue(env)
        self.limits = {group: TokenBucket(*limit) for group, limit in LIMITS.items()}

        # The function: executions against its reservation, idle environments (most recently
        # used last), the scaling allowance for new environments.
        self.executions = 0
        self.idle = []
        self.scaling_tokens = float(SCALING_PER_10S)
        self.scaling_updated = 0.0

        # The mapping: pollers wanted (fractional while ramping) and running.
        self.target = float(POLLER_START)
        self.active = 0
        self.held_until = 0.0  # no pollers added before this (the hold after failures)
        self.invocation_seconds = None  # mean invoke-to-response time, smoothed over ~16

        # Results.
        self.sent = {g: 0 for g in GROUPS}
        self.succeeded = {g: 0 for g in GROUPS}
        self.retries = {g: 0 for g in GROUPS}
        self.violations = {g: 0 for g in GROUPS}
        self.dead_lettered = {g: 0 for g in GROUPS}
        self.latency = Histogram()
        self.invocations = 0
        self.cold_starts = 0
        self.function_errors = 0
        self.throttles = 0
        self.concurrency_area = 0.0
        self.concurrency_changed = 0.0
        self.concurrency_peak = 0
        self.pollers_area = 0.0
        self.pollers_changed = 0.0
        self.queue_wait_total = 0.0
        self.received_first = 0

        for group, rate in POISSON_RATES.items():
            env.process(self.poisson_producer(group, rate))
        env.process(self.burst_producer())
        for _ in range(POLLER_START):
            self.start_poller()
        env.process(self.scaler())

    # --- Producers ------------------------------------------------------------------------

    def send(self, group):
        self.sent[group] += 1
        self.queue.put(Message(group, self.env.now))

    def poisson_producer(self, group, rate):
        env, rng = self.env, self.rng[group]
        while True:
            yield env.timeout(rng.expovariate(rate))
            if env.now >= self.duration:
                return
            self.send(group)

    def burst_producer(self):
        """Poisson at `rate` for `on` seconds, then at `base_rate` for `off`, repeating. The
        process is memoryless, so a gap that crosses a phase boundary is redrawn from there."""
        env, rng = self.env, self.rng[BURST["group"]]
        period = BURST["on"] + BURST["off"]
        while True:
            phase_start = env.now - env.now % period
            in_burst = env.now - phase_start < BURST["on"]
            rate = BURST["rate"] if in_burst else BURST["base_rate"]
            phase_end = phase_start + (BURST["on"] if in_burst else period)
            gap = rng.expovariate(rate)
            if env.now + gap >= phase_end:
                yield env.timeout(phase_end - env.now)
                continue
            yield env.timeout(gap)
            if env.now >= self.duration:
                return
            self.send(BURST["group"])

    # --- The event source mapping ---------------------------------------------------------

    def start_poller(self):
        self.change_pollers(+1)
        self.env.process(self.poller())

    def change_pollers(self, delta):
        now = self.env.now
        self.pollers_area += self.active * (now - self.pollers_changed)
        self.pollers_changed = now
        self.active += delta

    def back_off(self, step):
        self.target = max(float(min(POLLER_MINIMUM, MAPPING_CAP)), self.target - step)

    def back_off_share(self, share):
        """A failed batch: the target shrinks by a share of itself (a multiplicative decrease)."""
        self.target = max(float(min(POLLER_MINIMUM, MAPPING_CAP)), self.target * (1 - share))

    def hold(self):
        """A failed or throttled batch: no pollers are added for BACKOFF_HOLD."""
        self.held_until = max(self.held_until, self.env.now + BACKOFF_HOLD)

    def saw(self, seconds):
        """One invocation's time, invoke to response, as the mapping sees it."""
        if self.invocation_seconds is None:
            self.invocation_seconds = seconds
        else:
            self.invocation_seconds += (seconds - self.invocation_seconds) / 16

    def scaler(self):
        """While messages wait, add pollers at up to 300 per minute (slower with short
        invocations) up to the mapping's cap, unless a failure holds the ramp."""
        env = self.env
        while True:
            yield env.timeout(SCALING_INTERVAL)
            if self.queue.items and self.target < MAPPING_CAP and env.now >= self.held_until:
                share = 1.0
                if RAMP_FULL_SPEED_DURATION > 0 and self.invocation_seconds is not None:
                    share = min(1.0, math.sqrt(self.invocation_seconds / RAMP_FULL_SPEED_DURATION))
                per_interval = POLLER_SCALE_UP_PER_MINUTE * SCALING_INTERVAL / 60 * share
                self.target = min(float(MAPPING_CAP), self.target + per_interval)
                while self.active + 1 <= self.target + 1e-9:
                    self.start_poller()

    def poller(self):
        """One concurrent batch loop: long-poll, invoke with the message, delete or leave it."""
        env, queue = self.env, self.queue
        deadline = env.now + LONG_POLL_WAIT
        while True:
            if self.active > self.target + 1e-9:
                self.change_pollers(-1)  # retires
                return
            receive = queue.get()
            if not receive.triggered:
                # A long poll: it returns at its deadline unless a message arrives first.
                if deadline <= env.now:
                    deadline = env.now + LONG_POLL_WAIT
                yield receive | env.timeout(deadline - env.now)
                if not receive.triggered:
                    receive.cancel()
                    self.back_off(SCALE_DOWN_PER_EMPTY_RECEIVE)  # an empty receive
                    deadline = env.now + LONG_POLL_WAIT
                    continue
            message = receive.value
            if message.receive_count >= MAX_RECEIVE_COUNT:
                # SQS moves it to the dead-letter queue at the receive that finds it there.
                self.dead_lettered[message.group] += 1
                continue
            message.receive_count += 1
            message.received_at = env.now
            if message.receive_count > 1:
                self.retries[message.group] += 1
            else:
                # Send to first receive, as queuesim counts it: until the response arrives.
                self.received_first += 1
                self.queue_wait_total += env.now + RECEIVE_TIME - message.sent_at
            # ReceiveMessage's response and Lambda's invoke path, outside the concurrency.
            yield env.timeout(RECEIVE_TIME + INVOKE_LATENCY)
            yield from self.invoke(message)
            deadline = env.now + LONG_POLL_WAIT

    # --- The function ---------------------------------------------------------------------

    def admit(self):
        """An environment for a new execution: (environment, cold), or None when throttled."""
        if self.executions >= RESERVED_CONCURRENCY:
            return None
        if self.idle:
            environment, cold = self.idle.pop(), False
        else:
            now = self.env.now
            self.scaling_tokens = min(float(SCALING_PER_10S),
                                      self.scaling_tokens + (now - self.scaling_updated) * SCALING_PER_10S / 10)
            self.scaling_updated = now
            if self.scaling_tokens < 1:
                return None
            self.scaling_tokens -= 1
            environment, cold = ExecutionEnvironment(), True
        environment.busy = True
        environment.reclaim_at = math.inf
        self.change_executions(+1)
        return environment, cold

    def change_executions(self, delta):
        now = self.env.now
        self.concurrency_area += self.executions * (now - self.concurrency_changed)
        self.concurrency_changed = now
        self.executions += delta
        self.concurrency_peak = max(self.concurrency_peak, self.executions)

    def invoke(self, message):
        """Invokes the function with one message; throttled invokes retry with back-off."""
        env = self.env
        throttles = 0
        while (admitted := self.admit()) is None:
            self.throttles += 1
            self.back_off(THROTTLE_BACKOFF)
            self.hold()
            yield env.timeout(min(THROTTLE_RETRY_MAXIMUM, THROTTLE_RETRY_INITIAL * 2 ** throttles))
            throttles += 1
            if env.now >= message.received_at + VISIBILITY_TIMEOUT:
                self.visibility_expired(message)  # the batch was held past its timeout
                return
        environment, cold = admitted
        started = env.now
        self.invocations += 1
        init = 0.0
        if cold:
            self.cold_starts += 1
            init = min(self.rng["cold"].lognormvariate(*self.cold_params), INIT_LIMIT)
        deadline = env.now + init + TIMEOUT
        handler = self.rng["duration"].lognormvariate(*self.duration_params)
        succeeded = False
        if handler > TIMEOUT:
            yield env.timeout(deadline - env.now)  # timed out
        else:
            yield env.timeout(init + handler)
            if self.limits[message.group].take(env.now):
                call = self.rng["latency"].lognormvariate(*self.latency_params)
                if env.now + call > deadline:
                    yield env.timeout(deadline - env.now)  # timed out
                else:
                    yield env.timeout(call)
                    succeeded = True
            else:
                self.violations[message.group] += 1  # the API's 429 fails the invocation
        self.finish_execution(environment)
        self.saw(env.now - started)
        if succeeded:
            # DeleteMessageBatch: done when it returns (at once when it takes no time, as
            # queuesim skips a step of no time).
            if DELETE_TIME > 0:
                yield env.timeout(DELETE_TIME)
            self.succeeded[message.group] += 1
            self.latency.record(env.now - message.sent_at)
        else:
            # The message stays in flight until its visibility timeout expires; the poller pauses
            # (when ERROR_PAUSE is not zero).
            self.function_errors += 1
            self.back_off_share(ERROR_BACKOFF_SHARE)
            self.hold()
            timer = env.timeout(message.received_at + VISIBILITY_TIMEOUT - env.now)
            timer.callbacks.append(lambda _, message=message: self.visibility_expired(message))
            if ERROR_PAUSE > 0:  # a pause of no time is skipped, as queuesim skips it
                yield env.timeout(ERROR_PAUSE)

    def visibility_expired(self, message):
        self.queue.put(message, front=True)

    def finish_execution(self, environment):
        """The environment goes idle (most recently used last) until Lambda reclaims it."""
        self.change_executions(-1)
        environment.busy = False
        environment.reclaim_at = self.env.now + self.rng["idle"].uniform(IDLE_MIN, IDLE_MAX)
        self.idle.append(environment)
        self.schedule_reclaim(environment)

    def schedule_reclaim(self, environment):
        # One pending reclaim timer per environment; one that was used since is re-armed.
        if environment.reclaim_pending:
            return
        environment.reclaim_pending = True
        timer = self.env.timeout(environment.reclaim_at - self.env.now)
        timer.callbacks.append(lambda _, environment=environment: self.reclaim(environment))

    def reclaim(self, environment):
        environment.reclaim_pending = False
        if environment.busy:
            return
        if environment.reclaim_at > self.env.now:
            self.schedule_reclaim(environment)
            return
        self.idle.remove(environment)  # Lambda reclaims it


def main(argv):
    duration, drain, seed = DURATION, DRAIN, SEED
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--duration":
            duration = float(next(arguments))
        elif argument == "--drain":
            drain = float(next(arguments))
        elif argument == "--seed":
            seed = int(next(arguments))
        else:
            sys.exit(f"unknown argument {argument!r} (expected --duration, --drain or --seed)")
    end = duration + drain

    env = simpy.Environment()
    pipeline = Pipeline(env, seed, duration)
    cpu_started = time.process_time()
    started = time.perf_counter()
    env.run(until=end)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # SimPy numbers every event it schedules; those still pending at the end never ran.
    events = next(env._eid) - len(env._queue)
    pipeline.change_executions(0)  # closes the concurrency average at the end
    pipeline.change_pollers(0)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sent = sum(pipeline.sent.values())
    succeeded = sum(pipeline.succeeded.values())
    latency = pipeline.latency
    print(f"engine: SimPy {simpy.__version__} (Python {sys.version.split()[0]})")
    print(f"model: shared-queue-1000 duration={duration:g}s drain={drain:g}s seed={seed}")
    print(f"wall_seconds: {wall:.4f}")
    print(f"cpu_seconds: {cpu:.4f}")
    print(f"events: {events}")
    print(f"events_per_second: {round(events / wall)}")
    print(f"messages: {sent}")
    print(f"messages_per_second: {round(sent / wall)}")
    print(f"peak_rss_mb: {peak_rss_mb:.1f}")
    print(f"sent: {sent}")
    print(f"succeeded: {succeeded}")
    # Per second of the sending window (the drain left out), as queuesim reports it.
    print(f"throughput: {succeeded / duration:.2f}")
    print(f"latency_mean_s: {latency.total / max(1, latency.count):.4f}")
    print(f"latency_p50_s: {latency.quantile(0.50):.4f}")
    print(f"latency_p99_s: {latency.quantile(0.99):.4f}")
    print(f"downstream_violations: {sum(pipeline.violations.values())}")
    print(f"retries: {sum(pipeline.retries.values())}")
    print(f"dead_lettered: {sum(pipeline.dead_lettered.values())}")
    print(f"invocations: {pipeline.invocations}")
    print(f"cold_starts: {pipeline.cold_starts}")
    print(f"throttles: {pipeline.throttles}")
    print(f"concurrency_mean: {pipeline.concurrency_area / end:.2f}")
    print(f"concurrency_peak: {pipeline.concurrency_peak}")
    print(f"queue_wait_mean_s: {pipeline.queue_wait_total / max(1, pipeline.received_first):.4f}")
    print(f"function_errors: {pipeline.function_errors}")
    print(f"pollers_mean: {pipeline.pollers_area / end:.2f}")
    for g in GROUPS:
        print(f"group_{g}: sent {pipeline.sent[g]} succeeded {pipeline.succeeded[g]} "
              f"violations {pipeline.violations[g]} retries {pipeline.retries[g]} "
              f"dead_lettered {pipeline.dead_lettered[g]}")


if __name__ == "__main__":
    main(sys.argv)
