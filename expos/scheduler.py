"""The showcase scheduler: places an expo's showcases into (hall, slot) cells with OR-Tools CP-SAT.

Pure: no Django import, only the standard library and ortools. The expo services turn their rows
into the dataclasses below, call `schedule()` and store the placements; `warnings()` checks a
schedule that staff edited by hand.

Hard constraints (never broken by `schedule()`):
  * every placeable showcase is placed exactly once, or reported in `unplaced` with a reason;
  * a (hall, slot) cell holds at most one showcase;
  * a showcase sits only on one of its days (no days given: every day of the expo);
  * a showcase sits only in a hall whose features include all of its needs;
  * a pinned showcase keeps its (hall, slot) exactly.

Reasons of `Unplaced`, decided before solving except the last:
  * "no_hall_with_features": no hall offers every feature the showcase needs;
  * "no_available_day": none of its days is a day of the expo;
  * "pinned_conflict": its pin names an unknown hall or slot, breaks one of the rules above, or
    takes a cell already pinned by a showcase of a smaller id;
  * "no_free_slot": it could sit somewhere, but every fitting cell is taken (capacity shortage).

Placing comes first: a max flow (showcase -> fitting (hall, day) -> its free cells) gives the
largest number of showcases that fit, and the solver must place exactly that many; so adding a
hall or a slot never places fewer. Among those schedules it minimises (every term a penalty, no
bonus, so the objective is never negative):

    same_sector_hall_day * number of (hall, day, sector) groups  (a sector kept together in a hall
                                                           on a day is one group)
  + competitors_adjacent * pairs of competitors (same sector and stage, sector not empty) in
                                                           consecutive slots of one hall
  + uneven_days * (most showcases on one day - fewest on one day)
  + idle_gap * empty slots of a hall between its first and last showcase of a day

Method: an exact decomposition in two phases. Phase 1, the solver decides how many showcases of
each kind (one sector, fitting the same (hall, day) cells, so interchangeable for this phase) go
to each (hall, day): integers bounded by the room left there, free of the symmetry between alike
showcases. It models the sector groups (with the per-sector round-up: groups * room >= placed,
and, without pins, the fewest groups the sectors' sizes allow in the bins there are, also where
features confine some showcases to some halls: `_fewest_groups_split`) and the day spread.
Identical halls without pins are ordered by load; a first single-worker search runs without a
hint, then the interleaved workers start from its solution (or from the greedy assignment).
Phase 2 picks the showcases of each kind for each cell's count, mixing stages (`_members`,
`_unclash`), and lays each (hall, day) out: the holes between pinned cells first, then a
contiguous block (no idle gap without pins), competitors interleaved (most numerous first, never
beside a competitor while another kind is left). `objective` is the cost of the returned
schedule by `_cost`, the one scoring function. `bound` is valid for every schedule placing the
most that fit: phase 1's terms are the groups and the day spread exactly, the idle gaps and the
competitor pairs it leaves out are never negative, so its optimum, and any proven lower bound on
it, never exceeds the cost of any schedule; when phase 2 reaches no gap and no pair, the gap to
the bound is phase 1's gap.

Deterministic: a fixed seed, one worker in the first search and interleaved workers (taking
turns in a fixed order) in the second, and a deterministic-time limit beside the wall-clock one: the same input gives
the same schedule whenever the search ends by optimality or by the deterministic limit; only a
search cut by the wall clock on a slower or busier machine may end elsewhere.
"""

from __future__ import annotations

import functools
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

NO_HALL_WITH_FEATURES = "no_hall_with_features"
NO_AVAILABLE_DAY = "no_available_day"
NO_FREE_SLOT = "no_free_slot"
PINNED_CONFLICT = "pinned_conflict"

COMPETITOR_ADJACENT = "competitor_adjacent"
MISSING_FEATURE = "missing_feature"
UNAVAILABLE_DAY = "unavailable_day"


@dataclass(frozen=True)
class Hall:
    id: int
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Slot:
    """One cell of the expo's slot grid; indexes are consecutive within a day."""

    index: int
    day: date
    starts_at: datetime


@dataclass(frozen=True)
class Showcase:
    id: int
    startup_id: int
    sector: str = ""
    stage: str = ""
    needs: frozenset[str] = frozenset()
    days: frozenset[date] = frozenset()  # empty: every day of the expo
    pinned: tuple[int, int] | None = None  # (hall_id, slot_index) that must stay


@dataclass(frozen=True)
class Weights:
    """Integer weights of the soft terms (see the module docstring)."""

    same_sector_hall_day: int = 10  # per (hall, day, sector) group
    competitors_adjacent: int = 6  # per pair of competitors in consecutive slots of a hall
    uneven_days: int = 2  # per showcase between the fullest and the emptiest day
    idle_gap: int = 3  # per empty slot inside a hall's day


@dataclass(frozen=True)
class Placement:
    showcase_id: int
    hall_id: int
    slot_index: int


@dataclass(frozen=True)
class Unplaced:
    showcase_id: int
    reason: str  # one of the four reasons above


@dataclass(frozen=True)
class Result:
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    objective: int  # the minimised penalty of the returned schedule
    bound: int  # the solver's proven lower bound on it
    status: str  # "optimal" | "feasible"
    seconds: float


@dataclass(frozen=True)
class Warning:
    showcase_id: int
    code: str  # "competitor_adjacent" | "missing_feature" | "unavailable_day"


def _competitor_key(showcase: Showcase):
    """Showcases with equal keys are competitors; a showcase without a sector competes with none."""
    if not showcase.sector:
        return ("", showcase.id)
    return (showcase.sector, showcase.stage)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress, time_limit, before):
        super().__init__()
        self._on_progress = on_progress
        self._time_limit = max(time_limit, 1e-9)
        self._before = before  # seconds spent before this search began

    def on_solution_callback(self):
        self._on_progress(min(1.0, (self._before + self.wall_time) / self._time_limit))


def schedule(
    halls: Iterable[Hall],
    slots: Iterable[Slot],
    showcases: Iterable[Showcase],
    *,
    weights: Weights = Weights(),
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    on_progress: Callable[[float], None] | None = None,
) -> Result:
    """Place the showcases; see the module docstring for the rules and the objective."""
    started = time.perf_counter()
    halls = sorted(halls, key=lambda h: h.id)
    slots = sorted(slots, key=lambda s: s.index)
    showcases = sorted(showcases, key=lambda s: s.id)
    hall_by_id = {h.id: h for h in halls}
    slot_by_index = {s.index: s for s in slots}
    days = sorted({s.day for s in slots})
    day_slots = {d: [s.index for s in slots if s.day == d] for d in days}
    day_length = {d: len(day_slots[d]) for d in days}

    unplaced: dict[int, str] = {}
    pinned_cells: dict[tuple[int, int], int] = {}  # (hall_id, slot_index) -> showcase id
    free: list[Showcase] = []
    for sc in showcases:
        fitting_halls = [h for h in halls if sc.needs <= h.features]
        own_days = [d for d in days if not sc.days or d in sc.days]
        if not fitting_halls:
            unplaced[sc.id] = NO_HALL_WITH_FEATURES
        elif not own_days:
            unplaced[sc.id] = NO_AVAILABLE_DAY
        elif sc.pinned is not None:
            hall_id, slot_index = sc.pinned
            hall, slot = hall_by_id.get(hall_id), slot_by_index.get(slot_index)
            if (
                hall is None
                or slot is None
                or not sc.needs <= hall.features
                or (sc.days and slot.day not in sc.days)
                or sc.pinned in pinned_cells
            ):
                unplaced[sc.id] = PINNED_CONFLICT
            else:
                pinned_cells[sc.pinned] = sc.id
        else:
            free.append(sc)

    showcase_by_id = {sc.id: sc for sc in showcases}
    pinned_in: dict[tuple[int, date], list[int]] = defaultdict(list)  # (hall, day) -> showcase ids
    for (hall_id, slot_index), sc_id in pinned_cells.items():
        pinned_in[hall_id, slot_by_index[slot_index].day].append(sc_id)
    room = {(h.id, d): day_length[d] - len(pinned_in[h.id, d]) for h in halls for d in days}

    options: dict[int, list[tuple[int, date]]] = {}
    for sc in free:
        fits = [
            (h.id, d)
            for h in halls
            if sc.needs <= h.features
            for d in days
            if (not sc.days or d in sc.days) and room[h.id, d] > 0
        ]
        if fits:
            options[sc.id] = fits
        else:
            unplaced[sc.id] = NO_FREE_SLOT
    placeable = [sc for sc in free if sc.id in options]

    n_total = len(pinned_cells) + len(placeable)
    most_placed = _most_placeable(placeable, options, room)

    # --- the assignment model -------------------------------------------------------------------
    # Phase 1 of an exact decomposition. Showcases of one sector that fit the same (hall, day)
    # cells are interchangeable for every term this model holds (sector groups, day spread; the
    # idle gaps are left to the layout, which packs a hall's day without any): one integer per
    # (kind, hall, day) counts them, which removes their symmetry from the search. Stages are not
    # in the kinds: phase 2 (`_members`) picks which showcases of a kind fill a cell's count,
    # spreading each stage evenly, and the layout keeps competitors apart.
    kinds_of: dict[tuple, list[Showcase]] = defaultdict(list)
    for sc in placeable:
        kinds_of[sc.sector, tuple(options[sc.id])].append(sc)
    kind_list = sorted(kinds_of, key=lambda k: kinds_of[k][0].id)
    greedy = _greedy(placeable, options, room, _identical_halls(halls, days, pinned_in), weights, most_placed)
    kind_of = {sc.id: kind for kind, members in kinds_of.items() for sc in members}
    greedy_count = Counter((kind_of[i], cell) for i, cell in greedy.items())

    model = cp_model.CpModel()
    x: dict[tuple[tuple, tuple[int, date]], cp_model.IntVar] = {}
    by_cell: dict[tuple[int, date], list] = defaultdict(list)
    missed = []
    for k, kind in enumerate(kind_list):
        members = kinds_of[kind]
        own = []
        for cell in options[members[0].id]:
            var = model.new_int_var(0, min(len(members), room[cell]), f"x_{k}_{cell[0]}_{cell[1]}")
            x[kind, cell] = var
            by_cell[cell].append((kind, var))
            own.append(var)
            model.add_hint(var, greedy_count[kind, cell])
        miss = model.new_int_var(0, len(members), f"missed_{k}")
        model.add(sum(own) + miss == len(members))
        model.add_hint(miss, len(members) - sum(greedy_count[kind, c] for c in options[members[0].id]))
        missed.append(miss)

    count = {}
    load = Counter()
    for (kind, cell), n in greedy_count.items():
        load[cell] += n
    for cell in room:
        entries = by_cell[cell]
        count[cell] = sum(v for _, v in entries)
        if entries:
            model.add(count[cell] <= room[cell])

    # as many as can be placed are placed: the maximum comes from a max flow, so it is exact
    model.add(sum(missed) == len(placeable) - most_placed)
    terms = []

    # sector groups per (hall, day); per sector, the groups hold all its placed showcases
    groups_of: dict[str, list] = defaultdict(list)
    placed_of: dict[str, list] = defaultdict(list)
    widest = max(room.values(), default=0)
    for cell in sorted(room):
        by_sector: dict[str, list] = defaultdict(list)
        for kind, var in by_cell[cell]:
            if kind[0]:
                by_sector[kind[0]].append((kind, var))
        pinned_sectors = {showcase_by_id[i].sector for i in pinned_in[cell]} - {""}
        terms.append(weights.same_sector_hall_day * len(pinned_sectors))
        for sector, entries in sorted(by_sector.items()):
            vars_ = [v for _, v in entries]
            placed_of[sector].extend(vars_)
            if sector in pinned_sectors:
                continue  # the group exists anyway: counted above
            group = model.new_bool_var(f"g_{cell[0]}_{cell[1]}_{sector}")
            model.add(sum(vars_) <= room[cell] * group)
            model.add(sum(vars_) >= group)
            model.add_hint(group, any(greedy_count[kind, cell] for kind, _ in entries))
            groups_of[sector].append(group)
            terms.append(weights.same_sector_hall_day * group)
    totals = []
    for sector, groups in sorted(groups_of.items()):
        if widest:  # redundant, but it gives the relaxation the round-up per sector
            total = model.new_int_var(0, len(groups), f"groups_{sector}")
            model.add(total == sum(groups))
            model.add(widest * total >= sum(placed_of[sector]))
            totals.append(total)
    known_bound = 0
    if widest and not pinned_cells and totals:
        # implied: the fewest groups any schedule placing `most_placed` can have (see _fewest_groups)
        fewest = _fewest_groups_split(halls, placeable, options, room, widest, most_placed)
        model.add(sum(totals) >= fewest)
        # valid on its own, whatever the search reaches: every term is a penalty
        known_bound = weights.same_sector_hall_day * fewest

    # spread over the days
    if len(days) > 1 and weights.uneven_days:
        per_day, hinted = [], []
        for d in days:
            pinned_count = sum(len(pinned_in[h.id, d]) for h in halls)
            per_day.append(sum(count[h.id, d] for h in halls) + pinned_count)
            hinted.append(sum(load[h.id, d] for h in halls) + pinned_count)
        top = model.new_int_var(0, n_total, "most_per_day")
        low = model.new_int_var(0, n_total, "fewest_per_day")
        model.add_max_equality(top, per_day)
        model.add_min_equality(low, per_day)
        model.add_hint(top, max(hinted))
        model.add_hint(low, min(hinted))
        terms.append(weights.uneven_days * (top - low))

    # identical halls without pins are interchangeable on every day: order them by load
    for members in _identical_halls(halls, days, pinned_in).values():
        for a, b in zip(members, members[1:], strict=False):
            for d in days:
                if by_cell[a, d] or by_cell[b, d]:
                    model.add(count[a, d] >= count[b, d])

    model.minimize(sum(terms))

    code, values, proven = _solve(model, time_limit, started, workers, seed, on_progress)

    if values is not None:
        counts = {key: values[var.index] for key, var in x.items()}
        assignment = _members(kinds_of, counts, pinned_in, showcase_by_id)
        _unclash(assignment, kind_of, pinned_in, showcase_by_id)
        status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    else:
        assignment = greedy
        status = "feasible"
    # the search's proof holds for the model even when it found no solution; the model's cost of
    # an assignment never exceeds the cost of the schedule laid out from it (see the docstring)
    bound = max(math.ceil(proven - 1e-6) if x else 0, known_bound)
    for sc in placeable:
        if sc.id not in assignment:
            unplaced[sc.id] = NO_FREE_SLOT

    # --- the layout of each (hall, day) ---------------------------------------------------------
    placed: dict[tuple[int, int], int] = dict(pinned_cells)
    incoming: dict[tuple[int, date], list[Showcase]] = defaultdict(list)
    for sc in placeable:
        if sc.id in assignment:
            incoming[assignment[sc.id]].append(sc)
    for (h_id, d), group in incoming.items():
        taken = {i for (hh, i) in pinned_cells if hh == h_id and slot_by_index[i].day == d}
        cells = _cells(day_slots[d], taken, len(group))
        _interleave(group, cells, h_id, placed, showcase_by_id)

    placements = tuple(
        Placement(showcase_id=sc_id, hall_id=h_id, slot_index=i)
        for (h_id, i), sc_id in sorted(placed.items(), key=lambda kv: kv[1])
    )
    objective = _cost(halls, slots, showcase_by_id, placed, weights, days)
    if on_progress:
        on_progress(1.0)
    if status == "optimal" and objective > bound:
        status = "feasible"  # the layout could not reach the assignment's optimum
    return Result(
        placements=placements,
        unplaced=tuple(Unplaced(i, r) for i, r in sorted(unplaced.items())),
        objective=objective,
        bound=bound,
        status=status,
        seconds=time.perf_counter() - started,
    )


# The share of the time the first, unhinted search gets (see `_solve`).
_FREE_SHARE = 0.35


def _solve(model, time_limit, started, workers, seed, on_progress):
    """Solve the assignment model in two searches, and return (status code, the values of the
    model's variables in the best solution or None, the best proven lower bound).

    First a single worker searches without the greedy hint for a share of the time: the hint
    is a local optimum the search would otherwise stay near, and a single worker is
    deterministic. Then `workers` interleaved workers (taking turns in a fixed order, so also
    deterministic) start from the better of that search's solution and the hint. Both searches
    solve the same model, so each proven bound is a bound on it: the best of them is kept."""
    hint = list(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values))
    best_code, best_values, best_cost, proven = cp_model.UNKNOWN, None, None, 0.0
    for free in (True, False):
        share = _FREE_SHARE if free else 1.0
        left = time_limit - (time.perf_counter() - started)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.random_seed = seed
        params.max_time_in_seconds = max(left * share, 0.1)
        params.max_deterministic_time = time_limit * share
        if free:
            params.num_workers = 1
        else:
            params.num_workers = workers
            params.interleave_search = True
            params.cp_model_probing_level = 0  # probing costs seconds here and gains little
        model.clear_hints()
        for var, value in [] if free else hint:
            model.add_hint(model.get_int_var_from_proto_index(var), value)
        before = time.perf_counter() - started
        callback = _Progress(on_progress, time_limit, before) if on_progress else None
        code = solver.solve(model, callback)
        proven = max(proven, solver.best_objective_bound)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if best_cost is None or solver.objective_value < best_cost:
                best_code, best_cost = code, solver.objective_value
                best_values = [
                    solver.value(model.get_int_var_from_proto_index(i))
                    for i in range(len(model.proto.variables))
                ]
            if code == cp_model.OPTIMAL:
                best_code = code
                break
            if free:
                hint = list(enumerate(best_values))
    return best_code, best_values, proven


def _members(kinds_of, counts, pinned_in, showcase_by_id) -> dict[int, tuple[int, date]]:
    """Phase 2, the first half: which showcases of each kind fill the counts the solver gave its
    cells. A kind's showcases are dealt one at a time to its cells in turn, like cards, each
    cell taking the stage it holds the fewest of so far (pins and other kinds included; the
    stage with the most left on a tie), so every cell gets a mix of stages and the layout can
    keep the competitors apart. Fixed orders throughout."""
    held: dict[tuple[int, date], Counter] = defaultdict(Counter)
    for cell, ids in pinned_in.items():
        held[cell].update(_competitor_key(showcase_by_id[i]) for i in ids)
    wanted: dict[tuple, dict[tuple[int, date], int]] = defaultdict(dict)
    for (kind, cell), n in sorted(counts.items()):
        if n:
            wanted[kind][cell] = n
    assignment = {}
    for kind in sorted(wanted, key=lambda k: (-len(kinds_of[k]), kinds_of[k][0].id)):
        by_stage: dict[tuple, list[Showcase]] = defaultdict(list)
        for sc in sorted(kinds_of[kind], key=lambda s: s.id, reverse=True):
            by_stage[_competitor_key(sc)].append(sc)
        need = wanted[kind]
        while need:
            for cell in list(need):
                stage = min(by_stage, key=lambda k: (held[cell][k], -len(by_stage[k]), k))
                sc = by_stage[stage].pop()
                if not by_stage[stage]:
                    del by_stage[stage]
                held[cell][stage] += 1
                assignment[sc.id] = cell
                need[cell] -= 1
                if not need[cell]:
                    del need[cell]
    return assignment


def _unclash(assignment, kind_of, pinned_in, showcase_by_id, passes=4) -> None:
    """Phase 2, the second half: where a cell holds more competitors of one stage than its
    layout can keep apart (m of them among n touch at least 2m - n - 1 times), trade showcases
    of one kind between cells, which leaves every count the solver chose as it was, whenever
    the trade lowers that excess. A fixed number of passes in a fixed order."""
    members: dict[tuple[int, date], list[int]] = defaultdict(list)
    for sc_id, cell in sorted(assignment.items()):
        members[cell].append(sc_id)
    size = {cell: len(ids) + len(pinned_in[cell]) for cell, ids in members.items()}
    held: dict[tuple[int, date], Counter] = defaultdict(Counter)
    for cell, ids in members.items():
        held[cell].update(_competitor_key(showcase_by_id[i]) for i in ids + pinned_in[cell])

    def excess(cell, key, change=0):
        return max(0, 2 * (held[cell][key] + change) - size[cell] - 1) if key[0] else 0

    def gain(a, b):
        """How much the excess falls if showcases a and b (one kind, two cells) trade places."""
        ca, cb = assignment[a], assignment[b]
        ka, kb = _competitor_key(showcase_by_id[a]), _competitor_key(showcase_by_id[b])
        if ka == kb:
            return 0
        before = excess(ca, ka) + excess(ca, kb) + excess(cb, ka) + excess(cb, kb)
        after = excess(ca, ka, -1) + excess(ca, kb, +1) + excess(cb, kb, -1) + excess(cb, ka, +1)
        return before - after

    by_kind: dict[tuple, list[int]] = defaultdict(list)
    for sc_id in sorted(assignment):
        by_kind[kind_of[sc_id]].append(sc_id)
    for _ in range(passes):
        improved = False
        for a in sorted(assignment):
            ka = _competitor_key(showcase_by_id[a])
            if not excess(assignment[a], ka):
                continue
            for b in by_kind[kind_of[a]]:
                if assignment[b] != assignment[a] and gain(a, b) > 0:
                    ca, cb = assignment[a], assignment[b]
                    kb = _competitor_key(showcase_by_id[b])
                    held[ca][ka] -= 1
                    held[ca][kb] += 1
                    held[cb][kb] -= 1
                    held[cb][ka] += 1
                    assignment[a], assignment[b] = cb, ca
                    improved = True
                    break
        if not improved:
            break


def _identical_halls(halls, days, pinned_in) -> dict[frozenset, list[int]]:
    """Halls without pins grouped by features: their contents on a day may be swapped freely."""
    groups: dict[frozenset, list[int]] = defaultdict(list)
    for h in halls:
        if not any(pinned_in[h.id, d] for d in days):
            groups[h.features].append(h.id)
    return groups


def _fewest_groups(sizes: list[int], width: int, at_least: int, n_bins: int) -> int:
    """A lower bound on the sector groups of a schedule without pins: sectors of these sizes, at
    least `at_least` of their showcases placed, `n_bins` (hall, day) bins of at most `width`.

    The bins and sectors that share groups form connected parts. A part of k sectors holding t
    showcases spans at least ceil(t / width) bins, so it has at least k + ceil(t / width) - 1
    groups, and parts use disjoint bins. The bound is the least total over every partition of
    the sectors into parts, each leaving out some showcases (only a remainder modulo `width`,
    plus whole bins, can save anything), within the bins and the showcases that may be left
    out. Too many sectors for the search over partitions: each sector is its own part."""
    spare = max(sum(sizes) - max(at_least, 0), 0)
    if len(sizes) > _MOST_SECTORS or (spare + 1) * (n_bins + 1) << len(sizes) > _MOST_STATES:
        return _fewest_groups_apart(sizes, width, spare)
    full = (1 << len(sizes)) - 1
    options = {}
    for mask in range(1, full + 1):
        total = sum(n for i, n in enumerate(sizes) if mask >> i & 1)
        extra = bin(mask).count("1") - 1
        choices = [(0, -(-total // width))]
        left_out = total % width or width
        while left_out <= min(spare, total):
            choices.append((left_out, (total - left_out) // width))
            left_out += width
        options[mask] = [(out, b, b + extra) for out, b in choices]

    @functools.lru_cache(maxsize=None)
    def least(mask: int, spare_left: int, bins_left: int) -> int:
        if mask == full:
            return 0
        rest = full & ~mask
        first = rest & -rest  # the first sector not yet in a part starts the next part
        best = _UNREACHABLE
        sub = rest
        while sub:
            if sub & first:
                for out, b, cost in options[sub]:
                    if out <= spare_left and b <= bins_left:
                        best = min(best, cost + least(mask | sub, spare_left - out, bins_left - b))
            sub = (sub - 1) & rest
        return best

    found = least(0, spare, n_bins)
    return found if found < _UNREACHABLE else _fewest_groups_apart(sizes, width, spare)


_MOST_SECTORS = 10
_MOST_STATES = 400_000
_UNREACHABLE = 1 << 40


def _fewest_groups_split(halls, placeable, options, room, width, most_placed) -> int:
    """`_fewest_groups` over every cell, and over the cells split in two wherever some showcases
    fit only one side: B, the cells of the halls offering a set of features that a showcase
    needs, and the rest. Groups on either side are disjoint, so the two sides' bounds add up.
    Inside B, the showcases that fit only there are placed there but for those the max flow
    leaves out; outside B, at least `most_placed` less B's room are placed, all of showcases
    that fit outside. Each side's bound counts only showcases it must hold (a lower bound on
    its groups, as more showcases never mean fewer groups). The best of these splits."""

    def side(members, at_least, bins):
        sizes = Counter(sc.sector for sc in members if sc.sector)
        at_least -= sum(1 for sc in members if not sc.sector)  # sectorless: no group
        return _fewest_groups(sorted(sizes.values()), width, at_least, bins) if bins and sizes else 0

    every = [c for c, n in room.items() if n > 0]
    best = side(placeable, most_placed, len(every))
    left_out = len(placeable) - most_placed
    for needs in sorted({sc.needs for sc in placeable if sc.needs}, key=sorted):
        inside = {c for c in every if needs <= _features(halls, c[0])}
        if len(inside) == len(every):
            continue
        only = [sc for sc in placeable if set(options[sc.id]) <= inside]
        rest = [sc for sc in placeable if not set(options[sc.id]) <= inside]
        held = sum(room[c] for c in inside)
        split = side(only, len(only) - left_out, len(inside)) + side(
            rest, most_placed - held, len(every) - len(inside)
        )
        best = max(best, split)
    return best


def _features(halls, hall_id) -> frozenset[str]:
    return next(h.features for h in halls if h.id == hall_id)


def _fewest_groups_apart(sizes: list[int], width: int, spare: int) -> int:
    """The bound above with every sector its own part: each needs ceil(p / width) groups for its
    p placed; leaving showcases out saves one group per remainder (p mod width) or whole group
    left out, and with unit savings the lightest leave-outs first are the best."""
    groups = sum(-(-n // width) for n in sizes)
    weights = sorted([n % width for n in sizes if n % width] + [width] * sum(n // width for n in sizes))
    for w in weights:
        if w > spare:
            break
        spare -= w
        groups -= 1
    return max(groups, 0)


def _most_placeable(placeable, options, room) -> int:
    """How many free showcases fit at most: a max flow showcase -> (hall, day) -> room."""
    if not placeable:
        return 0
    flow = max_flow.SimpleMaxFlow()
    cells = {cell: k for k, cell in enumerate(sorted(room), start=len(placeable) + 2)}
    source, sink = 0, 1
    for k, sc in enumerate(placeable, start=2):
        flow.add_arc_with_capacity(source, k, 1)
        for cell in options[sc.id]:
            flow.add_arc_with_capacity(k, cells[cell], 1)
    for cell, k in cells.items():
        if room[cell] > 0:
            flow.add_arc_with_capacity(k, sink, room[cell])
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    return flow.optimal_flow()


def _greedy(placeable, options, room, groups, weights, most_placed) -> dict[int, tuple[int, date]]:
    """A starting hint: the cheaper of two fills (groups and day spread). Both take the
    showcases one by one, each into a cell its sector already holds, else the cell it fits
    best (the emptiest when it fits nowhere), the emptier day first; one takes every restricted
    showcase (fewer cells to choose from) first, then sector by sector, which leaves the
    restricted showcases their cells when room is short; the other goes sector by sector, each
    sector's restricted showcases first, which keeps a sector together when room is ample.
    Then swaps that keep every cell's load improve it (`_swap_down`)."""
    every = sum(1 for c in room if room[c] > 0)
    size = Counter(sc.sector for sc in placeable)
    rank = {}  # stages take turns within a sector, so a cell mixes them
    seen = Counter()
    for sc in placeable:
        rank[sc.id] = seen[sc.sector, sc.stage]
        seen[sc.sector, sc.stage] += 1
    restricted = sorted(
        (sc for sc in placeable if len(options[sc.id]) < every),
        key=lambda sc: (len(options[sc.id]), -size[sc.sector], sc.sector, rank[sc.id], sc.stage, sc.id),
    )
    plain = sorted(
        (sc for sc in placeable if len(options[sc.id]) >= every),
        key=lambda sc: (-size[sc.sector], sc.sector, rank[sc.id], sc.stage, sc.id),
    )
    by_sector = sorted(
        placeable,
        key=lambda sc: (not sc.sector, -size[sc.sector], sc.sector, len(options[sc.id]), rank[sc.id], sc.id),
    )
    fills = [_fill(order, options, room, most_placed) for order in (restricted + plain, by_sector)]
    chosen = min(fills, key=lambda chosen: _rough_cost(chosen, placeable, weights))
    _swap_down(chosen, placeable, options, weights)
    return _relabel(chosen, room, groups)


def _rough_cost(chosen, placeable, weights) -> int:
    """Sector groups and day spread of an assignment to (hall, day) cells."""
    sector_of = {sc.id: sc.sector for sc in placeable}
    groups = {(cell, sector_of[i]) for i, cell in chosen.items() if sector_of[i]}
    per_day = Counter(cell[1] for cell in chosen.values())
    spread = max(per_day.values()) - min(per_day.values()) if per_day else 0
    return weights.same_sector_hall_day * len(groups) + weights.uneven_days * spread


def _fill(order, options, room, most_placed) -> dict[int, tuple[int, date]]:
    left = dict(room)
    sectors_at: dict[tuple[int, date], Counter] = defaultdict(Counter)
    per_day: Counter = Counter()
    waiting = Counter(sc.sector for sc in order)
    chosen = {}
    for sc in order:
        waiting[sc.sector] -= 1
        open_cells = [c for c in options[sc.id] if left[c] > 0]
        if not open_cells:
            continue
        held = [c for c in open_cells if sc.sector and sectors_at[c][sc.sector]]
        if held:
            cell = min(held, key=lambda c: (left[c], c))
        else:
            need = waiting[sc.sector] + 1 if sc.sector else 1
            fits = [c for c in open_cells if left[c] >= need]
            if fits:
                cell = min(fits, key=lambda c: (left[c], per_day[c[1]], c))
            else:
                cell = min(open_cells, key=lambda c: (-left[c], per_day[c[1]], c))
        chosen[sc.id] = cell
        left[cell] -= 1
        sectors_at[cell][sc.sector] += 1
        per_day[cell[1]] += 1
    _augment(order, options, left, chosen, most_placed)
    return chosen


def _relabel(chosen, room, groups) -> dict[int, tuple[int, date]]:
    """Respect the ordering of identical halls: relabel their days by load."""
    by_hall_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    for sc_id, cell in chosen.items():
        by_hall_day[cell].append(sc_id)
    days = sorted({d for _, d in room})
    for members in groups.values():
        for d in days:
            loads = sorted(members, key=lambda h: (-len(by_hall_day[h, d]), h))
            contents = [by_hall_day[h, d] for h in loads]
            for h, ids in zip(members, contents, strict=True):
                for sc_id in ids:
                    chosen[sc_id] = (h, d)
    return chosen


def _swap_down(chosen, placeable, options, weights, passes=4) -> None:
    """Improve an assignment by swaps that keep every cell's load: a showcase trades cells with
    one in a cell its sector already holds, or gives its cell to one left out, whenever that
    costs less: fewer sector groups, fewer competitors that the cell's layout cannot keep apart.
    A fixed number of passes in a fixed order, so the result is the same every run."""
    sc_by_id = {sc.id: sc for sc in placeable}
    allowed = {sc.id: set(options[sc.id]) for sc in placeable}
    length = {}  # a cell's showcases take consecutive slots: its load is the length they span
    members: dict[tuple[int, date], list[int]] = defaultdict(list)
    for sc_id, cell in sorted(chosen.items()):
        members[cell].append(sc_id)
    for cell, ids in members.items():
        length[cell] = len(ids)
    sectors = {
        cell: Counter(sc_by_id[i].sector for i in ids if sc_by_id[i].sector) for cell, ids in members.items()
    }
    rivals = {
        cell: Counter((sc_by_id[i].sector, sc_by_id[i].stage) for i in ids if sc_by_id[i].sector)
        for cell, ids in members.items()
    }
    holding: dict[str, set] = defaultdict(set)
    for cell, counts in sectors.items():
        for sector in counts:
            holding[sector].add(cell)
    left_out = sorted(sc.id for sc in placeable if sc.id not in chosen)

    def crowd(cell, rival, change):
        m = rivals[cell][rival]
        before = max(0, 2 * m - length[cell] - 1)
        after = max(0, 2 * (m + change) - length[cell] - 1)
        return after - before

    def delta(cell, out, into) -> int:
        """The change of the cost of `cell` when showcase `out` leaves it and `into` comes."""
        a, b = sc_by_id[out], sc_by_id[into]
        if (a.sector, a.stage) == (b.sector, b.stage):
            return 0
        cost = 0
        if a.sector:
            cost -= weights.same_sector_hall_day * (sectors[cell][a.sector] == 1 and a.sector != b.sector)
            cost += weights.competitors_adjacent * crowd(cell, (a.sector, a.stage), -1)
        if b.sector:
            cost += weights.same_sector_hall_day * (sectors[cell][b.sector] == 0)
            cost += weights.competitors_adjacent * crowd(cell, (b.sector, b.stage), +1)
        return cost

    def move(cell, out, into):
        a, b = sc_by_id[out], sc_by_id[into]
        members[cell].remove(out)
        members[cell].append(into)
        for sc, step in ((a, -1), (b, +1)):
            if not sc.sector:
                continue
            sectors[cell][sc.sector] += step
            rivals[cell][sc.sector, sc.stage] += step
            if sectors[cell][sc.sector] == 0:
                del sectors[cell][sc.sector]
                holding[sc.sector].discard(cell)
            else:
                holding[sc.sector].add(cell)
        if out in chosen and chosen[out] == cell:
            del chosen[out]
        chosen[into] = cell

    for _ in range(passes):
        improved = False
        for x in sorted(chosen):
            if x not in chosen:
                continue  # left out by an earlier swap of this pass
            home = chosen[x]
            sector = sc_by_id[x].sector
            if not sector or sectors[home][sector] > length[home] // 2:
                continue  # only a minority of its cell is worth moving
            done = False
            for y in left_out:
                if home in allowed[y] and delta(home, x, y) < 0:
                    move(home, x, y)
                    left_out.remove(y)
                    left_out.append(x)
                    left_out.sort()
                    improved = done = True
                    break
            if done:
                continue
            for there in sorted(holding[sector] - {home}):
                if there not in allowed[x]:
                    continue
                for y in list(members[there]):
                    if y == x or home not in allowed[y] or sc_by_id[y].sector == sector:
                        continue
                    if delta(home, x, y) + delta(there, y, x) < 0:
                        move(home, x, y)
                        move(there, y, x)
                        improved = done = True
                        break
                if done:
                    break
        if not improved:
            break


def _augment(placeable, options, left, chosen, most_placed) -> None:
    """Place the greedy's leftovers along augmenting paths (moving placed showcases to other
    cells of theirs), so the hint places as many as the max flow says."""
    holding: dict[tuple[int, date], list[int]] = defaultdict(list)
    for sc_id, cell in chosen.items():
        holding[cell].append(sc_id)
    cells_of = {sc.id: frozenset(options[sc.id]) for sc in placeable}
    for sc in placeable:
        if len(chosen) >= most_placed:
            break
        if sc.id in chosen:
            continue
        expanded = set()  # showcases with the same cells lead to the same places: expand one
        parent: dict[tuple[int, date], tuple | None] = {}
        queue = []
        for cell in options[sc.id]:
            if cell not in parent:
                parent[cell] = None
                queue.append(cell)
        target = None
        while queue and target is None:
            nxt = []
            for cell in queue:
                if left[cell] > 0:
                    target = cell
                    break
                for other in holding[cell]:
                    if cells_of[other] in expanded:
                        continue
                    expanded.add(cells_of[other])
                    for cell2 in options[other]:
                        if cell2 not in parent:
                            parent[cell2] = (cell, other)
                            nxt.append(cell2)
            queue = nxt
        if target is None:
            continue
        left[target] -= 1
        cell = target
        while parent[cell] is not None:
            source, mover = parent[cell]
            holding[source].remove(mover)
            holding[cell].append(mover)
            chosen[mover] = cell
            cell = source
        holding[cell].append(sc.id)
        chosen[sc.id] = cell


def _cells(day: list[int], taken: set[int], n: int) -> list[int]:
    """The n free cells of a day that leave the fewest idle gaps: holes between pins, then outward."""
    free = [i for i in day if i not in taken]
    if not taken:
        return free[:n]
    low, high = min(taken), max(taken)
    inner = [i for i in free if low < i < high]
    if n <= len(inner):
        return inner[:n]
    chosen = list(inner)
    before = [i for i in free if i < low]
    after = [i for i in free if i > high]
    while len(chosen) < n:  # extend the block: earlier cells first, keeping it contiguous
        if before:
            chosen.append(before.pop())
        else:
            chosen.append(after.pop(0))
    return sorted(chosen)


def _interleave(group, cells, hall_id, placed, showcase_by_id):
    """Fill the cells in order, never beside a competitor while another kind is left."""
    kinds: dict[tuple, list[Showcase]] = defaultdict(list)
    for sc in sorted(group, key=lambda s: s.id, reverse=True):
        kinds[_competitor_key(sc)].append(sc)

    def kind_at(index):
        sc_id = placed.get((hall_id, index))
        return _competitor_key(showcase_by_id[sc_id]) if sc_id is not None else None

    for index in cells:
        neighbours = {kind_at(index - 1), kind_at(index + 1)}
        ranked = sorted(kinds, key=lambda k: (k in neighbours, -len(kinds[k]), k))
        kind = ranked[0]
        sc = kinds[kind].pop()
        if not kinds[kind]:
            del kinds[kind]
        placed[hall_id, index] = sc.id


def _cost(halls, slots, showcase_by_id, placed, weights, days) -> int:
    """The objective of a finished schedule (module docstring)."""
    slot_by_index = {s.index: s for s in slots}
    groups = set()
    per_day = Counter()
    used: dict[tuple[int, date], list[int]] = defaultdict(list)
    for (h_id, i), sc_id in placed.items():
        d = slot_by_index[i].day
        sc = showcase_by_id[sc_id]
        if sc.sector:
            groups.add((h_id, d, sc.sector))
        per_day[d] += 1
        used[h_id, d].append(i)
    cost = weights.same_sector_hall_day * len(groups)
    if len(days) > 1:
        counts = [per_day[d] for d in days]
        cost += weights.uneven_days * (max(counts) - min(counts))
    for indexes in used.values():
        cost += weights.idle_gap * (max(indexes) - min(indexes) + 1 - len(indexes))
    cost += weights.competitors_adjacent * _touching_pairs(placed, showcase_by_id, slot_by_index)
    return cost


def _touching_pairs(placed, showcase_by_id, slot_by_index) -> int:
    return len(_adjacent_competitors(placed, showcase_by_id, slot_by_index))


def _adjacent_competitors(placed, showcase_by_id, slot_by_index) -> list[tuple[int, int]]:
    pairs = []
    for (h_id, i), sc_id in placed.items():
        other = placed.get((h_id, i + 1))
        if other is None or (i + 1) not in slot_by_index:
            continue
        if slot_by_index[i].day != slot_by_index[i + 1].day:
            continue
        a, b = showcase_by_id[sc_id], showcase_by_id[other]
        if a.sector and _competitor_key(a) == _competitor_key(b):
            pairs.append((sc_id, other))
    return pairs


def warnings(
    halls: Iterable[Hall],
    slots: Iterable[Slot],
    showcases: Iterable[Showcase],
    placements: Iterable[Placement],
) -> list[Warning]:
    """The soft issues of a (hand-edited) schedule, sorted by showcase id then code.

    competitor_adjacent: a competitor sits in the next or previous slot of the same hall;
    missing_feature: the hall lacks a feature the showcase needs;
    unavailable_day: the slot is on a day the showcase is not available.
    Placements naming an unknown hall, slot or showcase are ignored.
    """
    hall_by_id = {h.id: h for h in halls}
    slot_by_index = {s.index: s for s in slots}
    showcase_by_id = {s.id: s for s in showcases}
    found = set()
    placed = {}
    for p in placements:
        hall = hall_by_id.get(p.hall_id)
        slot = slot_by_index.get(p.slot_index)
        sc = showcase_by_id.get(p.showcase_id)
        if hall is None or slot is None or sc is None:
            continue
        placed[p.hall_id, p.slot_index] = sc.id
        if not sc.needs <= hall.features:
            found.add((sc.id, MISSING_FEATURE))
        if sc.days and slot.day not in sc.days:
            found.add((sc.id, UNAVAILABLE_DAY))
    for a, b in _adjacent_competitors(placed, showcase_by_id, slot_by_index):
        found.add((a, COMPETITOR_ADJACENT))
        found.add((b, COMPETITOR_ADJACENT))
    return [Warning(showcase_id=i, code=c) for i, c in sorted(found)]
