"""The letter pages' forms: they check the input's shape and hand it to the services
(applications/services/), which own every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from startups.enums import Sector
from startups.models import Startup

from .enums import Category
from .models import RuleSet

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
DECISION_CHOICES = [("approve", _("Approve")), ("reject", _("Reject"))]


def _normalise_newlines(text: str) -> str:
    """Browsers send a textarea's lines with CRLF; the letter keeps LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(label, *, max_length, rows=None, required=True, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text
    )


class LetterEditForm(BootstrapFormMixin, forms.Form):
    """For `letter_update_draft`: what a founder may change in a draft."""

    field_order = ("category", "subject", "body", "requested_amount")

    subject = _text(_("Subject"), max_length=200)
    body = _text(_("Letter"), max_length=50_000, rows=12)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    requested_amount = forms.DecimalField(
        label=_("Requested amount"),
        required=False,
        help_text=_("Required for a subsidy."),
        **AMOUNT,
    )

    def __init__(self, *args, category_fields_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if category_fields_url:
            # With script, the fields of the chosen category replace the current ones at once;
            # without, the page comes back with them (views: `_compose_page`).
            self.fields["category"].widget.attrs.update(
                {
                    "hx-get": category_fields_url,
                    "hx-target": "#category-fields",
                    "hx-trigger": "change",
                    "aria-controls": "category-fields",
                }
            )

    def clean_body(self):
        return _normalise_newlines(self.cleaned_data["body"])

    def service_kwargs(self) -> dict:
        """The cleaned fields the draft services take (the startup and details aside)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "startup"}


class LetterCreateForm(LetterEditForm):
    """For `letter_create_draft`: a draft of one of the founder's own startups."""

    field_order = ("startup", "category", "subject", "body", "requested_amount")

    startup = forms.ModelChoiceField(label=_("Startup"), queryset=Startup.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = Startup.objects.filter(memberships__user=user).order_by(
            "name", "id"
        )


class AttachmentForm(BootstrapFormMixin, forms.Form):
    """For `attachment_add`: the service recognises the file's type by its content."""

    prefix = "attach"

    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, PNG, JPEG, ODT or DOCX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.odt,.docx"}),
    )


class MessageForm(BootstrapFormMixin, forms.Form):
    """For `message_post`."""

    prefix = "msg"

    body = _text(_("Message"), max_length=10_000, rows=3)


class WithdrawForm(BootstrapFormMixin, forms.Form):
    """For `letter_withdraw`."""

    reason = _text(_("Reason (optional)"), max_length=10_000, rows=3, required=False)


class RespondForm(BootstrapFormMixin, forms.Form):
    """For `letter_respond`: the answer, and the letter as the founders want it now. Only the
    fields that differ from the letter go to the service as a revision."""

    prefix = "respond"
    REVISABLE = ("subject", "body", "requested_amount")

    message = _text(_("Your answer"), max_length=10_000, rows=4)
    subject = _text(_("Subject"), max_length=200)
    body = _text(_("Letter"), max_length=50_000, rows=8)
    requested_amount = forms.DecimalField(label=_("Requested amount"), required=False, **AMOUNT)

    def clean_body(self):
        return _normalise_newlines(self.cleaned_data["body"])

    def revision(self) -> dict:
        """The revised fields: those whose value differs from the letter's (the initial data)."""
        return {
            name: self.cleaned_data[name]
            for name in self.REVISABLE
            if self.cleaned_data.get(name) != self.initial.get(name)
        }


class RequestInfoForm(BootstrapFormMixin, forms.Form):
    """For `letter_request_info`."""

    prefix = "info"

    message = _text(_("Question for the founders"), max_length=10_000, rows=3)


class RecommendForm(BootstrapFormMixin, forms.Form):
    """For `letter_recommend`."""

    prefix = "rec"

    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=DECISION_CHOICES)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, help_text=_("Leave empty for the amount requested."), **AMOUNT
    )
    comment = _text(_("Comment"), max_length=10_000, rows=3, required=False)


class DecideForm(BootstrapFormMixin, forms.Form):
    """For `letter_decide`."""

    prefix = "dec"

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, help_text=_("Leave empty for the amount recommended."), **AMOUNT
    )
    comment = _text(_("Comment"), max_length=10_000, rows=3, required=False)


class DryRunForm(BootstrapFormMixin, forms.Form):
    """Pick a draft rule set to replay the last 30 days' letters against."""

    ruleset = forms.ModelChoiceField(
        label=_("Draft rule set"),
        queryset=RuleSet.objects.filter(status=RuleSet.State.DRAFT).order_by("-version"),
        empty_label=None,
    )


class PreviewForm(BootstrapFormMixin, forms.Form):
    """A sample letter: which queue would it go to?"""

    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", "—"), *Category.choices])
    requested_amount = forms.DecimalField(label=_("Requested amount"), required=False, **AMOUNT)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", "—"), *Sector.choices])
    subject = _text(_("Subject"), max_length=200, required=False)
    body = _text(_("Letter"), max_length=50_000, rows=4, required=False)
    ruleset = forms.ModelChoiceField(
        label=_("Rule set"),
        required=False,
        queryset=RuleSet.objects.exclude(status=RuleSet.State.RETIRED).order_by("-version"),
        empty_label=_("The active rule set"),
    )
