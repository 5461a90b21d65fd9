"""The Django admin of every spaces model: registered, each changelist renders for an admin in
queries that do not grow with the rows, and charges are read-only."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spaces.enums import Funding, UnitKind
from spaces.models import AllocationRun, ChargeSource, SpaceCharge
from tests import factories
from tests.spaces.booking_factories import BookingFactory
from tests.spaces.factories import AllocationFactory, SiteFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
SPACES_MODELS = list(apps.get_app_config("spaces").get_models())


@pytest.fixture
def admin_client_(client):
    client.force_login(factories.UserFactory(roles=["admin"], is_staff=True, is_superuser=True))
    return client


def make_rows(count):
    """`count` rows of every spaces model (a site, its desk and room, and what hangs on them)."""
    for index in range(count):
        site = SiteFactory()
        desk = UnitFactory(site=site)
        room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
        allocation = AllocationFactory(unit=desk)
        space_request(offer_unit=None, site=site)  # its letter's details (SpaceAsk) too
        AllocationRun.objects.create(site=site)
        BookingFactory(unit=room, startup=allocation.startup)
        SpaceCharge.objects.create(
            startup=allocation.startup,
            site=site,
            unit=desk,
            month=datetime.date(2027, 1, 1),
            source=ChargeSource.ALLOCATION,
            source_id=allocation.pk + index,
            list_amount=Decimal("300000.00"),
            state_amount=Decimal("0.00"),
            company_amount=Decimal("300000.00"),
            funding=Funding.COMPANY,
            state_share=Decimal("0.00"),
        )


def changelist(model):
    return f"/admin/spaces/{model._meta.model_name}/"


def test_every_spaces_model_is_in_the_admin():
    assert [m.__name__ for m in SPACES_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", SPACES_MODELS, ids=lambda m: m.__name__)
def test_each_changelist_renders_in_queries_constant_in_rows(admin_client_, model):
    counts, rows = [], []
    for more in (1, 2):  # one set of rows, then three
        make_rows(more)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_.get(changelist(model))
        assert response.status_code == 200
        counts.append(len(queries))
        rows.append(model.objects.count())

    assert rows[1] == 3 * rows[0]
    assert counts[0] == counts[1]


def test_charges_are_read_only(admin_client_):
    make_rows(1)
    charge = SpaceCharge.objects.get()

    adding = admin_client_.get(f"{changelist(SpaceCharge)}add/")
    deleting = admin_client_.post(f"{changelist(SpaceCharge)}{charge.pk}/delete/", {"post": "yes"})
    page = admin_client_.get(f"{changelist(SpaceCharge)}{charge.pk}/change/")

    assert (adding.status_code, deleting.status_code, page.status_code) == (403, 403, 200)
    assert 'name="list_amount"' not in page.content.decode()
    assert SpaceCharge.objects.count() == 1
