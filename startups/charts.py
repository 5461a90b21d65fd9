"""The support ledger's chart, drawn on the server as SVG: no script, no style attribute.

Stacked bars, one per month, a colour per kind of support. The SVG carries a <title> and a
<desc> in words; the page puts the same figures in a table beside it.
"""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.money import format_money

from .support import EXPO, KINDS, SPACE, SUBSIDY

# The theme's palette, 3:1 or more against the card.
COLOURS = {SUBSIDY: "#146c43", SPACE: "#0a58ca", EXPO: "#6f42c1"}


def kind_labels() -> dict[str, str]:
    return {SUBSIDY: _("Subsidies"), SPACE: _("Coworking space"), EXPO: _("Expo showcases")}


def _num(value: float) -> str:
    return f"{value:.1f}"


def support_chart(series, *, title: str, width: int = 720, height: int = 240) -> SafeString:
    """Stacked monthly bars from `support.monthly_series` ((month, {kind: amount}), oldest first)."""
    if not series:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="support-chart" viewBox="0 0 {} 60" role="img" '
            'aria-label="{}"><title>{}</title><text x="{}" y="35" text-anchor="middle" fill="#6c757d">{}</text></svg>',
            width,
            title,
            title,
            width // 2,
            _("No public support received yet."),
        )
    labels = kind_labels()
    left, right, top, bottom = 90, 16, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(sum(amounts.values(), Decimal(0)) for _month, amounts in series) or Decimal(1)
    slot = plot_w / len(series)
    bar_w = max(min(slot * 0.7, 48), 2)

    def y_of(value: Decimal) -> float:
        return top + plot_h - float(value / top_value) * plot_h

    bars = []
    for index, (month, amounts) in enumerate(series):
        x = left + index * slot + (slot - bar_w) / 2
        base = Decimal(0)
        for kind in KINDS:
            amount = amounts[kind]
            if amount <= 0:
                continue
            y_top, y_bottom = y_of(base + amount), y_of(base)
            bars.append(
                (
                    _num(x),
                    _num(y_top),
                    _num(bar_w),
                    _num(max(y_bottom - y_top, 0.5)),
                    COLOURS[kind],
                    f"{date_format(month, 'YEAR_MONTH_FORMAT')}: {labels[kind]} {format_money(amount)}",
                )
            )
            base += amount
    rects = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>', bars
    )
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#6c757d">{}</text>',
        (
            (left, left + plot_w, _num(y_of(v)), _num(y_of(v)), left - 6, _num(y_of(v) + 4), format_money(v, places=0))
            for v in (Decimal(0), top_value / 2, top_value)
        ),
    )
    first, last = series[0][0], series[-1][0]
    months = format_html(
        '<text x="{}" y="{}" font-size="11" fill="#6c757d">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#6c757d">{}</text>',
        left,
        top + plot_h + 16,
        date_format(first, "YEAR_MONTH_FORMAT"),
        left + plot_w,
        top + plot_h + 16,
        date_format(last, "YEAR_MONTH_FORMAT"),
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
        (
            (left + i * 170, height - 20, COLOURS[kind], left + i * 170 + 16, height - 10, labels[kind])
            for i, kind in enumerate(KINDS)
        ),
    )
    totals = {kind: sum((amounts[kind] for _m, amounts in series), Decimal(0)) for kind in KINDS}
    description = _("Public support by month from %(first)s to %(last)s: %(totals)s.") % {
        "first": date_format(first, "YEAR_MONTH_FORMAT"),
        "last": date_format(last, "YEAR_MONTH_FORMAT"),
        "totals": ", ".join(f"{labels[kind]} {format_money(totals[kind])}" for kind in KINDS),
    }
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="support-chart" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="support-chart-title support-chart-desc">'
        '<title id="support-chart-title">{title}</title><desc id="support-chart-desc">{description}</desc>'
        "{ticks}{rects}{months}{legend}</svg>",
        w=width,
        h=height,
        title=title,
        description=description,
        ticks=ticks,
        rects=rects,
        months=months,
        legend=legend,
    )
