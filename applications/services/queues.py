"""Review queues (admin): who reviews them, their SLA, the one default queue."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import RoleCode
from accounts.models import Department, User
from core.activity import check_allowed, record_activity, update_fields
from core.exceptions import InvalidInput

from ..models import ReviewQueue
from .router import nudge_router

# --- Review queues (admin) ----------------------------------------------------------------


def _check_reviewers(reviewers) -> list[User]:
    reviewers = list(reviewers)
    ids = [user.pk for user in reviewers]
    ok = set(User.objects.filter(pk__in=ids, roles__code=RoleCode.REVIEWER).values_list("pk", flat=True))
    wrong = [user.get_username() for user in reviewers if user.pk not in ok]
    if wrong:
        raise InvalidInput(
            _("These users are not reviewers: %(names)s.") % {"names": ", ".join(sorted(wrong))},
            field="reviewers",
        )
    return reviewers


def _check_supervisors(supervisors) -> list[User]:
    supervisors = list(supervisors)
    wrong = [user.get_username() for user in supervisors if not user.is_staff_member]
    if wrong:
        raise InvalidInput(
            _("Supervisors must work for the incubator: %(names)s.") % {"names": ", ".join(sorted(wrong))},
            field="supervisors",
        )
    return supervisors


def _make_default(queue: ReviewQueue) -> None:
    """Unset the previous default (locked) before setting this one, in the caller's transaction."""
    list(ReviewQueue.objects.select_for_update().filter(is_default=True).exclude(pk=queue.pk))
    ReviewQueue.objects.filter(is_default=True).exclude(pk=queue.pk).update(is_default=False)


@transaction.atomic
def queue_create(
    *,
    name: str,
    department: Department,
    sla_hours: int,
    reviewers=(),
    supervisors=(),
    reviewer_capacity: int = 10,
    is_default: bool = False,
    by: User,
) -> ReviewQueue:
    """An admin opens a department's review queue.

    There is always exactly one default queue: making this one the default unsets the previous
    one in the same transaction, and the first queue ever made is the default.
    Side effects: creates the queue with its reviewers and supervisors; an activity entry;
    after commit, nudges the router (queued letters may now find a reviewer).
    """
    if sla_hours < 1:
        raise InvalidInput(_("The SLA must be at least one working hour."), field="sla_hours")
    if reviewer_capacity < 1:
        raise InvalidInput(
            _("A reviewer must be able to hold at least one letter."), field="reviewer_capacity"
        )
    reviewers, supervisors = _check_reviewers(reviewers), _check_supervisors(supervisors)
    if not is_default and not ReviewQueue.objects.filter(is_default=True).exists():
        is_default = True
    queue = ReviewQueue(
        name=name,
        department=department,
        sla_hours=sla_hours,
        reviewer_capacity=reviewer_capacity,
        is_default=False,
    )
    queue.save()
    if is_default:
        _make_default(queue)
        queue.is_default = True
        queue.save(update_fields=["is_default"])
    queue.reviewers.set(reviewers)
    queue.supervisors.set(supervisors)
    record_activity(
        queue,
        "created",
        by=by,
        changes={
            "name": [None, name],
            "department": [None, department],
            "sla_hours": [None, sla_hours],
            "reviewer_capacity": [None, reviewer_capacity],
            "is_default": [None, is_default],
            "reviewers": [None, {user.pk for user in reviewers}],
            "supervisors": [None, {user.pk for user in supervisors}],
        },
    )
    nudge_router()
    return queue


QUEUE_FIELDS = frozenset({"name", "department", "sla_hours", "reviewer_capacity", "is_default"})


@transaction.atomic
def queue_update(*, queue: ReviewQueue, by: User, **changes) -> ReviewQueue:
    """An admin changes a queue (name, department, SLA, capacity, reviewers, supervisors, default).

    The default queue cannot be made non-default directly: make another queue the default.
    Only QUEUE_FIELDS, `reviewers` and `supervisors` may change (another field: 400).
    Side effects: saves the changed fields; an activity entry with their old and new values;
    after commit, nudges the router.
    """
    check_allowed(changes, QUEUE_FIELDS | {"reviewers", "supervisors"})
    queue = ReviewQueue.objects.select_for_update().get(pk=queue.pk)
    reviewers, supervisors = changes.pop("reviewers", None), changes.pop("supervisors", None)
    if "sla_hours" in changes and changes["sla_hours"] < 1:
        raise InvalidInput(_("The SLA must be at least one working hour."), field="sla_hours")
    if "reviewer_capacity" in changes and changes["reviewer_capacity"] < 1:
        raise InvalidInput(
            _("A reviewer must be able to hold at least one letter."), field="reviewer_capacity"
        )
    if changes.get("is_default") is False and queue.is_default:
        raise InvalidInput(
            _("There must be a default queue: make another queue the default instead."), field="is_default"
        )
    if reviewers is not None:
        reviewers = _check_reviewers(reviewers)
    if supervisors is not None:
        supervisors = _check_supervisors(supervisors)
    extra = {}
    for name, users in (("reviewers", reviewers), ("supervisors", supervisors)):
        if users is None:
            continue
        manager = getattr(queue, name)
        old, new = set(manager.values_list("pk", flat=True)), {user.pk for user in users}
        if old != new:
            manager.set(users)
            extra[name] = [old, new]
    if changes.get("is_default") and not queue.is_default:
        _make_default(queue)
    update_fields(queue, changes, allowed=QUEUE_FIELDS, by=by, extra=extra)
    nudge_router()
    return queue
