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

import resource
import sys
import time

import ciw

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
    served, wait, wall, cpu = min((run(customers, servers, lam, seed) for _ in range(repeat)),
                                  key=lambda result: result[2])
    events = 2 * served  # every customer served arrived and departed
    print(f"engine: Ciw {ciw.__version__} (Python {sys.version.split()[0]})")
    print(f"model: M/M/c c={servers} rho={rho} lambda={lam} mu={MU}")
    print(f"customers: {served}")
    print(f"events: {events}")
    print(f"repetitions: {repeat}")
    print(f"wall_seconds: {wall:.4f}")
    print(f"cpu_seconds: {cpu:.4f}")
    print(f"events_per_second: {round(events / wall)}")
    print(f"messages: {served}")
    print(f"messages_per_second: {round(served / wall)}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"mean_wait: {wait / served:.4f} (Erlang C = {erlang_c_wait(servers, lam, MU):.4f})")


if __name__ == "__main__":
    main(sys.argv)
