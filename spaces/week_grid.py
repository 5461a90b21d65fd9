"""The cells of the week calendars (a room's week, a site's rooms by day) drawn as HTML here, not
by the template language: a page of ten rooms holds some 280 bookings, and a template loop with
an include per cell cost three times the rest of the request (bench/space_bookings.py). Each
value is escaped once with `html.escape` and each cell marked safe once: `format_html` per
booking cost as much again."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .booking_selectors import WeekEntry
from .models import BookingStatus


def cell(entries: list[WeekEntry]) -> SafeString:
    """One room's day: each booking's times and startup (a badge when checked in), or "Free"."""
    if not entries:
        return mark_safe(f'<span class="text-body-secondary small">{escape(_("Free"))}</span>')
    checked_in = f' <span class="badge text-bg-success">{escape(str(BookingStatus.CHECKED_IN.label))}</span>'
    return mark_safe("".join(
        f'<div class="small border-start border-primary border-3 ps-2 mb-2">{escape(entry.times)}<br>'
        f'{escape(entry.startup)}{checked_in if entry.checked_in else ""}</div>'
        for entry in entries
    ))


def cells(days: list[list[WeekEntry]]) -> list[SafeString]:
    """The cells of one row, a day each."""
    return [cell(entries) for entries in days]
