"""Who may see and act on a letter (django-rules predicates).

These answer "who", never "when": whether the letter's status allows the move is the
services' question (409). A rule is true or false whatever the status, so the same user gets
the same 403 on a letter in any state; the few checks that depend on the status (the letter is
assigned to someone else, the amount is above the approver's limit) live in the services.

`letters_visible_to` in selectors.py is the queryset twin of `view_letter`; keep them in step.
"""

import rules
from django.db.models import Q

from accounts.enums import RoleCode
from accounts.rules import has_role, is_admin, is_approver, is_reviewer
from startups.models import Membership

from .models import ReviewQueue

is_department_staff_role = has_role(RoleCode.REVIEWER, RoleCode.APPROVER)


def member_startup_ids(user) -> frozenset[int]:
    """The ids of the startups `user` belongs to, read once per user object (a request's
    user lives as long as the request): the view's permission check and the service's check
    on the locked letter then cost one query between them."""
    ids = user.__dict__.get("_member_startup_ids")
    if ids is None:
        ids = frozenset(Membership.objects.filter(user_id=user.pk).values_list("startup_id", flat=True))
        user.__dict__["_member_startup_ids"] = ids
    return ids


@rules.predicate
def is_letter_member(user, letter):
    """A member of the startup that wrote the letter (a founder or co-founder)."""
    if letter is None or not user.is_authenticated:
        return False
    return letter.startup_id in member_startup_ids(user)


@rules.predicate
def is_conflicted(user, letter):
    """A member of the letter's startup, now or when the letter was routed."""
    if letter is None or not user.is_authenticated:
        return False
    return user.pk in letter.conflicted_ids or letter.startup_id in member_startup_ids(user)


@rules.predicate
def belongs_to_a_startup(user):
    return user.is_authenticated and bool(member_startup_ids(user))


@rules.predicate
def is_assignee(user, letter):
    return letter is not None and user.is_authenticated and letter.assignee_id == user.pk


@rules.predicate
def is_reviewer_of_record(user, letter):
    """The reviewer who recommended: never the one who decides."""
    return letter is not None and user.is_authenticated and letter.reviewed_by_id == user.pk


@rules.predicate
def is_queue_reviewer(user, letter):
    """One of the reviewers of the queue the letter was routed to."""
    if letter is None or not letter.queue_id or not user.is_authenticated:
        return False
    return ReviewQueue.reviewers.through.objects.filter(
        reviewqueue_id=letter.queue_id, user_id=user.pk
    ).exists()


@rules.predicate
def is_in_letter_department(user, letter):
    """Works in the department whose queue holds the letter, or reviews or supervises that queue."""
    if letter is None or not letter.queue_id or not user.is_authenticated:
        return False
    where = Q(reviewers=user) | Q(supervisors=user)
    if user.department_id:
        where |= Q(department_id=user.department_id)
    return ReviewQueue.objects.filter(where, pk=letter.queue_id).exists()


@rules.predicate
def is_of_letter_department(user, letter):
    """Works in the department that owns the letter's queue (approvers decide for it)."""
    if letter is None or not letter.queue_id or not user.is_authenticated or not user.department_id:
        return False
    if type(letter).queue.is_cached(letter):  # fetched with the letter (select_related)
        return letter.queue.department_id == user.department_id
    return ReviewQueue.objects.filter(pk=letter.queue_id, department_id=user.department_id).exists()


# The cheap checks first (django-rules stops at the first true one): the letter's own columns,
# then the caller's memberships (read once per request), their roles, their queues.
can_view_letter = (
    is_assignee
    | is_reviewer_of_record
    | is_letter_member
    | is_admin
    | (is_department_staff_role & is_in_letter_department)
)

rules.add_perm("applications.add_letter", has_role(RoleCode.FOUNDER) | belongs_to_a_startup)
rules.add_perm("applications.view_letter", can_view_letter)
rules.add_perm("applications.change_letter", is_letter_member)
rules.add_perm("applications.submit_letter", is_letter_member)
rules.add_perm("applications.withdraw_letter", is_letter_member)
rules.add_perm("applications.respond_letter", is_letter_member)
rules.add_perm("applications.add_attachment", is_letter_member)
# Conflict of interest: nobody reviews or decides a letter of a startup they belong to or
# belonged to when it was routed.
rules.add_perm("applications.claim_letter", is_reviewer & is_queue_reviewer & ~is_conflicted)
rules.add_perm(
    "applications.request_info_letter", is_reviewer & (is_queue_reviewer | is_assignee) & ~is_conflicted
)
rules.add_perm(
    "applications.recommend_letter", is_reviewer & (is_queue_reviewer | is_assignee) & ~is_conflicted
)
rules.add_perm(
    "applications.decide_letter",
    is_approver & (is_of_letter_department | is_assignee) & ~is_conflicted & ~is_reviewer_of_record,
)
# The "My work" page: the open letters the user holds (reviewers hold them in review,
# approvers while they wait for a decision).
rules.add_perm("applications.view_my_work", is_department_staff_role)
rules.add_perm(
    "applications.post_message",
    is_letter_member | is_assignee | (is_department_staff_role & is_queue_reviewer),
)
