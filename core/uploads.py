"""Uploaded files: received within a limit, recognised by their content, refused when they
could run something on the computer that opens them.

- `LimitedUploadHandler` (FILE_UPLOAD_HANDLERS) keeps at most ATTACHMENT_MAX_MB (and a byte)
  of each uploaded file, on disk, and counts the rest without keeping it; a request body
  larger than UPLOAD_REQUEST_MAX_BYTES is refused before it is read.
- `inspect_upload` decides what a file is: its type from its content (never from its name),
  the name it is downloaded under (the uploader's, with the detected type's extension), and
  refuses the empty and the too large, what would exceed the startup's storage quota,
  macro-enabled office documents, PDFs that carry scripts, launch actions or embedded files,
  and archives that expand far beyond their size (zip bombs).
"""
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext as _

from .exceptions import InvalidInput
from .parsers import MB, upload_request_max_bytes

# The extensions a detected type is downloaded under; the first is the one given.
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
}
# Office documents are zip archives; what they unpack to is bounded.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED = 100 * MB
ZIP_MAX_RATIO = 100
# PDF names of what runs or hides something: scripts, launched programs, embedded files.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%{}]|$)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# Inside an archive: Word's and Excel's macros (vbaProject.bin), OpenDocument's (Basic/,
# Scripts/), ActiveX controls.
_MACRO_ENTRY = re.compile(r"(^|/)vbaproject\.bin$|^basic/|^scripts/|(^|/)activex/", re.I)


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Each uploaded file reaches the form or serializer with its real size, but no more than
    the limit (and one byte, so it is seen to be too large) is ever written: the service
    refuses it with a message, and a huge upload never fills the disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > upload_request_max_bytes():
            raise RequestDataTooBig("The request body is larger than UPLOAD_REQUEST_MAX_BYTES.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        room = settings.ATTACHMENT_MAX_MB * MB + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = self.received
        return self.file


@dataclass(frozen=True)
class Inspected:
    extension: str
    content_type: str
    name: str  # the name to show and download it under


def inspect_upload(file, *, allowed: dict[str, str], used_bytes: int = 0) -> Inspected:
    """What `file` is, if it is one of `allowed` (filetype's extension -> the MIME type stored)
    and safe to hand to whoever opens it; else InvalidInput (field "file").

    `used_bytes` is what its owner's files already take (STARTUP_STORAGE_QUOTA_MB)."""
    if file is None:
        raise InvalidInput(_("No file was submitted."), field="file")
    size = file.size
    if not size:
        raise InvalidInput(_("The submitted file is empty."), field="file")
    if size > settings.ATTACHMENT_MAX_MB * MB:
        raise InvalidInput(
            _("The file is larger than %(max)d MB.") % {"max": settings.ATTACHMENT_MAX_MB}, field="file"
        )
    if used_bytes + size > settings.STARTUP_STORAGE_QUOTA_MB * MB:
        raise InvalidInput(
            _("The startup's documents would take more than its %(quota)d MB; remove some first.")
            % {"quota": settings.STARTUP_STORAGE_QUOTA_MB},
            field="file",
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    kind = filetype.guess(content[:8192])
    if kind is None or kind.extension not in allowed:
        raise InvalidInput(
            _("Only PDF, PNG, JPEG, ODT and DOCX documents can be attached; this file is none of them."),
            field="file",
        )
    if kind.extension == "pdf" and _pdf_is_active(content):
        raise InvalidInput(
            _("PDFs with scripts, launch actions or embedded files cannot be attached; print it to a plain PDF."),
            field="file",
        )
    if content.startswith(b"PK"):
        _check_archive(file)
    content_type = allowed[kind.extension]
    return Inspected(kind.extension, content_type, download_name(getattr(file, "name", "") or "", content_type))


def download_name(name: str, content_type: str) -> str:
    """The uploader's file name without folders or control characters, ending in an extension
    of the type the content was recognised as: a PDF named `x.hta` is downloaded as `x.pdf`."""
    extensions = EXTENSIONS.get(content_type, ("bin",))
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if extension.lower() not in extensions:
        extension = extensions[0]
    stem = stem.strip(" .")[: 200 - len(extension) - 1] or "document"
    return f"{stem}.{extension}"


def _pdf_is_active(content: bytes) -> bool:
    """Whether a PDF names an active feature: in its objects (streams' contents left out:
    binary data matches anything) or in its compressed object streams, names unescaped
    (`/J#61vaScript` is `/JavaScript`)."""
    budget = [ZIP_MAX_UNPACKED]
    layers = [_PDF_STREAM.sub(b"stream endstream", content)]
    for match in _PDF_STREAM.finditer(content):
        header = content[content.rfind(b"obj", 0, match.start()) : match.start()]
        header = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), header)
        if b"/ObjStm" in header and b"/FlateDecode" in header:
            layers.append(_inflate(match.group(1), budget))
    return any(
        _PDF_ACTIVE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), layer)) for layer in layers
    )


def _inflate(data: bytes, budget: list) -> bytes:
    """A Flate stream's content, no longer than what is left of the budget."""
    try:
        out = zlib.decompressobj().decompress(data, max(budget[0], 1))
    except zlib.error:
        return b""
    budget[0] -= len(out)
    return out


def _check_archive(file) -> None:
    refuse_bomb = InvalidInput(_("The document unpacks to far more than its size; it cannot be attached."), field="file")
    try:
        archive = zipfile.ZipFile(file)
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise InvalidInput(_("The document is damaged."), field="file") from None
    try:
        if any(_MACRO_ENTRY.search(entry.filename) for entry in entries) or _declares_macros(archive):
            raise InvalidInput(_("Documents with macros cannot be attached; save it without them."), field="file")
        if len(entries) > ZIP_MAX_ENTRIES:
            raise refuse_bomb
        limit = min(ZIP_MAX_UNPACKED, ZIP_MAX_RATIO * file.size)
        if sum(entry.file_size for entry in entries) > limit:
            raise refuse_bomb
        # The sizes an archive declares may lie: what it really unpacks to is counted, up to the limit.
        unpacked = 0
        for entry in entries:
            with archive.open(entry) as member:
                while chunk := member.read(MB):
                    unpacked += len(chunk)
                    if unpacked > limit:
                        raise refuse_bomb
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, zlib.error):
        raise InvalidInput(_("The document is damaged."), field="file") from None
    finally:
        file.seek(0)


def _declares_macros(archive: zipfile.ZipFile) -> bool:
    """Office Open XML names macro-enabled parts in [Content_Types].xml (`macroEnabled`,
    `vbaProject`), whatever the parts are called."""
    try:
        with archive.open("[Content_Types].xml") as member:
            types = member.read(MB).lower()
    except KeyError:
        return False
    return b"macroenabled" in types or b"vbaproject" in types
