"""Demo data for startups: the demo founder's startup with two monthly reports (`manage.py seed_demo`)."""
import datetime
from decimal import Decimal

from django.db import transaction

from accounts.demo import demo_user

from .enums import MemberRole, Sector, Stage
from .models import Membership, MonthlyReport, Startup

DEMO_STARTUP = "Hanbit Robotics"

REPORTS = [
    # (period, revenue, expenses)
    (datetime.date(2026, 1, 1), Decimal("12000000.00"), Decimal("15500000.00")),
    (datetime.date(2026, 2, 1), Decimal("16800000.00"), Decimal("14200000.00")),
]


@transaction.atomic
def seed(stdout) -> None:
    founder = demo_user("demo-founder")
    startup, created = Startup.objects.get_or_create(
        name=DEMO_STARTUP,
        defaults={
            "sector": Sector.HARDWARE,
            "stage": Stage.REVENUE,
            "description": "Warehouse robots for small logistics firms.",
        },
    )
    stdout.write(f"startup {DEMO_STARTUP!r}: {'created' if created else 'exists'}")
    Membership.objects.get_or_create(startup=startup, user=founder, defaults={"role": MemberRole.OWNER})
    for period, revenue, expenses in REPORTS:
        _report, created = MonthlyReport.objects.get_or_create(
            startup=startup,
            period=period,
            defaults={"revenue": revenue, "expenses": expenses, "filed_by": founder},
        )
        stdout.write(f"report {period:%Y-%m}: {'created' if created else 'exists'}")
