"""A floor plan drawn on the server as SVG from the units' positions: no script, no style
attribute (strict CSP).

Each unit is a rectangle at its plan position, coloured by its state on the day shown, and a
link (to its allocation, the room's week, or the unit's page). The state is never told by colour
alone: the rectangle carries its state in words, its outline differs (solid, dashed, dotted),
and the link's <title> (its accessible name, beginning with the words drawn) says who holds the
unit and until when.
"""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .occupancy_selectors import PlanState, PlanUnit

SCALE = 8  # pixels of the drawing per plan unit
MARGIN = 4
# (fill, outline, dash): light fills under dark text; each outline 3:1 or more against white.
STYLES = {
    PlanState.FREE: ("#d1e7dd", "#146c43", ""),
    PlanState.ALLOCATED: ("#cfe2ff", "#0a58ca", ""),
    PlanState.OFFERED: ("#fff3cd", "#8a6d00", "6 3"),
    PlanState.ROOM: ("#e2e3e5", "#41464b", "2 3"),
}


def describe(item: PlanUnit) -> str:
    """The unit in words, starting with what the drawing shows (its name and state): its kind
    and seats, and who holds it until when."""
    unit = item.unit
    what = ngettext("%(kind)s, %(seats)s seat", "%(kind)s, %(seats)s seats", unit.seats) % {
        "kind": unit.get_kind_display(),
        "seats": unit.seats,
    }
    until = date_format(item.until, "SHORT_DATE_FORMAT") if item.until else ""
    if item.state == PlanState.ALLOCATED:
        what = _("%(what)s, allocated to %(startup)s until %(day)s") % {
            "what": what,
            "startup": item.startup.name,
            "day": until,
        }
    elif item.state == PlanState.OFFERED:
        what = _("%(what)s, offered to %(startup)s, who may accept until %(day)s") % {
            "what": what,
            "startup": item.startup.name,
            "day": until,
        }
    elif item.state == PlanState.ROOM:
        what = _("%(what)s, booked by the hour") % {"what": what}
    return _("%(unit)s, %(state)s: %(what)s") % {"unit": unit.name, "state": item.state_label, "what": what}


def floor_plan_svg(plan: list[tuple[PlanUnit, str]], *, title: str) -> SafeString:
    """The floor's drawing from `plan`: (unit with its state, the link's address) pairs."""
    if not plan:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan" viewBox="0 0 480 60" role="img" '
            'aria-label="{}"><title>{}</title><text x="240" y="35" text-anchor="middle" fill="#5c636a">{}</text></svg>',
            title,
            title,
            _("No unit on this floor."),
        )
    width = max(item.unit.x + item.unit.width for item, _href in plan) * SCALE + 2 * MARGIN
    height = max(item.unit.y + item.unit.height for item, _href in plan) * SCALE + 2 * MARGIN
    units = format_html_join(
        "",
        '<a href="{href}" class="floor-plan-unit" data-state="{state}"><title>{label}</title>'
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{stroke}" stroke-width="2"'
        ' stroke-dasharray="{dash}"/>'
        '<text x="{tx}" y="{ty}" font-size="12" font-weight="600" fill="#212529">{name}</text>'
        '<text x="{tx}" y="{sy}" font-size="11" fill="#212529">{state_label}</text></a>',
        (
            {
                "href": href,
                "state": item.state,
                "label": describe(item),
                "x": item.unit.x * SCALE + MARGIN,
                "y": item.unit.y * SCALE + MARGIN,
                "w": item.unit.width * SCALE,
                "h": item.unit.height * SCALE,
                "fill": STYLES[item.state][0],
                "stroke": STYLES[item.state][1],
                "dash": STYLES[item.state][2] or "none",
                "tx": item.unit.x * SCALE + MARGIN + 5,
                "ty": item.unit.y * SCALE + MARGIN + 16,
                "sy": item.unit.y * SCALE + MARGIN + 30,
                "name": item.unit.name,
                "state_label": item.state_label,
            }
            for item, href in plan
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan" viewBox="0 0 {w} {h}" width="{w}" '
        'role="group" aria-labelledby="floor-plan-title"><title id="floor-plan-title">{title}</title>{units}</svg>',
        w=width,
        h=height,
        title=title,
        units=units,
    )
