import pytest

from core.activity import record_activity
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = factories.UserFactory(roles=["admin"], is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_the_log_reads_in_the_admin_and_cannot_be_added(superuser_client):
    department = factories.DepartmentFactory(name="Seoul")
    record_activity(department, "updated", by=superuser_client.user, changes={"name": ["Busan", "Seoul"]})

    listing = superuser_client.get("/admin/core/activityentry/")
    adding = superuser_client.get("/admin/core/activityentry/add/")

    assert listing.status_code == 200
    assert str(department) in listing.content.decode()
    assert adding.status_code == 403


def test_the_log_is_closed_to_a_founder(client, founder):
    client.force_login(founder)

    response = client.get("/admin/core/activityentry/")

    assert response.status_code == 302
