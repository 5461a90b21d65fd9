"""Demo data for expos: one expo of the Seoul office with three halls over two days, a dozen
applications with reviews, some accepted, the decisions released, and the accepted showcases
placed by the scheduler and released as the public programme (`manage.py seed_demo`).
Idempotent: the expo is fetched by name, the startups by name, and the programme is scheduled
and released only while the expo has no release."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Department
from startups.enums import Sector, Stage
from startups.models import Startup

from . import programme, services
from .models import Expo

DEMO_EXPO = "Seoul Startup Showcase"

HALLS = [("Hall A", 1, ["power", "large_screen"]), ("Hall B", 1, ["power", "water"]), ("Hall C", 1, [])]

STARTUPS = [
    ("Hanbit Robotics", Sector.HARDWARE, ["power"]),
    ("Doran Farms", Sector.AGRICULTURE, ["water"]),
    ("Saebyeok Pay", Sector.FINTECH, ["large_screen"]),
    ("Gureum Cloud", Sector.SOFTWARE, ["power"]),
    ("Bada Bio", Sector.BIOTECH, ["water", "power"]),
    ("Haneul Energy", Sector.ENERGY, ["power"]),
    ("Nuri Media", Sector.CONTENT, ["large_screen"]),
    ("Sori Labs", Sector.SOFTWARE, []),
    ("Maru Works", Sector.MANUFACTURING, ["power"]),
    ("Byeol Health", Sector.BIOTECH, []),
    ("Gil Logistics", Sector.SOFTWARE, []),
    ("Sup Green", Sector.AGRICULTURE, ["water"]),
]


@transaction.atomic
def seed(stdout) -> None:
    organiser = demo_user("demo-expo")
    expo = Expo.objects.filter(name=DEMO_EXPO).first()
    if expo is None:
        expo = _expo_with_applications(organiser)
        stdout.write(f"expo {DEMO_EXPO!r}: created")
    else:
        stdout.write(f"expo {DEMO_EXPO!r}: exists")
    if not expo.releases.exists():
        # Run here rather than queued for the Celery task, so that the demo's programme is
        # public as soon as the command ends, with or without a worker.
        figures = programme.schedule_run(expo=expo, by=organiser)
        release = programme.release_create(expo=expo, comment="The first programme.", by=organiser)
        stdout.write(f"expo {DEMO_EXPO!r}: {figures['placed']} showcases placed, version {release.version} released")


def _expo_with_applications(organiser) -> Expo:
    founder = demo_user("demo-founder")
    today = timezone.localdate()
    expo = services.expo_create(
        by=organiser,
        department=Department.objects.get(code="seoul-econ"),
        name=DEMO_EXPO,
        city="Seoul",
        venue="COEX",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=31),
        applications_open_on=today - datetime.timedelta(days=10),
        applications_close_on=today + datetime.timedelta(days=10),
        day_starts_at=datetime.time(10, 0),
        day_ends_at=datetime.time(17, 0),
        slot_minutes=30,
        slot_value=Decimal("200000.00"),
    )
    for name, capacity, features in HALLS:
        services.hall_create(expo=expo, name=name, capacity=capacity, features=features, by=organiser)
    for number, (name, sector, needs) in enumerate(STARTUPS):
        # The demo founder's own startup applies; the other exhibitors are startups without a
        # demo login, their applications entered as an organiser would enter a paper one.
        startup = Startup.objects.filter(name=name).first() or Startup.objects.create(
            name=name, sector=sector, stage=Stage.PROTOTYPE
        )
        days = [] if number % 3 else [expo.starts_on.isoformat()]
        showcase = services._create_showcase(
            expo=expo, startup=startup, title=f"{name} at work", description="", sector=sector,
            needs=needs, available_days=days, by=founder if startup.memberships.filter(user=founder).exists() else organiser,
        )
        services.showcase_review(showcase=showcase, score=1 + number % 5, comment="", by=organiser)
        if number < 9:
            services.showcase_decide(showcase=showcase, decision="accept" if number < 7 else "reject", by=organiser)
    services.expo_release_decisions(expo=expo, by=organiser)
    return expo
