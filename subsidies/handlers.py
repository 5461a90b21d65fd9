"""The subsidy letter's fulfilment handler: a subsidy letter names a program (its
`SubsidyRequest`); approving it commits an award against the program's budget."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.enums import Category
from applications.fulfilment import FulfilmentHandler
from core.forms import BootstrapFormMixin
from core.money import format_money

from .models import Program, SubsidyRequest
from .selectors import open_programs
from .services import awards, eligibility


class SubsidyDetailsSerializer(serializers.Serializer):
    """`"program"` at the letter's top level (the contract's shape): the program's id."""

    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no such subsidy program.")},
    )


class ProgramChoiceField(forms.ModelChoiceField):
    """An open program, labelled with its terms (the largest award and the closing day)."""

    def label_from_instance(self, program):
        return _("%(name)s: up to %(max)s, until %(day)s") % {
            "name": program.name,
            "max": format_money(program.max_award),
            "day": program.closes_on.isoformat(),
        }


class SubsidyDetailsForm(BootstrapFormMixin, forms.Form):
    program = ProgramChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_("The open programs, with the largest award each grants and when it closes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = open_programs()


class SubsidyHandler(FulfilmentHandler):
    """Checks a subsidy letter against its program and turns an approval into an award."""

    category = Category.SUBSIDY
    details_model = SubsidyRequest
    details_relation = "subsidy_request"
    details_name = "program"
    details_flat = True
    details_serializer = SubsidyDetailsSerializer
    details_form_class = SubsidyDetailsForm

    def clean_details(self, *, startup, requested_amount, details) -> dict:
        return eligibility.clean_request(requested_amount=requested_amount, program=details.get("program"))

    def save_details(self, *, letter, details) -> None:
        SubsidyRequest.objects.update_or_create(letter=letter, defaults={"program": details["program"]})

    def check_submission(self, letter) -> None:
        eligibility.check_subsidy_submission(letter)

    def prepare_approval(self, letter, *, amount):
        return eligibility.check_subsidy_approval(letter, amount=amount)

    def fulfil(self, letter, *, prepared, amount, by, founders, notices) -> None:
        # letter_decide holds the letter's lock and saw it pending approval: no award yet.
        program, granted = prepared
        awards.award_fulfil(letter=letter, program=program, amount=granted, by=by, founders=founders, notices=notices)

    def facts(self, letter):
        return eligibility.approval_facts(letter)
