"""factory-boy factories for every model; apps add theirs below the ones they build on."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Department, Role, User
from applications.enums import Category, Status
from applications.models import Attachment, Letter, Message, ReviewQueue
from startups.enums import MemberRole, Sector, Stage
from startups.models import Invitation, Membership, MonthlyReport, Startup
from startups.selectors import eligibility_facts, member_ids

PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept-{n}")
    email = factory.LazyAttribute(lambda d: f"{d.code}@gov.example")


class UserFactory(DjangoModelFactory):
    """A user; pass roles=["reviewer", ...] to grant roles."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test's flush also empties the roles the data
            # migration made.
            self.roles.set([Role.objects.get_or_create(code=code)[0] for code in extracted])
            self.__dict__.pop("role_codes", None)


class StartupFactory(DjangoModelFactory):
    class Meta:
        model = Startup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Startup {n}")
    sector = Sector.SOFTWARE
    stage = Stage.PROTOTYPE
    description = "We build things."

    class Params:
        # StartupFactory(registered=True): registration verified by an administrator.
        registered = factory.Trait(
            is_registered=True,
            registration_number=factory.Sequence(lambda n: f"110-81-{n:05d}"),
            registered_verified_at=factory.LazyFunction(timezone.now),
            registered_verified_by=factory.SubFactory("tests.factories.UserFactory", roles=["admin"]),
        )

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        """StartupFactory(owner=user) makes that user its owner member."""
        if create and extracted:
            Membership.objects.create(startup=self, user=extracted, role=MemberRole.OWNER)


class MembershipFactory(DjangoModelFactory):
    """An accepted membership: a Membership row exists only once the invitation is accepted
    (an open one is an InvitationFactory)."""

    class Meta:
        model = Membership

    startup = factory.SubFactory(StartupFactory)
    user = factory.SubFactory(UserFactory, roles=["founder"])
    role = MemberRole.MEMBER


class InvitationFactory(DjangoModelFactory):
    """An open invitation to join a startup, from one of its owners."""

    class Meta:
        model = Invitation

    startup = factory.SubFactory(StartupFactory)
    user = factory.SubFactory(UserFactory, roles=["founder"])
    invited_by = factory.SubFactory(UserFactory, roles=["founder"])


class StartupEventFactory(DjangoModelFactory):
    class Meta:
        model = "startups.StartupEvent"

    startup = factory.SubFactory(StartupFactory)
    kind = "created"
    actor = factory.SubFactory(UserFactory, roles=["founder"])
    after = Stage.PROTOTYPE


def verify_registration(startup, number="110-81-99999"):
    """Mark `startup` registered under `number`, verified by a new administrator (saved)."""
    startup.is_registered = True
    startup.registration_number = number
    startup.registered_verified_at = timezone.now()
    startup.registered_verified_by = UserFactory(roles=["admin"])
    startup.save()
    return startup


class MonthlyReportFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    startup = factory.SubFactory(StartupFactory)
    period = datetime.date(2026, 1, 1)
    revenue = Decimal("1000.00")
    expenses = Decimal("800.00")
    filed_by = factory.SubFactory(UserFactory, roles=["founder"])


class ReviewQueueFactory(DjangoModelFactory):
    """A department's review queue; ReviewQueueFactory(reviewers=[user, ...]) adds reviewers."""

    class Meta:
        model = ReviewQueue
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Queue {n}")
    sla_hours = 40
    reviewer_capacity = 10
    is_default = False

    @factory.post_generation
    def reviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.reviewers.set(extracted)

    @factory.post_generation
    def supervisors(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervisors.set(extracted)


class LetterFactory(DjangoModelFactory):
    """A draft letter; its author is made a member of its startup if not one already.

    For a letter in another status with consistent fields, use `letter_in_state`.
    """

    class Meta:
        model = Letter
        skip_postgeneration_save = True

    startup = factory.SubFactory(StartupFactory)
    author = factory.SubFactory(UserFactory, roles=["founder"])
    category = Category.OTHER
    subject = factory.Sequence(lambda n: f"Letter {n}")
    body = "We would like the department's help."
    status = Status.DRAFT

    class Params:
        subsidy = factory.Trait(category=Category.SUBSIDY, requested_amount=Decimal("1000000.00"))

    @factory.post_generation
    def _author_is_member(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                startup=self.startup, user=self.author, defaults={"role": MemberRole.OWNER}
            )

    @factory.post_generation
    def program(self, create, extracted, **kwargs):
        """`program=`: the subsidy program a subsidy letter applies to (its SubsidyRequest)."""
        if create and extracted is not None:
            from subsidies.models import SubsidyRequest

            SubsidyRequest.objects.create(letter=self, program=extracted)

    @factory.post_generation
    def _submission_record(self, create, extracted, **kwargs):
        """A letter past the draft has what submission records: the startup's facts and members
        (after the author joined them), unless the test gave them."""
        if create and self.status != Status.DRAFT and self.submitted_is_registered is None:
            fields = self.record_submission(eligibility_facts(self.startup), member_ids(self.startup))
            self.save(update_fields=fields)


def letter_in_state(status, *, queue=None, reviewer=None, approver=None, **kwargs) -> Letter:
    """A letter put directly in `status`, with the fields a letter in that status has.

    `reviewer` holds it in review (and is `reviewed_by` from pending_approval on); `approver`
    holds it in pending_approval. Nothing is routed and no event is written.
    """
    from django.utils import timezone

    now = timezone.now()
    fields = {"status": status}
    if status != Status.DRAFT:
        fields["submitted_at"] = now
    if status not in (Status.DRAFT, Status.SUBMITTED) or queue is not None:
        fields["queue"] = queue or ReviewQueueFactory(reviewers=[reviewer] if reviewer else [])
        fields["due_at"] = now + datetime.timedelta(days=5)
    if status in (Status.IN_REVIEW, Status.INFO_REQUESTED):
        fields["assignee"] = reviewer
    if status == Status.INFO_REQUESTED:
        fields["reply_due_at"] = now + datetime.timedelta(days=10)
        fields["sla_paused_at"] = now
    if status == Status.PENDING_APPROVAL:
        fields["reviewed_by"] = reviewer
        fields["assignee"] = approver
    if status in (Status.APPROVED, Status.REJECTED):
        fields["decided_at"] = now
        fields["reviewed_by"] = reviewer
    fields.update(kwargs)
    return LetterFactory(**fields)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    letter = factory.SubFactory(LetterFactory)
    author = factory.LazyAttribute(lambda m: m.letter.author)
    body = "A question about the budget."


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    letter = factory.SubFactory(LetterFactory)
    file = factory.django.FileField(filename="plan.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "plan.pdf"
    content_type = "application/pdf"
    size = 15
    uploaded_by = factory.LazyAttribute(lambda a: a.letter.author)


# --- subsidies ------------------------------------------------------------------------------


class ProgramFactory(DjangoModelFactory):
    """A subsidy program open today, made through `program_create` (so its budget is in the
    ledger). Pass any program field: budget, max_award, tranches, profit_policy..."""

    class Meta:
        model = "subsidies.Program"

    name = factory.Sequence(lambda n: f"Program {n}")
    budget = Decimal("1000000.00")
    max_award = Decimal("100000.00")
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=335))

    @classmethod
    def _create(cls, model_class, *args, by=None, **kwargs):
        from subsidies.services.programs import program_create

        return program_create(by=by, **kwargs)


def subsidy_letter(*, program, startup=None, amount=Decimal("1000.00"), status=Status.PENDING_APPROVAL, **kwargs) -> Letter:
    """A subsidy letter for `program` (pending approval unless told), asking for `amount`; once
    routed, in a queue of a department of its own (whose approvers pay its award: `payer_of`)."""
    if startup is not None:
        kwargs["startup"] = startup
    if status not in (Status.DRAFT, Status.SUBMITTED):
        kwargs.setdefault("queue", ReviewQueueFactory())
    return LetterFactory(
        category=Category.SUBSIDY, requested_amount=amount, program=program, status=status, **kwargs
    )


def payer_of(award, **kwargs):
    """A second approver of the department that decided `award`: who may pay its tranches."""
    return UserFactory(roles=["approver"], department=award.letter.queue.department, **kwargs)
