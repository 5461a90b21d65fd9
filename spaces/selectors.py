"""Reads of the coworking-spaces domain, already scoped to what a user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.enums import RoleCode

from .enums import RequestStatus, UnitKind
from .models import Allocation, AllocationRun, Site, SpaceRequest, Unit


def _is_admin(user) -> bool:
    return user.is_authenticated and user.has_role(RoleCode.ADMIN)


def _is_manager(user) -> bool:
    return user.is_authenticated and user.has_role(RoleCode.SPACE_MANAGER)


def sites_visible_to(user) -> QuerySet[Site]:
    """Every signed-in user reads every site (founders choose one)."""
    sites = Site.objects.select_related("department").order_by("name", "id")
    return sites if user.is_authenticated else sites.none()


def sites_managed_by(user) -> QuerySet[Site]:
    sites = Site.objects.select_related("department").order_by("name", "id")
    if _is_admin(user):
        return sites
    if _is_manager(user) and user.department_id:
        return sites.filter(department_id=user.department_id)
    return sites.none()


def managed_site_list(user) -> QuerySet[Site]:
    """The sites the user manages, each with its `unit_count` (one query a page)."""
    return sites_managed_by(user).annotate(unit_count=Count("units"))


def site_units(site: Site) -> QuerySet[Unit]:
    """The site's units in the order of its floors."""
    return site.units.order_by("floor", "name", "id")


def units_visible_to(user) -> QuerySet[Unit]:
    units = Unit.objects.select_related("site").order_by("site__name", "floor", "name", "id")
    return units if user.is_authenticated else units.none()


def requests_visible_to(user) -> QuerySet[SpaceRequest]:
    """Space managers and admins see the whole waiting list; founders their startups' requests."""
    requests = SpaceRequest.objects.select_related("startup", "site", "offer_unit").order_by("waiting_since", "id")
    if not user.is_authenticated:
        return requests.none()
    if _is_admin(user) or _is_manager(user):
        return requests
    return requests.filter(startup__memberships__user=user)


def allocations_visible_to(user) -> QuerySet[Allocation]:
    """Admins see every allocation, space managers their department's sites', founders their
    startups'."""
    allocations = Allocation.objects.select_related("unit", "unit__site", "startup").order_by("-starts_on", "-id")
    if not user.is_authenticated:
        return allocations.none()
    if _is_admin(user):
        return allocations
    mine = Q(startup__memberships__user=user)
    if _is_manager(user) and user.department_id:
        return allocations.filter(mine | Q(unit__site__department_id=user.department_id)).distinct()
    return allocations.filter(mine)


def runs_visible_to(user) -> QuerySet[AllocationRun]:
    runs = AllocationRun.objects.select_related("site").order_by("-created_at", "-id")
    if _is_admin(user):
        return runs
    if _is_manager(user):
        return runs.filter(Q(site__isnull=True) | Q(site__department_id=user.department_id))
    return runs.none()


def waiting_requests(*, site: Site | None = None) -> QuerySet[SpaceRequest]:
    """The waiting list in the order of waiting (first come first): with a site, the requests
    that name it or none."""
    requests = SpaceRequest.objects.filter(status=RequestStatus.WAITING).select_related("startup", "site")
    if site is not None:
        requests = requests.filter(Q(site=site) | Q(site__isnull=True))
    return requests.order_by("waiting_since", "id")


def waiting_count(kind: str | None = None) -> int:
    requests = SpaceRequest.objects.filter(status=RequestStatus.WAITING)
    return (requests.filter(kind=kind) if kind else requests).count()


def overlapping_allocations(unit_id: int, starts_on: datetime.date, ends_on: datetime.date, *, exclude=None):
    """Allocations of the unit whose half-open period overlaps [starts_on, ends_on)."""
    allocations = Allocation.objects.filter(unit_id=unit_id, starts_on__lt=ends_on, ends_on__gt=starts_on)
    if exclude is not None:
        allocations = allocations.exclude(pk=exclude)
    return allocations.order_by("starts_on", "id")


def live_offers(*, now: datetime.datetime | None = None) -> QuerySet[SpaceRequest]:
    """Offers still within their claim window: they hold their units."""
    now = now or timezone.now()
    return SpaceRequest.objects.filter(status=RequestStatus.OFFERED, offer_expires_at__gt=now)


def allocatable_units(*, site: Site | None = None, sites: QuerySet[Site] | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(kind__in=[UnitKind.DESK, UnitKind.OFFICE])
    if site is not None:
        units = units.filter(site=site)
    elif sites is not None:
        units = units.filter(site__in=sites)
    return units.order_by("id")


def occupancy(site: Site, *, day: datetime.date | None = None) -> dict[int, Allocation]:
    """The allocation holding each of the site's units on `day` (today by default)."""
    day = day or timezone.localdate()
    allocations = Allocation.objects.filter(unit__site=site, starts_on__lte=day, ends_on__gt=day).select_related(
        "startup"
    )
    return {allocation.unit_id: allocation for allocation in allocations}


def _position_in_waiting_list():
    """The request's place in the waiting list of its kind (1 = first), as a subquery: one
    query for any number of rows."""
    ahead = (
        SpaceRequest.objects.filter(status=RequestStatus.WAITING, kind=OuterRef("kind"))
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), id__lt=OuterRef("pk"))
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1


def waiting_list() -> QuerySet[SpaceRequest]:
    """Every waiting request, first come first, with its `position` in its kind's list."""
    return waiting_requests().annotate(position=_position_in_waiting_list())


def requests_of_member(user) -> QuerySet[SpaceRequest]:
    """The requests of the user's startups (whatever roles they also hold), with the waiting
    ones' `position`."""
    if not user.is_authenticated:
        return SpaceRequest.objects.none()
    return (
        SpaceRequest.objects.filter(startup__memberships__user=user)
        .select_related("startup", "site", "offer_unit", "offer_unit__site")
        .annotate(position=_position_in_waiting_list())
        .order_by("waiting_since", "id")
    )


def allocations_of_member(user) -> QuerySet[Allocation]:
    if not user.is_authenticated:
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(startup__memberships__user=user)
        .select_related("unit", "unit__site", "startup")
        .order_by("-starts_on", "-id")
    )


def allocations_managed_by(user) -> QuerySet[Allocation]:
    """The allocations of the sites the user manages (all for admins)."""
    return (
        Allocation.objects.filter(unit__site__in=sites_managed_by(user).values("pk"))
        .select_related("unit", "unit__site", "startup")
        .order_by("-starts_on", "-id")
    )


@dataclass(frozen=True)
class ProposalRow:
    request: SpaceRequest
    unit: Unit

    @property
    def seats_wasted(self) -> int:
        return max(0, self.unit.seats - self.request.seats)


@dataclass(frozen=True)
class Proposal:
    """A run's proposal as a page shows it, read in two queries whatever its size."""

    rows: list[ProposalRow]
    unassigned: list[SpaceRequest]
    gap_percent: float | None  # how far the objective may be from the best (0 = proven optimal)
    gain: int | None  # the objective's gain over the greedy baseline
    gain_percent: float | None


def run_proposal(run: AllocationRun) -> Proposal:
    request_ids = [item["request"] for item in run.assignments] + list(run.unassigned)
    requests = SpaceRequest.objects.select_related("startup").in_bulk(request_ids)
    units = Unit.objects.select_related("site").in_bulk([item["unit"] for item in run.assignments])
    rows = [
        ProposalRow(request=requests[item["request"]], unit=units[item["unit"]])
        for item in run.assignments
        if item["request"] in requests and item["unit"] in units
    ]
    gap = gain = gain_percent = None
    if run.objective is not None and run.bound is not None:
        gap = 100.0 * (run.bound - run.objective) / run.bound if run.bound else 0.0
    if run.objective is not None and run.baseline_objective is not None:
        gain = run.objective - run.baseline_objective
        gain_percent = 100.0 * gain / run.baseline_objective if run.baseline_objective else None
    return Proposal(
        rows=rows,
        unassigned=[requests[pk] for pk in run.unassigned if pk in requests],
        gap_percent=gap,
        gain=gain,
        gain_percent=gain_percent,
    )
