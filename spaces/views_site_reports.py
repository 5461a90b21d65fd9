"""What a site's managers read of it: the floor plan (who holds each unit on a day), the
occupancy dashboard of a week, and the charges CSV of a month for the finance office. The same
permissions as the site's own pages (views_sites.managed_site)."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.views import require_perm

from . import charges, charts
from . import occupancy_selectors as selectors
from .booking_selectors import site_month_charges
from .floor_plan import STYLES, floor_plan_svg
from .occupancy_selectors import PlanState
from .selectors import sites_managed_by
from .site_forms import ChargesExportForm, WeekForm, iso_week
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


@login_required
def occupancy(request, pk):
    """The site's ISO week (`?week=2027-W09`, this week by default; a week that is none is a
    form error over this week): each day's desks and offices allocated and meeting-room hours
    booked, as a chart and as a table."""
    site = managed_site(request, pk, "spaces.view_site_occupancy")
    form = WeekForm(request.GET or None)
    monday = form.cleaned_data["week"] if form.is_bound and form.is_valid() else None
    if monday is None:
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
    week = selectors.week_occupancy(site, monday)
    title = _("%(site)s: occupancy in the week from %(day)s") % {
        "site": site.name,
        "day": date_format(monday, "DATE_FORMAT"),
    }
    context = {
        "site": site,
        "tab": "occupancy",
        "form": form if form.is_bound else WeekForm(initial={"week": monday}),
        "week": week,
        "title": title,
        "chart": charts.occupancy_chart(week, title=title),
        "previous": iso_week(monday - datetime.timedelta(days=7)),
        "next": iso_week(monday + datetime.timedelta(days=7)),
    }
    return render(request, "spaces/sites/occupancy.html", context, status=400 if form.errors else 200)


@login_required
def charges_export(request):
    """The charges of a site and month as CSV for the finance office (the API's writer, so cells
    that would run as formulas are neutralised): the form, then the download."""
    require_perm(request.user, "spaces.export_spacecharges")
    form = ChargesExportForm(request.GET or None, sites=sites_managed_by(request.user))
    if form.is_bound and form.is_valid():
        site, month = form.cleaned_data["site"], form.cleaned_data["month"]
        rows = site_month_charges(request.user, site, month)
        response = HttpResponse(charges.charges_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{charges.csv_filename(site, month)}"'
        return response
    return render(request, "spaces/sites/charges.html", {"form": form}, status=400 if form.errors else 200)
