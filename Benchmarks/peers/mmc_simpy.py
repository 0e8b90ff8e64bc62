"""The M/M/c benchmark's SimPy peer: the same model as Benchmarks/MMc/main.swift.

Poisson arrivals at rate lambda = rho * c * mu, c servers with exponential service at rate
mu = 1/s, first come first served, written the way SimPy's documentation writes queues: a
source process, a process per customer, a Resource with c servers, `random.expovariate` for
the draws. An event is an arrival or a departure (SimPy's own internal events -- process
starts, requests, releases -- are not counted), so events/second compare like for like with
the Swift engine and Ciw. The mean wait in queue is printed beside Erlang C's. The output has
the same lines as the Swift benchmark, for Benchmarks/run.sh to read.

Usage: python mmc_simpy.py [customers] [--servers C] [--rho RHO] [--seed N] [--repeat N]
"""

import random
import resource
import sys
import time

import simpy

MU = 1.0


def erlang_c_wait(c, lam, mu):
    """Erlang C: the mean wait in queue of M/M/c, C(c, a) / (c mu - lambda)."""
    a = lam / mu
    b = 1.0
    for k in range(1, c + 1):  # Erlang B by its stable recurrence
        b = a * b / (k + a * b)
    erlang_c = b / (1 - (a / c) * (1 - b))
    return erlang_c / (c * mu - lam)


def run(customers, servers, lam, seed):
    """Runs the model once; returns (departures, total wait, wall seconds, CPU seconds)."""
    arrivals_rng = random.Random(seed)
    service_rng = random.Random(seed + 1)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=servers)
    counts = {"departures": 0, "wait": 0.0}

    def customer(env):
        arrived = env.now
        with server.request() as request:
            yield request
            counts["wait"] += env.now - arrived
            yield env.timeout(service_rng.expovariate(MU))
        counts["departures"] += 1

    def source(env):
        for i in range(customers):
            env.process(customer(env))
            if i + 1 < customers:
                yield env.timeout(arrivals_rng.expovariate(lam))

    env.process(source(env))
    cpu_started = time.process_time()
    started = time.perf_counter()
    env.run()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return counts["departures"], counts["wait"], wall, cpu


def main(argv):
    customers, servers, rho, seed, repeat = 1_000_000, 16, 0.9, 1, 3
    arguments = iter(argv[1:])
    for argument in arguments:
        if argument == "--servers":
            servers = int(next(arguments))
        elif argument == "--rho":
            rho = float(next(arguments))
        elif argument == "--seed":
            seed = int(next(arguments))
        elif argument == "--repeat":
            repeat = max(1, int(next(arguments)))
        else:
            customers = int(argument)
    lam = rho * servers * MU

    # The fastest of `repeat` identical runs, as for the Swift engine.
    departed, wait, wall, cpu = min((run(customers, servers, lam, seed) for _ in range(repeat)),
                                    key=lambda result: result[2])
    events = 2 * departed  # every customer arrived and departed
    print(f"engine: SimPy {simpy.__version__} (Python {sys.version.split()[0]})")
    print(f"model: M/M/c c={servers} rho={rho} lambda={lam} mu={MU}")
    print(f"customers: {departed}")
    print(f"events: {events}")
    print(f"repetitions: {repeat}")
    print(f"wall_seconds: {wall:.4f}")
    print(f"cpu_seconds: {cpu:.4f}")
    print(f"events_per_second: {round(events / wall)}")
    print(f"messages: {departed}")
    print(f"messages_per_second: {round(departed / wall)}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"mean_wait: {wait / departed:.4f} (Erlang C = {erlang_c_wait(servers, lam, MU):.4f})")


if __name__ == "__main__":
    main(sys.argv)
