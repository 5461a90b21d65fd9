"""The same space letter's life as the API journey, through the pages, once in English and once
in Korean: each step's confirmation is read in the page's language (and, in Korean, is not
the English text), so a step whose message or page was left untranslated fails here."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from applications.enums import Status
from applications.models import Letter
from applications.services import router
from core.templatetags.money import money
from spaces.booking_tasks import task_issue_monthly_charges
from spaces.enums import Funding, RequestStatus, UnitKind
from spaces.models import Allocation, RoomBooking, SpaceCharge, SpaceRequest
from tests import factories
from tests.journeys.pages import Person, at
from tests.spaces.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_space_letter_from_draft_to_charges_through_the_pages(language):
    department = factories.DepartmentFactory()
    reviewer_user = factories.UserFactory(roles=["reviewer"], department=department)
    approver_user = factories.UserFactory(
        roles=["approver"], department=department, approval_limit=Decimal("1000000.00")
    )
    manager_user = factories.UserFactory(roles=["space_manager"], department=department)
    factories.ReviewQueueFactory(department=department, reviewers=[reviewer_user], is_default=True)
    founder_user = factories.UserFactory(roles=["founder"])
    startup = factories.StartupFactory(owner=founder_user)
    site = SiteFactory(department=department, funding=Funding.SHARED, state_share=Decimal("70.00"))
    office = UnitFactory(site=site, kind=UnitKind.OFFICE, seats=4, monthly_price=Decimal("900000.00"))
    room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM, seats=8, hourly_price=Decimal("25000.00"))
    founder, reviewer, approver, manager = (
        Person(user, language) for user in (founder_user, reviewer_user, approver_user, manager_user)
    )

    with time_machine.travel(at(2027, 3, 10), tick=False):
        for person in (founder, reviewer, approver, manager):
            person.sign_in()
        founder.post(
            reverse("letters:compose"),
            {
                "startup": startup.pk,
                "category": "space",
                "subject": "An office",
                "body": "For three.",
                "details-kind": "office",
                "details-seats": "3",
                "details-starts_on": "2027-04-01",
                "details-ends_on": "2027-10-01",
                "details-site": site.pk,
            },
            says="Your draft is saved. Attach documents, then submit it when it is ready.",
        )
        letter = Letter.objects.get(startup=startup)
        founder.post(
            reverse("letters:submit", args=[letter.pk]),
            says="Your letter is submitted. It will be assigned to a reviewer shortly.",
        )
        router.route_waiting_letters()  # what the Celery worker does after the submission

        reviewer.get(reverse("letters:my-work"), shows="My work", listing="An office")
        reviewer.post(
            reverse("letters:recommend", args=[letter.pk]),
            {"rec-recommendation": "approve", "rec-comment": "Fits."},
            says="Your recommendation is recorded; the letter awaits an approver's decision.",
        )
        approver.post(
            reverse("letters:decide", args=[letter.pk]),
            {"dec-decision": "approve", "dec-comment": "Yes."},
            says="The letter is approved.",
        )
        request = SpaceRequest.objects.get(letter=letter)
        assert request.status == RequestStatus.WAITING

        manager.get(
            reverse("space_allocation:waiting"), shows="Coworking space allocation", listing=startup.name
        )
        run_page = manager.client.post(reverse("space_allocation:runs"), {"site": site.pk}, follow=True)
        assert run_page.status_code == 200 and office.name in run_page.content.decode()
        run_pk = run_page.resolver_match.kwargs["pk"]
        manager.post(
            reverse("space_allocation:run_confirm", args=[run_pk]),
            says="The proposal is confirmed: the startups are offered their units.",
        )

        founder.get(reverse("my_space:index"), shows="My space")
        founder.post(
            reverse("my_space:accept", args=[request.pk]),
            says="The offer is accepted: the unit is yours for the period.",
        )
        allocation = Allocation.objects.get(startup=startup)
        assert (allocation.unit, allocation.starts_on) == (office, datetime.date(2027, 4, 1))

    with time_machine.travel(at(2027, 4, 5), tick=False):
        founder.sign_in()
        founder.post(
            reverse("room_bookings:mine"),
            {"unit": room.pk, "startup": startup.pk, "day": "2027-04-06", "starts": "10:00", "ends": "12:00"},
            says="The room is booked.",
        )
        assert RoomBooking.objects.filter(unit=room, startup=startup).count() == 1

    with time_machine.travel(at(2027, 5, 2), tick=False):
        founder.sign_in()
        task_issue_monthly_charges()  # the monthly beat task
        state = sum(charge.state_amount for charge in SpaceCharge.objects.filter(startup=startup))
        assert state == Decimal("665000.00")  # 70 % of 900,000 for April and of 50,000 for two room hours

        founder.get(reverse("room_bookings:charges"), shows="What we pay and what the state pays")
        with translation.override(language):
            state_share = money(state)
        founder.get(
            reverse("startups:detail", args=[startup.pk]),
            shows="Public support received",
            listing=state_share,
        )
    assert Letter.objects.get(pk=letter.pk).status == Status.APPROVED
