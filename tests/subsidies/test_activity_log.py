from decimal import Decimal

import pytest

from core.models import ActivityEntry
from subsidies.services import programs
from tests import factories

pytestmark = pytest.mark.django_db


def test_program_update_logs_the_changed_fields_with_the_actor(admin_user):
    program = factories.ProgramFactory(max_award=Decimal("1000.00"))
    assert ActivityEntry.objects.get().action == "created"
    ActivityEntry.objects.all().delete()

    programs.program_update(program=program, max_award=Decimal("2500.00"), by=admin_user)

    entry = ActivityEntry.objects.get()
    assert (entry.actor, entry.action, entry.target, entry.changes) == (
        admin_user, "updated", program, {"max_award": ["1000.00", "2500.00"]}
    )


def test_program_update_without_a_change_writes_no_entry(admin_user):
    program = factories.ProgramFactory()
    ActivityEntry.objects.all().delete()

    programs.program_update(program=program, name=program.name, by=admin_user)

    assert ActivityEntry.objects.count() == 0
