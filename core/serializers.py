"""DRF's serializers module with the project's defaults. Serializer modules import it in place
of DRF's (`from core import serializers`); everything else in it is DRF's own.

- `Serializer` and `ModelSerializer` give every writable text field `validate_single_line`
  (core/text.py), unless it is multi-line: a model `TextField`, or a field declared as
  `MultiLineCharField`. Passwords are left as they are.
- Ids are `core.fields`' (`PrimaryKeyRelatedField`, also a ModelSerializer's related fields;
  `IdField` for a bare id): ASCII digits only, within what a bigint holds.
- A `ModelSerializer` builds the fields it reads off its model once per class; each instance
  gets a deep copy of them, as DRF does with declared fields.
"""
import copy

from rest_framework import serializers as _drf
from rest_framework.serializers import *  # noqa: F403

from .fields import IdField, PrimaryKeyRelatedField  # noqa: F401
from .text import validate_single_line

_MULTILINE = "textarea.html"


class MultiLineCharField(_drf.CharField):
    """Text that may span lines (a letter's body, a message); every other CharField is one line."""

    def __init__(self, **kwargs):
        kwargs["style"] = {"base_template": _MULTILINE, **kwargs.get("style", {})}
        super().__init__(**kwargs)


def _is_single_line(field) -> bool:
    return (
        isinstance(field, _drf.CharField)
        and not field.read_only
        and field.style.get("base_template") != _MULTILINE
        and field.style.get("input_type") != "password"
    )


class _SingleLineText:
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if _is_single_line(field):
                field.validators.append(validate_single_line)
        return fields


class Serializer(_SingleLineText, _drf.Serializer):
    pass


class _FieldsBuiltOnce:
    """What `ModelSerializer.get_fields` returns depends on the class alone (its Meta and
    declared fields, never the instance or the context), and building it from the model costs
    more than the rest of a small write request (bench/space_bookings.py). Built once per class,
    copied per instance; the copies are unbound and unused, so nothing leaks between requests."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)


class ModelSerializer(_SingleLineText, _FieldsBuiltOnce, _drf.ModelSerializer):
    serializer_related_field = PrimaryKeyRelatedField
