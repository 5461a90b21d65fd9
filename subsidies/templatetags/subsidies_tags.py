"""Template tags of the subsidies app: the dashboard's panel of overdue tranches."""

from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()

PANEL_ROWS = 5


@register.inclusion_tag("subsidies/_dashboard_panel.html", takes_context=True)
def subsidies_dashboard_panel(context):
    """Overdue tranches for those who pay them (approvers, admins); nothing for anyone else."""
    user = context["request"].user
    if not user.has_perm("subsidies.manage_awards"):
        return {"show": False}
    overdue = list(selectors.overdue_disbursements()[: PANEL_ROWS + 1])
    return {
        "show": True,
        "overdue": overdue[:PANEL_ROWS],
        "more": len(overdue) > PANEL_ROWS,
        "today": timezone.localdate(),
    }
