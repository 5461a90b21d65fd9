import pytest

from tests import factories


@pytest.fixture
def approver(db):
    return factories.UserFactory(roles=["approver"])


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)
