"""Ids as clients send them: one reading for bodies, query strings and paths.

An id is a positive integer a bigint column holds, written with ASCII digits only: `1e400`,
`1.0`, `"²"` or `"١٢"` are no ids (Python's `int()` and `str.isdigit()` accept some of them,
the database none), so they are refused as input before any query is made.
"""
import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id `value` stands for (an int, or a string of ASCII digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _DIGITS.fullmatch(value):
            return None
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None


class IdField(serializers.IntegerField):
    """An id in a body (the API)."""

    default_error_messages = {"invalid": _("Enter a valid id.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            self.fail("invalid")
        return pk


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's, refusing what is no id before it reaches a query."""

    def to_internal_value(self, data):
        if self.pk_field is None:
            if not isinstance(data, (int, str)) or isinstance(data, bool):
                self.fail("incorrect_type", data_type=type(data).__name__)
            if parse_id(data) is None:
                self.fail("does_not_exist", pk_value=data)
            data = parse_id(data)
        return super().to_internal_value(data)


class IdFormField(forms.IntegerField):
    """An id in a query string or a form."""

    default_error_messages = {"invalid": _("Enter a valid id.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return pk


class IdModelChoiceField(filters.ModelChoiceFilter.field_class):
    """django-filter's model choice field, refusing what is no id before the query."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdFilter(filters.NumberFilter):
    field_class = IdFormField


class IdModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = IdModelChoiceField
