"""The subsidies' source of the startup's support ledger (startups/support.py): every paid
tranche, on the day it was paid."""

from django.utils import timezone
from django.utils.translation import gettext as _

from startups.support import SUBSIDY, SupportEntry

from .enums import DisbursementStatus
from .models import Disbursement


def paid_disbursements(startup) -> list[SupportEntry]:
    """One query: the startup's paid disbursements with their programs."""
    paid = (
        Disbursement.objects.filter(award__startup_id=startup.pk, status=DisbursementStatus.PAID)
        .select_related("award__program")
        .order_by("-paid_at", "-id")
    )
    return [
        SupportEntry(
            kind=SUBSIDY,
            date=timezone.localdate(tranche.paid_at),
            amount=tranche.amount,
            description=_("Tranche %(number)s of the subsidy from %(program)s")
            % {"number": tranche.number, "program": tranche.award.program.name},
        )
        for tranche in paid
    ]
