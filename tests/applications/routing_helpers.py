"""Builders shared by the routing, SLA and routing-API tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.enums import Category, Status
from applications.models import Letter, LetterEvent
from tests import factories


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware local datetime (TIME_ZONE is Asia/Seoul in the tests)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


def reviewers(count, **kwargs):
    return [factories.UserFactory(roles=["reviewer"], **kwargs) for _ in range(count)]


def submitted(
    count=1, *, startup=None, category=Category.OTHER, amount=None, subject=None, body=None, **kwargs
):
    """`count` letters in status `submitted`, not yet routed, oldest first."""
    startup = startup or factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    author = startup.memberships.first().user
    letters = []
    base = timezone.now() - datetime.timedelta(minutes=10)
    for index in range(count):
        extra = {"subject": subject} if subject else {}
        if body:
            extra["body"] = body
        letter = factories.letter_in_state(
            Status.SUBMITTED,
            startup=startup,
            author=author,
            category=category,
            requested_amount=amount,
            **extra,
            **kwargs,
        )
        Letter.objects.filter(pk=letter.pk).update(submitted_at=base + datetime.timedelta(seconds=index))
        letter.refresh_from_db()
        letters.append(letter)
    return letters


def events(letter, **filters):
    return list(LetterEvent.objects.filter(letter=letter, **filters).order_by("at", "id"))


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
