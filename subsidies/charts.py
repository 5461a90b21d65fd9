"""Budget charts drawn on the server as SVG: no script, no style attribute (strict CSP)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.money import format_money

# The theme's palette (static/css/app.css), as SVG attributes: 3:1 or more against the card.
COLOURS = {"budget": "#5c636a", "committed": "#0a58ca", "disbursed": "#146c43"}


def _num(value: float) -> str:
    """A coordinate: always a dot, never a localised comma."""
    return f"{value:.1f}"


def _short(amount: Decimal) -> str:
    return format_money(amount, places=0)


def budget_bar(program) -> dict:
    """Widths (percent of the budget, as strings) for the programs list's small stacked bar."""
    budget = program.budget or Decimal(0)

    def pct(value):
        return _num(float(value / budget * 100)) if budget > 0 else "0.0"

    return {"committed": pct(program.committed), "disbursed": pct(program.disbursed)}


def budget_chart(series, *, title: str, width: int = 720, height: int = 260) -> SafeString:
    """Step lines of budget, committed and disbursed over time from `selectors.budget_series`
    ((at, budget, committed, disbursed), oldest first), extended to now."""
    left, right, top, bottom = 90, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    now = timezone.now()
    if not series:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 {} {}" role="img" '
            'aria-label="{}"><text x="{}" y="{}" text-anchor="middle" fill="#6c757d">{}</text></svg>',
            width,
            60,
            title,
            width // 2,
            35,
            _("No ledger entries yet."),
        )
    points = list(series) + [(max(now, series[-1][0]), *series[-1][1:])]
    start, end = points[0][0], points[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    top_value = max(max(p[1], p[2], p[3]) for p in points) or Decimal(1)

    def x(at: datetime.datetime) -> float:
        return left + (at - start).total_seconds() / span * plot_w

    def y(value: Decimal) -> float:
        return top + plot_h - float(value / top_value) * plot_h

    def step_path(index: int) -> str:
        coords = []
        previous = None
        for point in points:
            px, py = x(point[0]), y(point[index])
            if previous is not None:
                coords.append(f"{_num(px)},{_num(previous)}")
            coords.append(f"{_num(px)},{_num(py)}")
            previous = py
        return " ".join(coords)

    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"><title>{}</title></polyline>',
        (
            (step_path(index), COLOURS[key], label)
            for index, key, label in (
                (1, "budget", _("Budget")),
                (2, "committed", _("Committed")),
                (3, "disbursed", _("Disbursed")),
            )
        ),
    )
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#6c757d">{}</text>',
        (
            (left, left + plot_w, _num(y(value)), _num(y(value)), left - 6, _num(y(value) + 4), _short(value))
            for value in (Decimal(0), top_value / 2, top_value)
        ),
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
        (
            (left + i * 150, height - 18, COLOURS[key], left + i * 150 + 16, height - 8, label)
            for i, (key, label) in enumerate(
                (("budget", _("Budget")), ("committed", _("Committed")), ("disbursed", _("Disbursed")))
            )
        ),
    )
    dates = format_html(
        '<text x="{}" y="{}" font-size="11" fill="#6c757d">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#6c757d">{}</text>',
        left,
        top + plot_h + 16,
        date_format(timezone.localtime(start), "SHORT_DATE_FORMAT"),
        left + plot_w,
        top + plot_h + 16,
        date_format(timezone.localtime(end), "SHORT_DATE_FORMAT"),
    )
    # What the lines show, in words, for whoever cannot see them (the SVG's description).
    description = _(
        "From %(start)s to %(end)s. Now: budget %(budget)s, committed %(committed)s, disbursed %(disbursed)s."
    ) % {
        "start": date_format(timezone.localtime(start), "SHORT_DATE_FORMAT"),
        "end": date_format(timezone.localtime(end), "SHORT_DATE_FORMAT"),
        "budget": _short(points[-1][1]),
        "committed": _short(points[-1][2]),
        "disbursed": _short(points[-1][3]),
    }
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-label="{title}"><title>{title}</title><desc>{description}</desc>'
        "{ticks}{lines}{dates}{legend}</svg>",
        w=width,
        h=height,
        title=title,
        description=description,
        ticks=ticks,
        lines=lines,
        dates=dates,
        legend=legend,
    )
