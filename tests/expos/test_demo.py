"""The expos' demo data (`manage.py seed_demo`): the expo, its applications and one released
programme, made once however often the command runs."""
from io import StringIO

import pytest
from django.core.management import call_command

from expos.demo import DEMO_EXPO, HALLS, STARTUPS
from expos.models import Expo, Release, ReleasedSlot, Showcase, ShowcaseSlot

pytestmark = pytest.mark.django_db


def _counts():
    return {model: model.objects.count() for model in (Expo, Showcase, ShowcaseSlot, Release, ReleasedSlot)}


def test_seed_demo_twice_releases_one_programme_shown_on_the_public_page(client):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    expo = Expo.objects.get(name=DEMO_EXPO)
    assert (expo.halls.count(), (expo.ends_on - expo.starts_on).days + 1) == (len(HALLS), 2)
    assert expo.showcases.count() == len(STARTUPS)
    accepted = expo.showcases.filter(status="accepted")
    assert 0 < accepted.count() < len(STARTUPS)
    release = expo.releases.get()
    released = list(release.slots.values_list("showcase_id", flat=True))
    assert sorted(released) == sorted(accepted.values_list("pk", flat=True))
    body = client.get(f"/expos/{expo.pk}/programme/").content.decode()
    shown = [row.startup_name in body and row.hall_name in body for row in release.slots.all()]
    assert shown == [True] * len(released)
