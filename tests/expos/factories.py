import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from expos.models import Expo, Hall, Showcase
from startups.enums import Sector
from tests.factories import DepartmentFactory, StartupFactory


def _today():
    return timezone.localdate()


class ExpoFactory(DjangoModelFactory):
    """An expo taking applications today, held in two weeks over two days."""

    class Meta:
        model = Expo

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Expo {n}")
    city = "Daejeon"
    venue = "Convention centre"
    applications_open_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=5))
    applications_close_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=5))
    starts_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=14))
    ends_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=15))
    day_starts_at = datetime.time(9, 0)
    day_ends_at = datetime.time(17, 0)
    slot_minutes = 30


class HallFactory(DjangoModelFactory):
    class Meta:
        model = Hall

    expo = factory.SubFactory(ExpoFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")
    capacity = 1
    features = factory.LazyFunction(list)


class ShowcaseFactory(DjangoModelFactory):
    class Meta:
        model = Showcase

    expo = factory.SubFactory(ExpoFactory)
    startup = factory.SubFactory(StartupFactory)
    title = factory.Sequence(lambda n: f"Showcase {n}")
    sector = Sector.SOFTWARE
