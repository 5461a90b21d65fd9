"""Hostile input on the letters' API and pages: each test sends what an attacker would; none
may reach a 500, change anything, or leave a file that runs when opened."""

import base64
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from applications.enums import Status
from applications.models import Attachment, Letter

from .letters_cast import make_cast
from .test_services import PDF, docx_bytes

URL = "/api/v1/letters/"


@pytest.fixture
def cast(db):
    return make_cast()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def draft(cast, **changes):
    return {
        "startup": cast.startup.pk,
        "category": "other",
        "subject": "A desk",
        "body": "Please.",
        **changes,
    }


def upload(client, letter, name, content):
    return client.post(
        f"{URL}{letter.pk}/attachments/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


# --- single-line text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject", ["Hi\nBcc: victim@example.com", "tab\there", "nul\x00", "bell\x07", "sep\u2028x"]
)
def test_create_with_a_control_character_in_the_subject_is_400(cast, subject):
    response = client_for(cast.founder).post(URL, draft(cast, subject=subject), format="json")
    assert response.status_code == 400
    assert "subject" in response.data
    assert Letter.objects.count() == 0


def test_create_with_line_breaks_in_the_body_is_201(cast):
    response = client_for(cast.founder).post(
        URL, draft(cast, body="Line one\nLine two\ttabbed"), format="json"
    )
    assert response.status_code == 201, response.data


def test_compose_page_with_a_line_break_in_the_subject_shows_the_error_on_the_field(cast, client):
    client.force_login(cast.founder)
    response = client.post(reverse("letters:compose"), draft(cast, subject="Hi\r\nBcc: x@example.com"))
    assert response.status_code == 200
    assert "subject" in response.context["form"].errors
    assert Letter.objects.count() == 0


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("startup", ["²", "١٢", "1e400", "1.0", " ", -1, 0, 2**63, True, [1], {"id": 1}])
def test_create_with_what_is_no_id_for_the_startup_is_400(cast, startup):
    response = client_for(cast.founder).post(URL, draft(cast, startup=startup), format="json")
    assert response.status_code == 400
    assert "startup" in response.data
    assert Letter.objects.count() == 0


@pytest.mark.parametrize("value", ["²", "1e400", "9" * 30, "١"])
def test_list_filtered_by_what_is_no_id_is_400(cast, value):
    response = client_for(cast.reviewer).get(URL, {"assignee": value})
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["#²", "²", "#" + "9" * 30])
def test_letters_page_searched_for_what_is_no_id_answers(cast, client, query):
    client.force_login(cast.founder)
    assert client.get(reverse("letters:mine"), {"q": query}).status_code == 200


# --- cursors and searches -----------------------------------------------------------------------


def cursor(querystring: str) -> str:
    return base64.b64encode(querystring.encode()).decode()


@pytest.mark.parametrize("querystring", ["p=abc", "p=1e400", "p=²", "p=" + "9" * 30, "p=-1&r=1", "o=5&p=%00"])
def test_list_with_a_well_formed_but_wrong_cursor_is_404(cast, querystring):
    cast.letter(Status.DRAFT)
    response = client_for(cast.founder).get(URL, {"cursor": cursor(querystring)})
    assert response.status_code == 404


def test_list_with_a_cursor_it_gave_still_pages(cast):
    for _ in range(3):
        cast.letter(Status.DRAFT)
    client = client_for(cast.founder)
    first = client.get(URL, {"page_size": 2}).data
    second = client.get(first["next"]).data
    assert len(first["results"]) + len(second["results"]) == 3


def test_list_searched_with_a_thousand_terms_is_400(cast):
    response = client_for(cast.founder).get(URL, {"search": " ".join(f"w{n}" for n in range(1000))})
    assert response.status_code == 400
    assert "search" in response.data


# --- attachments ----------------------------------------------------------------------------------


def test_a_pdf_named_hta_is_downloaded_as_pdf(cast):
    letter = cast.letter(Status.DRAFT)
    response = upload(client_for(cast.founder), letter, "invoice.hta", PDF)
    assert response.status_code == 201, response.data
    download = client_for(cast.founder).get(response.data["url"])
    assert 'filename="invoice.pdf"' in download["Content-Disposition"]


def test_an_old_attachment_named_hta_is_downloaded_as_pdf(cast, client):
    """Rows kept from before: the download name follows the stored type, on the page too."""
    letter = cast.letter(Status.DRAFT)
    upload(client_for(cast.founder), letter, "invoice.pdf", PDF)
    attachment = Attachment.objects.get()
    Attachment.objects.filter(pk=attachment.pk).update(original_name="invoice.hta")
    client.force_login(cast.founder)
    download = client.get(reverse("letters:attachment", args=[letter.pk, attachment.pk]))
    assert 'filename="invoice.pdf"' in download["Content-Disposition"]


def macro_docx() -> bytes:
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen()")
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.png", b"\x00" * (8 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.docx", macro_docx()),
        ("plan.pdf", b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF"),
        ("plan.pdf", b"%PDF-1.7\n1 0 obj<</OpenAction<</S/Launch/F(cmd.exe)>>>>endobj\n%%EOF"),
        ("plan.pdf", b"%PDF-1.7\n1 0 obj<</Names<</EmbeddedFiles 2 0 R>>>>endobj\n%%EOF"),
        ("plan.docx", zip_bomb_docx()),
    ],
    ids=["macro", "javascript", "launch", "embedded-file", "zip-bomb"],
)
def test_upload_of_a_file_that_could_run_when_opened_is_400(cast, name, content):
    letter = cast.letter(Status.DRAFT)
    response = upload(client_for(cast.founder), letter, name, content)
    assert response.status_code == 400
    assert "file" in response.data
    assert Attachment.objects.count() == 0


def test_upload_larger_than_the_limit_is_400_and_written_no_further(cast, settings, tmp_path):
    settings.ATTACHMENT_MAX_MB = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    letter = cast.letter(Status.DRAFT)
    response = upload(client_for(cast.founder), letter, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "1 MB" in response.data["file"][0]
    assert Attachment.objects.count() == 0


def test_upload_beyond_the_startups_storage_quota_is_400(cast, settings):
    settings.STARTUP_STORAGE_QUOTA_MB = 1
    half = PDF + b"0" * (600 * 1024)
    client = client_for(cast.founder)
    assert upload(client, cast.letter(Status.DRAFT), "a.pdf", half).status_code == 201
    response = upload(client, cast.letter(Status.DRAFT), "b.pdf", half)  # another letter, the same startup
    assert response.status_code == 400
    assert "1 MB" in response.data["file"][0]
    assert Attachment.objects.count() == 1


# --- throttles ------------------------------------------------------------------------------------


def test_drafts_past_their_rate_are_429(cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "drafts": "2/hour"},
    }
    client = client_for(cast.founder)
    assert [client.post(URL, draft(cast), format="json").status_code for _ in range(3)] == [201, 201, 429]
    assert client.get(URL).status_code == 200  # reads are not counted
    assert Letter.objects.count() == 2


def test_uploads_past_their_rate_are_429(cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "uploads": "2/hour"},
    }
    letter = cast.letter(Status.DRAFT)
    client = client_for(cast.founder)
    assert [upload(client, letter, "a.pdf", PDF).status_code for _ in range(3)] == [201, 201, 429]
    assert client.get(f"{URL}{letter.pk}/attachments/").status_code == 200
