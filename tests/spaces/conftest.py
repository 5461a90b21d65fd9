import pytest

from tests import factories
from tests.spaces.factories import SiteFactory


@pytest.fixture
def department(db):
    return factories.DepartmentFactory()


@pytest.fixture
def site(department):
    return SiteFactory(department=department)


@pytest.fixture
def manager(department):
    return factories.UserFactory(roles=["space_manager"], department=department)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def manager_api(api, manager):
    api.force_authenticate(manager)
    api.user = manager
    return api


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)
