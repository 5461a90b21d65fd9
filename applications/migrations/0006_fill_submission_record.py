"""Letters submitted before the record existed: their facts and conflict-of-interest set from
their startup as it stands (the best knowledge left), the members joining any set the router
had already fixed (nobody is taken off a set)."""

from django.db import migrations

BATCH = 500


def fill(apps, schema_editor):
    Letter = apps.get_model("applications", "Letter")
    Membership = apps.get_model("startups", "Membership")
    # The ids first: a table is not written while a cursor still reads it.
    ids = list(
        Letter.objects.filter(submitted_at__isnull=False, submitted_is_registered__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        letters = list(Letter.objects.filter(pk__in=ids[start : start + BATCH]).select_related("startup"))
        _write(Letter, Membership, letters)


def _write(Letter, Membership, letters):
    members = {}
    rows = Membership.objects.filter(startup_id__in={letter.startup_id for letter in letters})
    for startup_id, user_id in rows.values_list("startup_id", "user_id"):
        members.setdefault(startup_id, set()).add(user_id)
    for letter in letters:
        startup = letter.startup
        letter.conflicted_ids = sorted(set(letter.conflicted_ids or ()) | members.get(letter.startup_id, set()))
        letter.submitted_sector = startup.sector
        letter.submitted_stage = startup.stage
        letter.submitted_stage_since = startup.stage_since
        letter.submitted_is_registered = startup.is_registered
        letter.submitted_registration_number = startup.registration_number if startup.is_registered else ""
    Letter.objects.bulk_update(
        letters,
        [
            "conflicted_ids",
            "submitted_sector",
            "submitted_stage",
            "submitted_stage_since",
            "submitted_is_registered",
            "submitted_registration_number",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_letter_submission_record"),
        ("startups", "0002_invitations_timeline_verified_registration"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
