"""The pure showcase scheduler: hard rules, reasons of unplaced showcases, warnings, determinism,
and properties on random small instances."""

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expos.scheduler import (
    Hall,
    Placement,
    Showcase,
    Slot,
    Unplaced,
    Warning,
    Weights,
    _fewest_groups,
    _fewest_groups_apart,
    _fewest_groups_split,
    _swap_down,
    schedule,
    warnings,
)

MONDAY = date(2026, 5, 4)
TUESDAY = date(2026, 5, 5)


def grid(days=1, per_day=4):
    slots = []
    for d in range(days):
        day = MONDAY + timedelta(days=d)
        for k in range(per_day):
            starts = datetime(day.year, day.month, day.day, 9) + timedelta(minutes=30 * k)
            slots.append(Slot(index=d * per_day + k, day=day, starts_at=starts))
    return slots


def cells(result):
    return {p.showcase_id: (p.hall_id, p.slot_index) for p in result.placements}


def check_hard_rules(halls, slots, showcases, result):
    """Every rule that must never break, and every showcase accounted for exactly once."""
    hall_by_id = {h.id: h for h in halls}
    slot_by_index = {s.index: s for s in slots}
    showcase_by_id = {s.id: s for s in showcases}
    placed_ids = [p.showcase_id for p in result.placements]
    unplaced_ids = [u.showcase_id for u in result.unplaced]
    assert sorted(placed_ids + unplaced_ids) == sorted(showcase_by_id)
    cells_taken = [(p.hall_id, p.slot_index) for p in result.placements]
    assert len(cells_taken) == len(set(cells_taken))
    for p in result.placements:
        sc = showcase_by_id[p.showcase_id]
        assert sc.needs <= hall_by_id[p.hall_id].features
        assert not sc.days or slot_by_index[p.slot_index].day in sc.days
        if sc.pinned is not None:
            assert (p.hall_id, p.slot_index) == sc.pinned
    assert result.bound <= result.objective


def test_every_showcase_is_placed_once_when_there_is_room():
    halls = [Hall(1), Hall(2)]
    slots = grid(per_day=3)
    showcases = [Showcase(id=i, startup_id=i, sector="bio") for i in range(1, 6)]
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert sorted(cells(result)) == [1, 2, 3, 4, 5]
    assert result.unplaced == ()


def test_no_cell_holds_two_and_the_rest_lack_a_free_slot():
    halls = [Hall(1)]
    slots = grid(per_day=2)
    showcases = [Showcase(id=i, startup_id=i) for i in range(1, 4)]
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert len(result.placements) == 2
    assert [u.reason for u in result.unplaced] == ["no_free_slot"]


def test_a_showcase_sits_only_on_its_days():
    halls = [Hall(1)]
    slots = grid(days=2, per_day=2)
    showcases = [Showcase(id=1, startup_id=1, days=frozenset({TUESDAY}))]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert cells(result)[1][1] in (2, 3)


def test_a_showcase_sits_only_in_a_hall_with_its_features():
    halls = [Hall(1), Hall(2, frozenset({"power", "water"}))]
    slots = grid(per_day=2)
    showcases = [Showcase(id=1, startup_id=1, needs=frozenset({"power"}))]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert cells(result)[1][0] == 2


def test_a_pinned_showcase_stays_and_others_go_around_it():
    halls = [Hall(1)]
    slots = grid(per_day=3)
    showcases = [
        Showcase(id=1, startup_id=1, pinned=(1, 1)),
        Showcase(id=2, startup_id=2),
        Showcase(id=3, startup_id=3),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert cells(result)[1] == (1, 1)
    assert sorted(cells(result).values()) == [(1, 0), (1, 1), (1, 2)]


def test_reasons_of_unplaced_showcases():
    halls = [Hall(1, frozenset({"power"}))]
    slots = grid(per_day=2)
    showcases = [
        Showcase(id=1, startup_id=1, needs=frozenset({"water"})),
        Showcase(id=2, startup_id=2, days=frozenset({TUESDAY})),
        Showcase(id=3, startup_id=3, pinned=(1, 0)),
        Showcase(id=4, startup_id=4, pinned=(1, 0)),
        Showcase(id=5, startup_id=5, pinned=(9, 0)),
        Showcase(id=6, startup_id=6, pinned=(1, 7)),
        Showcase(id=7, startup_id=7),
        Showcase(id=8, startup_id=8),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert cells(result)[3] == (1, 0)
    placed_free = {7, 8} & set(cells(result))
    assert len(placed_free) == 1
    lacking = ({7, 8} - placed_free).pop()
    assert result.unplaced == tuple(
        sorted(
            [
                Unplaced(1, "no_hall_with_features"),
                Unplaced(2, "no_available_day"),
                Unplaced(4, "pinned_conflict"),
                Unplaced(5, "pinned_conflict"),
                Unplaced(6, "pinned_conflict"),
                Unplaced(lacking, "no_free_slot"),
            ],
            key=lambda u: u.showcase_id,
        )
    )


def test_a_pin_breaking_a_rule_is_a_conflict():
    halls = [Hall(1), Hall(2, frozenset({"power"}))]
    slots = grid(days=2, per_day=2)
    showcases = [
        Showcase(id=1, startup_id=1, needs=frozenset({"power"}), pinned=(1, 0)),
        Showcase(id=2, startup_id=2, days=frozenset({TUESDAY}), pinned=(1, 0)),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert result.placements == ()
    assert result.unplaced == (Unplaced(1, "pinned_conflict"), Unplaced(2, "pinned_conflict"))


def test_no_free_slot_when_every_fitting_cell_is_pinned():
    halls = [Hall(1, frozenset({"power"})), Hall(2)]
    slots = grid(per_day=1)
    showcases = [
        Showcase(id=1, startup_id=1, pinned=(1, 0)),
        Showcase(id=2, startup_id=2, needs=frozenset({"power"})),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert result.unplaced == (Unplaced(2, "no_free_slot"),)


def test_one_sector_is_kept_together_in_a_hall():
    halls = [Hall(1), Hall(2)]
    slots = grid(per_day=2)
    showcases = [
        Showcase(id=1, startup_id=1, sector="bio", stage="seed"),
        Showcase(id=2, startup_id=2, sector="fintech", stage="seed"),
        Showcase(id=3, startup_id=3, sector="bio", stage="growth"),
        Showcase(id=4, startup_id=4, sector="fintech", stage="growth"),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    where = cells(result)
    assert where[1][0] == where[3][0]
    assert where[2][0] == where[4][0]
    assert result.status == "optimal"
    assert result.objective == 2 * Weights().same_sector_hall_day
    assert result.bound == result.objective


def test_competitors_are_not_side_by_side_when_avoidable():
    halls = [Hall(1)]
    slots = grid(per_day=4)
    showcases = [
        Showcase(id=1, startup_id=1, sector="bio", stage="seed"),
        Showcase(id=2, startup_id=2, sector="bio", stage="seed"),
        Showcase(id=3, startup_id=3, sector="bio", stage="growth"),
        Showcase(id=4, startup_id=4, sector="bio", stage="growth"),
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert warnings(halls, slots, showcases, result.placements) == []
    assert result.objective == Weights().same_sector_hall_day


def test_the_days_are_evened_out():
    halls = [Hall(1)]
    slots = grid(days=2, per_day=4)
    showcases = [Showcase(id=i, startup_id=i) for i in range(1, 5)]
    result = schedule(halls, slots, showcases, time_limit=5)
    days = sorted(p.slot_index // 4 for p in result.placements)
    assert days == [0, 0, 1, 1]
    assert result.objective == 0


def test_no_idle_gap_around_a_pin():
    halls = [Hall(1)]
    slots = grid(per_day=6)
    showcases = [Showcase(id=1, startup_id=1, pinned=(1, 4))] + [Showcase(id=i, startup_id=i) for i in (2, 3)]
    result = schedule(halls, slots, showcases, time_limit=5)
    assert sorted(i for _, i in cells(result).values()) == [2, 3, 4]
    assert result.objective == 0


def test_warnings_of_a_hand_edited_schedule():
    halls = [Hall(1), Hall(2, frozenset({"power"}))]
    slots = grid(days=2, per_day=3)
    showcases = [
        Showcase(id=1, startup_id=1, sector="bio", stage="seed"),
        Showcase(id=2, startup_id=2, sector="bio", stage="seed"),
        Showcase(id=3, startup_id=3, sector="bio", stage="growth"),
        Showcase(id=4, startup_id=4, needs=frozenset({"power"})),
        Showcase(id=5, startup_id=5, days=frozenset({MONDAY})),
        Showcase(id=6, startup_id=6, sector="bio", stage="seed"),
    ]
    placements = [
        Placement(1, 1, 0),
        Placement(2, 1, 1),
        Placement(3, 1, 2),
        Placement(4, 1, 3),
        Placement(5, 2, 4),
        Placement(6, 2, 2),  # the last slot of Monday: not next to slot 3 on Tuesday
    ]
    assert warnings(halls, slots, showcases, placements) == [
        Warning(1, "competitor_adjacent"),
        Warning(2, "competitor_adjacent"),
        Warning(4, "missing_feature"),
        Warning(5, "unavailable_day"),
    ]


def test_a_showcase_without_a_sector_has_no_competitor():
    halls = [Hall(1)]
    slots = grid(per_day=2)
    showcases = [Showcase(id=1, startup_id=1), Showcase(id=2, startup_id=2)]
    assert warnings(halls, slots, showcases, [Placement(1, 1, 0), Placement(2, 1, 1)]) == []


def test_progress_is_reported_up_to_one():
    halls = [Hall(1)]
    slots = grid(per_day=2)
    seen = []
    schedule(halls, slots, [Showcase(id=1, startup_id=1)], time_limit=5, on_progress=seen.append)
    assert seen[-1] == 1.0
    assert all(0 <= f <= 1 for f in seen)


def test_the_same_input_gives_the_same_schedule():
    halls = [Hall(h, frozenset({"power"}) if h == 1 else frozenset()) for h in range(1, 4)]
    slots = grid(days=2, per_day=4)
    showcases = [
        Showcase(
            id=i,
            startup_id=i,
            sector=["bio", "food", "media"][i % 3],
            stage=["seed", "growth"][i % 2],
            needs=frozenset({"power"}) if i % 5 == 0 else frozenset(),
        )
        for i in range(1, 25)
    ]
    first = schedule(halls, slots, showcases, time_limit=5, seed=3)
    second = schedule(halls, slots, showcases, time_limit=5, seed=3)
    assert (first.placements, first.unplaced, first.objective) == (
        second.placements,
        second.unplaced,
        second.objective,
    )


def test_fewest_groups_sees_sectors_that_must_share_bins():
    # three sectors of 10 in two bins of 16: two must share both bins (10 + 6, 4 + 10), so four
    # groups; counting each sector apart would say three
    assert _fewest_groups([10, 10, 10], 16, 30, 2) == 4
    assert _fewest_groups_apart([10, 10, 10], 16, 0) == 3
    # two may be left out: too few to free a bin, so still four
    assert _fewest_groups([10, 10, 10], 16, 28, 2) == 4
    # the small sector may be left out whole: the others fill a bin each
    assert _fewest_groups([16, 16, 5], 16, 32, 2) == 2


def test_swaps_gather_a_sector_into_one_cell():
    first, second = (1, MONDAY), (2, MONDAY)
    showcases = [
        Showcase(id=1, startup_id=1, sector="bio", stage="seed"),
        Showcase(id=2, startup_id=2, sector="food", stage="seed"),
        Showcase(id=3, startup_id=3, sector="food", stage="growth"),
        Showcase(id=4, startup_id=4, sector="bio", stage="growth"),
    ]
    options = {sc.id: [first, second] for sc in showcases}
    chosen = {1: first, 2: first, 3: second, 4: second}
    _swap_down(chosen, showcases, options, Weights())
    assert chosen[1] == chosen[4] and chosen[2] == chosen[3] and chosen[1] != chosen[2]


def test_the_bound_is_tight_when_sectors_must_share_bins():
    halls = [Hall(1)]
    slots = grid(days=2, per_day=16)
    stages = ["a", "b", "c", "d", "e"]
    showcases = [
        Showcase(id=i, startup_id=i, sector=["bio", "food", "media"][i % 3], stage=stages[i // 3 % 5])
        for i in range(30)
    ]
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert result.objective == 4 * Weights().same_sector_hall_day
    assert result.bound == result.objective


def test_the_bound_sees_showcases_that_fit_only_some_halls():
    # the two needing power fill hall 1 and split it; the others then split hall 2: four groups,
    # where the sector sizes alone (two of each in two cells of two) would allow two
    halls = [Hall(1, frozenset({"power"})), Hall(2)]
    slots = grid(per_day=2)
    power = frozenset({"power"})
    showcases = [
        Showcase(id=1, startup_id=1, sector="bio", needs=power),
        Showcase(id=2, startup_id=2, sector="food", needs=power),
        Showcase(id=3, startup_id=3, sector="bio"),
        Showcase(id=4, startup_id=4, sector="food"),
    ]
    both = [(1, MONDAY), (2, MONDAY)]
    options = {1: both[:1], 2: both[:1], 3: both, 4: both}
    room = dict.fromkeys(both, 2)
    assert _fewest_groups([2, 2], 2, 4, 2) == 2
    assert _fewest_groups_split(halls, showcases, options, room, 2, 4) == 4
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    assert result.objective == 4 * Weights().same_sector_hall_day
    assert result.bound == result.objective


def test_nothing_to_schedule():
    result = schedule([Hall(1)], grid(), [], time_limit=1)
    assert (result.placements, result.unplaced, result.objective) == ((), (), 0)


# --- properties ---------------------------------------------------------------------------------

FEATURES = ["power", "water"]


@st.composite
def instances(draw):
    n_halls = draw(st.integers(1, 3))
    n_days = draw(st.integers(1, 2))
    per_day = draw(st.integers(1, 3))
    halls = [Hall(h, frozenset(draw(st.sets(st.sampled_from(FEATURES))))) for h in range(1, n_halls + 1)]
    slots = grid(days=n_days, per_day=per_day)
    all_days = sorted({s.day for s in slots} | {TUESDAY + timedelta(days=3)})
    n = draw(st.integers(0, 8))
    showcases = []
    for i in range(1, n + 1):
        pinned = None
        if draw(st.integers(0, 4)) == 0:
            pinned = (draw(st.integers(1, n_halls + 1)), draw(st.integers(0, len(slots))))
        showcases.append(
            Showcase(
                id=i,
                startup_id=i,
                sector=draw(st.sampled_from(["", "bio", "food"])),
                stage=draw(st.sampled_from(["seed", "growth"])),
                needs=frozenset(draw(st.sets(st.sampled_from(FEATURES), max_size=1))),
                days=frozenset(draw(st.sets(st.sampled_from(all_days), max_size=2))),
                pinned=pinned,
            )
        )
    return halls, slots, showcases


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(instances())
def test_the_hard_rules_always_hold(instance):
    halls, slots, showcases = instance
    result = schedule(halls, slots, showcases, time_limit=5)
    check_hard_rules(halls, slots, showcases, result)
    hall_by_id = {h.id: h for h in halls}
    slot_by_index = {s.index: s for s in slots}
    where = cells(result)
    taken = set()
    for sc in showcases:
        if sc.pinned is None:
            continue
        hall, slot = hall_by_id.get(sc.pinned[0]), slot_by_index.get(sc.pinned[1])
        valid = (
            hall is not None
            and slot is not None
            and sc.needs <= hall.features
            and (not sc.days or slot.day in sc.days)
            and sc.pinned not in taken
        )
        if valid:
            taken.add(sc.pinned)
            assert where[sc.id] == sc.pinned
        else:
            assert sc.id not in where


@PROPERTY
@given(instances(), st.sets(st.sampled_from(FEATURES)))
def test_adding_a_hall_never_places_fewer(instance, features):
    halls, slots, showcases = instance
    before = schedule(halls, slots, showcases, time_limit=5)
    more = halls + [Hall(max(h.id for h in halls) + 1, frozenset(features))]
    after = schedule(more, slots, showcases, time_limit=5)
    assert len(after.placements) >= len(before.placements)
