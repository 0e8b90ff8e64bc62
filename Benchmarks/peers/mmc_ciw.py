"""The M/M/c benchmark's Ciw peer: the same model as Benchmarks/MMc/main.swift, in Ciw.

Ciw (https://ciw.readthedocs.io) is a queueing-network library built for exactly this kind of
model: the network is declared (exponential arrivals at rate lambda = rho * c * mu,
exponential service at mu = 1/s, c servers) and Ciw runs it until the given number of
customers has finished. Ciw keeps a record of every customer, which is how its results are
read (and why its memory grows with the run). Events are counted as arrivals plus departures
of the customers served (2 per customer), as for the Swift engine and SimPy. The mean wait in
queue is printed beside Erlang C's. The output has the same lines as the Swift benchmark.

Usage: python mmc_ciw.py [customers] [--servers C] [--rho RHO] [--seed N] [--repeat N]
"""

import sys
import time

import ciw

import mmc_common
from mmc_common import MU


def run(customers, servers, lam, seed):
    """Runs the model once; returns (customers served, total wait, wall seconds, CPU seconds)."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=lam)],
        service_distributions=[ciw.dists.Exponential(rate=MU)],
        number_of_servers=[servers],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    cpu_started = time.process_time()
    started = time.perf_counter()
    simulation.simulate_until_max_customers(customers, method="Finish")
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    records = simulation.get_all_records()
    return len(records), sum(record.waiting_time for record in records), wall, cpu


if __name__ == "__main__":
    mmc_common.main(f"Ciw {ciw.__version__}", run, sys.argv)
