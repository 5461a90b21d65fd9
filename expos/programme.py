"""The programme of an expo: its slot grid, the scheduler's runs, manual moves, versioned
releases and what each showcase brought.

- The **grid** is every (day, time) cell of the expo: its days from `starts_on` to `ends_on`,
  each cut into `slot_minutes` from `day_starts_at` to `day_ends_at` (a last cell that would
  end after `day_ends_at` is left out), as aware datetimes in TIME_ZONE. Cells are numbered
  from 0 across the whole expo, consecutively within a day.
- A **ShowcaseSlot** is where one accepted showcase is now (working copy, organisers only). The
  unique constraint (hall, starts_at) is what guarantees that no hall holds two showcases in
  one cell, under any concurrency; the services' checks only give a clearer message.
- A **Release** freezes the slots as they stand into `ReleasedSlot` rows (version n + 1); the
  public programme is the last release, never the working copy.
"""
import datetime
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput, StateConflict
from notifications.services import Notice, notify_all
from startups.models import Membership

from . import scheduler
from .models import Expo, Release, ReleasedSlot, ScheduleRun, Showcase, ShowcaseOutcome, ShowcaseSlot

# --- the grid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    index: int
    day: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def expo_grid(expo: Expo) -> list[Cell]:
    """Every cell of the expo's slot grid, in order (see the module's docstring)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    step = datetime.timedelta(minutes=expo.slot_minutes)
    cells = []
    if not expo.slot_minutes or expo.slot_minutes <= 0:
        return cells
    day = expo.starts_on
    while day <= expo.ends_on:
        start = datetime.datetime.combine(day, expo.day_starts_at, tzinfo=zone)
        day_end = datetime.datetime.combine(day, expo.day_ends_at, tzinfo=zone)
        while start + step <= day_end:
            cells.append(Cell(len(cells), day, start, start + step))
            start += step
        day += datetime.timedelta(days=1)
    return cells


def _cells_by_start(cells: list[Cell]) -> dict[datetime.datetime, Cell]:
    return {cell.starts_at: cell for cell in cells}


def _scheduler_slots(cells):
    return [scheduler.Slot(index=c.index, day=c.day, starts_at=c.starts_at) for c in cells]


def _scheduler_halls(expo):
    return [scheduler.Hall(id=h.pk, features=frozenset(h.features or ())) for h in expo.halls.all()]


def _scheduler_showcase(showcase, pinned=None):
    return scheduler.Showcase(
        id=showcase.pk,
        startup_id=showcase.startup_id,
        sector=showcase.sector or "",
        stage=getattr(showcase.startup, "stage", "") or "",
        needs=frozenset(showcase.needs or ()),
        days=frozenset(_as_date(d) for d in (showcase.available_days or ())),
        pinned=pinned,
    )


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def accepted_showcases(expo):
    from .selectors_programme import accepted_showcases_of

    return accepted_showcases_of(expo)


# --- the scheduler ----------------------------------------------------------------------------


def schedule_run(*, expo: Expo, by, run: ScheduleRun | None = None) -> dict:
    """Place every accepted showcase of `expo` that can be placed, keeping the pinned slots.

    Side effects: in one transaction, deletes the expo's unpinned slots (and the slots of
    showcases no longer accepted) and writes one slot per new placement; updates `run` (its
    progress while the solver works, then its figures) when one is given. Returns
    {"placed", "unplaced": [ids], "reasons": {id: reason}, "objective", "bound", "status"}.
    """
    cells = expo_grid(expo)
    if not cells:
        raise InvalidInput(_("The expo's days and hours leave no slot to place a showcase in."))
    by_start = _cells_by_start(cells)
    showcases = list(accepted_showcases(expo))
    accepted_ids = {s.pk for s in showcases}
    current = {slot.showcase_id: slot for slot in ShowcaseSlot.objects.filter(showcase__expo=expo)}
    inputs = []
    for showcase in showcases:
        slot = current.get(showcase.pk)
        pinned = None
        if slot is not None and slot.pinned and slot.starts_at in by_start:
            pinned = (slot.hall_id, by_start[slot.starts_at].index)
        inputs.append(_scheduler_showcase(showcase, pinned))

    result = scheduler.schedule(
        _scheduler_halls(expo),
        _scheduler_slots(cells),
        inputs,
        time_limit=float(getattr(settings, "EXPO_SCHEDULER_SECONDS", 10.0)),
        workers=int(getattr(settings, "EXPO_SCHEDULER_WORKERS", 2)),
        on_progress=(lambda fraction: _run_progress(run, fraction)) if run is not None else None,
    )
    kept = {s.id for s in inputs if s.pinned is not None}
    with transaction.atomic():
        ShowcaseSlot.objects.filter(showcase__expo=expo).exclude(showcase_id__in=kept).delete()
        ShowcaseSlot.objects.filter(showcase__expo=expo).exclude(showcase_id__in=accepted_ids).delete()
        step = datetime.timedelta(minutes=expo.slot_minutes)
        ShowcaseSlot.objects.bulk_create(
            ShowcaseSlot(
                showcase_id=p.showcase_id,
                hall_id=p.hall_id,
                starts_at=cells[p.slot_index].starts_at,
                ends_at=cells[p.slot_index].starts_at + step,
                pinned=False,
            )
            for p in result.placements
            if p.showcase_id not in kept
        )
        figures = {
            "placed": len(result.placements),
            "unplaced": [u.showcase_id for u in result.unplaced],
            "reasons": {u.showcase_id: u.reason for u in result.unplaced},
            "objective": result.objective,
            "bound": result.bound,
            "status": result.status,
        }
        if run is not None:
            ScheduleRun.objects.filter(pk=run.pk).update(
                status=ScheduleRun.Status.DONE,
                progress=100,
                placed=figures["placed"],
                unplaced=figures["unplaced"],
                objective=result.objective,
                bound=result.bound,
                finished_at=timezone.now(),
            )
    return figures


def _run_progress(run, fraction: float):
    """The solver's report of its progress (the share of its time limit used), written to the
    run row at once so that the page, which polls it, shows it. The solver calls from its own
    thread, on that thread's database connection, closed again after the write; progress is
    only for people to watch, so a write that fails (the row locked) is skipped."""
    progress = max(0, min(99, int(100 * fraction)))
    try:
        ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.RUNNING).update(progress=progress)
    except DatabaseError:
        pass
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def schedule_run_queue(*, expo: Expo, by) -> ScheduleRun:
    """Ask for a run in the background (the page's button).

    Side effects: a ScheduleRun row (queued); after commit, the Celery task that runs it. A run
    already queued or running for the expo is returned instead of a second one.
    """
    with transaction.atomic():
        Expo.objects.select_for_update().filter(pk=expo.pk).first()
        waiting = ScheduleRun.objects.filter(
            expo=expo, status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING]
        ).first()
        if waiting is not None:
            return waiting
        run = ScheduleRun.objects.create(expo=expo, by=by)
        from .tasks_programme import task_schedule_run

        transaction.on_commit(lambda: task_schedule_run.delay(run_id=run.pk))
    return run


def schedule_run_execute(*, run: ScheduleRun) -> dict | None:
    """Run a queued run (the task). Does nothing if it already ran.

    Side effects: the run is `running`, then `done` with its figures (or `failed` with the
    error's message); the expo's slots as `schedule_run`.
    """
    claimed = ScheduleRun.objects.filter(pk=run.pk, status=ScheduleRun.Status.QUEUED).update(
        status=ScheduleRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    try:
        return schedule_run(expo=run.expo, by=run.by, run=run)
    except InvalidInput as exc:
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.FAILED, error=str(exc.message)[:300], finished_at=timezone.now()
        )
        return None


# --- manual edits -----------------------------------------------------------------------------


def slot_move(*, slot: ShowcaseSlot, hall=None, starts_at=None, pinned=None, by) -> ShowcaseSlot:
    """Move a showcase to another hall and/or cell, and/or (un)pin it.

    Refused: a hall of another expo, a time that is no cell of the grid (400); a (hall, cell)
    another showcase holds (409: the unique constraint decides under concurrency). Side effects:
    saves the slot.
    """
    expo = slot.showcase.expo
    if hall is not None and hall.expo_id != expo.pk:
        raise InvalidInput(_("This hall is not one of the expo's."), field="hall")
    new_start = slot.starts_at
    if starts_at is not None:
        cell = _cells_by_start(expo_grid(expo)).get(starts_at)
        if cell is None:
            raise InvalidInput(_("Choose the start of one of the expo's slots."), field="starts_at")
        new_start = cell.starts_at
    new_hall_id = hall.pk if hall is not None else slot.hall_id
    step = datetime.timedelta(minutes=expo.slot_minutes)
    taken = (
        ShowcaseSlot.objects.filter(hall_id=new_hall_id, starts_at=new_start).exclude(pk=slot.pk).exists()
    )
    if taken:
        raise StateConflict(_("Another showcase already holds this hall at this time."))
    slot.hall_id = new_hall_id
    slot.starts_at = new_start
    slot.ends_at = new_start + step
    if pinned is not None:
        slot.pinned = pinned
    try:
        with transaction.atomic():
            slot.save(update_fields=["hall", "starts_at", "ends_at", "pinned"])
    except IntegrityError as exc:
        raise StateConflict(_("Another showcase already holds this hall at this time.")) from exc
    return slot


def schedule_warnings(*, expo: Expo) -> list[scheduler.Warning]:
    """The soft issues of the schedule as it stands (competitors side by side, a hall lacking a
    feature asked for, a day not offered). Reads only."""
    cells = expo_grid(expo)
    by_start = _cells_by_start(cells)
    slots = list(ShowcaseSlot.objects.filter(showcase__expo=expo).select_related("showcase__startup"))
    placements = [
        scheduler.Placement(showcase_id=s.showcase_id, hall_id=s.hall_id, slot_index=by_start[s.starts_at].index)
        for s in slots
        if s.starts_at in by_start
    ]
    return scheduler.warnings(
        _scheduler_halls(expo),
        _scheduler_slots(cells),
        [_scheduler_showcase(s.showcase) for s in slots],
        placements,
    )


# --- releases ---------------------------------------------------------------------------------


def _frozen(slot: ShowcaseSlot) -> dict:
    return {"hall": slot.hall_name, "starts_at": slot.starts_at.isoformat()}


def release_changes(previous: list, current: list) -> list[dict]:
    """The changelog from `previous` to `current` released slots (ReleasedSlot-like rows):
    `added`, `removed` and `moved` (another hall or time), by showcase, in programme order."""
    before = {row.showcase_id: row for row in previous}
    after = {row.showcase_id: row for row in current}
    changes = []
    for row in current:
        old = before.get(row.showcase_id)
        entry = {"showcase": row.showcase_id, "startup": row.startup_name, "title": row.title}
        if old is None:
            changes.append({"kind": "added", **entry, "from": None, "to": _frozen(row)})
        elif (old.hall_name, old.starts_at) != (row.hall_name, row.starts_at):
            changes.append({"kind": "moved", **entry, "from": _frozen(old), "to": _frozen(row)})
    for row in previous:
        if row.showcase_id not in after:
            changes.append(
                {
                    "kind": "removed",
                    "showcase": row.showcase_id,
                    "startup": row.startup_name,
                    "title": row.title,
                    "from": _frozen(row),
                    "to": None,
                }
            )
    return changes


def release_create(*, expo: Expo, comment: str = "", by) -> Release:
    """Make the schedule as it stands the public programme: version n + 1.

    Refused (409) when nothing is scheduled. Side effects: a Release with its changelog against
    the previous release, one ReleasedSlot per slot (a frozen copy: hall name, times, title,
    startup name), and a notice (in the app and by e-mail) to the members of each startup whose
    slot is new or changed, all in one transaction under a lock on the expo.
    """
    with transaction.atomic():
        Expo.objects.select_for_update().filter(pk=expo.pk).first()
        slots = list(
            ShowcaseSlot.objects.filter(showcase__expo=expo)
            .select_related("hall", "showcase__startup")
            .order_by("starts_at", "hall__name", "id")
        )
        if not slots:
            raise StateConflict(_("There is no scheduled showcase to release."))
        previous = expo.releases.order_by("-version").first()
        version = (expo.releases.aggregate(top=Max("version"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    expo=expo, version=version, comment=comment or "", by=by, changes=[]
                )
        except IntegrityError as exc:
            raise StateConflict(_("Another release was made at the same time; try again.")) from exc
        rows = [
            ReleasedSlot(
                release=release,
                showcase_id=slot.showcase_id,
                startup_id=slot.showcase.startup_id,
                hall_name=slot.hall.name,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                title=slot.showcase.title,
                startup_name=slot.showcase.startup.name,
            )
            for slot in slots
        ]
        ReleasedSlot.objects.bulk_create(rows)
        old_rows = list(previous.slots.all()) if previous else []
        release.changes = release_changes(old_rows, rows)
        release.save(update_fields=["changes"])
        touched = {c["showcase"] for c in release.changes if c["kind"] in ("added", "moved")}
        _notify_slot_changes(expo, [r for r in rows if r.showcase_id in touched])
    return release


def _notify_slot_changes(expo, rows):
    if not rows:
        return
    members = {}
    for membership in Membership.objects.filter(startup_id__in={r.startup_id for r in rows}).select_related(
        "user"
    ):
        members.setdefault(membership.startup_id, []).append(membership.user)
    from django.urls import reverse

    link = reverse("programme:page", args=[expo.pk])
    notices = []
    for row in rows:
        when = timezone.localtime(row.starts_at).strftime("%Y-%m-%d %H:%M")
        notices.append(
            Notice(
                recipients=members.get(row.startup_id, []),
                subject=_("Your showcase slot at %(expo)s") % {"expo": expo.name},
                body=_("“%(title)s” is in %(hall)s at %(when)s.")
                % {"title": row.title, "hall": row.hall_name, "when": when},
                link=link,
            )
        )
    notify_all(notices)


# --- outcomes ---------------------------------------------------------------------------------


def outcome_record(*, showcase: Showcase, visitors: int, meetings: int, leads: int, by) -> ShowcaseOutcome:
    """Record (or correct) what a showcase brought, once the expo is over.

    Refused: before the expo's last day has passed, or for a showcase that was never in a
    released programme (409); negative numbers (400). Side effects: the showcase's outcome row.
    """
    for name, value in (("visitors", visitors), ("meetings", meetings), ("leads", leads)):
        if value is None or int(value) < 0:
            raise InvalidInput(_("Enter a number of zero or more."), field=name)
    expo = showcase.expo
    if timezone.localdate() <= expo.ends_on:
        raise StateConflict(_("Outcomes are recorded after the expo's last day."))
    if not ReleasedSlot.objects.filter(showcase=showcase).exists():
        raise StateConflict(_("This showcase had no slot in the released programme."))
    with transaction.atomic():
        outcome, _created = ShowcaseOutcome.objects.update_or_create(
            showcase=showcase,
            defaults={"visitors": visitors, "meetings": meetings, "leads": leads, "recorded_by": by},
        )
    return outcome
