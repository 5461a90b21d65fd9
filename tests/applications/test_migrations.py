"""The data migration that gives letters submitted before the record existed what submission
now records (applications 0006)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("applications", "0005_letter_submission_record")
AFTER = ("applications", "0006_fill_submission_record")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    # The models as of `target`, the other apps as they stand (nothing depends on 0005 or 0006).
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != target[0]]
    return executor.loader.project_state([*others, target]).apps


@pytest.mark.django_db(transaction=True)
def test_submitted_letters_get_their_startups_facts_and_members_drafts_nothing():
    apps = _migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Startup = apps.get_model("startups", "Startup")
    Membership = apps.get_model("startups", "Membership")
    Letter = apps.get_model("applications", "Letter")
    founder, member, left = (User.objects.create(username=name) for name in ("founder", "member", "left"))
    since = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    startup = Startup.objects.create(
        name="Hanbit",
        sector="energy",
        stage="revenue",
        stage_since=since,
        is_registered=True,
        registration_number="110-81-00001",
        registered_verified_at=since,
    )
    Membership.objects.create(startup=startup, user=founder, role="owner")
    Membership.objects.create(startup=startup, user=member)
    common = {"startup": startup, "author": founder, "category": "other", "subject": "Help", "body": "Please."}
    # Routed before the record: the router had fixed a set with someone who has left since.
    routed = Letter.objects.create(
        **common, status="in_review", submitted_at=since, conflicted_ids=[founder.pk, left.pk]
    )
    draft = Letter.objects.create(**common, status="draft")

    apps = _migrate(AFTER)
    Letter = apps.get_model("applications", "Letter")

    routed, draft = Letter.objects.get(pk=routed.pk), Letter.objects.get(pk=draft.pk)
    assert sorted(routed.conflicted_ids) == sorted([founder.pk, member.pk, left.pk])
    assert (routed.submitted_sector, routed.submitted_stage, routed.submitted_stage_since) == ("energy", "revenue", since)
    assert (routed.submitted_is_registered, routed.submitted_registration_number) == (True, "110-81-00001")
    assert (draft.conflicted_ids, draft.submitted_is_registered, draft.submitted_sector) == ([], None, "")
