"""Builders for the programme's tests: an expo over past or future days, its halls, accepted
showcases, and a schedule written directly (the scheduler's own tests are elsewhere)."""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from expos.models import Expo, Hall, Showcase, ShowcaseSlot
from tests import factories


def accepted_status() -> dict:
    from expos.enums import Decision, ShowcaseStatus

    return {"decision": Decision.ACCEPTED, "status": ShowcaseStatus.ACCEPTED}


def organiser(department):
    return factories.UserFactory(roles=["expo_organiser"], department=department)


def make_expo(*, department=None, starts_in_days=30, days=2, **fields) -> Expo:
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=starts_in_days)
    values = {
        "name": "Seoul Startup Expo",
        "city": "Seoul",
        "venue": "COEX",
        "department": department or factories.DepartmentFactory(),
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(days=days - 1),
        "applications_open_on": today - datetime.timedelta(days=60),
        "applications_close_on": min(today, starts_on) - datetime.timedelta(days=1),
        "day_starts_at": datetime.time(10, 0),
        "day_ends_at": datetime.time(12, 0),
        "slot_minutes": 30,
        "slot_value": Decimal("150000.00"),
    }
    values.update(fields)
    return Expo.objects.create(**values)


def make_hall(expo, name="Hall A", features=()) -> Hall:
    return Hall.objects.create(expo=expo, name=name, capacity=40, features=list(features))


def make_showcase(expo, startup=None, *, title=None, needs=(), days=(), accepted=True, **fields) -> Showcase:
    startup = startup or factories.StartupFactory()
    values = {
        "expo": expo,
        "startup": startup,
        "title": title or f"{startup.name} live",
        "description": "What we show.",
        "sector": startup.sector,
        "needs": list(needs),
        "available_days": [d.isoformat() if hasattr(d, "isoformat") else d for d in days],
    }
    if accepted:
        values.update(accepted_status())
    values.update(fields)
    return Showcase.objects.create(**values)


def at(expo, day_index: int, hh: int, mm: int = 0) -> datetime.datetime:
    day = expo.starts_on + datetime.timedelta(days=day_index)
    return datetime.datetime.combine(day, datetime.time(hh, mm), tzinfo=ZoneInfo(settings.TIME_ZONE))


def place(showcase, hall, starts_at, *, pinned=False) -> ShowcaseSlot:
    minutes = showcase.expo.slot_minutes
    return ShowcaseSlot.objects.create(
        showcase=showcase,
        hall=hall,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        pinned=pinned,
    )
