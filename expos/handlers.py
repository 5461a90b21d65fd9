"""The expo letter's fulfilment handler: an `expo` letter names an expo and the showcase's title
and description (its `ExpoRequest`); approving it creates the showcase application."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import Category
from applications.fulfilment import Fact, FulfilmentHandler
from core import serializers
from core.exceptions import InvalidInput
from core.forms import BootstrapFormMixin
from notifications.services import notify_all
from startups.selectors import eligibility_facts

from . import services
from .models import Expo, ExpoRequest, Showcase
from .selectors import open_expos


class ExpoDetailsSerializer(serializers.Serializer):
    """`"expo": {"expo": id, "title", "description"}` (the contract's shape)."""

    expo = serializers.PrimaryKeyRelatedField(
        queryset=Expo.objects.all(),
        error_messages={"does_not_exist": gettext_lazy("There is no such expo.")},
    )
    title = serializers.CharField(max_length=200)
    description = serializers.MultiLineCharField(max_length=5000, required=False, allow_blank=True, default="")


class ExpoDetailsForm(BootstrapFormMixin, forms.Form):
    expo = forms.ModelChoiceField(
        label=gettext_lazy("Expo"),
        queryset=Expo.objects.none(),
        required=False,
        help_text=gettext_lazy("The expos taking applications now."),
    )
    title = forms.CharField(label=gettext_lazy("Showcase title"), max_length=200, required=False)
    description = forms.CharField(
        label=gettext_lazy("Showcase description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expo"].queryset = open_expos()


class ExpoHandler(FulfilmentHandler):
    """Checks an expo letter against its expo and turns an approval into a showcase application."""

    category = Category.EXPO
    details_model = ExpoRequest
    details_relation = "expo_request"
    details_name = "expo"
    details_serializer = ExpoDetailsSerializer
    details_form_class = ExpoDetailsForm

    def clean_details(self, *, startup, requested_amount, details) -> dict:
        expo = details.get("expo")
        if expo is None:
            raise InvalidInput(_("Name the expo to show at."), field="expo")
        title = (details.get("title") or "").strip()
        if not title:
            raise InvalidInput(_("A showcase needs a title."), field="expo")
        if startup is not None:
            reason = services.eligibility_reason(expo=expo, facts=eligibility_facts(startup))
            if reason:
                raise InvalidInput(reason, field="expo")
        return {"expo": expo, "title": title, "description": details.get("description") or ""}

    def save_details(self, *, letter, details) -> None:
        ExpoRequest.objects.update_or_create(letter=letter, defaults=dict(details))

    def _request(self, letter) -> ExpoRequest:
        request = ExpoRequest.objects.select_related("expo").filter(letter=letter).first()
        if request is None:
            raise InvalidInput(_("Name the expo to show at."), field="expo")
        return request

    def check_submission(self, letter) -> None:
        request = self._request(letter)
        # The facts recorded as the letter was submitted: approval re-checks on the same terms.
        reason = services.eligibility_reason(expo=request.expo, facts=letter.submitted_facts)
        if reason:
            raise InvalidInput(reason, field="expo")
        if Showcase.objects.filter(expo=request.expo, startup=letter.startup).exists():
            raise InvalidInput(_("This startup has applied to this expo already."), field="expo")

    def prepare_approval(self, letter, *, amount):
        request = self._request(letter)
        self.check_submission(letter)
        return request

    def fulfil(self, letter, *, prepared, amount, by, founders, notices) -> None:
        notify_all(notices)
        services.showcase_create_from_letter(
            letter=letter, expo=prepared.expo, title=prepared.title, description=prepared.description, by=by
        )

    def facts(self, letter):
        request = ExpoRequest.objects.select_related("expo").filter(letter=letter).first()
        if request is None:
            return []
        expo = request.expo
        return [
            Fact(_("Expo"), expo.name),
            Fact(_("Expo days"), f"{expo.starts_on.isoformat()} – {expo.ends_on.isoformat()}"),
            Fact(_("Showcase title"), request.title),
        ]

