"""What the letter services share: the lock-and-check of an action, the cleaning of input, and
notices about a letter."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import InvalidInput, NotFound, NotPermitted
from core.money import CENT, MAX_AMOUNT
from notifications.services import notify

from ..enums import Status
from ..models import Letter
from .transitions import LOCK_RELATED, lock_letter

SUBJECT_MAX = 200
BODY_MAX = 50_000
MESSAGE_MAX = 10_000
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.INFO_REQUESTED})


def lock_for(by: User, perm: str, letter: Letter, *, related=LOCK_RELATED) -> Letter:
    """Lock the letter (`lock_letter`) and check that `by` may do this to it: 404 to whoever
    may not even see it, 403 to whoever may see it but not act. The API hands an action its
    letter's id alone, so an action reads the letter once, under its lock."""
    try:
        locked = lock_letter(letter.pk, related=related)
    except Letter.DoesNotExist:
        raise NotFound(_("Not found.")) from None
    if not by.has_perm(perm, locked):
        if not by.has_perm("applications.view_letter", locked):
            raise NotFound(_("Not found."))
        raise NotPermitted(_("You may not do this with this letter."))
    return locked


def clean_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InvalidInput(_("Enter text."), field=field)
    if required and not text:
        raise InvalidInput(_("This field may not be blank."), field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("Ensure this field has no more than %(max)d characters.") % {"max": max_length}, field=field
        )
    if "\x00" in text:
        raise InvalidInput(_("Null characters are not allowed."), field=field)
    return text


def clean_amount(value, *, field: str) -> Decimal | None:
    """A money amount: None, or a finite Decimal from 0 up to what the column holds, 2 places."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("Enter a valid amount."), field=field) from None
    if not amount.is_finite():
        raise InvalidInput(_("Enter a valid amount."), field=field)
    if amount < 0:
        raise InvalidInput(_("The amount cannot be negative."), field=field)
    if amount > MAX_AMOUNT:
        raise InvalidInput(_("The amount is too large."), field=field)
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("Use at most two decimal places."), field=field)
    return amount.quantize(CENT)


def department_emails(letter: Letter) -> list[str]:
    """The generic address of the letter's department (lock_letter fetched queue and department)."""
    if not letter.queue_id:
        return []
    email = letter.queue.department.email
    return [email] if email else []


def notify_about(letter: Letter, *, recipients, subject: str, body: str = "", department: bool = False) -> None:
    """Notify `recipients` (and, with `department`, the department's address) about the letter."""
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        link=letter.get_absolute_url(),
        extra_emails=department_emails(letter) if department else (),
    )
