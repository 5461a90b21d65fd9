"""What a site's managers read of it: the floor plan (who holds each unit on a day), the
occupancy dashboard of a week, and the charges CSV of a month for the finance office. The same
permissions as the site's own pages (views_sites.managed_site)."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import occupancy_selectors as selectors
from .floor_plan import STYLES, floor_plan_svg
from .occupancy_selectors import PlanState
from .views_sites import managed_site


def _day(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


def _floor(value, floors: list[int]) -> int | None:
    """The floor asked for if the site has it, else its lowest (None: the site has no unit)."""
    try:
        floor = int(value)
    except (TypeError, ValueError):
        floor = None
    return floor if floor in floors else (floors[0] if floors else None)


def _unit_link(item, site, day) -> str:
    unit = item.unit
    if item.state == PlanState.ALLOCATED:
        return reverse("space_allocation:allocations") + "?" + urlencode({"site": site.pk, "unit": unit.pk})
    if item.state == PlanState.ROOM:
        return reverse("room_bookings:week", args=[unit.pk]) + "?" + urlencode({"week": day.isoformat()})
    return reverse("space_sites:unit_edit", args=[unit.pk])


@login_required
def floor_plan(request, pk):
    """A floor of the site (`?floor=`) on a day (`?day=`, today by default)."""
    site = managed_site(request, pk, "spaces.view_site_occupancy")
    day = _day(request.GET.get("day"))
    floors = selectors.site_floors(site)
    floor = _floor(request.GET.get("floor"), floors)
    plan = selectors.floor_plan(site, floor, day) if floor is not None else []
    title = _("%(site)s, floor %(floor)s, on %(day)s") % {
        "site": site.name,
        "floor": floor if floor is not None else "–",
        "day": date_format(day, "DATE_FORMAT"),
    }
    rows = [(item, _unit_link(item, site, day)) for item in plan]
    legend = [
        (state, label, STYLES[state][0], STYLES[state][1], sum(1 for item in plan if item.state == state))
        for state, label in PlanState.choices
    ]
    context = {
        "site": site,
        "tab": "plan",
        "day": day,
        "floors": floors,
        "floor": floor,
        "rows": rows,
        "svg": floor_plan_svg(rows, title=title),
        "title": title,
        "legend": legend,
    }
    return render(request, "spaces/sites/floor_plan.html", context)
