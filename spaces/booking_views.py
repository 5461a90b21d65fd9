"""The pages of room bookings and charges: founders book a room (the free periods shown), see
and cancel their bookings, and read what they pay and what the state pays; managers see a week
calendar per room and one of all a site's rooms. Reads through the selectors, writes through the services, as the API."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError
from core.fields import parse_id
from core.views import require_perm

from . import booking_rules, bookings, week_cache  # noqa: F401 - booking_rules registers the rules
from . import booking_selectors as selectors
from .booking_forms import BookingForm
from .enums import UnitKind
from .models import HOLDING_STATUSES, Site, Unit

BOOKINGS_PER_PAGE = 25
CHARGES_PER_PAGE = 50


def _day(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def room_bookings(request):
    """Book a room (the chosen room's free periods that day are listed) and my bookings."""
    form = BookingForm(request.POST if request.method == "POST" else None, user=request.user, initial={
        "unit": parse_id(request.GET.get("room", "")),
        "day": _day(request.GET.get("day")),
    })
    if form.is_bound and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            bookings.booking_create(
                unit=form.cleaned_data["unit"],
                startup=form.cleaned_data["startup"],
                starts_at=starts_at,
                ends_at=ends_at,
                by=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The room is booked."))
            return redirect("room_bookings:mine")
    room_id = parse_id(request.POST.get("unit") or request.GET.get("room", ""))
    room = Unit.objects.filter(pk=room_id, kind=UnitKind.MEETING_ROOM).select_related("site").first() if room_id else None
    day = _day(request.POST.get("day") or request.GET.get("day"))
    upcoming = (
        selectors.bookings_visible_to(request.user)
        .filter(status__in=HOLDING_STATUSES, ends_at__gt=timezone.now())
        .order_by("starts_at", "id")
    )
    page = Paginator(upcoming, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "room": room,
        "day": day,
        "free": selectors.free_periods(room, day) if room else None,
        "page": page,
        "bookings": page.object_list,
    }
    return render(request, "spaces/bookings/mine.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def booking_cancel(request, pk):
    booking = get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)
    try:
        bookings.booking_cancel(booking=booking, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The booking is cancelled; the room is free."))
    return redirect("room_bookings:mine")


@login_required
def charges_mine(request):
    """What we pay and what the state pays: the totals by month, then each charge."""
    charges = selectors.charges_visible_to(request.user)
    page = Paginator(charges, CHARGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "months": selectors.charge_totals_by_month(charges),
        "page": page,
        "charges": page.object_list,
        "currency": settings.CURRENCY,
    }
    return render(request, "spaces/bookings/charges.html", context)


def _monday(request) -> datetime.date:
    day = _day(request.GET.get("week"))
    return day - datetime.timedelta(days=day.weekday())


def _week_nav(monday: datetime.date) -> dict:
    return {
        "monday": monday,
        "week_days": [monday + datetime.timedelta(days=i) for i in range(7)],
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
    }


@login_required
def room_week(request, pk):
    """A room's week, Monday to Sunday, for the site's managers."""
    room = get_object_or_404(Unit.objects.select_related("site"), pk=pk, kind=UnitKind.MEETING_ROOM)
    require_perm(request.user, "spaces.view_room_week", room)
    monday = _monday(request)
    context = {"room": room, "cells": week_cache.room_week(room, monday), **_week_nav(monday)}
    return render(request, "spaces/bookings/week.html", context)


@login_required
def site_week(request, pk):
    """A site's week for its managers: its meeting rooms as rows (a page of them), the seven
    days as columns, each cell the room's bookings that day."""
    site = get_object_or_404(Site, pk=pk)
    # The managers of the site (the same rule as editing it) see all its rooms.
    require_perm(request.user, "spaces.change_site", site)
    monday = _monday(request)
    page, rows = week_cache.site_week(site, monday, request.GET.get("page"))
    context = {"site": site, "page": page, "rows": rows, "monday_iso": monday.isoformat(), **_week_nav(monday)}
    return render(request, "spaces/bookings/site_week.html", context)
