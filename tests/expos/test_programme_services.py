import datetime

import pytest
from icalendar import Calendar

from core.exceptions import InvalidInput, StateConflict
from expos import programme, selectors_programme
from expos.models import Release, ReleasedSlot, ShowcaseOutcome, ShowcaseSlot
from notifications.models import Notification
from startups.support import support_of
from tests import factories
from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def expo():
    return make_expo()


@pytest.fixture
def staff(expo):
    return organiser(expo.department)


def test_grid_has_every_slot_of_every_day_in_the_time_zone(expo):
    cells = programme.expo_grid(expo)
    assert [c.index for c in cells] == list(range(8))
    assert [c.starts_at for c in cells[:4]] == [at(expo, 0, 10), at(expo, 0, 10, 30), at(expo, 0, 11), at(expo, 0, 11, 30)]
    assert cells[4].starts_at == at(expo, 1, 10)
    assert cells[3].ends_at == at(expo, 0, 12)


def test_grid_leaves_out_a_last_slot_that_would_overrun_the_day():
    expo = make_expo(day_ends_at=datetime.time(11, 45), days=1)
    assert [c.starts_at for c in programme.expo_grid(expo)] == [at(expo, 0, 10), at(expo, 0, 10, 30), at(expo, 0, 11)]


def test_schedule_run_places_every_accepted_showcase_once(expo, staff):
    halls = [make_hall(expo, "A"), make_hall(expo, "B")]
    showcases = [make_showcase(expo) for _ in range(5)]
    make_showcase(expo, accepted=False)
    result = programme.schedule_run(expo=expo, by=staff)
    assert (result["placed"], result["unplaced"]) == (5, [])
    slots = list(ShowcaseSlot.objects.all())
    assert sorted(s.showcase_id for s in slots) == sorted(s.pk for s in showcases)
    assert len({(s.hall_id, s.starts_at) for s in slots}) == 5
    assert {s.hall_id for s in slots} <= {h.pk for h in halls}


def test_schedule_run_keeps_a_pinned_slot(expo, staff):
    make_hall(expo, "A")
    other = make_hall(expo, "B")
    pinned = make_showcase(expo)
    place(pinned, other, at(expo, 1, 11, 30), pinned=True)
    for _ in range(3):
        make_showcase(expo)
    programme.schedule_run(expo=expo, by=staff)
    programme.schedule_run(expo=expo, by=staff)
    slot = ShowcaseSlot.objects.get(showcase=pinned)
    assert (slot.hall_id, slot.starts_at, slot.pinned) == (other.pk, at(expo, 1, 11, 30), True)
    assert ShowcaseSlot.objects.count() == 4


def test_schedule_run_reports_a_showcase_no_hall_can_take(expo, staff):
    make_hall(expo, "A", features=["power"])
    needy = make_showcase(expo, needs=["water"])
    result = programme.schedule_run(expo=expo, by=staff)
    assert (result["placed"], result["unplaced"]) == (0, [needy.pk])
    assert ShowcaseSlot.objects.count() == 0


def test_schedule_run_task_records_its_figures(expo, staff, django_capture_on_commit_callbacks):
    make_hall(expo, "A")
    make_showcase(expo)
    from expos.tasks_programme import task_schedule_run

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = programme.schedule_run_queue(expo=expo, by=staff)
    assert len(callbacks) == 1
    assert task_schedule_run(run_id=run.pk) == 1
    run.refresh_from_db()
    assert (run.status, run.progress, run.placed, run.unplaced) == ("done", 100, 1, [])
    assert task_schedule_run(run_id=run.pk) is None  # a second delivery does nothing


def test_move_into_a_taken_slot_is_a_conflict_and_changes_nothing(expo, staff):
    hall = make_hall(expo)
    first, second = make_showcase(expo), make_showcase(expo)
    place(first, hall, at(expo, 0, 10))
    slot = place(second, hall, at(expo, 0, 10, 30))
    with pytest.raises(StateConflict):
        programme.slot_move(slot=slot, starts_at=at(expo, 0, 10), by=staff)
    slot.refresh_from_db()
    assert slot.starts_at == at(expo, 0, 10, 30)


def test_move_off_the_grid_or_to_another_expos_hall_is_refused(expo, staff):
    hall = make_hall(expo)
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    with pytest.raises(InvalidInput):
        programme.slot_move(slot=slot, starts_at=at(expo, 0, 10, 15), by=staff)
    with pytest.raises(InvalidInput):
        programme.slot_move(slot=slot, hall=make_hall(make_expo(), "Elsewhere"), by=staff)


def test_move_and_pin(expo, staff):
    hall, other = make_hall(expo, "A"), make_hall(expo, "B")
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    programme.slot_move(slot=slot, hall=other, starts_at=at(expo, 1, 11), pinned=True, by=staff)
    slot.refresh_from_db()
    assert (slot.hall_id, slot.starts_at, slot.ends_at, slot.pinned) == (
        other.pk,
        at(expo, 1, 11),
        at(expo, 1, 11, 30),
        True,
    )


def test_warnings_list_a_missing_feature_and_a_day_not_offered(expo, staff):
    hall = make_hall(expo, "A")
    needy = make_showcase(expo, needs=["water"])
    day_one = make_showcase(expo, days=[expo.starts_on])
    place(needy, hall, at(expo, 0, 10))
    place(day_one, hall, at(expo, 1, 10))
    codes = {(w.showcase_id, w.code) for w in programme.schedule_warnings(expo=expo)}
    assert {(needy.pk, "missing_feature"), (day_one.pk, "unavailable_day")} <= codes


def test_release_changelog_lists_added_moved_and_removed(expo, staff):
    hall, other = make_hall(expo, "A"), make_hall(expo, "B")
    stays, moves, leaves = make_showcase(expo), make_showcase(expo), make_showcase(expo)
    place(stays, hall, at(expo, 0, 10))
    moving = place(moves, hall, at(expo, 0, 10, 30))
    leaving = place(leaves, hall, at(expo, 0, 11))
    first = programme.release_create(expo=expo, comment="First", by=staff)
    assert (first.version, sorted(c["kind"] for c in first.changes)) == (1, ["added"] * 3)

    programme.slot_move(slot=moving, hall=other, by=staff)
    leaving.delete()
    joins = make_showcase(expo)
    place(joins, other, at(expo, 1, 10))
    second = programme.release_create(expo=expo, comment="Second", by=staff)
    assert second.version == 2
    assert sorted((c["kind"], c["showcase"]) for c in second.changes) == sorted(
        [("moved", moves.pk), ("removed", leaves.pk), ("added", joins.pk)]
    )
    moved = next(c for c in second.changes if c["kind"] == "moved")
    assert (moved["from"]["hall"], moved["to"]["hall"]) == ("A", "B")
    assert ReleasedSlot.objects.filter(release=first).count() == 3
    assert ReleasedSlot.objects.filter(release=second).count() == 3


def test_release_notifies_only_startups_whose_slot_is_new_or_changed(expo, staff):
    hall = make_hall(expo)
    founder_a, founder_b = factories.UserFactory(roles=["founder"]), factories.UserFactory(roles=["founder"])
    a = make_showcase(expo, factories.StartupFactory(owner=founder_a))
    b = make_showcase(expo, factories.StartupFactory(owner=founder_b))
    place(a, hall, at(expo, 0, 10))
    slot_b = place(b, hall, at(expo, 0, 10, 30))
    programme.release_create(expo=expo, by=staff)
    assert Notification.objects.filter(recipient__in=[founder_a, founder_b]).count() == 2
    programme.slot_move(slot=slot_b, starts_at=at(expo, 1, 10), by=staff)
    programme.release_create(expo=expo, by=staff)
    assert Notification.objects.filter(recipient=founder_a).count() == 1
    assert Notification.objects.filter(recipient=founder_b).count() == 2


def test_release_of_an_empty_schedule_is_refused(expo, staff):
    with pytest.raises(StateConflict):
        programme.release_create(expo=expo, by=staff)
    assert Release.objects.count() == 0


def test_public_programme_is_the_last_release_not_a_later_move(expo, staff):
    hall = make_hall(expo)
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    assert selectors_programme.latest_release(expo.pk) is None
    release = programme.release_create(expo=expo, by=staff)
    programme.slot_move(slot=slot, starts_at=at(expo, 1, 11), by=staff)
    shown = list(selectors_programme.released_slots(selectors_programme.latest_release(expo.pk)))
    assert [(s.starts_at, s.hall_name) for s in shown] == [(at(expo, 0, 10), hall.name)]
    assert selectors_programme.latest_release(expo.pk) == release


def test_calendar_has_one_event_per_slot(expo, staff):
    hall = make_hall(expo)
    for hour in (10, 11):
        place(make_showcase(expo), hall, at(expo, 0, hour))
    release = programme.release_create(expo=expo, by=staff)
    from expos.ical import programme_calendar

    calendar = Calendar.from_ical(programme_calendar(release, release.slots.all(), name=expo.name))
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert sorted(e.decoded("dtstart") for e in events) == [at(expo, 0, 10), at(expo, 0, 11)]


def test_outcome_after_the_expo(staff):
    expo = make_expo(starts_in_days=-5)
    hall = make_hall(expo)
    founder = factories.UserFactory(roles=["founder"])
    showcase = make_showcase(expo, factories.StartupFactory(owner=founder, sector="software"))
    place(showcase, hall, at(expo, 0, 10))
    programme.release_create(expo=expo, by=staff)
    programme.outcome_record(showcase=showcase, visitors=120, meetings=8, leads=3, by=founder)
    programme.outcome_record(showcase=showcase, visitors=130, meetings=8, leads=4, by=founder)
    outcome = ShowcaseOutcome.objects.get()
    assert (outcome.visitors, outcome.meetings, outcome.leads) == (130, 8, 4)
    totals = selectors_programme.outcome_totals(expo)
    assert totals["total"] == {"showcases": 1, "visitors": 130, "meetings": 8, "leads": 4}
    assert totals["by_sector"] == [{"sector": "software", "showcases": 1, "visitors": 130, "meetings": 8, "leads": 4}]


def test_outcome_before_the_expo_ends_is_refused(expo, staff):
    hall = make_hall(expo)
    showcase = make_showcase(expo)
    place(showcase, hall, at(expo, 0, 10))
    programme.release_create(expo=expo, by=staff)
    with pytest.raises(StateConflict):
        programme.outcome_record(showcase=showcase, visitors=1, meetings=1, leads=1, by=staff)
    assert ShowcaseOutcome.objects.count() == 0


def test_support_counts_released_slots_of_the_last_release_at_the_slot_value(expo, staff):
    hall = make_hall(expo)
    startup = factories.StartupFactory()
    slot = place(make_showcase(expo, startup), hall, at(expo, 0, 10))
    assert support_of(startup).by_kind["expo"] == 0
    programme.release_create(expo=expo, by=staff)
    programme.slot_move(slot=slot, starts_at=at(expo, 0, 11), by=staff)
    programme.release_create(expo=expo, by=staff)
    support = support_of(startup)
    assert support.by_kind["expo"] == expo.slot_value
    assert [(e.kind, e.date, e.amount) for e in support.entries] == [("expo", expo.starts_on, expo.slot_value)]
