"""A letter's category details (the fulfilling app's own model, `fulfilment.py`) in the letter's
API fields, list rows and services, for every registered handler alike.

The handler's `details_serializer` says which fields there are. In a representation every
handler's fields appear on every letter (null where the letter is of another category), so a
client always finds `"program"`, `"space"`, ... where the contract puts them. List rows are read
with `values()`: `row_paths()` names the details' columns through the one-to-one relation (a
join, not a query per row), and `represent_row()` formats them as `represent()` formats an
instance.
"""
import functools
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from .fulfilment import FulfilmentHandler, handler_for, handlers


def _with_details() -> list[FulfilmentHandler]:
    return [handler for handler in handlers() if handler.details_serializer is not None]


@functools.cache
def _fields(handler: FulfilmentHandler) -> dict[str, serializers.Field]:
    """The details serializer's fields, made once per handler (a handler lives as long as the
    process: it is registered once, at start-up)."""
    return dict(handler.details_serializer().fields)


def relations() -> tuple[str, ...]:
    """The one-to-one relations to `select_related` with a letter to represent it."""
    return tuple(handler.details_relation for handler in _with_details())


# --- input -----------------------------------------------------------------------------------


def input_fields() -> dict[str, serializers.Field]:
    """Fields for the letter's create and update serializers: each flat handler's fields, and
    each other handler's serializer under its `details_name`; all optional here (the handler
    says what its category requires)."""
    fields = {}
    for handler in _with_details():
        if handler.details_flat:
            fields.update(handler.details_serializer().get_fields())
        else:
            fields[handler.details_name] = handler.details_serializer(required=False, allow_null=True)
    return fields


def given(category: str, validated: Mapping) -> dict | None:
    """The category's details in a serializer's `validated_data`: None when the input named
    none of them (an edit that leaves them alone)."""
    handler = handler_for(category)
    if handler.details_serializer is None:
        return None
    if handler.details_flat:
        names = [name for name in _fields(handler) if name in validated]
        return {name: validated[name] for name in names} if names else None
    if handler.details_name not in validated:
        return None
    return dict(validated[handler.details_name] or {})


def as_input(category: str, cleaned: Mapping) -> dict:
    """A details form's `cleaned_data` in the shape the API gives it (what `given` reads)."""
    handler = handler_for(category)
    return dict(cleaned) if handler.details_flat else {handler.details_name: dict(cleaned)}


def split(validated: Mapping) -> tuple[dict, dict]:
    """A serializer's `validated_data` as (the letter's own fields, every handler's details)."""
    names = set(input_fields())
    own = {name: value for name, value in validated.items() if name not in names}
    return own, {name: value for name, value in validated.items() if name in names}


def stored(letter) -> dict:
    """The letter's details as stored, keyed like `validated_data` (empty when it has none)."""
    handler = handler_for(letter.category)
    row = _details_row(handler, letter)
    if row is None:
        return {}
    return {name: getattr(row, field.source) for name, field in _fields(handler).items()}


# --- output ----------------------------------------------------------------------------------


def output_fields() -> dict[str, serializers.Field]:
    """Read-only fields that describe the details in the schema of a letter."""
    fields = {}
    for handler in _with_details():
        if handler.details_flat:
            for name, field in _fields(handler).items():
                fields[name] = (
                    serializers.IntegerField(read_only=True, allow_null=True)
                    if isinstance(field, serializers.RelatedField)
                    else serializers.ReadOnlyField(allow_null=True)
                )
        else:
            fields[handler.details_name] = handler.details_serializer(read_only=True, allow_null=True)
    return fields


def _details_row(handler, letter):
    if letter.category != handler.category or not handler.details_relation:
        return None
    try:
        return getattr(letter, handler.details_relation)
    except ObjectDoesNotExist:
        return None


def _column(field) -> str:
    """The details model's column behind a field (a foreign key's id for a related field)."""
    return f"{field.source}_id" if isinstance(field, serializers.RelatedField) else field.source


def _format(field, value):
    if value is None or isinstance(field, serializers.RelatedField):
        return value  # a related field shows the id, which the column already is
    return field.to_representation(value)


def _represent(handler, values: Mapping | None) -> dict:
    fields = _fields(handler)
    if handler.details_flat:
        return {name: None if values is None else _format(f, values[name]) for name, f in fields.items()}
    if values is None:
        return {handler.details_name: None}
    return {handler.details_name: {name: _format(f, values[name]) for name, f in fields.items()}}


def represent(letter) -> dict:
    """Every handler's details fields of `letter` (selected with it: `relations()`)."""
    data = {}
    for handler in _with_details():
        row = _details_row(handler, letter)
        values = None if row is None else {name: getattr(row, _column(f)) for name, f in _fields(handler).items()}
        data.update(_represent(handler, values))
    return data


def row_paths() -> tuple[str, ...]:
    """The `values()` paths of every handler's details columns (and of the row's key, which is
    null when the letter has no details row)."""
    paths = []
    for handler in _with_details():
        paths.append(f"{handler.details_relation}__pk")
        paths += [f"{handler.details_relation}__{_column(f)}" for f in _fields(handler).values()]
    return tuple(paths)


def represent_row(row: Mapping) -> dict:
    """`represent()` for a `values()` row that includes `row_paths()`."""
    data = {}
    for handler in _with_details():
        relation = handler.details_relation
        values = None
        if row[f"{relation}__pk"] is not None and row["category"] == handler.category:
            values = {name: row[f"{relation}__{_column(f)}"] for name, f in _fields(handler).items()}
        data.update(_represent(handler, values))
    return data
