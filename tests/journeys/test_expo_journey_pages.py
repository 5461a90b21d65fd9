"""The same expo's life as the API journey, through the pages, once in English and once in
Korean: the organiser creates the expo and its halls, two founders apply, the organiser scores
and decides (held until released), the scheduler places both, a move into a taken slot is
refused and one into a hall without the power asked for shows its warning, the release
publishes the programme with its changelog, anyone reads it and its iCal without logging in,
and after the expo a founder records the outcome, the organiser reads the totals and the slot
counts in the startup's ledger of public support. Each step's confirmation is read in the
page's language (tests/journeys/pages.py)."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.templatetags.money import money
from expos import programme
from expos.enums import ShowcaseStatus
from expos.models import Expo, ScheduleRun, Showcase, ShowcaseSlot
from expos.tasks_programme import task_schedule_run
from startups.enums import Stage
from tests import factories
from tests.journeys.pages import Person, at

pytestmark = pytest.mark.django_db

EXPO_NAME = "Startup Expo Daejeon"


def _cell_of(expo, slot) -> str:
    """The start of `slot`'s cell, as the move form sends it."""
    return next(
        cell for cell in programme.expo_grid(expo) if cell.starts_at == slot.starts_at
    ).starts_at.isoformat()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_expo_from_creation_to_outcomes_through_the_pages(language):
    department = factories.DepartmentFactory()
    organiser_user = factories.UserFactory(roles=["expo_organiser"], department=department)
    founder_users = [factories.UserFactory(roles=["founder"]) for _ in range(2)]
    # Of one sector, at different stages (not competitors); "&" in a name is shown escaped.
    startups = [
        factories.StartupFactory(owner=user, name=name, sector="fintech", stage=stage, registered=True)
        for user, name, stage in zip(
            founder_users, ("Kim & Park Pay", "Hana Ledger"), (Stage.PROTOTYPE, Stage.REVENUE)
        )
    ]
    organiser = Person(organiser_user, language)
    founders = [Person(user, language) for user in founder_users]
    visitor = Person(None, language)

    with time_machine.travel(at(2027, 3, 1), tick=False):
        for person in (organiser, *founders):
            person.sign_in()

        # The organiser creates the expo and its halls.
        organiser.get(reverse("expos:expo_list"), shows="New expo")
        created = organiser.post(
            reverse("expos:expo_create"),
            {
                "department": department.pk,
                "name": EXPO_NAME,
                "city": "Daejeon",
                "venue": "DCC",
                "starts_on": "2027-04-10",
                "ends_on": "2027-04-11",
                "applications_open_on": "2027-02-20",
                "applications_close_on": "2027-03-20",
                "day_starts_at": "09:00",
                "day_ends_at": "12:00",
                "slot_minutes": "30",
                "slot_value": "150000.00",
                "registered_only": "on",
                "min_stage": "prototype",
            },
            says="The expo “%(name)s” is created; add its halls.",
            values={"name": EXPO_NAME},
        )
        expo = Expo.objects.get(pk=created.resolver_match.kwargs["pk"])
        assert (expo.department, expo.slot_value) == (department, Decimal("150000.00"))
        for name, features in (("Hall A", "power"), ("Hall B", "")):
            organiser.post(
                reverse("expos:hall_create", args=[expo.pk]),
                {"name": name, "capacity": "50", "features": features},
                says="The hall “%(name)s” is added.",
                values={"name": name},
            )
        organiser.get(reverse("expos:expo_detail", args=[expo.pk]), shows="Halls", listing="Hall B")
        hall_a, hall_b = expo.halls.order_by("name")

        # Two founders apply; both need power, both come on the first day only.
        for n, (founder, startup) in enumerate(zip(founders, startups)):
            founder.get(reverse("expos:mine"), shows="Expos taking applications", listing=EXPO_NAME)
            founder.post(
                reverse("expos:apply", args=[expo.pk]),
                {
                    "startup": startup.pk,
                    "title": f"Payments {n}",
                    "description": "A demo.",
                    "sector": "fintech",
                    "needs": "power",
                    "available_days": ["2027-04-10"],
                },
                says="Your application is submitted.",
            )
        showcases = [Showcase.objects.get(startup=startup) for startup in startups]

        # The organiser scores and decides; the decisions are held.
        organiser.get(
            reverse("expos:expo_review", args=[expo.pk]),
            shows="Applications to %(name)s",
            values={"name": EXPO_NAME},
            listing=startups[0].name,
        )
        for showcase in showcases:
            organiser.post(
                reverse("expos:showcase_review", args=[showcase.pk]),
                {"score": "4", "comment": "Clear."},
                says="Your review is saved.",
            )
        organiser.post(
            reverse("expos:expo_review", args=[expo.pk]),
            {"decision": "accept", "showcase": [s.pk for s in showcases]},
            says="Decided %(n)d applications; founders see it once released.",
            values={"n": 2},
        )
        held = (
            founders[0].get(reverse("expos:mine"), shows="Submitted", listing="Payments 0").content.decode()
        )
        assert founders[0].text("Accepted") not in held
        organiser.post(
            reverse("expos:expo_release", args=[expo.pk]),
            says="Released %(n)d decisions; the founders are notified.",
            values={"n": 2},
        )
        founders[0].get(reverse("expos:mine"), shows="Accepted", listing="Payments 0")
        assert Showcase.objects.get(pk=showcases[0].pk).status == ShowcaseStatus.ACCEPTED

        # The scheduler runs from the schedule page (the task as the worker would run it).
        organiser.get(
            reverse("programme:schedule", args=[expo.pk]),
            shows="Schedule of %(name)s",
            values={"name": EXPO_NAME},
        )
        organiser.post(
            reverse("programme:run", args=[expo.pk]),
            says="The scheduler is running; this page shows its progress.",
        )
        run = ScheduleRun.objects.get(expo=expo)
        task_schedule_run.apply(kwargs={"run_id": run.pk})
        run.refresh_from_db()
        assert (run.status, run.placed, run.unplaced) == (ScheduleRun.Status.DONE, 2, [])
        figures = {"placed": 2, "unplaced": 0, "objective": run.objective, "bound": run.bound}
        organiser.get(
            reverse("programme:run_status", args=[run.pk]),
            shows="Last run: %(placed)s placed, %(unplaced)s not placed (objective %(objective)s, bound %(bound)s).",
            values=figures,
        )
        first, second = (ShowcaseSlot.objects.get(showcase=s) for s in showcases)
        # Only Hall A has power, and the schedule has nothing to warn of.
        assert {first.hall, second.hall} == {hall_a}
        assert (
            organiser.text("Warnings")
            not in organiser.client.get(reverse("programme:schedule", args=[expo.pk])).content.decode()
        )

        # A move into the other showcase's slot is refused; one into Hall B (no power) is made,
        # pinned, and the board warns of it.
        move = reverse("programme:move", args=[second.pk])
        organiser.post(
            move,
            {"hall": hall_a.pk, "starts_at": _cell_of(expo, first)},
            says="Another showcase already holds this hall at this time.",
        )
        organiser.post(
            move,
            {"hall": hall_b.pk, "starts_at": _cell_of(expo, second), "pinned": "on"},
            says="The showcase is moved.",
        )
        second.refresh_from_db()
        assert (second.hall, second.pinned) == (hall_b, True)
        organiser.get(
            reverse("programme:schedule", args=[expo.pk]) + "?day=2027-04-10",
            shows="the hall lacks a feature it asked for",
            listing=startups[1].name,
        )

        # The release publishes the programme, with its changelog.
        released = organiser.post(
            reverse("programme:release", args=[expo.pk]),
            {"comment": "First programme."},
            says="Version %(v)s of the programme is public.",
            values={"v": 1},
        ).content.decode()
        assert "First programme." in released and released.count(escape(organiser.text("added"))) == 2

        # Anyone reads the programme and its calendar without signing in.
        visitor.get(
            reverse("programme:page", args=[expo.pk]),
            shows="Programme of %(name)s",
            values={"name": EXPO_NAME},
            listing=startups[0].name,
        )
        ical = visitor.client.get(reverse("programme:ics", args=[expo.pk]))
        assert ical.status_code == 200 and ical["Content-Type"].startswith("text/calendar")
        assert ical.content.decode().count("BEGIN:VEVENT") == 2

    # After the expo: the founder records the outcome, the organiser reads the totals.
    with time_machine.travel(at(2027, 4, 12), tick=False):
        for person in (organiser, *founders):
            person.sign_in()
        showcase_page = reverse("programme:showcase", args=[showcases[0].pk])
        founders[0].get(showcase_page, shows="What the showcase brought", listing="Hall A")
        founders[0].post(
            showcase_page,
            {"visitors": "120", "meetings": "9", "leads": "4"},
            says="Thank you: the outcome is recorded.",
        )
        totals = organiser.get(
            reverse("programme:outcomes", args=[expo.pk]),
            shows="Outcomes of %(name)s",
            values={"name": EXPO_NAME},
        ).context
        assert (totals["total"]["visitors"], totals["total"]["leads"]) == (120, 4)

        # The released slot counts in the startup's ledger of public support at the slot's value.
        with translation.override(language):
            slot_value = money(Decimal("150000.00"))
        ledger = (
            founders[0]
            .get(
                reverse("startups:detail", args=[startups[0].pk]),
                shows="Public support received",
                listing=slot_value,
            )
            .content.decode()
        )
        assert escape(founders[0].text("Expo showcases")) in ledger
