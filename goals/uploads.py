"""Checks for uploaded evidence and evaluation documents.

A file is accepted by what it is, not by what it is called: the first bytes must match
the type its name claims. Photos are opened with Pillow and saved again without their
metadata, so a photo taken in the daycare does not carry its GPS position or camera
owner into the portal.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int


DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
PHOTO_TYPES = {
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".png": ("PNG", "image/png"),
    ".webp": ("WEBP", "image/webp"),
}
OOXML = {".docx", ".xlsx", ".pptx"}
ODF = {".odt", ".ods", ".odp"}


def _suffix(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower()


def _clean_name(name: str) -> str:
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    return base[-200:] or "fil"


def _head(upload, count: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head


def _check_size(upload) -> None:
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large. The largest file is %(size)d MB.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )


def _is_office_archive(upload, suffix: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if suffix in OOXML:
                return "[Content_Types].xml" in names
            if suffix in ODF and "mimetype" in names:
                expected = DOCUMENT_TYPES[suffix].encode()
                return archive.read("mimetype").strip() == expected
            return False
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        upload.seek(0)


def check_document(upload) -> Checked:
    """A PDF, Word, Excel, PowerPoint or OpenDocument file whose content matches its name."""
    _check_size(upload)
    suffix = _suffix(upload.name)
    if suffix not in DOCUMENT_TYPES:
        if suffix in PHOTO_TYPES:
            raise ValidationError(_("Add a picture as a photo, not as a file."))
        raise ValidationError(
            _(
                "Choose a PDF, Word, Excel, PowerPoint or OpenDocument file (.pdf, .docx, "
                ".xlsx, .pptx, .odt, .ods, .odp)."
            )
        )
    head = _head(upload, 8)
    matches = (
        head.startswith(b"%PDF-")
        if suffix == ".pdf"
        else (head.startswith(b"PK\x03\x04") and _is_office_archive(upload, suffix))
    )
    if not matches:
        raise ValidationError(
            _(
                "The file's content does not match its name (%(suffix)s). Save it again and "
                "choose it once more."
            )
            % {"suffix": suffix}
        )
    return Checked(_clean_name(upload.name), DOCUMENT_TYPES[suffix], upload.size)


def _open_image(upload, expected_format: str):
    """The picture, opened from a copy of its bytes (Pillow may close what it reads)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != expected_format:
                raise ValidationError(_("The picture's content does not match its name."))
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The picture has too many pixels. Make it smaller first."))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The picture cannot be read. Choose a JPEG, PNG or WebP picture.")
        ) from None


def check_photo(upload) -> Checked:
    """A JPEG, PNG or WebP picture that Pillow can read."""
    _check_size(upload)
    suffix = _suffix(upload.name)
    if suffix not in PHOTO_TYPES:
        raise ValidationError(_("Choose a JPEG, PNG or WebP picture."))
    image_format, content_type = PHOTO_TYPES[suffix]
    _open_image(upload, image_format).close()
    return Checked(_clean_name(upload.name), content_type, upload.size)


def photo_without_metadata(upload) -> tuple[ContentFile, Checked]:
    """The picture saved again without EXIF and other metadata (turned upright first)."""
    from PIL import ImageOps

    checked = check_photo(upload)
    image_format, content_type = PHOTO_TYPES[_suffix(upload.name)]
    image = _open_image(upload, image_format)
    try:
        upright = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = upright.copy()
        clean.info = {}
        buffer = io.BytesIO()
        options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        clean.save(buffer, format=image_format, **options)
    finally:
        image.close()
    data = buffer.getvalue()
    return ContentFile(data, name=checked.name), Checked(checked.name, content_type, len(data))
