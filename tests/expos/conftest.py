import pytest

from tests import factories

from .factories import ExpoFactory


@pytest.fixture
def department(db):
    return factories.DepartmentFactory()


@pytest.fixture
def organiser(department):
    return factories.UserFactory(roles=["expo_organiser"], department=department)


@pytest.fixture
def other_organiser(db):
    return factories.UserFactory(roles=["expo_organiser"], department=factories.DepartmentFactory())


@pytest.fixture
def expo(department):
    return ExpoFactory(department=department)


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)
