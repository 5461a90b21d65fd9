"""How the apps that fulfil a letter plug in, without `applications` importing them.

A letter's category (subsidy, space, expo, ...) belongs to the app that fulfils it. That app
owns the category's details (its own model, one-to-one with the letter), their fields in the API
and on the compose page, the checks at submission and approval, the fulfilment itself, and the
facts the approver reads. It registers one handler in its `AppConfig.ready()`:

    from applications.fulfilment import register_handler
    register_handler(SpaceHandler())          # SpaceHandler.category = Category.SPACE

The letter services call the handler at fixed moments, inside their own transaction, so a
refusal (`InvalidInput`: 400, `StateConflict`: 409) leaves nothing changed:

    draft created or edited  clean_details() then save_details()
    submitted                check_submission()
    approved                 prepare_approval(), then fulfil(prepared=...) as the last write

Every category has a handler (a system check says so at start-up): a category with nothing to
fulfil registers `NothingToFulfil` explicitly.

The details in the API: `details_serializer` both validates the input and shows the details
row. Its fields appear under `details_name` as one object (`"space": {"kind", "seats", ...}`,
null on letters of other categories), or, with `details_flat`, each at the letter's top level
(`"program"`). Name its fields as the details model's fields (a `PrimaryKeyRelatedField` for
a foreign key, so it gives the object): its `validated_data` is what `clean_details` receives,
and the compose page's `details_form_class` (a `ModelChoiceField` for the same foreign key)
gives `cleaned_data` under the same keys, so one `clean_details` serves both.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from notifications.services import Notice, notify_all

from .enums import Category


@dataclass(frozen=True)
class Fact:
    """One labelled fact shown to the approver beside the letter. The page formats `value`
    (money, dates, booleans) and links it when `url` is given; a fact with `headers` is a
    small table of `rows` instead (e.g. the startup's previous awards)."""

    label: str
    value: Any = None
    url: str = ""
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()


class FulfilmentHandler:
    """What a fulfilling app gives the letters of its category. Subclass it and override what
    the category needs; every method's default does nothing."""

    category: str = ""

    # --- the category's details: the app's own model, one-to-one with the letter -------------
    #: The model (a `OneToOneField(Letter, primary_key=True, related_name=details_relation)`).
    details_model = None
    #: The reverse accessor on `Letter` (for `select_related`).
    details_relation: str = ""
    #: The API's name of the details object, and whether its fields sit at the letter's top level.
    details_name: str = ""
    details_flat: bool = False
    #: A DRF `Serializer`: validates the details on input, shows the details row on output.
    details_serializer = None
    #: A Django `Form` with `core.forms.BootstrapFormMixin`: the details on the compose page.
    details_form_class = None

    def clean_details(self, *, startup, requested_amount: Decimal | None, details: Mapping) -> dict:
        """A draft is created or edited with these details (the whole set: the draft's current
        details with the changes applied). Refuse what can never be valid (`InvalidInput`
        naming the field: the API's name, e.g. "program" or "space"); return what
        `save_details` stores."""
        return {}

    def save_details(self, *, letter, details: Mapping) -> None:
        """Create or update the letter's details row from `clean_details`' result."""

    def check_submission(self, letter) -> None:
        """The founder submits: refuse a letter that cannot be granted now (400, with the reason)."""

    def prepare_approval(self, letter, *, amount: Decimal | None) -> Any:
        """An approver is about to approve: refuse what can no longer be granted; return what
        `fulfil` needs (passed back to it as `prepared`)."""
        return None

    def fulfil(
        self, letter, *, prepared: Any, amount: Decimal | None, by, founders: Sequence, notices: Sequence[Notice]
    ) -> None:
        """The letter is approved (same transaction): create what was granted, and send the
        decision's `notices` with any of your own (one `notify_all`), before your last write.
        `founders` are the startup's active members (read once for the decision's notice)."""
        notify_all(notices)

    def facts(self, letter) -> list[Fact]:
        """What the approver reads beside the letter (e.g. the program and its available budget)."""
        return []


class NothingToFulfil(FulfilmentHandler):
    """For a category whose approval is the whole answer (registration, other): no details, no
    checks, the decision's notices only."""

    def __init__(self, category: str):
        self.category = category


_handlers: dict[str, FulfilmentHandler] = {}


def register_handler(handler: FulfilmentHandler) -> None:
    if handler.category not in Category.values:
        raise ValueError(f"unknown letter category {handler.category!r}")
    if handler.category in _handlers:
        raise ValueError(f"letter category {handler.category!r} has a handler already")
    _handlers[handler.category] = handler


def handler_for(category: str) -> FulfilmentHandler:
    """The category's handler; every category has one (`check_every_category_has_a_handler`)."""
    return _handlers[category]


def handlers() -> list[FulfilmentHandler]:
    """Every registered handler, in the order of the categories."""
    return [_handlers[category] for category in Category.values if category in _handlers]


def missing_categories() -> list[str]:
    return [category for category in Category.values if category not in _handlers]
