"""Demo data for coworking spaces (`manage.py seed_demo`): one site of each funding model with
desks, offices and a meeting room laid out on a floor plan; the demo startup's desk in the
first site and its booking of the meeting room (tomorrow or the next bookable day, within the
site's hours); and its space letters: a draft, one approved and offered a desk by a confirmed
run, one approved and waiting. Everything after the sites goes through the services, as the
people would. Idempotent: sites are found by name, units by site and name, letters by subject,
the allocation and the booking by unit and startup."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from applications.enums import Category
from applications.models import Letter
from applications.services import drafts, review, router
from startups.demo import DEMO_STARTUP
from startups.models import Startup

from . import bookings
from .enums import Funding, UnitKind
from .models import Allocation, RoomBooking, Site, Unit
from .services import allocations, runs

SITES = [
    # (name, address, funding, state share, special economic zone)
    ("Seoul Startup Hub", "29 Mapo-daero, Mapo-gu, Seoul", Funding.STATE, None, False),
    ("Pangyo Techno Valley Campus", "231 Pangyoyeok-ro, Seongnam", Funding.SHARED, Decimal("60.00"), True),
    ("Busan Harbour Works", "12 Jungang-daero, Busan", Funding.COMPANY, None, False),
]
UNITS = [
    # (name, kind, seats, monthly price, hourly price, features, x, y, width, height)
    ("Desk A1", UnitKind.DESK, 1, Decimal("250000.00"), None, ["window"], 0, 0, 10, 10),
    ("Desk A2", UnitKind.DESK, 1, Decimal("250000.00"), None, [], 10, 0, 10, 10),
    ("Desk A3", UnitKind.DESK, 1, Decimal("250000.00"), None, [], 20, 0, 10, 10),
    ("Office B1", UnitKind.OFFICE, 4, Decimal("1200000.00"), None, ["whiteboard"], 0, 12, 20, 16),
    ("Office B2", UnitKind.OFFICE, 8, Decimal("2200000.00"), None, ["lab bench"], 20, 12, 30, 16),
    ("Meeting room C", UnitKind.MEETING_ROOM, 10, None, Decimal("30000.00"), ["projector"], 32, 0, 18, 10),
]
LETTER_SUBJECT = "A desk for two engineers in the Seoul coworking site"
OFFERED_SUBJECT = "A desk for our designer from next month"
WAITING_SUBJECT = "An office for the hardware team"
DESK, ROOM = "Desk A1", "Meeting room C"


def _sites(stdout) -> Site:
    """The sites of each funding model and their units; returns the first. They belong to the
    demo space manager's department, so that its login manages them."""
    department = demo_user("demo-space").department
    first = None
    for name, address, funding, share, zone in SITES:
        site, created = Site.objects.get_or_create(
            name=name,
            defaults={
                "department": department,
                "address": address,
                "funding": funding,
                "state_share": share,
                "special_economic_zone": zone,
            },
        )
        first = first or site
        for unit_name, kind, seats, monthly, hourly, features, x, y, width, height in UNITS:
            Unit.objects.get_or_create(
                site=site,
                name=unit_name,
                defaults={
                    "kind": kind,
                    "seats": seats,
                    "monthly_price": monthly,
                    "hourly_price": hourly,
                    "features": features,
                    "x": x,
                    "y": y,
                    "width": width,
                    "height": height,
                },
            )
        stdout.write(f"coworking site {name!r}: {'created' if created else 'exists'}")
    return first


def _next_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _draft(startup, subject: str, body: str, details: dict) -> Letter:
    return drafts.letter_create_draft(
        startup=startup, category=Category.SPACE, subject=subject, body=body, details=details,
        by=demo_user("demo-founder"),
    )


def _approved(startup, subject: str, body: str, details: dict) -> Letter:
    """A space letter sent, routed to the demo reviewer, recommended and approved: its request
    joins the waiting list."""
    founder, reviewer = demo_user("demo-founder"), demo_user("demo-reviewer")
    letter = drafts.letter_submit(letter=_draft(startup, subject, body, details), by=founder)
    router.route_waiting_letters()
    letter.refresh_from_db()
    if letter.assignee_id != reviewer.pk:
        letter = review.letter_claim(letter=letter, by=reviewer)
    letter = review.letter_recommend(letter=letter, by=reviewer, recommendation="approve")
    return review.letter_decide(letter=letter, by=demo_user("demo-approver"), decision="approve")


def _letters(startup, site: Site, stdout) -> None:
    starts_on = _next_month()
    letters = [
        # (subject, body, details, approved?, offered by a confirmed run?)
        (
            LETTER_SUBJECT,
            "We are two engineers and would like two desks from next month.",
            {"kind": "desk", "seats": 2, "site": site},
            False,
            False,
        ),
        (
            OFFERED_SUBJECT,
            "Our designer joins next month and needs a desk beside the team.",
            {"kind": "desk", "seats": 1, "site": site},
            True,
            True,
        ),
        (
            WAITING_SUBJECT,
            "The hardware team of four needs an office with a bench.",
            {"kind": "office", "seats": 4, "site": site},
            True,
            False,
        ),
    ]
    for subject, body, details, approved, offered in letters:
        if Letter.objects.filter(startup=startup, subject=subject).exists():
            stdout.write(f"letter {subject[:40]!r}: exists")
            continue
        details = {**details, "starts_on": starts_on, "ends_on": starts_on + datetime.timedelta(days=183)}
        if not approved:
            _draft(startup, subject, body, details)
        else:
            _approved(startup, subject, body, details)
        if offered:
            # The run sees every waiting request of the site: this one alone, since the
            # waiting letter comes after it.
            admin = demo_user("demo-admin")
            runs.run_confirm(run=runs.run_create(site=site, by=admin), by=admin)
        stdout.write(f"letter {subject[:40]!r}: created")


def _allocation(startup, site: Site, stdout) -> None:
    desk = Unit.objects.get(site=site, name=DESK)
    if Allocation.objects.filter(unit=desk, startup=startup).exists():
        stdout.write(f"allocation of {DESK!r}: exists")
        return
    today = timezone.localdate()
    allocations.allocation_create(
        unit=desk, startup=startup, starts_on=today.replace(day=1), ends_on=today + datetime.timedelta(days=365),
        by=demo_user("demo-admin"),
    )
    stdout.write(f"allocation of {DESK!r}: created")


def _next_bookable_day(site: Site) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() not in site.bookable_weekdays:
        day += datetime.timedelta(days=1)
    return day


def _booking(startup, site: Site, stdout) -> None:
    room = Unit.objects.get(site=site, name=ROOM)
    if RoomBooking.objects.filter(unit=room, startup=startup).exists():
        stdout.write(f"booking of {ROOM!r}: exists")
        return
    tz = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(_next_bookable_day(site), site.bookable_from, tzinfo=tz)
    bookings.booking_create(
        unit=room, startup=startup, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1),
        by=demo_user("demo-founder"),
    )
    stdout.write(f"booking of {ROOM!r}: created")


@transaction.atomic
def seed(stdout) -> None:
    site = _sites(stdout)
    startup = Startup.objects.get(name=DEMO_STARTUP)
    _allocation(startup, site, stdout)
    _booking(startup, site, stdout)
    _letters(startup, site, stdout)
