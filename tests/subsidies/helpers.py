"""Awards made as an approval makes them, without the rest of the letter's decision."""
from django.db import transaction

from applications.enums import Category
from applications.fulfilment import handler_for
from applications.selectors import founders_of
from subsidies.models import Award


def grant(letter, *, by, amount=None) -> Award:
    """What approving a pending subsidy letter does to the subsidy side, in one transaction:
    the handler's `prepare_approval` (the checks) then `fulfil` (the award, the budget)."""
    handler = handler_for(Category.SUBSIDY)
    with transaction.atomic():
        prepared = handler.prepare_approval(letter, amount=amount)
        handler.fulfil(letter, prepared=prepared, amount=amount, by=by, founders=founders_of(letter), notices=[])
    return Award.objects.get(letter=letter)
