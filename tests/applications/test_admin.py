"""The admin pages for letters, attachments and messages render; a letter's status is read-only."""

import pytest
from django.test import Client

from applications.enums import Status
from applications.models import LetterEvent
from tests import factories

from .letters_cast import make_cast


@pytest.fixture
def admin_client_(db):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def test_letter_admin_pages_render_with_timeline(admin_client_):
    cast = make_cast()
    letter = cast.letter(Status.IN_REVIEW)
    LetterEvent.objects.create(
        letter=letter, kind="status", from_status="queued", to_status="in_review", note="Claimed"
    )
    factories.MessageFactory(letter=letter)
    attachment = factories.AttachmentFactory(letter=letter)
    assert admin_client_.get("/admin/applications/letter/").status_code == 200
    page = admin_client_.get(f"/admin/applications/letter/{letter.pk}/change/")
    assert page.status_code == 200
    assert b"Claimed" in page.content
    assert b'name="status"' not in page.content  # read-only: statuses move through the services
    assert admin_client_.get("/admin/applications/letter/add/").status_code == 403
    assert admin_client_.get("/admin/applications/attachment/").status_code == 200
    assert admin_client_.get(f"/admin/applications/attachment/{attachment.pk}/change/").status_code == 200
    assert admin_client_.get("/admin/applications/message/").status_code == 200
