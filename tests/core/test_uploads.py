"""Attachments that could run when opened are refused; what is kept is named by its type; an
upload is written no further than the limit."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services.drafts import ALLOWED_ATTACHMENT_TYPES
from core.exceptions import InvalidInput
from core.uploads import LimitedUploadHandler, download_name, inspect_upload
from tests.applications.test_services import PDF, docx_bytes, odt_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def inspect(content: bytes, name="upload"):
    return inspect_upload(SimpleUploadedFile(name, content), allowed=ALLOWED_ATTACHMENT_TYPES)


def refused(content: bytes, name="upload") -> str:
    with pytest.raises(InvalidInput) as refusal:
        inspect(content, name)
    assert refusal.value.field == "file"
    return str(refusal.value.message)


def with_entries(base: bytes, entries: dict, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf(*objects: bytes) -> bytes:
    return b"%PDF-1.7\n" + b"\n".join(objects) + b"\ntrailer<<>>\n%%EOF\n"


# --- the type decides the name -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("report.hta", "application/pdf", "report.pdf"),
        ("report.PDF", "application/pdf", "report.PDF"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("C:\\Users\\me\\plan.exe", DOCX, "plan.docx"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("evil\r\n.pdf", "application/pdf", "evil.pdf"),
        (".hta", "application/pdf", "document.pdf"),
        ("", "image/png", "document.png"),
        ("x" * 300 + ".hta", "application/pdf", "x" * 196 + ".pdf"),
    ],
)
def test_download_name_ends_in_the_detected_types_extension(name, content_type, expected):
    assert download_name(name, content_type) == expected


def test_inspect_upload_names_a_pdf_called_hta_pdf():
    inspected = inspect(PDF, "invoice.hta")
    assert (inspected.extension, inspected.content_type, inspected.name) == (
        "pdf",
        "application/pdf",
        "invoice.pdf",
    )


# --- macros --------------------------------------------------------------------------------------


def test_inspect_upload_refuses_a_docx_with_a_vba_project():
    message = refused(
        with_entries(docx_bytes(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "plan.docx"
    )
    assert "macros" in message


def test_inspect_upload_refuses_a_docm_whatever_its_parts_are_called():
    types = (
        '<Types><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "macros" in refused(buffer.getvalue(), "plan.docx")


def test_inspect_upload_refuses_an_odt_with_basic_macros():
    content = with_entries(odt_bytes(), {"Basic/Standard/Module1.xml": "<script:module/>"})
    assert "macros" in refused(content, "plan.odt")


def test_inspect_upload_accepts_a_plain_docx_and_odt():
    assert inspect(docx_bytes()).content_type == DOCX
    assert inspect(odt_bytes()).extension == "odt"


# --- PDFs that act -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "objects",
    [
        [
            b"1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj",
            b"2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        ],
        [b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj"],
        [b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 2 0 R>>>>endobj"],
        [b"1 0 obj<</Type/Filespec/EF<</F 2 0 R>>>>endobj", b"2 0 obj<</Type/EmbeddedFile>>endobj"],
        # The name written with escapes is the same name.
        [b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj"],
    ],
)
def test_inspect_upload_refuses_a_pdf_that_runs_or_hides_something(objects):
    assert "scripts" in refused(pdf(*objects), "plan.pdf")


def test_inspect_upload_refuses_a_pdf_with_javascript_inside_a_compressed_object_stream():
    hidden = zlib.compress(b"2 0 <</S/JavaScript/JS(app.launchURL('http://x'))>>")
    stream = b"3 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(hidden)
    content = pdf(b"1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj", stream + hidden + b"\nendstream endobj")
    assert "scripts" in refused(content, "plan.pdf")


def test_inspect_upload_accepts_a_pdf_whose_image_data_happens_to_spell_a_name():
    """Binary stream data is not read as names: `/JS` in an image is no script."""
    data = b"\x00\x01/JS /Launch\x02\x03" * 10
    content = pdf(
        b"1 0 obj<</Type/XObject/Subtype/Image/Length %d>>stream\n" % len(data) + data + b"\nendstream endobj"
    )
    assert inspect(content).extension == "pdf"


# --- archives that expand ----------------------------------------------------------------------


def test_inspect_upload_refuses_a_zip_bomb():
    content = with_entries(
        docx_bytes(), {"word/media/zeros.bin": b"\x00" * (5 * 1024 * 1024)}, zipfile.ZIP_DEFLATED
    )
    assert len(content) < 100 * 1024
    assert "unpacks" in refused(content, "plan.docx")


def test_inspect_upload_refuses_an_archive_that_lies_about_its_sizes():
    """The sizes in the central directory say little; what the entries really unpack to counts."""
    content = with_entries(
        docx_bytes(), {"word/media/zeros.bin": b"\x00" * (5 * 1024 * 1024)}, zipfile.ZIP_DEFLATED
    )
    lying = bytearray(content)
    # Rewrite the declared uncompressed size of the last entry (central directory) to 1 byte.
    central = lying.rfind(b"PK\x01\x02")
    lying[central + 24 : central + 28] = (1).to_bytes(4, "little")
    message = refused(bytes(lying), "plan.docx")
    assert "unpacks" in message or "damaged" in message


# --- the storage quota -------------------------------------------------------------------------


def test_inspect_upload_refuses_what_would_exceed_the_startups_quota(settings):
    settings.STARTUP_STORAGE_QUOTA_MB = 1
    file = SimpleUploadedFile("plan.pdf", PDF)
    with pytest.raises(InvalidInput, match="1 MB"):
        inspect_upload(file, allowed=ALLOWED_ATTACHMENT_TYPES, used_bytes=1024 * 1024 - len(PDF) + 1)
    assert (
        inspect_upload(file, allowed=ALLOWED_ATTACHMENT_TYPES, used_bytes=1024 * 1024 - len(PDF)).extension
        == "pdf"
    )


# --- the upload handler ------------------------------------------------------------------------


def test_upload_handler_writes_no_more_than_the_limit_but_reports_the_real_size(settings):
    settings.ATTACHMENT_MAX_MB = 1
    handler = LimitedUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", None)
    chunk = b"x" * (64 * 1024)
    for start in range(0, 3 * 1024 * 1024, len(chunk)):
        assert handler.receive_data_chunk(chunk, start) is None
    uploaded = handler.file_complete(3 * 1024 * 1024)
    try:
        assert uploaded.size == 3 * 1024 * 1024
        with open(uploaded.temporary_file_path(), "rb") as written:
            assert len(written.read()) == 1024 * 1024 + 1
    finally:
        uploaded.close()
