"""The space allocator on a large instance: 5,000 waiting requests, 1,000 units, 500 taken.

Pure computation (no database). The instance is built from a fixed seed, so every run solves the
same problem. Prints the time beside the ceiling (10 s), the objective, the solver's bound and gap,
the first-come-first-served baseline and the gain over it.

    .venv/bin/python -m bench.space_allocator [--time-limit 9] [--requests 5000] [--units 1000]
"""
import argparse
import random
import time
from datetime import date, timedelta

from bench.common import line
from spaces.allocator import Request, Taken, Unit, propose

SECTORS = ("bio", "fintech", "mobility", "energy", "edtech", "health", "ai", "food")
CEILING_SECONDS = 10.0


def instance(n_requests=5000, n_units=1000, n_taken=500, seed=7):
    rng = random.Random(seed)
    today = date(2027, 1, 1)
    units = []
    for i in range(n_units):
        site = rng.randrange(1, 6)
        floor = rng.randrange(0, 4)
        if rng.random() < 0.6:
            units.append(Unit(id=i + 1, site_id=site, kind="desk", seats=1, floor=floor))
        else:
            units.append(Unit(id=i + 1, site_id=site, kind="office", seats=rng.choice((2, 4, 4, 6, 8, 12)), floor=floor))
    taken = []
    for unit in rng.sample(units, n_taken):
        start = today - timedelta(days=rng.randrange(0, 200))
        taken.append(Taken(unit_id=unit.id, starts_on=start, ends_on=start + timedelta(days=rng.randrange(60, 400)),
                           sector=rng.choice(SECTORS)))
    requests = []
    for i in range(n_requests):
        kind = "desk" if rng.random() < 0.55 else "office"
        seats = 1 if kind == "desk" else rng.choice((1, 2, 2, 3, 4, 5, 6, 8, 10))
        start = today + timedelta(days=rng.randrange(0, 365))
        requests.append(Request(
            id=i + 1, kind=kind, seats=seats, starts_on=start,
            ends_on=start + timedelta(days=rng.choice((30, 60, 90, 180, 365))),
            waited_days=rng.randrange(0, 120),
            site_id=rng.choice((None, 1, 2, 3, 4, 5)), sector=rng.choice(SECTORS + ("",)),
        ))
    return units, taken, requests


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=9.0)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--taken", type=int, default=500)
    args = parser.parse_args(argv)
    units, taken, requests = instance(args.requests, args.units, args.taken)
    started = time.monotonic()
    result = propose(units, taken, requests, time_limit=args.time_limit, workers=2, seed=0)
    seconds = time.monotonic() - started
    gap = 100.0 * (result.bound - result.objective) / max(1, abs(result.bound))
    gain = 100.0 * (result.objective - result.baseline_objective) / max(1, abs(result.baseline_objective))
    note = f"{len(requests)} requests, {len(units)} units, {len(taken)} taken; target 10 s"
    line("space allocator", seconds, "s", CEILING_SECONDS, seconds / CEILING_SECONDS, note)
    print(f"space allocator objective: {result.objective} (bound {result.bound}, gap {gap:.2f} %, "
          f"status {result.status})", flush=True)
    print(f"space allocator baseline: {result.baseline_objective} (gain {gain:+.2f} %); "
          f"assigned {len(result.assignments)}, unassigned {len(result.unassigned)}", flush=True)


if __name__ == "__main__":
    main()
