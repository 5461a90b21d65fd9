"""The pure space allocator: hard constraints, what the objective prefers, the baseline floor,
determinism, and properties over random small instances."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from spaces.allocator import Assignment, Request, Taken, Unit, Weights, greedy, propose, score

JAN = date(2027, 1, 1)
FEB = date(2027, 2, 1)
MAR = date(2027, 3, 1)
APR = date(2027, 4, 1)


def request(id, *, kind="desk", seats=1, starts_on=JAN, ends_on=MAR, waited_days=0, site_id=None, sector=""):
    return Request(id=id, kind=kind, seats=seats, starts_on=starts_on, ends_on=ends_on,
                   waited_days=waited_days, site_id=site_id, sector=sector)


def placed(result):
    return {a.request_id: a.unit_id for a in result.assignments}


def test_a_request_only_gets_a_unit_of_its_kind():
    units = [Unit(id=1, site_id=1, kind="office", seats=1), Unit(id=2, site_id=1, kind="desk", seats=1)]

    result = propose(units, [], [request(10, kind="desk")], time_limit=2)

    assert placed(result) == {10: 2}


def test_a_request_only_gets_a_unit_with_enough_seats():
    units = [Unit(id=1, site_id=1, kind="office", seats=2), Unit(id=2, site_id=1, kind="office", seats=4)]

    result = propose(units, [], [request(10, kind="office", seats=3), request(11, kind="office", seats=5)],
                     time_limit=2)

    assert placed(result) == {10: 2}
    assert result.unassigned == (11,)


def test_overlapping_requests_do_not_share_a_unit():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1)]

    result = propose(units, [], [request(10, starts_on=JAN, ends_on=MAR), request(11, starts_on=FEB, ends_on=APR)],
                     time_limit=2)

    assert len(result.assignments) == 1


def test_a_request_does_not_overlap_what_is_taken():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1), Unit(id=2, site_id=1, kind="desk", seats=1)]
    taken = [Taken(unit_id=1, starts_on=FEB, ends_on=APR)]

    result = propose(units, taken, [request(10, starts_on=JAN, ends_on=MAR)], time_limit=2)

    assert placed(result) == {10: 2}


def test_back_to_back_stays_share_a_unit():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1)]
    taken = [Taken(unit_id=1, starts_on=JAN, ends_on=FEB)]

    result = propose(units, taken, [request(10, starts_on=FEB, ends_on=MAR), request(11, starts_on=MAR, ends_on=APR)],
                     time_limit=2)

    assert placed(result) == {10: 1, 11: 1}


def test_the_preferred_site_wins():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1), Unit(id=2, site_id=2, kind="desk", seats=1)]

    result = propose(units, [], [request(10, site_id=2)], time_limit=2)

    assert placed(result) == {10: 2}
    assert result.objective > result.baseline_objective


def test_less_waste_wins():
    units = [Unit(id=1, site_id=1, kind="office", seats=12), Unit(id=2, site_id=1, kind="office", seats=3)]

    result = propose(units, [], [request(10, kind="office", seats=2)], time_limit=2)

    assert placed(result) == {10: 2}


def test_who_waited_longer_wins_when_units_are_scarce():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1)]

    result = propose(units, [], [request(10, waited_days=3), request(11, waited_days=40)], time_limit=2)

    assert placed(result) == {11: 1}
    assert result.unassigned == (10,)


def test_a_neighbour_of_the_same_sector_wins():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1, floor=0), Unit(id=2, site_id=1, kind="desk", seats=1, floor=3),
             Unit(id=3, site_id=1, kind="desk", seats=1, floor=3)]
    taken = [Taken(unit_id=3, starts_on=JAN, ends_on=APR, sector="bio")]

    result = propose(units, taken, [request(10, sector="bio")], time_limit=2)

    assert placed(result) == {10: 2}


def test_two_requests_of_one_sector_are_placed_together():
    units = [Unit(id=1, site_id=1, kind="desk", seats=1, floor=0), Unit(id=2, site_id=1, kind="desk", seats=1, floor=1),
             Unit(id=3, site_id=1, kind="desk", seats=1, floor=1)]
    weights = Weights(same_sector=50)

    result = propose(units, [], [request(10, sector="ai"), request(11, sector="ai")], weights=weights, time_limit=2)

    assert sorted(placed(result).values()) == [2, 3]
    assert result.objective == result.baseline_objective + 50


def test_the_score_of_an_assignment():
    units = [Unit(id=1, site_id=1, kind="office", seats=4, floor=2)]
    taken = [Taken(unit_id=1, starts_on=JAN, ends_on=FEB, sector="bio")]
    requests = [request(10, kind="office", seats=3, starts_on=FEB, waited_days=5, site_id=1, sector="bio")]
    weights = Weights(waited=10, preferred_site=200, wasted_seat=20, same_sector=50)

    assert score(units, taken, requests, [Assignment(10, 1)], weights=weights) == 1000 + 10 * 5 + 200 - 20 + 50


def test_greedy_serves_the_longest_waiting_first_on_the_first_fitting_unit():
    units = [Unit(id=2, site_id=1, kind="desk", seats=1), Unit(id=1, site_id=1, kind="desk", seats=1)]
    requests = [request(10, waited_days=1), request(11, waited_days=9), request(12, waited_days=5)]

    assert greedy(units, [], requests) == (Assignment(11, 1), Assignment(12, 2))


def test_two_runs_propose_the_same():
    # Small enough to be solved to optimality within the limit even on a busy machine: a search
    # cut short by the wall clock may end elsewhere (the module's docstring says so).
    units = [Unit(id=i, site_id=i % 3, kind="desk" if i % 2 else "office", seats=1 + i % 5, floor=i % 2)
             for i in range(1, 13)]
    requests = [request(100 + i, kind="desk" if i % 3 else "office", seats=1 + i % 4,
                        starts_on=JAN + timedelta(days=7 * (i % 9)), ends_on=APR + timedelta(days=3 * (i % 7)),
                        waited_days=i % 11, site_id=i % 4 or None, sector=("bio", "ai", "")[i % 3])
                for i in range(30)]

    first = propose(units, [], requests, time_limit=10)
    second = propose(units, [], requests, time_limit=10)

    assert (first.status, second.status) == ("optimal", "optimal")
    assert (first.assignments, first.objective, first.bound) == (second.assignments, second.objective, second.bound)


def test_on_progress_ends_at_one():
    seen = []

    propose([Unit(id=1, site_id=1, kind="desk", seats=1)], [], [request(10)], time_limit=2, on_progress=seen.append)

    assert (seen[0], seen[-1]) == (0.0, 1.0)


def test_nothing_to_allocate():
    result = propose([], [], [], time_limit=1)

    assert (result.assignments, result.unassigned, result.objective, result.baseline_objective) == ((), (), 0, 0)


# --- properties -------------------------------------------------------------------------------

KINDS = ("desk", "office")
SECTORS = ("", "bio", "ai")


@st.composite
def instances(draw):
    units = [
        Unit(id=i + 1, site_id=draw(st.integers(1, 2)), kind=draw(st.sampled_from(KINDS)),
             seats=draw(st.integers(1, 6)), floor=draw(st.integers(0, 1)))
        for i in range(draw(st.integers(0, 6)))
    ]
    taken = []
    for _ in range(draw(st.integers(0, 4))) if units else ():
        start = JAN + timedelta(days=draw(st.integers(0, 60)))
        taken.append(Taken(unit_id=draw(st.sampled_from(units)).id, starts_on=start,
                           ends_on=start + timedelta(days=draw(st.integers(1, 60))), sector=draw(st.sampled_from(SECTORS))))
    requests = []
    for i in range(draw(st.integers(0, 12))):
        start = JAN + timedelta(days=draw(st.integers(0, 60)))
        requests.append(Request(
            id=100 + i, kind=draw(st.sampled_from(KINDS)), seats=draw(st.integers(1, 6)), starts_on=start,
            ends_on=start + timedelta(days=draw(st.integers(1, 60))), waited_days=draw(st.integers(0, 30)),
            site_id=draw(st.sampled_from((None, 1, 2))), sector=draw(st.sampled_from(SECTORS)),
        ))
    return units, taken, requests


@settings(max_examples=40, deadline=None)
@given(instances())
def test_proposals_respect_the_hard_constraints_and_beat_the_baseline(instance):
    units, taken, requests = instance
    by_unit = {u.id: u for u in units}
    by_request = {r.id: r for r in requests}

    result = propose(units, taken, requests, time_limit=1)

    stays = [(t.unit_id, t.starts_on, t.ends_on) for t in taken]
    for a in result.assignments:
        unit, wanted = by_unit[a.unit_id], by_request[a.request_id]
        assert unit.kind == wanted.kind
        assert unit.seats >= wanted.seats
        for unit_id, starts_on, ends_on in stays:
            assert not (unit_id == unit.id and starts_on < wanted.ends_on and wanted.starts_on < ends_on)
        stays.append((unit.id, wanted.starts_on, wanted.ends_on))
    ids = [a.request_id for a in result.assignments]
    assert len(ids) == len(set(ids))
    assert sorted(ids + list(result.unassigned)) == sorted(by_request)
    assert result.objective == score(units, taken, requests, result.assignments)
    assert result.baseline_objective == score(units, taken, requests, greedy(units, taken, requests))
    assert result.objective >= result.baseline_objective
    assert result.bound >= result.objective
