"""A site's week of occupancy drawn on the server as SVG (no script, no style attribute), in the
pattern of subsidies/charts.py and startups/charts.py: grouped bars, one group per day, in
percent of what the site holds (desks allocated, offices allocated, meeting-room hours booked).
Each bar has a <title> with its figures; the SVG a <title> and a <desc> in words; the page puts
the same figures in a table beside it."""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .occupancy_selectors import WeekOccupancy

# The theme's palette (static/css/app.css), 3:1 or more against the card.
COLOURS = {"desks": "#0a58ca", "offices": "#146c43", "rooms": "#6f42c1"}


def _num(value: float) -> str:
    return f"{value:.1f}"


def percent(part, whole) -> float:
    return float(Decimal(part) / Decimal(whole) * 100) if whole else 0.0


def series_labels() -> dict[str, str]:
    return {"desks": _("Desks allocated"), "offices": _("Offices allocated"), "rooms": _("Meeting-room hours booked")}


def _bars(week: WeekOccupancy):
    """(day, series, percent, its figures in words) for every bar, day by day."""
    labels = series_labels()
    for day in week.days:
        for key, part, whole in (
            ("desks", day.desks, week.desk_total),
            ("offices", day.offices, week.office_total),
            ("rooms", day.room_hours, day.room_hours_open),
        ):
            words = _("%(day)s: %(what)s %(n)s of %(total)s") % {
                "day": date_format(day.day, "D j"),
                "what": labels[key],
                "n": part,
                "total": whole,
            }
            yield day.day, key, percent(part, whole), words


def occupancy_chart(week: WeekOccupancy, *, title: str, width: int = 720, height: int = 260) -> SafeString:
    left, right, top, bottom = 48, 16, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(week.days)
    bar_w = slot * 0.8 / len(COLOURS)

    def y_of(value: float) -> float:
        return top + plot_h - min(value, 100.0) / 100.0 * plot_h

    rects, labels = [], []
    for index, (day, key, value, words) in enumerate(_bars(week)):
        group, position = divmod(index, len(COLOURS))
        x = left + group * slot + slot * 0.1 + position * bar_w
        rects.append(
            (_num(x), _num(y_of(value)), _num(bar_w - 1), _num(max(y_of(0) - y_of(value), 0.5)), COLOURS[key], words)
        )
        if position == 0:
            labels.append((_num(left + group * slot + slot / 2), top + plot_h + 16, date_format(day, "D j")))
    bars = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>', rects
    )
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#5c636a">{} %</text>',
        ((left, left + plot_w, _num(y_of(v)), _num(y_of(v)), left - 6, _num(y_of(v) + 4), v) for v in (0, 50, 100)),
    )
    days = format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#5c636a">{}</text>', labels
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
        (
            (left + i * 220, height - 22, COLOURS[key], left + i * 220 + 16, height - 12, label)
            for i, (key, label) in enumerate(series_labels().items())
        ),
    )
    description = _(
        "The week from %(monday)s: desks allocated %(desks)s of %(desk_days)s desk-days, offices %(offices)s of "
        "%(office_days)s office-days, meeting rooms booked %(hours)s of %(open)s hours."
    ) % {
        "monday": date_format(week.monday, "DATE_FORMAT"),
        "desks": week.desk_days,
        "desk_days": week.desk_total * len(week.days),
        "offices": week.office_days,
        "office_days": week.office_total * len(week.days),
        "hours": week.room_hours,
        "open": week.room_hours_open,
    }
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="occupancy-chart" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="occupancy-chart-title occupancy-chart-desc">'
        '<title id="occupancy-chart-title">{title}</title><desc id="occupancy-chart-desc">{description}</desc>'
        "{ticks}{bars}{days}{legend}</svg>",
        w=width,
        h=height,
        title=title,
        description=description,
        ticks=ticks,
        bars=bars,
        days=days,
        legend=legend,
    )
