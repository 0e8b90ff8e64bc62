"""The engine benchmark's peer: the same M/M/1 queue as Benchmarks/MM1/main.swift, in SimPy.

Poisson arrivals (rate 0.9/s), one server with exponential service (rate 1/s), FIFO,
1,000,000 customers, written the way SimPy's documentation writes queues: a source
process, a process per customer, a Resource for the server. An event is an arrival or a
departure (SimPy's own internal events -- process starts, requests, releases -- are not
counted), so events/second compare like for like with the Swift engine. The output has the
same lines as the Swift benchmark, for Benchmarks/run.sh to read.

Usage: python mm1_simpy.py [customers] [seed] [--repeat N]
"""

import random
import resource
import sys
import time

import simpy

LAMBDA = 0.9
MU = 1.0


def run(customers: int, seed: int):
    """Runs the model once; returns (arrivals + departures, departures, total wait, wall seconds,
    CPU seconds)."""
    arrivals_rng = random.Random(seed)
    service_rng = random.Random(seed + 1)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    counts = {"arrivals": 0, "departures": 0, "wait": 0.0}

    def customer(env):
        arrived = env.now
        with server.request() as request:
            yield request
            counts["wait"] += env.now - arrived
            yield env.timeout(service_rng.expovariate(MU))
        counts["departures"] += 1

    def source(env):
        for i in range(customers):
            counts["arrivals"] += 1
            env.process(customer(env))
            if i + 1 < customers:
                yield env.timeout(arrivals_rng.expovariate(LAMBDA))

    env.process(source(env))
    cpu_started = time.process_time()
    started = time.perf_counter()
    env.run()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return counts["arrivals"] + counts["departures"], counts["departures"], counts["wait"], wall, cpu


def main(argv):
    positional = []
    repeat = 3
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--repeat":
            repeat = max(1, int(next(arguments)))
        else:
            positional.append(argument)
    customers = int(positional[0]) if positional else 1_000_000
    seed = int(positional[1]) if len(positional) > 1 else 1

    # The fastest of `repeat` identical runs, as for the Swift engine.
    best = min((run(customers, seed) for _ in range(repeat)), key=lambda result: result[3])
    events, departed, wait, wall, cpu = best
    rho = LAMBDA / MU
    print(f"engine: SimPy {simpy.__version__} (Python {sys.version.split()[0]})")
    print(f"model: M/M/1 lambda={LAMBDA} mu={MU}")
    print(f"customers: {departed}")
    print(f"events: {events}")
    print(f"repetitions: {repeat}")
    print(f"wall_seconds: {wall:.4f}")
    print(f"cpu_seconds: {cpu:.4f}")
    print(f"events_per_second: {round(events / wall)}")
    print(f"messages: {departed}")
    print(f"messages_per_second: {round(departed / wall)}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"mean_wait: {wait / departed:.3f} (theory rho/(mu-lambda) = {rho / (MU - LAMBDA):.3f})")


if __name__ == "__main__":
    main(sys.argv)
