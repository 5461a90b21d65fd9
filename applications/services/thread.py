"""The message thread of a letter."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import StateConflict
from startups.models import Membership

from ..enums import TERMINAL, EventKind, Status
from ..models import Letter, Message
from ..selectors import founders_of
from .common import MESSAGE_MAX, clean_text, lock_for, notify_about
from .transitions import record_event

# --- the thread --------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, letter: Letter, by: User, body: str) -> Message:
    """A member, the assignee or a reviewer of the queue writes in the letter's thread while
    the letter is open (submitted and not yet decided or withdrawn).

    Side effects: creates the Message and a `message` timeline event; notifies the other side
    (founders when staff write; the assignee, or the department's address, when founders do).
    """
    body = clean_text(body, field="body", max_length=MESSAGE_MAX)
    letter = lock_for(by, "applications.post_message", letter)
    if letter.status == Status.DRAFT or letter.status in TERMINAL:
        raise StateConflict(
            _("Messages can be written only while the letter is open (it is %(status)s).")
            % {"status": letter.get_status_display()}
        )
    message = Message.objects.create(letter=letter, author=by, body=body)
    record_event(letter, kind=EventKind.MESSAGE, by=by, note=body[:200])
    subject = _("New message about letter #%(id)d: %(subject)s") % {
        "id": letter.pk,
        "subject": letter.subject,
    }
    if Membership.objects.filter(startup_id=letter.startup_id, user=by).exists():
        if letter.assignee_id and letter.assignee_id != by.pk:
            notify_about(letter, recipients=[letter.assignee], subject=subject, body=body)
        elif not letter.assignee_id:
            notify_about(letter, recipients=[], subject=subject, body=body, department=True)
    else:
        notify_about(letter, recipients=founders_of(letter), subject=subject, body=body)
    return message

