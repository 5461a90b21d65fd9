"""The coworking spaces' source of the startup's support ledger (startups/support.py): the
state's share of every issued space charge, dated on the charged month's first day.
Importing this module registers it (spaces/apps.py)."""

from django.utils.translation import gettext as _

from startups.support import SPACE, SupportEntry, register_support_source

from .models import SpaceCharge


def state_share_of_charges(startup) -> list[SupportEntry]:
    """One query: the startup's charges with a state's share."""
    charges = SpaceCharge.objects.filter(startup_id=startup.pk, state_amount__gt=0).order_by("-month", "-id")
    return [
        SupportEntry(
            kind=SPACE,
            date=charge.month,
            amount=charge.state_amount,
            description=_("The state's share of the space charge for %(what)s in %(month)s")
            % {"what": charge.description, "month": charge.month.strftime("%Y-%m")},
        )
        for charge in charges
    ]


register_support_source(SPACE, state_share_of_charges)
