"""Every write about startups: creation, edits, invitations and members, the staff's
verification of the registration, monthly reports.

Each write that changes what letters are judged on (stage, sector, the registration) or who
belongs to a startup writes a `StartupEvent` in its transaction: the startup's timeline. The
writes that a concurrent one could undo (members, registration) lock the startup row first.

Stage and sector stay the founders' declaration, taking effect at once: they describe where
the business is, which the reviewers judge on each letter anyway. The timeline keeps every
change, `stage_since` says since when, and a submitted letter records them
(`selectors.eligibility_facts`), so a stage set just before a submission shows on the letter.
The registration is a legal fact the platform can check: founders only propose a number and
the staff confirm it (`registration_confirm`).
"""
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import InvalidInput, NotFound, NotPermitted, StateConflict
from notifications.services import notify

from .enums import EventKind, InvitationStatus, MemberRole, Stage
from .models import Invitation, Membership, MonthlyReport, Startup, StartupEvent

EDITABLE_FIELDS = (
    "name",
    "sector",
    "stage",
    "description",
    "proposed_registration_number",
    "special_economic_zone",
)

# The founders' changes the timeline records, and as what.
_RECORDED_CHANGES = {"stage": EventKind.STAGE_CHANGED, "sector": EventKind.SECTOR_CHANGED}


def _staff_cannot_join() -> str:
    return _(
        "Staff accounts cannot be members of a startup: the incubator's staff review the startups' letters."
    )


def _lock(startup: Startup) -> Startup:
    return Startup.objects.select_for_update().get(pk=startup.pk)


def _event(startup: Startup, kind: str, by: User, **fields) -> StartupEvent:
    return StartupEvent(startup=startup, kind=kind, actor=by, **fields)


def _check_proposal(startup: Startup, number: str | None) -> None:
    if number and startup.is_registered and number == startup.registration_number:
        raise InvalidInput(
            _("This registration number is already verified."), field="proposed_registration_number"
        )


@transaction.atomic
def startup_create(
    *,
    by: User,
    name: str,
    sector: str,
    stage: str = Stage.IDEA,  # the API lets it out: a new startup is at the idea stage
    description: str = "",
    proposed_registration_number: str = "",
    special_economic_zone: str = "",
) -> Startup:
    """A founder registers a startup and becomes its owner.

    Side effects: creates the startup, the owner membership and the timeline's first events
    (created; the proposed registration number, if any).
    """
    startup = Startup.objects.create(
        name=name,
        sector=sector,
        stage=stage,
        description=description,
        proposed_registration_number=proposed_registration_number,
        special_economic_zone=special_economic_zone,
    )
    Membership.objects.create(startup=startup, user=by, role=MemberRole.OWNER)
    events = [_event(startup, EventKind.CREATED, by, after=stage)]
    if proposed_registration_number:
        events.append(_event(startup, EventKind.REGISTRATION_PROPOSED, by, after=proposed_registration_number))
    StartupEvent.objects.bulk_create(events)
    return startup


@transaction.atomic
def startup_update(*, startup: Startup, by: User, **changes) -> Startup:
    """A member edits the startup's details, and may propose a registration number.

    The registration itself (`is_registered`, `registration_number`) is not among the fields:
    only `registration_confirm` sets it. Side effects: saves the changed fields; one timeline
    event per changed stage or sector and per new proposed number; a new stage restarts
    `stage_since`. Returns the saved startup (a fresh instance).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    startup = _lock(startup)  # the "from" values the timeline records are the ones replaced
    changes = {field: value for field, value in changes.items() if getattr(startup, field) != value}
    proposal = changes.get("proposed_registration_number")
    _check_proposal(startup, proposal)
    events = [
        _event(startup, kind, by, before=getattr(startup, field), after=changes[field])
        for field, kind in _RECORDED_CHANGES.items()
        if field in changes
    ]
    if proposal:
        events.append(_event(startup, EventKind.REGISTRATION_PROPOSED, by, after=proposal))
    if "stage" in changes:
        changes["stage_since"] = timezone.now()
    for field, value in changes.items():
        setattr(startup, field, value)
    if changes:
        startup.save(update_fields=list(changes))
    StartupEvent.objects.bulk_create(events)
    return startup


# --- invitations and members ---------------------------------------------------------------


@transaction.atomic
def invitation_create(*, startup: Startup, username: str, by: User) -> Invitation:
    """An owner invites a co-founder by username; they count as a member once they accept.

    Refused (400) for an unknown or inactive username, a staff account, a member, or someone
    already invited. Side effects: creates the invitation and a timeline event; notifies the
    invitee.
    """
    user = User.objects.filter(username=username, is_active=True).prefetch_related("roles").first()
    if user is None:
        raise InvalidInput(_("There is no active user with this username."), field="username")
    if user.is_staff_member:
        raise InvalidInput(_staff_cannot_join(), field="username")
    if startup.memberships.filter(user=user).exists():
        raise InvalidInput(_("This person is already a member."), field="username")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(startup=startup, user=user, invited_by=by)
    except IntegrityError as exc:
        # The partial unique constraint: one open invitation per person, even under a race.
        raise InvalidInput(_("This person is already invited."), field="username") from exc
    _event(startup, EventKind.MEMBER_INVITED, by, member=user).save()
    notify(
        recipients=[user],
        subject=_("%(owner)s invites you to join %(startup)s")
        % {"owner": by.get_username(), "startup": startup.name},
        body=_("Accept or decline the invitation on your startups page."),
        link=reverse("startups:list"),
    )
    return invitation


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("startup").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.INVITED:
        raise StateConflict(_("This invitation is no longer open."))
    return invitation


def _answer(invitation: Invitation, status: str) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by: User) -> Membership:
    """The invitee accepts and becomes a member.

    Refused: to anyone but the invitee (404), to a staff account (403), once the invitation is
    answered or withdrawn (409). Side effects: the invitation is accepted, the membership
    created, a timeline event written.
    """
    if invitation.user_id != by.pk:
        raise NotFound(_("There is no such invitation."))
    if by.is_staff_member:
        raise NotPermitted(_staff_cannot_join())
    invitation = _lock_open_invitation(invitation)
    membership = Membership.objects.create(startup=invitation.startup, user=by, role=MemberRole.MEMBER)
    _answer(invitation, InvitationStatus.ACCEPTED)
    _event(invitation.startup, EventKind.MEMBER_JOINED, by, member=by).save()
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by: User) -> Invitation:
    """The invitee declines. Refused to anyone else (404) and once answered (409).

    Side effects: the invitation is declined; a timeline event.
    """
    if invitation.user_id != by.pk:
        raise NotFound(_("There is no such invitation."))
    invitation = _lock_open_invitation(invitation)
    _answer(invitation, InvitationStatus.DECLINED)
    _event(invitation.startup, EventKind.INVITATION_DECLINED, by, member=by).save()
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    """An owner withdraws an open invitation (the caller checks `startups.delete_membership`).

    Side effects: the invitation is withdrawn; a timeline event.
    """
    invitation = _lock_open_invitation(invitation)
    _answer(invitation, InvitationStatus.WITHDRAWN)
    _event(invitation.startup, EventKind.INVITATION_WITHDRAWN, by, member_id=invitation.user_id).save()
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """An owner removes a member, or another owner (the caller checks
    `startups.delete_membership`); the member loses access at once.

    The startup keeps at least one owner (409): the startup row is locked first, so two owners
    removing each other cannot both succeed. Side effects: deletes the membership; a timeline
    event.
    """
    startup = _lock(membership.startup)
    membership = Membership.objects.filter(pk=membership.pk).first()
    if membership is None:
        raise NotFound(_("This person is not a member."))
    if membership.role == MemberRole.OWNER and not (
        startup.memberships.filter(role=MemberRole.OWNER).exclude(pk=membership.pk).exists()
    ):
        raise StateConflict(_("A startup keeps at least one owner: this is its last."))
    membership.delete()
    _event(startup, EventKind.MEMBER_REMOVED, by, member_id=membership.user_id).save()


# --- the staff's verification of the registration -----------------------------------------


def _require_verifier(by: User) -> None:
    if not by.has_perm("startups.verify_registration"):
        raise NotPermitted(_("Only reviewers, approvers and administrators verify registrations."))


def _tell_members(startup: Startup, subject: str, body: str = "") -> None:
    members = User.objects.filter(memberships__startup=startup)
    notify(recipients=members, subject=subject, body=body, link=reverse("startups:detail", args=[startup.pk]))


@transaction.atomic
def registration_confirm(*, startup: Startup, registration_number: str, by: User) -> Startup:
    """A verifier confirms the proposed registration number: the startup counts as registered.

    `registration_number` is the number the verifier checked; if the founders have proposed
    another since, nothing changes (409). Another startup may hold the same verified number
    (one company, several startups): the subsidy cap counts them together. Side effects: sets
    `is_registered`, `registration_number`, `registered_verified_by/at` and clears the
    proposal; a timeline event; notifies the members.
    """
    _require_verifier(by)
    startup = _lock(startup)
    if not startup.proposed_registration_number:
        raise StateConflict(_("No registration number is waiting for verification."))
    if registration_number != startup.proposed_registration_number:
        raise StateConflict(
            _("The founders have proposed another number since: check %(number)s.")
            % {"number": startup.proposed_registration_number}
        )
    startup.registration_number = registration_number
    startup.is_registered = True
    startup.registered_verified_by = by
    startup.registered_verified_at = timezone.now()
    startup.proposed_registration_number = ""
    startup.save(
        update_fields=[
            "registration_number",
            "is_registered",
            "registered_verified_by",
            "registered_verified_at",
            "proposed_registration_number",
        ]
    )
    _event(startup, EventKind.REGISTRATION_CONFIRMED, by, after=registration_number).save()
    _tell_members(
        startup,
        _("The registration number of %(startup)s is verified") % {"startup": startup.name},
    )
    return startup


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why, for the founders."), field="reason")
    return reason


@transaction.atomic
def registration_refuse(*, startup: Startup, reason: str, by: User) -> Startup:
    """A verifier refuses the proposed number; a verified registration stays as it was.

    Side effects: clears the proposal; a timeline event with the reason; notifies the members.
    """
    _require_verifier(by)
    reason = _require_reason(reason)
    startup = _lock(startup)
    proposed = startup.proposed_registration_number
    if not proposed:
        raise StateConflict(_("No registration number is waiting for verification."))
    startup.proposed_registration_number = ""
    startup.save(update_fields=["proposed_registration_number"])
    _event(startup, EventKind.REGISTRATION_REFUSED, by, before=proposed, note=reason).save()
    _tell_members(
        startup,
        _("The proposed registration number of %(startup)s was refused") % {"startup": startup.name},
        reason,
    )
    return startup


@transaction.atomic
def registration_revoke(*, startup: Startup, reason: str, by: User) -> Startup:
    """A verifier withdraws a verified registration (a number found wrong, a company closed).

    Side effects: the startup is no longer registered and has no verified number; a timeline
    event with the reason; notifies the members.
    """
    _require_verifier(by)
    reason = _require_reason(reason)
    startup = _lock(startup)
    if not startup.is_registered:
        raise StateConflict(_("This startup has no verified registration."))
    number = startup.registration_number
    startup.registration_number = ""
    startup.is_registered = False
    startup.registered_verified_by = None
    startup.registered_verified_at = None
    startup.save(
        update_fields=["registration_number", "is_registered", "registered_verified_by", "registered_verified_at"]
    )
    _event(startup, EventKind.REGISTRATION_REVOKED, by, before=number, note=reason).save()
    _tell_members(
        startup, _("The registration of %(startup)s was revoked") % {"startup": startup.name}, reason
    )
    return startup


def report_file(
    *, startup: Startup, period: datetime.date, revenue: Decimal, expenses: Decimal, by: User
) -> MonthlyReport:
    """A member files the monthly financial report; one per month.

    Side effects: creates the report.
    """
    period = period.replace(day=1)
    if revenue < 0 or expenses < 0:
        raise InvalidInput(_("Revenue and expenses cannot be negative."))
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                startup=startup, period=period, revenue=revenue, expenses=expenses, filed_by=by
            )
    except IntegrityError as exc:
        # The unique constraint is the guard against two concurrent filings of one month.
        raise InvalidInput(_("A report for this month already exists."), field="period") from exc
