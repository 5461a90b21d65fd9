"""factory-boy factories for every model; apps add theirs below the ones they build on."""
import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Department, Role, User
from startups.enums import MemberRole, Sector, Stage
from startups.models import Membership, MonthlyReport, Startup

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
            self.roles.set(Role.objects.filter(code__in=extracted))
            self.__dict__.pop("role_codes", None)


class StartupFactory(DjangoModelFactory):
    class Meta:
        model = Startup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Startup {n}")
    sector = Sector.SOFTWARE
    stage = Stage.PROTOTYPE
    description = "We build things."

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        """StartupFactory(owner=user) makes that user its owner member."""
        if create and extracted:
            Membership.objects.create(startup=self, user=extracted, role=MemberRole.OWNER)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    startup = factory.SubFactory(StartupFactory)
    user = factory.SubFactory(UserFactory, roles=["founder"])
    role = MemberRole.MEMBER


class MonthlyReportFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    startup = factory.SubFactory(StartupFactory)
    period = datetime.date(2026, 1, 1)
    revenue = Decimal("1000.00")
    expenses = Decimal("800.00")
    filed_by = factory.SubFactory(UserFactory, roles=["founder"])
