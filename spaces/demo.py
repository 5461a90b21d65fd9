"""Demo data for coworking spaces (`manage.py seed_demo`): one site of each funding model with
desks, offices and a meeting room laid out on a floor plan, and the demo startup's space letter
(a draft asking for two desks). Idempotent: sites are found by name, units by site and name,
the letter by subject."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Department
from applications.enums import Category
from applications.models import Letter
from applications.services import drafts
from startups.demo import DEMO_STARTUP
from startups.models import Startup

from .enums import Funding, UnitKind
from .models import Site, Unit

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


@transaction.atomic
def seed(stdout) -> None:
    department = Department.objects.get(code="mss")
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
    startup = Startup.objects.get(name=DEMO_STARTUP)
    if Letter.objects.filter(startup=startup, subject=LETTER_SUBJECT).exists():
        stdout.write(f"letter {LETTER_SUBJECT[:40]!r}: exists")
        return
    starts_on = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    drafts.letter_create_draft(
        startup=startup,
        category=Category.SPACE,
        subject=LETTER_SUBJECT,
        body="We are two engineers and would like two desks from next month.",
        details={
            "kind": "desk",
            "seats": 2,
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=183),
            "site": first,
        },
        by=demo_user("demo-founder"),
    )
    stdout.write(f"letter {LETTER_SUBJECT[:40]!r}: created")
