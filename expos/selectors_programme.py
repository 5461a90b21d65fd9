"""Reads of an expo's programme: the working schedule (organisers), the released programme
(everyone, no login), outcome totals, and the expo's share of a startup's public support."""
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Expo, Release, ReleasedSlot, Showcase, ShowcaseOutcome, ShowcaseSlot
from .selectors import expos_managed_by, showcase_is_accepted_q, showcases_of_member


def accepted_showcases_of(expo: Expo) -> QuerySet[Showcase]:
    """The showcases the organisers accepted (whether or not the decision is released yet)."""
    return Showcase.objects.filter(showcase_is_accepted_q(), expo=expo).select_related("startup").order_by("id")


def managed_expo(user, pk) -> Expo | None:
    return expos_managed_by(user).filter(pk=pk).first()


def slots_of(expo: Expo) -> QuerySet[ShowcaseSlot]:
    """The working schedule, in programme order, with what a list shows."""
    return (
        ShowcaseSlot.objects.filter(showcase__expo=expo)
        .select_related("hall", "showcase__startup")
        .order_by("starts_at", "hall__name", "id")
    )


def slots_managed_by(user) -> QuerySet[ShowcaseSlot]:
    return ShowcaseSlot.objects.filter(showcase__expo__in=expos_managed_by(user)).select_related(
        "hall", "showcase__expo", "showcase__startup"
    )


def releases_of(expo: Expo) -> QuerySet[Release]:
    return expo.releases.select_related("by").order_by("-version")


def latest_release(expo_pk) -> Release | None:
    """The expo's public programme's release, with its expo (None before the first release)."""
    return Release.objects.filter(expo_id=expo_pk).select_related("expo").order_by("-version").first()


def released_slots(release: Release) -> QuerySet[ReleasedSlot]:
    return release.slots.order_by("starts_at", "hall_name", "id")


def programme_by_day(release: Release):
    """[(day, [hall names], [(starts_at, ends_at, [slot or None per hall])])] of a release."""
    days = {}
    for slot in released_slots(release):
        day = timezone.localdate(slot.starts_at)
        halls, times = days.setdefault(day, ({}, {}))
        halls[slot.hall_name] = True
        times.setdefault((slot.starts_at, slot.ends_at), {})[slot.hall_name] = slot
    return [
        (
            day,
            sorted(halls),
            [(start, end, [cells.get(h) for h in sorted(halls)]) for (start, end), cells in sorted(times.items())],
        )
        for day, (halls, times) in sorted(days.items())
    ]


def startup_released_slots(release: Release, startup_id) -> QuerySet[ReleasedSlot]:
    return released_slots(release).filter(startup_id=startup_id)


def released_slot_of(showcase: Showcase) -> ReleasedSlot | None:
    """The showcase's slot in its expo's last release, if it has one."""
    last = Release.objects.filter(expo_id=showcase.expo_id).order_by("-version").values("id")[:1]
    return ReleasedSlot.objects.filter(showcase=showcase, release_id=Subquery(last)).first()


def outcome_totals(expo: Expo) -> dict:
    """{"total": {visitors, meetings, leads, showcases}, "by_sector": [{sector, ...}]}."""
    outcomes = ShowcaseOutcome.objects.filter(showcase__expo=expo)
    sums = {"visitors": Sum("visitors"), "meetings": Sum("meetings"), "leads": Sum("leads")}
    total = outcomes.aggregate(showcases=Count("pk"), **sums)
    by_sector = list(
        outcomes.order_by().values("showcase__sector").annotate(showcases=Count("pk"), **sums).order_by(
            "showcase__sector"
        )
    )
    return {
        "total": {k: total[k] or 0 for k in ("showcases", "visitors", "meetings", "leads")},
        "by_sector": [
            {"sector": row["showcase__sector"], **{k: row[k] or 0 for k in ("showcases", "visitors", "meetings", "leads")}}
            for row in by_sector
        ],
    }


def expo_support_entries(startup):
    """The startup's released showcase slots (each expo's last release) at the expo's
    `slot_value`: its entries in the ledger of public support. One query."""
    from startups.support import SupportEntry

    last = Release.objects.filter(expo_id=OuterRef("release__expo_id")).order_by("-version").values("id")[:1]
    rows = (
        ReleasedSlot.objects.filter(startup_id=startup.pk, release_id=Subquery(last))
        .select_related("release__expo")
        .order_by("-starts_at")
    )
    return [
        SupportEntry(
            kind="expo",
            date=timezone.localdate(row.starts_at),
            amount=Decimal(row.release.expo.slot_value),
            description=_("Showcase slot at %(expo)s: %(title)s") % {"expo": row.release.expo.name, "title": row.title},
        )
        for row in rows
    ]


def with_released_slots(showcases: QuerySet[Showcase]) -> QuerySet[Showcase]:
    """`showcases`, each with `released_hall` and `released_starts_at` from its expo's last
    release (None when it has no slot there), in the same query."""
    last = Release.objects.filter(expo_id=OuterRef(OuterRef("expo_id"))).order_by("-version").values("id")[:1]
    released = ReleasedSlot.objects.filter(showcase_id=OuterRef("pk"), release_id=Subquery(last))
    return showcases.annotate(
        released_hall=Subquery(released.values("hall_name")[:1]),
        released_starts_at=Subquery(released.values("starts_at")[:1]),
    )


def showcases_with_released_slots(user) -> QuerySet[Showcase]:
    """The user's startups' showcases, newest expo first, with their released slots."""
    return with_released_slots(showcases_of_member(user)).order_by("-expo__starts_on", "id")
