"""What the M/M/c peers (mmc_simpy.py, mmc_ciw.py) share: the command line, the fastest of
`--repeat` runs, Erlang C, and the output lines Benchmarks/run.sh reads (the same lines as the
Swift benchmark's). Each peer brings only its model: `run(customers, servers, lam, seed)`
returning (customers served, total wait in queue, wall seconds, CPU seconds).

Events are arrivals plus departures of the customers served (2 per customer), the same count
for every engine, so events/second compare like for like.
"""

import resource
import sys

MU = 1.0


def erlang_c_wait(c, lam, mu):
    """Erlang C: the mean wait in queue of M/M/c, C(c, a) / (c mu - lambda)."""
    a = lam / mu
    b = 1.0
    for k in range(1, c + 1):  # Erlang B by its stable recurrence
        b = a * b / (k + a * b)
    erlang_c = b / (1 - (a / c) * (1 - b))
    return erlang_c / (c * mu - lam)


def main(engine, run, argv):
    """Parses `[customers] [--servers C] [--rho RHO] [--seed N] [--repeat N]`, runs the
    model `repeat` times and prints the fastest run's figures, with Erlang C beside its wait."""
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
    print(f"engine: {engine} (Python {sys.version.split()[0]})")
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
