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
import sys
import time

import simpy

import mmc_common
from mmc_common import MU


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


if __name__ == "__main__":
    mmc_common.main(f"SimPy {simpy.__version__}", run, sys.argv)
