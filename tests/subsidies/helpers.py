"""Awards made as an approval makes them, without the rest of the letter's decision, and their
tranches paid when they are due."""
import datetime

import time_machine
from django.db import transaction
from django.utils import timezone

from applications.enums import Category
from applications.fulfilment import handler_for
from applications.selectors import founders_of
from subsidies.models import Award
from subsidies.services import awards


def grant(letter, *, by, amount=None) -> Award:
    """What approving a pending subsidy letter does to the subsidy side, in one transaction:
    the handler's `prepare_approval` (the checks) then `fulfil` (the award, the budget)."""
    handler = handler_for(Category.SUBSIDY)
    with transaction.atomic():
        prepared = handler.prepare_approval(letter, amount=amount)
        handler.fulfil(letter, prepared=prepared, amount=amount, by=by, founders=founders_of(letter), notices=[])
    return Award.objects.get(letter=letter)


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the site's time zone (where time-machine travels)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def pay_when_due(tranche, *, by):
    """Pay `tranche` as `by` on its due date, never before: time-machine travels to the start
    of its day when that is still to come (and stays in the present otherwise)."""
    with time_machine.travel(max(timezone.now(), start_of(tranche.due_on)), tick=False):
        return awards.disbursement_pay(disbursement=tranche, by=by)
