"""Demo data for subsidies: two programs, open this year (`manage.py seed_demo`). Idempotent:
programs are fetched or created by name, through the service (so the ledger has their budget)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user

from .enums import ProfitPolicy
from .models import Program
from .services import programs


def _programs(today: datetime.date) -> list[dict]:
    year = today.year
    return [
        {
            "name": "Early-stage seed grant",
            "description": "Seed money for startups from idea to first revenue, paid in three tranches.",
            "budget": Decimal("500000000.00"),
            "max_award": Decimal("50000000.00"),
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
            "eligible_stages": ["idea", "prototype", "revenue"],
            "tranches": 3,
            "tranche_spacing_months": 3,
            "profit_months": 3,
            "profit_policy": ProfitPolicy.TAPER,
            "taper_percent": Decimal("50.00"),
        },
        {
            "name": "Hardware scale-up fund",
            "description": "For registered hardware and manufacturing startups; stops once profitable.",
            "budget": Decimal("1000000000.00"),
            "max_award": Decimal("200000000.00"),
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
            "eligible_sectors": ["hardware", "manufacturing"],
            "registered_only": True,
            "tranches": 4,
            "tranche_spacing_months": 6,
            "profit_months": 6,
            "profit_policy": ProfitPolicy.STOP,
        },
    ]


@transaction.atomic
def seed(stdout) -> None:
    admin = demo_user("demo-admin")
    for values in _programs(timezone.localdate()):
        if Program.objects.filter(name=values["name"]).exists():
            stdout.write(f"program {values['name']!r}: exists")
            continue
        programs.program_create(**values, by=admin)
        stdout.write(f"program {values['name']!r}: created")
