"""Allocation runs: the optimiser proposes a unit for each waiting request (changing nothing);
the space manager confirms the proposal, which turns it into offers with a claim window.

A run over a small instance is computed at once; a large one (more request-unit pairs than
`SPACE_RUN_SYNC_LIMIT`) is queued to a Celery task that writes its progress on the run row.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted, StateConflict
from notifications.services import Notice, notify_all

from .. import allocator, selectors
from ..enums import RequestStatus, RunStatus
from ..models import Allocation, AllocationRun, Site, SpaceRequest, Unit
from ..rules import is_spaces_staff, manages_site
from .requests import offer_days


def _setting(name: str, default):
    return getattr(settings, name, default)


@transaction.atomic
def run_create(*, site: Site | None, by) -> AllocationRun:
    """A space manager asks for a proposal (for one site's units, or every unit they manage).

    Side effects: creates the run; a small instance is proposed at once (`proposed`), a large
    one is queued to `task_run_propose` after commit (`queued`)."""
    if site is not None and not manages_site(by, site):
        raise NotPermitted(_("Only the site's department's space managers and administrators run its allocation."))
    if site is None and not is_spaces_staff(by):
        raise NotPermitted(_("Only space managers and administrators run an allocation."))
    run = AllocationRun.objects.create(site=site, created_by=by, status=RunStatus.QUEUED)
    units, _taken, requests = _instance(run)
    if len(units) * len(requests) > _setting("SPACE_RUN_SYNC_LIMIT", 50_000):
        from ..tasks import task_run_propose

        transaction.on_commit(lambda: task_run_propose.delay(run_id=run.pk))
        return run
    _propose(run)
    return run


def _units_for(run: AllocationRun):
    if run.site_id:
        return selectors.allocatable_units(site=run.site)
    if run.created_by is not None:
        return selectors.allocatable_units(sites=selectors.sites_managed_by(run.created_by))
    return selectors.allocatable_units()


def _instance(run: AllocationRun):
    """The allocator's plain input: the units, what holds them, and the waiting requests."""
    now = timezone.now()
    today = timezone.localdate()
    units = [
        allocator.Unit(id=u.pk, site_id=u.site_id, kind=u.kind, seats=u.seats, floor=u.floor)
        for u in _units_for(run).only("id", "site_id", "kind", "seats", "floor")
    ]
    unit_ids = [unit.id for unit in units]
    requests = [
        allocator.Request(
            id=r.pk,
            kind=r.kind,
            seats=r.seats,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            waited_days=max(0, (now - r.waiting_since).days),
            site_id=r.site_id,
            sector=r.startup.sector,
        )
        for r in selectors.waiting_requests(site=run.site)
    ]
    taken = [
        allocator.Taken(unit_id=a.unit_id, starts_on=a.starts_on, ends_on=a.ends_on, sector=a.startup.sector)
        for a in Allocation.objects.filter(unit_id__in=unit_ids, ends_on__gt=today).select_related("startup")
    ]
    taken += [
        allocator.Taken(unit_id=r.offer_unit_id, starts_on=r.starts_on, ends_on=r.ends_on, sector=r.startup.sector)
        for r in selectors.live_offers(now=now).filter(offer_unit_id__in=unit_ids).select_related("startup")
    ]
    return units, taken, requests


def _propose(run: AllocationRun, *, on_progress=None) -> AllocationRun:
    units, taken, requests = _instance(run)
    if not units or not requests:
        run.assignments, run.unassigned = [], [r.id for r in requests]
        run.objective = run.bound = run.baseline_objective = 0
        run.solver_status, run.seconds = "optimal", 0.0
        run.status, run.progress = RunStatus.PROPOSED, 1.0
        run.save()
        return run
    result = allocator.propose(
        units,
        taken,
        requests,
        time_limit=float(_setting("SPACE_ALLOCATOR_TIME_LIMIT", 10.0)),
        workers=int(_setting("SPACE_ALLOCATOR_WORKERS", 2)),
        seed=0,
        on_progress=on_progress,
    )
    run.assignments = [{"request": a.request_id, "unit": a.unit_id} for a in result.assignments]
    run.unassigned = list(result.unassigned)
    run.objective, run.bound, run.baseline_objective = result.objective, result.bound, result.baseline_objective
    run.solver_status, run.seconds = result.status, round(result.seconds, 3)
    run.status, run.progress = RunStatus.PROPOSED, 1.0
    run.save()
    return run


def run_propose(*, run: AllocationRun) -> AllocationRun:
    """The task's work: propose for a queued run, writing its progress as the solver goes.
    Idempotent (a run already proposed is left as it is).

    Side effects: updates the run (status, progress, proposal and figures)."""
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.QUEUED:
            return run
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status"])

    def progress(fraction: float) -> None:
        AllocationRun.objects.filter(pk=run.pk).update(progress=round(fraction, 3))

    try:
        return _propose(run, on_progress=progress)
    except Exception as exc:
        AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:2000])
        raise


def _stale(run: AllocationRun, requests: dict[int, SpaceRequest], units: dict[int, Unit]) -> str | None:
    """Why the proposal no longer holds (a request answered, a unit taken since), or None."""
    now = timezone.now()
    for item in run.assignments:
        request, unit = requests.get(item["request"]), units.get(item["unit"])
        if request is None or request.status != RequestStatus.WAITING:
            return _("Request %(id)s no longer waits.") % {"id": item["request"]}
        if unit is None or unit.kind != request.kind or unit.seats < request.seats:
            return _("Unit %(id)s no longer fits request %(request)s.") % {"id": item["unit"], "request": request.pk}
        clash = selectors.overlapping_allocations(unit.pk, request.starts_on, request.ends_on).first()
        offer = (
            selectors.live_offers(now=now)
            .filter(offer_unit_id=unit.pk, starts_on__lt=request.ends_on, ends_on__gt=request.starts_on)
            .first()
        )
        held = clash or offer
        if held is not None:
            return _("Unit %(unit)s is taken from %(start)s until %(end)s since the run.") % {
                "unit": unit.name,
                "start": held.starts_on.isoformat(),
                "end": held.ends_on.isoformat(),
            }
    return None


@transaction.atomic
def run_confirm(*, run: AllocationRun, by) -> AllocationRun:
    """The space manager confirms a proposal: each proposed request is offered its unit until
    `SPACE_OFFER_DAYS` from now. A proposal made stale by a change since is a 409 (nothing
    offered). Confirming twice changes nothing.

    Side effects: the requests become `offered`; their startups' members are notified."""
    run = AllocationRun.objects.select_for_update(of=("self",)).select_related("site").get(pk=run.pk)
    if (run.site_id and not manages_site(by, run.site)) or (not run.site_id and not is_spaces_staff(by)):
        raise NotPermitted(_("Only the site's department's space managers and administrators confirm its runs."))
    if run.status == RunStatus.CONFIRMED:
        return run
    if run.status != RunStatus.PROPOSED:
        raise StateConflict(_("The run has no proposal yet (it is %(status)s).") % {"status": run.get_status_display()})
    request_ids = [item["request"] for item in run.assignments]
    unit_ids = sorted({item["unit"] for item in run.assignments})
    # Lock the units (in id order) so two confirmations cannot offer one unit twice.
    units = {unit.pk: unit for unit in Unit.objects.select_for_update().filter(pk__in=unit_ids).order_by("pk")}
    requests = {
        r.pk: r for r in SpaceRequest.objects.select_for_update().filter(pk__in=request_ids).order_by("pk")
    }
    reason = _stale(run, requests, units)
    if reason is not None:
        raise StateConflict(_("The proposal is out of date: %(reason)s Run the allocation again.") % {"reason": reason})
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=offer_days())
    for item in run.assignments:
        SpaceRequest.objects.filter(pk=item["request"], status=RequestStatus.WAITING).update(
            status=RequestStatus.OFFERED, offer_unit_id=item["unit"], offer_expires_at=expires_at, updated_at=now
        )
    run.status, run.confirmed_at = RunStatus.CONFIRMED, now
    run.save(update_fields=["status", "confirmed_at"])
    notify_all(_offer_notices(request_ids, units, requests, expires_at))
    return run


def _offer_notices(request_ids, units, requests, expires_at) -> list[Notice]:
    from startups.models import Membership

    members: dict[int, list] = {}
    startup_ids = {requests[pk].startup_id for pk in request_ids}
    for membership in Membership.objects.filter(startup_id__in=startup_ids).select_related("user"):
        members.setdefault(membership.startup_id, []).append(membership.user)
    return [
        Notice(
            recipients=members.get(requests[pk].startup_id, []),
            subject=_("A coworking space is offered to you"),
            body=_("Accept or decline the offer before %(when)s, or it goes to the next run.")
            % {"when": timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M")},
        )
        for pk in request_ids
    ]
