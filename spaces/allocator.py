"""The space allocator: which waiting request gets which desk or office (pure, no Django).

`propose()` takes plain data (units, what is already taken, the waiting requests) and returns a
proposal; the caller turns it into offers. Only the standard library and OR-Tools CP-SAT.

Hard constraints
    A request gets at most one unit; the unit's kind is the request's kind; the unit has at least
    the requested seats; on one unit, no two proposals overlap in dates and no proposal overlaps a
    `Taken`. Date ranges are half-open ``[starts_on, ends_on)``: one stay may end the day the next
    starts.

Objective (maximised, integers, computed by `score()` for any set of assignments)
    For each assigned request r on unit u:

    - ``PLACED`` (1,000): placing a request at all is worth more than any preference, so the
      allocator does not leave a team waiting to save a few seats;
    - ``+ waited * r.waited_days``: who waited longer comes first;
    - ``+ preferred_site`` if ``u.site_id == r.site_id``;
    - ``- wasted_seat * (u.seats - r.seats)``: a 2-seat team in a 12-seat office loses 10 seats.

    Plus the neighbourhood bonus. A zone is a ``(site_id, floor)``. For each zone and each
    non-empty sector with ``n`` requests of that sector assigned in the zone:

    - if a `Taken` in the zone (any dates) already has that sector: ``same_sector * n``;
    - otherwise: ``same_sector * max(0, n - 1)`` (every request after the first one has a
      neighbour of its sector).

    This is linear in the model: the first case is a constant per (request, zone) folded into the
    assignment's coefficient; the second is ``same_sector * (n - y)`` with one boolean ``y`` per
    (zone, sector) forced to 1 as soon as one request of the sector is placed in the zone.

Defaults (`Weights()`): a day of waiting is worth 10, the preferred site 200 (20 days), an empty
seat costs 20, a neighbour of the same sector is worth 50.

Search
    The baseline is `greedy()`: first come first served (longest waited first, then by id), each
    request to the first fitting unit (by unit id). The CP-SAT model only considers, per request,
    its `TOP_K` best candidate units (by their coefficient, ties spread over units by a fixed
    hash) among the units of its kind with enough seats, at most `MAX_WASTE` empty seats and free
    of `Taken` over its dates, plus the unit the baseline gave it. Overlaps on a unit are one
    no-overlap constraint over optional fixed intervals, one per candidate (linear in size; the
    maximal cliques of the interval graph were tighter but far too large at 5,000 requests). The baseline
    is the solution hint, so the model always has it; if the solver brings nothing better, the
    baseline is returned (status "baseline"). ``bound`` is the solver's proven bound over those
    candidates (not over the unpruned problem). Deterministic: interleaved search with a fixed
    seed and a deterministic-time limit (the wall-clock limit is only a safety net).
"""
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

PLACED = 1000
TOP_K = 12
MAX_WASTE = 6


@dataclass(frozen=True)
class Unit:
    id: int
    site_id: int
    kind: str
    seats: int
    floor: int = 0


@dataclass(frozen=True)
class Taken:
    unit_id: int
    starts_on: date
    ends_on: date
    sector: str = ""


@dataclass(frozen=True)
class Request:
    id: int
    kind: str
    seats: int
    starts_on: date
    ends_on: date
    waited_days: int
    site_id: int | None = None
    sector: str = ""


@dataclass(frozen=True)
class Weights:
    waited: int = 10
    preferred_site: int = 200
    wasted_seat: int = 20
    same_sector: int = 50


@dataclass(frozen=True)
class Assignment:
    request_id: int
    unit_id: int


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    unassigned: tuple[int, ...]
    objective: int
    bound: int
    baseline_objective: int
    status: str
    seconds: float


def _zone(unit):
    return (unit.site_id, unit.floor)


def _taken_sectors(units_by_id, taken):
    """{(zone, sector)} of the taken units with a sector."""
    found = set()
    for t in taken:
        unit = units_by_id.get(t.unit_id)
        if unit is not None and t.sector:
            found.add((_zone(unit), t.sector))
    return found


def _pair_value(unit, request, weights, seeded):
    """The coefficient of `request` on `unit`, with the sector bonus of a taken neighbour."""
    value = PLACED + weights.waited * request.waited_days - weights.wasted_seat * (unit.seats - request.seats)
    if request.site_id is not None and unit.site_id == request.site_id:
        value += weights.preferred_site
    if request.sector and (_zone(unit), request.sector) in seeded:
        value += weights.same_sector
    return value


def score(units, taken, requests, assignments, *, weights=Weights()) -> int:
    """The objective of `assignments` (see the module docstring); does not check feasibility."""
    units_by_id = {u.id: u for u in units}
    requests_by_id = {r.id: r for r in requests}
    seeded = _taken_sectors(units_by_id, taken)
    total = 0
    groups = defaultdict(int)
    for a in assignments:
        unit, request = units_by_id[a.unit_id], requests_by_id[a.request_id]
        total += _pair_value(unit, request, weights, seeded)
        if request.sector and (_zone(unit), request.sector) not in seeded:
            groups[(_zone(unit), request.sector)] += 1
    total += sum(weights.same_sector * (n - 1) for n in groups.values())
    return total


def _origin(taken, requests):
    """The first day of all date ranges (bit 0 of the day masks)."""
    days = [t.starts_on.toordinal() for t in taken] + [r.starts_on.toordinal() for r in requests]
    return min(days, default=0)


def _mask(starts_on, ends_on, origin):
    """The days of ``[starts_on, ends_on)`` as bits of an int (bit n = day `origin` + n)."""
    first, last = starts_on.toordinal() - origin, ends_on.toordinal() - origin
    if last <= first:
        return 0
    return ((1 << (last - first)) - 1) << first


def _busy_by_unit(taken, origin):
    busy = defaultdict(int)
    for t in taken:
        busy[t.unit_id] |= _mask(t.starts_on, t.ends_on, origin)
    return busy


def greedy(units, taken, requests, *, weights=Weights()) -> tuple[Assignment, ...]:
    """First come first served: longest waited first (then id), each to its first fitting unit."""
    origin = _origin(taken, requests)
    busy = _busy_by_unit(taken, origin)
    by_kind = defaultdict(list)
    for unit in sorted(units, key=lambda u: u.id):
        by_kind[unit.kind].append((unit.id, unit.seats))
    chosen = []
    for request in sorted(requests, key=lambda r: (-r.waited_days, r.id)):
        mask, seats = _mask(request.starts_on, request.ends_on, origin), request.seats
        for unit_id, unit_seats in by_kind[request.kind]:
            if unit_seats >= seats and not busy[unit_id] & mask:
                busy[unit_id] |= mask
                chosen.append(Assignment(request.id, unit_id))
                break
    return tuple(sorted(chosen, key=lambda a: a.request_id))


def _spread(request_id, key):
    """A fixed pseudo-random number, so equal candidates do not all crowd the same unit."""
    return (request_id * 2654435761 + key * 40503) % 4294967291


def _candidates(units, taken, requests, weights, seeded, baseline):
    """{request id: [(value, unit)]}: the best candidate units of each request.

    Units of one kind, seat count and zone are interchangeable for the objective; each request
    walks these classes by value and takes the free units of each, from a request-dependent
    offset, until it has `TOP_K`.
    """
    origin = _origin(taken, requests)
    busy = _busy_by_unit(taken, origin)
    classes = defaultdict(list)
    for unit in sorted(units, key=lambda u: u.id):
        classes[(unit.kind, unit.seats, unit.site_id, unit.floor)].append(unit)
    by_kind = defaultdict(list)
    for index, (key, members) in enumerate(sorted(classes.items())):
        by_kind[key[0]].append((index, members[0], members))
    units_by_id = {u.id: u for u in units}
    given = {a.request_id: a.unit_id for a in baseline}
    out = {}
    for request in requests:
        ranked = []
        for index, sample, members in by_kind[request.kind]:
            if sample.seats < request.seats or sample.seats - request.seats > MAX_WASTE:
                continue
            ranked.append((-_pair_value(sample, request, weights, seeded), _spread(request.id, index), members))
        ranked.sort(key=lambda item: (item[0], item[1]))
        mask = _mask(request.starts_on, request.ends_on, origin)
        options = []
        for negative, spread, members in ranked:
            offset = spread % len(members)
            for i in range(len(members)):
                unit = members[(offset + i) % len(members)]
                if not busy[unit.id] & mask:
                    options.append((-negative, unit))
                    if len(options) == TOP_K:
                        break
            if len(options) == TOP_K:
                break
        if request.id in given and all(u.id != given[request.id] for _, u in options):
            unit = units_by_id[given[request.id]]
            options.append((_pair_value(unit, request, weights, seeded), unit))
        out[request.id] = options
    return out


class _Progress:
    def __init__(self, on_progress, started, time_limit):
        class Callback(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                on_progress(min(0.99, (time.monotonic() - started) / max(time_limit, 1e-6)))

        self.callback = Callback()


def propose(units, taken, requests, *, weights=Weights(), time_limit: float = 10.0,
            workers: int = 2, seed: int = 0, on_progress=None) -> Result:
    """The best allocation found within `time_limit` seconds (never below the greedy baseline)."""
    started = time.monotonic()
    units, taken, requests = list(units), list(taken), list(requests)
    if on_progress:
        on_progress(0.0)
    units_by_id = {u.id: u for u in units}
    requests_by_id = {r.id: r for r in requests}
    seeded = _taken_sectors(units_by_id, taken)
    baseline = greedy(units, taken, requests, weights=weights)
    baseline_objective = score(units, taken, requests, baseline, weights=weights)

    def result(assignments, objective, bound, status):
        placed = {a.request_id for a in assignments}
        if on_progress:
            on_progress(1.0)
        return Result(
            assignments=tuple(sorted(assignments, key=lambda a: a.request_id)),
            unassigned=tuple(sorted(r.id for r in requests if r.id not in placed)),
            objective=objective,
            bound=max(bound, objective),
            baseline_objective=baseline_objective,
            status=status,
            seconds=time.monotonic() - started,
        )

    candidates = _candidates(units, taken, requests, weights, seeded, baseline)
    model = cp_model.CpModel()
    x = {}  # (request id, unit id) -> bool
    terms = []
    per_unit = defaultdict(list)
    groups = defaultdict(list)
    for request in requests:
        options = candidates[request.id]
        for value, unit in options:
            var = model.new_bool_var(f"x{request.id}_{unit.id}")
            x[(request.id, unit.id)] = var
            terms.append((value, var))
            per_unit[unit.id].append((request.starts_on, request.ends_on, request.id))
            if request.sector and (_zone(unit), request.sector) not in seeded:
                groups[(_zone(unit), request.sector)].append(var)
        if len(options) > 1:
            model.add_at_most_one(x[(request.id, unit.id)] for _, unit in options)
    origin = _origin(taken, requests)
    for unit_id, intervals in per_unit.items():
        if len(intervals) < 2:
            continue
        model.add_no_overlap(
            model.new_optional_fixed_size_interval_var(
                start.toordinal() - origin, (end - start).days, x[(rid, unit_id)], f"i{rid}_{unit_id}"
            )
            for start, end, rid in intervals
            if end > start
        )
    ys = {}
    for key, members in groups.items():
        if len(members) < 2:
            continue
        y = model.new_bool_var(f"y{len(ys)}")
        ys[key] = y
        for var in members:
            model.add_implication(var, y)
        terms.append((-weights.same_sector, y))
        terms.extend((weights.same_sector, var) for var in members)
    model.maximize(cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms]))

    hinted = {(a.request_id, a.unit_id) for a in baseline}
    for key, var in x.items():
        model.add_hint(var, 1 if key in hinted else 0)
    placed_groups = {
        (_zone(units_by_id[a.unit_id]), requests_by_id[a.request_id].sector) for a in baseline
    }
    for key, y in ys.items():
        model.add_hint(y, 1 if key in placed_groups else 0)

    if on_progress:
        on_progress(0.1)
    remaining = max(0.05, time_limit - (time.monotonic() - started) - 0.1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = True
    solver.parameters.max_deterministic_time = remaining
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    callback = _Progress(on_progress, started, time_limit).callback if on_progress else None
    status = solver.solve(model, callback)
    bound = baseline_objective
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [Assignment(rid, uid) for (rid, uid), var in x.items() if solver.value(var)]
        objective = score(units, taken, requests, chosen, weights=weights)
        bound = math.floor(solver.best_objective_bound + 1e-6)
        if objective > baseline_objective:
            return result(chosen, objective, bound, "optimal" if status == cp_model.OPTIMAL else "feasible")
    elif status == cp_model.UNKNOWN and math.isfinite(solver.best_objective_bound):
        bound = max(bound, math.floor(solver.best_objective_bound + 1e-6))
    return result(list(baseline), baseline_objective, bound, "baseline")
