"""Uploaded images and files: checked, and images re-encoded before anything is stored.

An image is opened with Pillow (so its real type counts, not its name), refused when it
is too large in bytes or pixels, turned upright, stripped of its metadata (EXIF can hold
where and when a photo was taken) by re-encoding it as JPEG, and given a thumbnail.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_BYTES = getattr(settings, "MESSAGING_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
MAX_PIXELS = 40_000_000
FULL_SIZE = 1600
THUMBNAIL_SIZE = 480
MAX_FILE_BYTES = getattr(settings, "MESSAGING_MAX_FILE_BYTES", 10 * 1024 * 1024)
# Files families can open safely; no executables, no office macros.
ACCEPTED_FILES = {
    "pdf": "application/pdf",
    "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_MAGIC = {
    "pdf": b"%PDF",
    "docx": b"PK",
    "xlsx": b"PK",
    "odt": b"PK",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}
# Attached images are shown in the browser: their header must be readable and their
# size sane, or one small file could make every reader's browser decode gigapixels.
_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


@dataclass
class ProcessedImage:
    full: ContentFile
    thumbnail: ContentFile


def _encode(image: Image.Image, size: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="image.jpg")


def process_image(upload) -> ProcessedImage:
    """Check and re-encode an uploaded image. Raises ValidationError with the reason."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large. The largest image is %(size)d MB.")
            % {"size": MAX_IMAGE_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind not in ACCEPTED_FORMATS:
            raise ValidationError(_("Choose a JPEG, PNG, WebP or GIF image."))
        if width * height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError(_("The file is not an image we can read.")) from exc
    return ProcessedImage(
        full=_encode(upright, FULL_SIZE), thumbnail=_encode(upright, THUMBNAIL_SIZE)
    )


def check_file(upload) -> tuple[str, str]:
    """Check an attachment: returns (a safe display name, its content type)."""
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "fil"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED_FILES:
        raise ValidationError(
            _("Files of this type cannot be attached. Use PDF, Word, Excel, text or images.")
        )
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large. The largest file is %(size)d MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    magic = _MAGIC.get(extension)
    if magic:
        upload.seek(0)
        head = upload.read(len(magic))
        upload.seek(0)
        if head != magic:
            raise ValidationError(_("The file's content does not match its name."))
    if extension in _IMAGE_FORMATS:
        try:
            upload.seek(0)
            with Image.open(upload) as probe:
                kind = probe.format
                width, height = probe.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ValidationError(_("The file is not an image we can read.")) from exc
        finally:
            upload.seek(0)
        if kind != _IMAGE_FORMATS[extension]:
            raise ValidationError(_("The file's content does not match its name."))
        if width * height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
    return name, ACCEPTED_FILES[extension]
