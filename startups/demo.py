"""Demo data for startups: the demo founder's startup, its registration verified by the demo
administrator, and two monthly reports (`manage.py seed_demo`)."""
import datetime
from decimal import Decimal

from django.db import transaction

from accounts.demo import demo_user

from . import services
from .enums import Sector, Stage
from .models import MonthlyReport, Startup

DEMO_STARTUP = "Hanbit Robotics"
DEMO_REGISTRATION_NUMBER = "110-81-20260"

REPORTS = [
    # (period, revenue, expenses)
    (datetime.date(2026, 1, 1), Decimal("12000000.00"), Decimal("15500000.00")),
    (datetime.date(2026, 2, 1), Decimal("16800000.00"), Decimal("14200000.00")),
]


@transaction.atomic
def seed(stdout) -> None:
    founder = demo_user("demo-founder")
    startup = Startup.objects.filter(name=DEMO_STARTUP).first()
    stdout.write(f"startup {DEMO_STARTUP!r}: {'exists' if startup else 'created'}")
    if startup is None:
        # Through the services, as on the pages: the timeline shows the creation and who
        # verified the registration.
        startup = services.startup_create(
            by=founder,
            name=DEMO_STARTUP,
            sector=Sector.HARDWARE,
            stage=Stage.REVENUE,
            description="Warehouse robots for small logistics firms.",
        )
    if not startup.is_registered:
        if startup.proposed_registration_number != DEMO_REGISTRATION_NUMBER:
            startup = services.startup_update(
                startup=startup, proposed_registration_number=DEMO_REGISTRATION_NUMBER, by=founder
            )
        startup = services.registration_confirm(
            startup=startup, registration_number=DEMO_REGISTRATION_NUMBER, by=demo_user("demo-admin")
        )
        stdout.write(f"registration {startup.registration_number}: verified by demo-admin")
    for period, revenue, expenses in REPORTS:
        _report, created = MonthlyReport.objects.get_or_create(
            startup=startup,
            period=period,
            defaults={"revenue": revenue, "expenses": expenses, "filed_by": founder},
        )
        stdout.write(f"report {period:%Y-%m}: {'created' if created else 'exists'}")
