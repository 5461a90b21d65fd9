"""The showcase scheduler on two seeded instances, each figure beside its target.

    .venv/bin/python -m bench.expo_scheduler [--time-limit 10]

Instances: 600 showcases in 12 halls over 3 days of 16 half-hour slots (576 cells), and 2,000
showcases in 30 halls over 5 days of 16 slots (2,400 cells). A quarter of the showcases need a
feature (a stage, power or water, offered by a third of the halls) and a quarter are available on
some days only; sectors and stages are drawn from small sets so competitors exist.
Prints seconds, placed, unplaced, objective, bound and the gap to the proven bound, and the
load average of the machine before and after (other work sharing the cores slows the solver).
"""
import argparse
import os
import random
from collections import Counter
from datetime import date, datetime, timedelta

from bench.common import line
from expos.scheduler import Hall, Showcase, Slot, schedule

SECTORS = ["bio", "fintech", "mobility", "energy", "edtech", "food", "robotics", "media"]
STAGES = ["seed", "series_a", "growth"]
FEATURES = ["stage", "power", "water"]


def instance(n_showcases, n_halls, n_days, slots_per_day=16, seed=1):
    rng = random.Random(seed)
    halls = []
    for h in range(n_halls):
        features = frozenset({FEATURES[h % 3]}) if h % 3 == 0 else frozenset()
        if h % 6 == 0:
            features = frozenset(FEATURES)
        halls.append(Hall(id=h + 1, features=features))
    first = date(2026, 5, 4)
    slots = []
    for d in range(n_days):
        day = first + timedelta(days=d)
        for k in range(slots_per_day):
            starts = datetime(day.year, day.month, day.day, 9) + timedelta(minutes=30 * k)
            slots.append(Slot(index=d * slots_per_day + k, day=day, starts_at=starts))
    all_days = [first + timedelta(days=d) for d in range(n_days)]
    showcases = []
    for i in range(n_showcases):
        needs = frozenset({rng.choice(FEATURES)}) if i % 4 == 0 else frozenset()
        days = frozenset(rng.sample(all_days, rng.randint(1, n_days - 1))) if i % 4 == 1 else frozenset()
        showcases.append(
            Showcase(
                id=i + 1,
                startup_id=i + 1,
                sector=rng.choice(SECTORS),
                stage=rng.choice(STAGES),
                needs=needs,
                days=days,
            )
        )
    return halls, slots, showcases


def run(name, n_showcases, n_halls, n_days, time_limit):
    halls, slots, showcases = instance(n_showcases, n_halls, n_days)
    result = schedule(halls, slots, showcases, time_limit=time_limit)
    gap = 100.0 * (result.objective - result.bound) / max(result.objective, 1)
    reasons = Counter(u.reason for u in result.unplaced)
    print(f"# {name}: {n_showcases} showcases, {n_halls} halls, {n_days} days x 16 slots, "
          f"status {result.status}", flush=True)
    line(f"{name} seconds", result.seconds, "s", ceiling=10.0, ratio=result.seconds / 10.0)
    line(f"{name} placed", len(result.placements), "showcases")
    line(f"{name} unplaced", len(result.unplaced), "showcases",
         note=", ".join(f"{r}: {c}" for r, c in sorted(reasons.items())))
    line(f"{name} objective", result.objective, "points")
    line(f"{name} bound", result.bound, "points")
    line(f"{name} gap", gap, "%", ceiling=1.0, ratio=gap / 1.0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    print("# load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg(), flush=True)
    run("expo_600", 600, 12, 3, args.time_limit)
    run("expo_2000", 2000, 30, 5, args.time_limit)
    print("# load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()
