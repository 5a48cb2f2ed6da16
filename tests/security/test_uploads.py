"""Uploads, for every place the portal takes a file: oversized files, the wrong type
behind a right extension, SVG with script, and images that decompress to huge sizes are
refused with a clear message in Danish. Every app checks its files with the one checker in
core.uploads; each way it is called is tried here."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core.uploads import AUDIO, DOCUMENT, IMAGE, TEXT, check_upload, check_uploads
from grants.models import RECEIPT_TYPES
from messaging.services.posts import ATTACHMENT_KINDS

# Every way the apps call the checker, by what it accepts.
IMAGE_CHECKS = {
    "photo": lambda f: check_upload(f, accept=(IMAGE,)),
    "photo-or-document": lambda f: check_upload(f),
    "several-photos-or-documents": lambda f: check_uploads([f]),
    "receipt": lambda f: check_upload(f, accept=RECEIPT_TYPES),
}
FILE_CHECKS = {
    "document": lambda f: check_upload(f, accept=(DOCUMENT,)),
    "attachment": lambda f: check_upload(f, accept=ATTACHMENT_KINDS),
    "text": lambda f: check_upload(f, accept=(TEXT, DOCUMENT)),
    "recording": lambda f: check_upload(f, accept=(AUDIO,)),
}
ALL_CHECKS = {**IMAGE_CHECKS, **FILE_CHECKS}
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def bomb() -> bytes:
    """A real, small PNG whose header says 50 000 × 50 000 pixels (2.5 gigapixels)."""
    data = bytearray(png())
    ihdr = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def refusal(check, upload) -> str:
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        check(upload)
    with translation.override("en"):
        english = " ".join(caught.value.messages)
    danish = " ".join(caught.value.messages)
    assert danish.strip(), "refused without a message"
    return danish + " | " + english


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("name", sorted(ALL_CHECKS))
def test_an_oversized_file_is_refused(name):
    big = upload(
        "fil.pdf" if name in FILE_CHECKS else "fil.png",
        b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
        "application/pdf",
    )
    message = refusal(ALL_CHECKS[name], big)
    assert "MB" in message, message


@pytest.mark.parametrize("name", sorted(IMAGE_CHECKS))
def test_a_program_named_like_a_photo_is_refused(name):
    refusal(IMAGE_CHECKS[name], upload("ferie.jpg", EXECUTABLE, "image/jpeg"))


@pytest.mark.parametrize("name", sorted(FILE_CHECKS))
def test_a_program_named_like_a_document_is_refused(name):
    refusal(FILE_CHECKS[name], upload("referat.pdf", EXECUTABLE, "application/pdf"))


@pytest.mark.parametrize("name", sorted(FILE_CHECKS))
@pytest.mark.parametrize("filename", ["ferie.jpg", "ferie.jpeg", "ferie.png"])
def test_a_program_named_like_a_photo_is_refused_as_an_attachment(name, filename):
    refusal(FILE_CHECKS[name], upload(filename, EXECUTABLE, "image/jpeg"))


@pytest.mark.parametrize("name", sorted(FILE_CHECKS))
def test_an_attached_image_that_decompresses_to_gigapixels_is_refused(name):
    """Attached images are shown in the readers' browsers, which would decode them."""
    refusal(FILE_CHECKS[name], upload("bombe.png", bomb(), "image/png"))


def test_a_real_small_photo_is_accepted_as_an_attachment():
    checked = check_upload(upload("sol.png", png(), "image/png"), accept=ATTACHMENT_KINDS)
    assert (checked.name, checked.content_type) == ("sol.jpg", "image/jpeg")


@pytest.mark.parametrize("name", sorted(ALL_CHECKS))
@pytest.mark.parametrize("filename", ["tegning.svg", "tegning.png"])
def test_an_svg_with_script_is_refused(name, filename):
    refusal(ALL_CHECKS[name], upload(filename, SVG, "image/svg+xml"))


@pytest.mark.parametrize("name", sorted(IMAGE_CHECKS))
def test_an_image_that_decompresses_to_gigapixels_is_refused(name):
    refusal(IMAGE_CHECKS[name], upload("bombe.png", bomb(), "image/png"))


@pytest.mark.parametrize("name", sorted(IMAGE_CHECKS))
def test_a_real_small_photo_is_accepted(name):
    """The checks above fail for the right reason: a good photo passes the same door."""
    IMAGE_CHECKS[name](upload("sol.png", png(), "image/png"))


def test_a_file_name_loses_its_direction_controls_and_its_folders():
    """Django's form parser drops them from names sent by a browser; the checker drops them
    too, whatever hands it the file."""
    disguised = upload("..\\mappe/faktura\u202efdp.exe\u2069\u200f.pdf", b"%PDF-1.4\n")

    assert check_upload(disguised).name == "fakturafdp.exe.pdf"
