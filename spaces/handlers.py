"""The space letter's fulfilment handler: a space letter names what it asks for (its
`SpaceAsk`: kind, seats, dates, preferred site); approving it puts a space request on the
waiting list, which an allocation run offers a unit."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.enums import Category
from applications.fulfilment import Fact, FulfilmentHandler
from core.exceptions import InvalidInput, StateConflict
from core.fields import PrimaryKeyRelatedField
from core.forms import BootstrapFormMixin

from . import selectors
from .enums import AskKind
from .models import Site, SpaceAsk, SpaceRequest
from .services import requests
from .services.allocations import MAX_DAYS

MAX_SEATS = 500


class SpaceDetailsSerializer(serializers.Serializer):
    """`"space": {"kind", "seats", "starts_on", "ends_on", "site"}` (the contract's shape);
    `ends_on` is exclusive. Every field is optional here: the handler says what is required, so
    an edit may change one of them."""

    kind = serializers.ChoiceField(choices=AskKind.choices, required=False)
    seats = serializers.IntegerField(min_value=1, max_value=MAX_SEATS, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    site = PrimaryKeyRelatedField(
        queryset=Site.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no such coworking site.")},
    )


class SpaceDetailsForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What you ask for"), choices=AskKind.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS, initial=1)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day you no longer need the space."),
    )
    site = forms.ModelChoiceField(
        label=_("Preferred site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("Any site"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("name", "id")


REQUIRED = ("kind", "seats", "starts_on", "ends_on")


class SpaceHandler(FulfilmentHandler):
    """Checks what a space letter asks for and turns its approval into a waiting request."""

    category = Category.SPACE
    details_model = SpaceAsk
    details_relation = "space_ask"
    details_name = "space"
    details_serializer = SpaceDetailsSerializer
    details_form_class = SpaceDetailsForm

    def clean_details(self, *, startup, requested_amount, details) -> dict:
        missing = [name for name in REQUIRED if details.get(name) in (None, "")]
        if missing:
            raise InvalidInput(
                _("A space letter says what it asks for: %(fields)s are missing.") % {"fields": ", ".join(missing)},
                field="space",
            )
        if details["kind"] not in AskKind.values:
            raise InvalidInput(_("Ask for a desk or an office."), field="space")
        if details["ends_on"] <= details["starts_on"]:
            raise InvalidInput(_("The space is asked until a day after it is asked from."), field="space")
        if (details["ends_on"] - details["starts_on"]).days > MAX_DAYS:
            raise InvalidInput(_("A period is at most ten years long."), field="space")
        return {name: details.get(name) for name in (*REQUIRED, "site")}

    def save_details(self, *, letter, details) -> None:
        SpaceAsk.objects.update_or_create(letter=letter, defaults=dict(details))

    def check_submission(self, letter) -> None:
        if not SpaceAsk.objects.filter(letter_id=letter.pk).exists():
            raise InvalidInput(_("A space letter says what it asks for."), field="space")

    def prepare_approval(self, letter, *, amount):
        ask = SpaceAsk.objects.select_related("site").filter(letter_id=letter.pk).first()
        if ask is None:
            raise InvalidInput(_("A space letter says what it asks for."), field="space")
        if SpaceRequest.objects.filter(letter_id=letter.pk).exists():
            raise StateConflict(_("This letter's space request exists already."))
        return ask

    def fulfil(self, letter, *, prepared, amount, by, founders, notices) -> None:
        requests.request_create(letter=letter, ask=prepared, notices=notices, by=by)

    def facts(self, letter):
        ask = SpaceAsk.objects.select_related("site").filter(letter_id=letter.pk).first()
        if ask is None:
            return []
        return [
            Fact(_("Asked for"), ask.get_kind_display()),
            Fact(_("Seats"), ask.seats),
            Fact(_("From"), ask.starts_on),
            Fact(_("Until (exclusive)"), ask.ends_on),
            Fact(_("Preferred site"), ask.site.name if ask.site else _("Any site")),
            Fact(_("Requests waiting for this kind"), selectors.waiting_count(ask.kind)),
        ]
