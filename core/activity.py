"""One way to change configuration: by a whitelist of fields, and logged.

`update_fields` is the typed helper every configuration update goes through: it refuses any
field the caller did not name as changeable, saves only what changed, and writes one
`ActivityEntry` with the old and the new value of each changed field. `record_activity` logs a
creation, deletion or activation, or changes the service made itself (many-to-many sets).
"""

import datetime
import decimal
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from .exceptions import InvalidInput
from .models import ActivityEntry

Changes = dict[str, list[Any]]


def json_value(value: Any) -> Any:
    """A JSON-safe form of a field's value: models by id, Decimal/date/time/UUID as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        items = [json_value(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset, models.QuerySet)) else items
    return str(value)


def record_activity(
    target: models.Model, action: str, *, by, changes: Mapping[str, Any] | None = None
) -> ActivityEntry:
    """Log `action` on `target` by `by` (None: the system). `changes` maps a field to
    [old, new] (made JSON-safe here). Side effects: one ActivityEntry row."""
    return ActivityEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes={
            name: [json_value(old), json_value(new)] for name, (old, new) in (changes or {}).items()
        },
    )


def check_allowed(changes: Mapping[str, Any], allowed: Collection[str]) -> None:
    """Refuse (400, naming the field) a key that is not in `allowed`."""
    for name in changes:
        if name not in allowed:
            raise InvalidInput(_("This field cannot be changed: %(f)s.") % {"f": name}, field=name)


def diff(instance: models.Model, changes: Mapping[str, Any]) -> Changes:
    """{field: [old, new]} for the fields whose value really changes (a model compares by id)."""
    out: Changes = {}
    for name, new in changes.items():
        old = getattr(instance, name)
        if _comparable(old) != _comparable(new):
            out[name] = [old, new]
    return out


def _comparable(value: Any) -> Any:
    """A model compares by its id; anything else as it is (Decimal("0") equals Decimal("0.00"))."""
    return value.pk if isinstance(value, models.Model) else value


def update_fields(
    instance: models.Model,
    changes: Mapping[str, Any],
    *,
    allowed: Collection[str],
    by,
    action: str = ActivityEntry.Action.UPDATED,
    extra: Mapping[str, Any] | None = None,
) -> Changes:
    """Assign `changes` to `instance`, save the fields that changed and log them.

    Any key outside `allowed` is refused (InvalidInput naming it) before anything is assigned.
    `extra` adds [old, new] pairs the caller changed itself (e.g. many-to-many sets) to the
    same entry. Returns {field: [old, new]} of what changed; nothing changed: no save, no entry.
    Side effects: one UPDATE of the changed fields and one ActivityEntry, in the caller's
    transaction.
    """
    check_allowed(changes, allowed)
    changed = diff(instance, changes)
    for name, (_old, new) in changed.items():
        setattr(instance, name, new)
    if changed:
        instance.save(update_fields=list(changed))
    logged = {**changed, **(extra or {})}
    if logged:
        record_activity(instance, action, by=by, changes=logged)
    return changed
