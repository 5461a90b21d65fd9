"""The subsidy letter's fulfilment handler: the letter services call it at fixed moments."""

from decimal import Decimal

from applications.fulfilment import FulfilmentHandler
from applications.services.letters import founders_of

from . import services


class SubsidyHandler(FulfilmentHandler):
    """Checks a subsidy letter against its program and turns an approval into an award."""

    def clean_draft(self, *, startup, requested_amount: Decimal | None, program_id: int | None) -> None:
        services.clean_subsidy_draft(
            startup=startup, requested_amount=requested_amount, program_id=program_id
        )

    def check_submission(self, letter) -> None:
        services.check_subsidy_submission(letter)

    def check_approval(self, letter, *, amount: Decimal | None) -> None:
        services.check_subsidy_approval(letter, amount=amount)

    def fulfil(self, letter, *, amount: Decimal | None, by, notices) -> None:
        # letter_decide holds the letter's lock and saw it pending approval: no award yet.
        services.award_fulfil(
            letter=letter, amount=amount, by=by, founders=founders_of(letter), notices=notices
        )

    def describe(self, letter) -> dict:
        return services.describe_subsidy(letter)
