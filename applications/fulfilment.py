"""How the apps that fulfil a letter plug in, without `applications` importing them.

Each fulfilling app (subsidies, spaces, expos) registers one handler for its category in its
`AppConfig.ready()`:

    from applications.fulfilment import register_handler
    register_handler(Category.SUBSIDY, SubsidyHandler())

The letter services call the handler at fixed moments; a handler refuses by raising
`InvalidInput` (400) or `StateConflict` (409), and since it runs inside the service's
transaction, a refusal leaves nothing changed.
"""
from collections.abc import Sequence
from decimal import Decimal

from notifications.services import Notice, notify_all

from .enums import Category


class FulfilmentHandler:
    """The default: nothing to check, nothing to fulfil. Subclass and override what you need."""

    def clean_draft(self, *, startup, requested_amount: Decimal | None, program_id: int | None) -> None:
        """A draft is created or edited: refuse fields that can never be valid (400)."""

    def check_submission(self, letter) -> None:
        """The founder submits: refuse a letter that cannot be granted now (400, with the reason)."""

    def check_approval(self, letter, *, amount: Decimal | None) -> None:
        """An approver is about to approve: refuse what can no longer be granted."""

    def fulfil(self, letter, *, amount: Decimal | None, by, notices: Sequence[Notice]) -> None:
        """The letter is approved (same transaction): create what was granted, and send the
        decision's `notices` with any of your own (one `notify_all`), before your last write."""
        notify_all(notices)

    def describe(self, letter) -> dict:
        """Extra facts for the approver's decision form (e.g. the program's available budget)."""
        return {}


_handlers: dict[str, FulfilmentHandler] = {}
_default = FulfilmentHandler()


def register_handler(category: str, handler: FulfilmentHandler) -> None:
    if category not in Category.values:
        raise ValueError(f"unknown letter category {category!r}")
    _handlers[category] = handler


def handler_for(category: str) -> FulfilmentHandler:
    return _handlers.get(category, _default)
