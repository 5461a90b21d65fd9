"""Members racing on PostgreSQL: two owners removing each other leave one owner."""
import threading

import pytest
from django.db import connection

from core.exceptions import StateConflict
from startups import services
from startups.enums import MemberRole
from startups.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_owners_removing_each_other_leave_one_owner(postgres):
    startup = factories.StartupFactory()
    first, second = factories.MembershipFactory.create_batch(2, startup=startup, role=MemberRole.OWNER)
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(membership, by):
        try:
            barrier.wait(timeout=30)
            services.membership_remove(membership=membership, by=by)
            outcomes.append("ok")
        except StateConflict:
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(first, second.user)),
        threading.Thread(target=remove, args=(second, first.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["conflict", "ok"]
    assert Membership.objects.filter(startup=startup, role=MemberRole.OWNER).count() == 1
