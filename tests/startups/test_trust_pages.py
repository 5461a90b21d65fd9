"""The pages of the trust boundaries: invitations to answer, members to remove, the
registration to verify, the timeline."""
import pytest
from django.urls import reverse

from startups.enums import EventKind, InvitationStatus, MemberRole
from tests import factories

from .test_views import MODEL_BACKEND, _assert_constant_queries, _field_error

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(name="Acme Robotics", owner=founder)


@pytest.fixture
def invitee(db):
    return factories.UserFactory(roles=["founder"], username="grace")


# --- the invitee's answer ----------------------------------------------------------------------


def test_list_shows_the_invitees_open_invitations(client, startup, invitee):
    factories.InvitationFactory(startup=startup, user=invitee)

    response = logged_in(client, invitee).get(reverse("startups:list"))

    assert response.status_code == 200
    assert 'id="invitation-list"' in response.text
    assert "Acme Robotics" in response.text
    assert list(response.context["startups"]) == []


def test_list_query_count_is_constant_with_invitations(client, invitee, django_assert_num_queries):
    def add_rows(n):
        factories.InvitationFactory.create_batch(n, user=invitee)

    _assert_constant_queries(
        logged_in(client, invitee), reverse("startups:list"), add_rows, django_assert_num_queries, "invitations"
    )


def test_accept_page_makes_a_member_and_opens_the_startup(client, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = logged_in(client, invitee).post(reverse("startups:invitation-answer", args=[invitation.pk, "accept"]))

    assert response.status_code == 302
    assert response.url == reverse("startups:detail", args=[startup.pk])
    assert startup.memberships.filter(user=invitee, role=MemberRole.MEMBER).exists()


def test_decline_page_gives_no_access(client, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)
    logged_in(client, invitee)

    response = client.post(reverse("startups:invitation-answer", args=[invitation.pk, "decline"]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert client.get(reverse("startups:detail", args=[startup.pk])).status_code == 404


def test_answer_page_for_someone_elses_invitation_is_404(client, founder, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = logged_in(client, founder).post(reverse("startups:invitation-answer", args=[invitation.pk, "accept"]))

    assert response.status_code == 404
    assert not startup.memberships.filter(user=invitee).exists()


def test_accept_page_by_a_staff_account_is_refused_with_a_message(client, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)
    invitee.roles.add(factories.Role.objects.get_or_create(code="approver")[0])

    response = logged_in(client, invitee).post(
        reverse("startups:invitation-answer", args=[invitation.pk, "accept"]), follow=True
    )

    assert "Staff accounts cannot be members of a startup" in response.text
    assert not startup.memberships.filter(user=invitee).exists()


# --- the owner's members page -----------------------------------------------------------------------


def test_members_page_owner_removes_a_member(client, founder, startup):
    membership = factories.MembershipFactory(startup=startup)

    response = logged_in(client, founder).post(
        reverse("startups:member-remove", args=[startup.pk, membership.pk]), **HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="members-panel"')
    assert f"{membership.user.username} is no longer a member." in response.text
    assert not startup.memberships.filter(pk=membership.pk).exists()


def test_members_page_last_owner_stays_with_a_message(client, founder, startup):
    owner = startup.memberships.get()

    response = logged_in(client, founder).post(
        reverse("startups:member-remove", args=[startup.pk, owner.pk]), follow=True
    )

    assert "A startup keeps at least one owner" in response.text
    assert startup.memberships.filter(pk=owner.pk).exists()


def test_members_page_plain_member_cannot_remove(client, founder, startup):
    member = factories.MembershipFactory(startup=startup).user
    owner = startup.memberships.get(user=founder)

    response = logged_in(client, member).post(reverse("startups:member-remove", args=[startup.pk, owner.pk]))

    assert response.status_code == 403
    assert startup.memberships.count() == 2


def test_members_page_owner_withdraws_an_invitation(client, founder, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = logged_in(client, founder).post(
        reverse("startups:invitation-withdraw", args=[startup.pk, invitation.pk])
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN


# --- the verifier's overview, and the timeline -----------------------------------------------------


def test_detail_founder_sees_the_pending_number_but_no_verification_forms(client, founder, startup):
    startup.proposed_registration_number = "110-81-12345"
    startup.save()

    response = logged_in(client, founder).get(reverse("startups:detail", args=[startup.pk]))

    assert "Waiting for verification" in response.text
    assert 'id="verification"' not in response.text


def test_detail_verifier_confirms_the_number(client, startup):
    startup.proposed_registration_number = "110-81-12345"
    startup.save()
    reviewer = factories.UserFactory(roles=["reviewer"], username="rita")
    logged_in(client, reviewer)
    page = client.get(reverse("startups:detail", args=[startup.pk]))

    response = client.post(
        reverse("startups:registration", args=[startup.pk, "confirm"]), {"registration_number": "110-81-12345"}
    )

    assert 'id="verification"' in page.text
    assert response.status_code == 302
    startup.refresh_from_db()
    assert (startup.is_registered, startup.registered_verified_by) == (True, reviewer)
    assert "Verified by rita" in client.get(reverse("startups:detail", args=[startup.pk])).text


def test_detail_verifier_refuses_without_a_reason_sees_the_error(client, startup):
    startup.proposed_registration_number = "110-81-12345"
    startup.save()

    response = logged_in(client, factories.UserFactory(roles=["approver"])).post(
        reverse("startups:registration", args=[startup.pk, "refuse"]), {"refuse-reason": ""}
    )

    assert response.status_code == 400
    assert _field_error(response, "refuse-reason") == "This field is required."
    startup.refresh_from_db()
    assert startup.proposed_registration_number == "110-81-12345"


def test_detail_verifier_sees_other_startups_of_the_number(client):
    first = factories.StartupFactory(registered=True, name="First")
    factories.StartupFactory(registered=True, registration_number=first.registration_number, name="Second")

    response = logged_in(client, factories.UserFactory(roles=["admin"])).get(
        reverse("startups:detail", args=[first.pk])
    )

    assert [s.name for s in response.context["sharing"]] == ["Second"]


@pytest.mark.parametrize("action", ["confirm", "refuse", "revoke"])
def test_registration_page_by_the_founder_is_403(client, founder, startup, action):
    startup.proposed_registration_number = "1"
    startup.save()

    response = logged_in(client, founder).post(
        reverse("startups:registration", args=[startup.pk, action]),
        {"registration_number": "1", f"{action}-reason": "x"},
    )

    assert response.status_code == 403
    startup.refresh_from_db()
    assert (startup.is_registered, startup.proposed_registration_number) == (False, "1")


def test_timeline_page_shows_who_changed_what(client, founder, startup):
    logged_in(client, founder)
    client.post(
        reverse("startups:edit", args=[startup.pk]),
        {"name": "Acme Robotics", "sector": "software", "stage": "revenue"},
    )

    response = client.get(reverse("startups:timeline", args=[startup.pk]))

    assert response.status_code == 200
    assert [e.kind for e in response.context["events"]] == [EventKind.STAGE_CHANGED]
    assert "Stage changed from Prototype to Revenue." in response.text
    assert founder.username in response.text


def test_timeline_page_query_count_is_constant(client, founder, startup, django_assert_num_queries):
    def add_rows(n):
        factories.StartupEventFactory.create_batch(n, startup=startup, member=factories.UserFactory())

    _assert_constant_queries(
        logged_in(client, founder),
        reverse("startups:timeline", args=[startup.pk]),
        add_rows,
        django_assert_num_queries,
        "events",
    )
