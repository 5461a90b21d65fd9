"""The state machine: one function applies TRANSITIONS and writes the timeline."""
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import StateConflict

from .. import details
from ..enums import TRANSITIONS, EventKind
from ..models import Letter, LetterEvent

# What the services and the API's response read of a locked letter, fetched in the same query
# (only the letter's row is locked).
LOCK_RELATED = ("startup", "author", "assignee", "reviewed_by", "queue__department")


def lock_letter(letter_id: int, *, related=LOCK_RELATED) -> Letter:
    """Reload a letter under a row lock (its row only), with the rows the services and the
    response read (`related`: a caller that needs fewer joins names them); callers are inside
    a transaction. The category's details row comes along (the response shows it)."""
    return (
        Letter.objects.select_related(*related, *details.relations())
        .select_for_update(of=("self",))
        .get(pk=letter_id)
    )


def record_event(letter: Letter, *, kind: str, by=None, note: str = "", from_status: str = "", to_status: str = "") -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter, kind=kind, actor=by, note=note, from_status=from_status, to_status=to_status
    )


def check_transition(letter: Letter, to_status: str) -> None:
    """Raise StateConflict (409) unless the letter may move to `to_status`."""
    if to_status not in TRANSITIONS[letter.status]:
        raise StateConflict(
            _("A letter that is %(current)s cannot become %(target)s.")
            % {"current": letter.get_status_display(), "target": Letter(status=to_status).get_status_display()}
        )


def transition(
    letter: Letter, to_status: str, *, by=None, note: str = "", kind: str = EventKind.STATUS, update_fields=(), **changes
) -> Letter:
    """Move a locked letter to `to_status`, save it and write the timeline event.

    The caller has locked the row (`lock_letter`) inside `transaction.atomic()` and decided
    that the actor may act; this function decides whether the move is allowed. `changes` are
    other fields set in the same save (assignee, queue, due_at...).
    Side effects: saves the letter (only the changed fields), writes one LetterEvent.
    """
    assert transaction.get_connection().in_atomic_block, "transition() needs the caller's transaction"
    check_transition(letter, to_status)
    from_status = letter.status
    letter.status = to_status
    for field, value in changes.items():
        setattr(letter, field, value)
    letter.save(update_fields=["status", "updated_at", *changes, *update_fields])
    record_event(letter, kind=kind, by=by, note=note, from_status=from_status, to_status=to_status)
    return letter
