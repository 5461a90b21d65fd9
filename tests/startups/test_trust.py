"""The trust boundaries of a startup: who becomes a member (an invitation the invitee accepts,
never a staff account) and who vouches for its registration (the staff, on the timeline)."""
import pytest

from applications.enums import Status
from core.exceptions import InvalidInput, NotFound, NotPermitted, StateConflict
from startups import selectors, services
from startups.enums import EventKind, InvitationStatus, MemberRole
from startups.models import Invitation, Membership, Startup
from tests import factories

URL = "/api/v1/startups/"

pytestmark = pytest.mark.django_db


def detail(startup, suffix=""):
    return f"{URL}{startup.pk}/{suffix}"


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder, name="Hanbit Robotics")


@pytest.fixture
def invitee(db):
    return factories.UserFactory(roles=["founder"], username="grace")


def as_user(api, user):
    api.force_authenticate(user)
    return api


def kinds(startup):
    return list(startup.events.order_by("id").values_list("kind", flat=True))


# --- attacks on who reviews: staff members, members who never agreed --------------------------


@pytest.mark.parametrize("role", ["reviewer", "approver", "admin", "space_manager", "expo_organiser"])
def test_attack_inviting_a_staff_account_answers_400_and_adds_nothing(founder_api, startup, role):
    strict = factories.UserFactory(roles=[role], username="strict")

    response = founder_api.post(detail(startup, "members/"), {"username": "strict"})

    assert response.status_code == 400
    assert "Staff accounts cannot be members" in response.data["username"][0]
    assert not Invitation.objects.exists()
    assert strict.pk not in selectors.member_ids(startup)


def test_attack_inviting_a_letters_assignee_leaves_the_letter_with_them(founder_api, founder, startup):
    reviewer = factories.UserFactory(roles=["reviewer"])
    letter = factories.letter_in_state(Status.IN_REVIEW, startup=startup, author=founder, reviewer=reviewer)

    response = founder_api.post(detail(startup, "members/"), {"username": reviewer.username})

    assert response.status_code == 400
    assert not startup.memberships.filter(user=reviewer).exists()
    letter.refresh_from_db()
    assert letter.assignee == reviewer


def test_attack_an_invitee_who_never_accepts_is_not_a_member(founder_api, api, startup, invitee):
    assert founder_api.post(detail(startup, "members/"), {"username": "grace"}).status_code == 201

    assert invitee.pk not in selectors.member_ids(startup)
    assert not Membership.objects.filter(user=invitee).exists()
    assert [m["username"] for m in founder_api.get(detail(startup, "members/")).data] != ["grace"]
    grace = as_user(api, invitee)
    assert grace.get(detail(startup)).status_code == 404
    assert grace.get(URL).data["results"] == []
    assert not invitee.has_perm("startups.view_startup", startup)


def test_attack_a_staff_account_cannot_accept_an_invitation_made_before_its_role(api, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)
    invitee.roles.add(factories.Role.objects.get_or_create(code="reviewer")[0])
    invitee.__dict__.pop("role_codes", None)

    response = as_user(api, invitee).post(f"{URL}invitations/{invitation.pk}/accept/")

    assert response.status_code == 403
    assert "Staff accounts cannot be members" in response.data["detail"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert not startup.memberships.filter(user=invitee).exists()


# --- invitations through the API ----------------------------------------------------------------


def test_invitation_accept_makes_the_invitee_a_member(api, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = as_user(api, invitee).post(f"{URL}invitations/{invitation.pk}/accept/")

    assert response.status_code == 201
    assert (response.data["username"], response.data["role"], response.data["status"]) == (
        "grace",
        MemberRole.MEMBER,
        "accepted",
    )
    assert invitee.pk in selectors.member_ids(startup)
    assert api.get(detail(startup)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.answered_at is not None
    assert startup.events.get(kind=EventKind.MEMBER_JOINED).member == invitee


def test_invitation_decline_gives_no_access(api, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = as_user(api, invitee).post(f"{URL}invitations/{invitation.pk}/decline/")

    assert response.status_code == 200
    assert response.data["status"] == "declined"
    assert api.get(detail(startup)).status_code == 404
    assert not startup.memberships.filter(user=invitee).exists()
    assert api.post(f"{URL}invitations/{invitation.pk}/accept/").status_code == 404


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_invitation_of_someone_else_answers_404_and_changes_nothing(api, founder, startup, invitee, answer):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    response = as_user(api, founder).post(f"{URL}invitations/{invitation.pk}/{answer}/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


def test_invitation_twice_to_the_same_person_answers_400(founder_api, startup, invitee):
    factories.InvitationFactory(startup=startup, user=invitee)

    response = founder_api.post(detail(startup, "members/"), {"username": "grace"})

    assert response.status_code == 400
    assert Invitation.objects.count() == 1


def test_invitation_notifies_the_invitee_and_is_on_the_timeline(founder_api, founder, startup, invitee):
    founder_api.post(detail(startup, "members/"), {"username": "grace"})

    assert invitee.notifications.get().link == "/startups/"
    event = startup.events.get(kind=EventKind.MEMBER_INVITED)
    assert (event.actor, event.member) == (founder, invitee)


def test_my_invitations_lists_only_the_callers_open_ones(api, startup, invitee):
    mine = factories.InvitationFactory(startup=startup, user=invitee)
    factories.InvitationFactory(user=invitee, status=InvitationStatus.DECLINED)
    factories.InvitationFactory(startup=startup)

    response = as_user(api, invitee).get(f"{URL}invitations/")

    assert response.status_code == 200
    assert [(i["id"], i["startup_name"], i["status"]) for i in response.data["results"]] == [
        (mine.pk, "Hanbit Robotics", "invited")
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_my_invitations_query_count_does_not_grow(api, invitee, django_assert_num_queries, rows):
    factories.InvitationFactory.create_batch(rows, user=invitee)
    as_user(api, invitee)

    with django_assert_num_queries(2):  # COUNT, the invitations with their startups and people
        response = api.get(f"{URL}invitations/")

    assert len(response.data["results"]) == rows


def test_pending_invitations_owner_sees_and_withdraws(founder_api, api, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)

    listed = founder_api.get(detail(startup, "pending-invitations/"))
    response = founder_api.delete(detail(startup, f"pending-invitations/{invitation.pk}/"))

    assert [i["username"] for i in listed.data] == ["grace"]
    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert as_user(api, invitee).post(f"{URL}invitations/{invitation.pk}/accept/").status_code == 404


def test_pending_invitations_plain_member_cannot_withdraw(api, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)
    member = factories.MembershipFactory(startup=startup).user

    response = as_user(api, member).delete(detail(startup, f"pending-invitations/{invitation.pk}/"))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


# --- removing members -----------------------------------------------------------------------------


def test_member_remove_by_owner_takes_away_access(founder_api, api, founder, startup):
    membership = factories.MembershipFactory(startup=startup)

    response = founder_api.delete(detail(startup, f"members/{membership.pk}/"))

    assert response.status_code == 204
    assert not startup.memberships.filter(pk=membership.pk).exists()
    assert as_user(api, membership.user).get(detail(startup)).status_code == 404
    event = startup.events.get(kind=EventKind.MEMBER_REMOVED)
    assert (event.actor, event.member) == (founder, membership.user)


def test_member_remove_the_last_owner_answers_409(founder_api, founder, startup):
    owner = startup.memberships.get(user=founder)

    response = founder_api.delete(detail(startup, f"members/{owner.pk}/"))

    assert response.status_code == 409
    assert startup.memberships.filter(pk=owner.pk).exists()


def test_member_remove_one_of_two_owners_is_allowed(founder_api, founder, startup):
    factories.MembershipFactory(startup=startup, role=MemberRole.OWNER)

    response = founder_api.delete(detail(startup, f"members/{startup.memberships.get(user=founder).pk}/"))

    assert response.status_code == 204
    assert list(startup.memberships.values_list("role", flat=True)) == [MemberRole.OWNER]


def test_member_remove_by_plain_member_answers_403(api, founder, startup):
    member = factories.MembershipFactory(startup=startup).user

    response = as_user(api, member).delete(detail(startup, f"members/{startup.memberships.get(user=founder).pk}/"))

    assert response.status_code == 403
    assert startup.memberships.count() == 2


def test_member_remove_of_another_startup_answers_404(founder_api, startup):
    elsewhere = factories.MembershipFactory()

    assert founder_api.delete(detail(startup, f"members/{elsewhere.pk}/")).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_member_remove_service_is_refused_once_gone(founder, startup):
    membership = factories.MembershipFactory(startup=startup)
    services.membership_remove(membership=membership, by=founder)

    with pytest.raises(NotFound):
        services.membership_remove(membership=membership, by=founder)


def test_invitation_services_refuse_answered_and_foreign_invitations(founder, startup, invitee):
    invitation = factories.InvitationFactory(startup=startup, user=invitee)
    services.invitation_decline(invitation=invitation, by=invitee)

    with pytest.raises(StateConflict):
        services.invitation_accept(invitation=invitation, by=invitee)
    with pytest.raises(NotFound):
        services.invitation_accept(invitation=invitation, by=founder)
    assert not startup.memberships.filter(user=invitee).exists()


# --- founders cannot set their own eligibility ------------------------------------------------------


@pytest.mark.parametrize(
    "claim", [{"is_registered": True}, {"registration_number": "110-81-12345"}, {"is_registered": "true"}]
)
def test_attack_patching_the_registration_answers_400_and_changes_nothing(founder_api, startup, claim):
    response = founder_api.patch(detail(startup), claim, format="json")

    assert response.status_code == 400
    assert set(claim) <= set(response.data)
    startup.refresh_from_db()
    assert (startup.is_registered, startup.registration_number) == (False, "")


def test_put_of_what_was_read_is_accepted(founder_api, startup):
    body = founder_api.get(detail(startup)).data
    body["description"] = "Robots."

    response = founder_api.put(detail(startup), body, format="json")

    assert response.status_code == 200
    startup.refresh_from_db()
    assert startup.description == "Robots."


def test_patch_proposing_a_number_leaves_the_startup_unregistered(founder_api, founder, startup):
    response = founder_api.patch(detail(startup), {"proposed_registration_number": "110-81-12345"})

    assert response.status_code == 200
    assert (response.data["is_registered"], response.data["proposed_registration_number"]) == (False, "110-81-12345")
    event = startup.events.get(kind=EventKind.REGISTRATION_PROPOSED)
    assert (event.actor, event.after) == (founder, "110-81-12345")


def test_patch_stage_is_on_the_timeline_with_who_and_from_what(founder_api, founder, startup):
    founder_api.patch(detail(startup), {"stage": "idea"})

    response = founder_api.get(detail(startup, "timeline/"))

    assert response.status_code == 200
    (event,) = response.data["results"]
    assert (event["kind"], event["actor"], event["before"], event["after"]) == (
        "stage_changed",
        founder.username,
        "prototype",
        "idea",
    )
    assert event["summary"] == "Stage changed from Prototype to Idea."


@pytest.mark.parametrize("rows", [1, 3])
def test_timeline_query_count_does_not_grow(founder_api, startup, django_assert_num_queries, rows):
    factories.StartupEventFactory.create_batch(rows, startup=startup)

    # the caller's roles, the startup, is-member check, COUNT, events with their people
    with django_assert_num_queries(5):
        response = founder_api.get(detail(startup, "timeline/"))

    assert len(response.data["results"]) == rows


# --- the staff verify ----------------------------------------------------------------------------


def proposed(startup, number="110-81-12345"):
    return services.startup_update(
        startup=startup, proposed_registration_number=number, by=startup.memberships.first().user
    )


@pytest.mark.parametrize("role", ["reviewer", "approver", "admin"])
def test_confirm_by_a_verifier_registers_the_startup(api, startup, role):
    proposed(startup)
    verifier = factories.UserFactory(roles=[role])

    response = as_user(api, verifier).post(
        detail(startup, "registration/confirm/"), {"registration_number": "110-81-12345"}
    )

    assert response.status_code == 200
    assert (response.data["is_registered"], response.data["registration_number"]) == (True, "110-81-12345")
    assert response.data["registered_verified_by"] == verifier.username
    startup.refresh_from_db()
    assert (startup.registered_verified_by, startup.proposed_registration_number) == (verifier, "")
    assert startup.registered_verified_at is not None
    event = startup.events.get(kind=EventKind.REGISTRATION_CONFIRMED)
    assert (event.actor, event.after) == (verifier, "110-81-12345")


@pytest.mark.parametrize("role", ["space_manager", "expo_organiser"])
def test_confirm_by_other_staff_answers_403(api, startup, role):
    proposed(startup)

    response = as_user(api, factories.UserFactory(roles=[role])).post(
        detail(startup, "registration/confirm/"), {"registration_number": "110-81-12345"}
    )

    assert response.status_code == 403
    startup.refresh_from_db()
    assert not startup.is_registered


def test_confirm_by_a_founder_of_the_startup_answers_403(founder_api, startup):
    proposed(startup)

    response = founder_api.post(detail(startup, "registration/confirm/"), {"registration_number": "110-81-12345"})

    assert response.status_code == 403
    startup.refresh_from_db()
    assert not startup.is_registered


def test_confirm_service_refuses_a_founder_too(founder, startup):
    proposed(startup)

    with pytest.raises(NotPermitted):
        services.registration_confirm(startup=startup, registration_number="110-81-12345", by=founder)


def test_confirm_of_a_number_changed_since_answers_409_and_changes_nothing(api, startup):
    proposed(startup, "110-81-99999")

    response = as_user(api, factories.UserFactory(roles=["reviewer"])).post(
        detail(startup, "registration/confirm/"), {"registration_number": "110-81-12345"}
    )

    assert response.status_code == 409
    startup.refresh_from_db()
    assert (startup.is_registered, startup.proposed_registration_number) == (False, "110-81-99999")


def test_confirm_with_nothing_proposed_answers_409(api, startup):
    response = as_user(api, factories.UserFactory(roles=["reviewer"])).post(
        detail(startup, "registration/confirm/"), {"registration_number": "1"}
    )

    assert response.status_code == 409


@pytest.mark.parametrize("body", [{}, {"registration_number": ""}, {"registration_number": "1" * 65}])
def test_confirm_bad_input_answers_400_and_changes_nothing(api, startup, body):
    proposed(startup)

    response = as_user(api, factories.UserFactory(roles=["reviewer"])).post(
        detail(startup, "registration/confirm/"), body
    )

    assert response.status_code == 400
    startup.refresh_from_db()
    assert not startup.is_registered


def test_refuse_clears_the_proposal_and_says_why(api, founder, startup):
    proposed(startup)
    reviewer = factories.UserFactory(roles=["reviewer"])

    response = as_user(api, reviewer).post(detail(startup, "registration/refuse/"), {"reason": "Not in the register."})

    assert response.status_code == 200
    startup.refresh_from_db()
    assert (startup.is_registered, startup.proposed_registration_number) == (False, "")
    event = startup.events.get(kind=EventKind.REGISTRATION_REFUSED)
    assert (event.actor, event.before, event.note) == (reviewer, "110-81-12345", "Not in the register.")
    assert founder.notifications.filter(body="Not in the register.").exists()


@pytest.mark.parametrize("action", ["refuse", "revoke"])
def test_refuse_and_revoke_without_a_reason_answer_400(api, action):
    startup = proposed(factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]), registered=True), "2")

    response = as_user(api, factories.UserFactory(roles=["reviewer"])).post(
        detail(startup, f"registration/{action}/"), {"reason": "  "}
    )

    assert response.status_code == 400
    startup.refresh_from_db()
    assert (startup.is_registered, startup.proposed_registration_number) == (True, "2")


def test_revoke_unregisters_the_startup(api, founder):
    startup = factories.StartupFactory(owner=founder, registered=True)
    admin = factories.UserFactory(roles=["admin"])

    response = as_user(api, admin).post(detail(startup, "registration/revoke/"), {"reason": "Closed company."})

    assert response.status_code == 200
    startup.refresh_from_db()
    assert (startup.is_registered, startup.registration_number, startup.registered_verified_by) == (False, "", None)
    assert startup.events.get(kind=EventKind.REGISTRATION_REVOKED).note == "Closed company."


def test_revoke_of_an_unregistered_startup_is_refused(startup):
    with pytest.raises(StateConflict):
        services.registration_revoke(startup=startup, reason="x", by=factories.UserFactory(roles=["admin"]))


def test_a_new_proposal_keeps_the_verified_registration_until_confirmed(founder, startup):
    startup = factories.verify_registration(startup, "110-81-00001")

    startup = proposed(startup, "110-81-00002")

    assert (startup.is_registered, startup.registration_number) == (True, "110-81-00001")


# --- what the letters and the subsidies read ----------------------------------------------------------


def test_startups_sharing_registration_joins_startups_of_one_verified_number():
    first = factories.StartupFactory(registered=True)
    second = factories.StartupFactory(registered=True, registration_number=first.registration_number)
    claimant = factories.StartupFactory(proposed_registration_number=first.registration_number)
    factories.StartupFactory(registered=True)

    assert set(selectors.startups_sharing_registration(first)) == {first, second}
    assert list(selectors.startups_sharing_registration(claimant)) == [claimant]
    assert selectors.verified_registration_number(claimant) == ""
    assert selectors.verified_registration_number(second) == first.registration_number


def test_eligibility_facts_are_the_verified_ones():
    startup = factories.StartupFactory(registered=True, stage="revenue", sector="fintech", proposed_registration_number="9")

    facts = selectors.eligibility_facts(startup)

    assert facts == selectors.EligibilityFacts(
        sector="fintech",
        stage="revenue",
        stage_since=startup.stage_since,
        is_registered=True,
        registration_number=startup.registration_number,
    )
    assert (facts.sector_label, facts.stage_label) == ("Financial technology", "Revenue")


def test_eligibility_facts_of_an_unverified_startup(startup):
    startup.proposed_registration_number = "110-81-12345"

    facts = selectors.eligibility_facts(startup)

    assert (facts.is_registered, facts.registration_number) == (False, "")


def test_member_ids_counts_accepted_members_only(founder, startup, invitee):
    member = factories.MembershipFactory(startup=startup).user
    factories.InvitationFactory(startup=startup, user=invitee)
    factories.InvitationFactory(startup=startup, status=InvitationStatus.DECLINED)

    assert selectors.member_ids(startup) == {founder.pk, member.pk}


def test_invitation_create_refuses_unknown_inactive_staff_and_members(founder, startup):
    factories.UserFactory(username="inactive", is_active=False, roles=["founder"])
    factories.UserFactory(username="staff", roles=["approver"])
    factories.MembershipFactory(startup=startup, user=factories.UserFactory(username="member"))

    for username in ["ghost", "inactive", "staff", "member"]:
        with pytest.raises(InvalidInput):
            services.invitation_create(startup=startup, username=username, by=founder)

    assert not Invitation.objects.exists()
    assert Startup.objects.get(pk=startup.pk).memberships.count() == 2
