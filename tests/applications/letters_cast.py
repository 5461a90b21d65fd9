"""The people and places of the letter tests, built fresh for each test (or hypothesis example).

founder, cofounder     members of `startup` (founder is the owner and writes the letters)
other_founder          a founder of another startup
reviewer, reviewer2    reviewers of `queue` in `department`
approver               an approver of `department`, limit 10,000,000
approver_low           an approver of `department`, limit 100,000
reviewer_approver      a reviewer of `queue` who is also an approver (limit 50,000,000)
other_reviewer         a reviewer and approver of another department, reviewing `other_queue`
admin                  sees everything, acts on nothing
"""

import contextlib
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Department, User
from applications import fulfilment
from applications.models import Letter, ReviewQueue
from startups.models import Startup
from tests import factories


@dataclass
class Cast:
    department: Department
    queue: ReviewQueue
    other_queue: ReviewQueue
    startup: Startup
    other_startup: Startup
    founder: User
    cofounder: User
    other_founder: User
    reviewer: User
    reviewer2: User
    approver: User
    approver_low: User
    reviewer_approver: User
    other_reviewer: User
    admin: User

    def letter(self, status, **kwargs) -> Letter:
        """A letter of `startup` in `status`, routed to `queue`, held by `reviewer` in review and
        by `approver` when pending approval (reviewed by `reviewer`)."""
        kwargs.setdefault("queue", self.queue if status != "draft" else None)
        kwargs.setdefault("reviewer", self.reviewer)
        kwargs.setdefault("approver", self.approver)
        return factories.letter_in_state(status, startup=self.startup, author=self.founder, **kwargs)

    def fresh(self, user: User) -> User:
        """The user reloaded (role caches dropped)."""
        return User.objects.get(pk=user.pk)


def make_cast() -> Cast:
    department = factories.DepartmentFactory()
    other_department = factories.DepartmentFactory()
    founder = factories.UserFactory(roles=["founder"])
    cofounder = factories.UserFactory(roles=["founder"])
    startup = factories.StartupFactory(owner=founder)
    factories.MembershipFactory(startup=startup, user=cofounder)
    other_founder = factories.UserFactory(roles=["founder"])
    other_startup = factories.StartupFactory(owner=other_founder)

    def staff(roles, dept=department, limit=None):
        return factories.UserFactory(roles=roles, department=dept, approval_limit=limit)

    reviewer = staff(["reviewer"])
    reviewer2 = staff(["reviewer"])
    approver = staff(["approver"], limit=Decimal("10000000.00"))
    approver_low = staff(["approver"], limit=Decimal("100000.00"))
    reviewer_approver = staff(["reviewer", "approver"], limit=Decimal("50000000.00"))
    other_reviewer = staff(["reviewer", "approver"], dept=other_department, limit=Decimal("50000000.00"))
    queue = factories.ReviewQueueFactory(
        department=department, reviewers=[reviewer, reviewer2, reviewer_approver]
    )
    other_queue = factories.ReviewQueueFactory(department=other_department, reviewers=[other_reviewer])
    admin = factories.UserFactory(roles=["admin"], is_staff=True)
    return Cast(
        department=department,
        queue=queue,
        other_queue=other_queue,
        startup=startup,
        other_startup=other_startup,
        founder=founder,
        cofounder=cofounder,
        other_founder=other_founder,
        reviewer=reviewer,
        reviewer2=reviewer2,
        approver=approver,
        approver_low=approver_low,
        reviewer_approver=reviewer_approver,
        other_reviewer=other_reviewer,
        admin=admin,
    )


class RecordingHandler(fulfilment.FulfilmentHandler):
    """A fulfilment handler for tests: records the calls, refuses when told to."""

    def __init__(self, *, refuse_approval=None, fulfil_effect=None):
        self.calls = []
        self.refuse_approval = refuse_approval
        self.fulfil_effect = fulfil_effect

    def check_submission(self, letter):
        self.calls.append(("check_submission", letter.pk))

    def prepare_approval(self, letter, *, amount):
        self.calls.append(("prepare_approval", letter.pk, amount))
        if self.refuse_approval:
            raise self.refuse_approval
        return ("prepared", letter.pk)

    def fulfil(self, letter, *, prepared, amount, by, founders, notices):
        self.calls.append(("fulfil", letter.pk, prepared, amount, by.pk))
        super().fulfil(letter, prepared=prepared, amount=amount, by=by, founders=founders, notices=notices)
        if self.fulfil_effect:
            self.fulfil_effect(letter)


@contextlib.contextmanager
def handler_registered(category, handler):
    """Plug a handler into the registry for one test, then put back what was there."""
    previous = fulfilment._handlers.pop(category, None)
    handler.category = category
    fulfilment.register_handler(handler)
    try:
        yield handler
    finally:
        if previous is None:
            fulfilment._handlers.pop(category, None)
        else:
            fulfilment._handlers[category] = previous
