"""Validated uploads: photos and files shared with colleagues or kept with a meeting.

A photo is opened with Pillow and saved again as JPEG or PNG: what is stored is a real
image, at most 2400 pixels on its longest side, without the camera's metadata (place,
time, device). A file must be a PDF or an Office document, recognised by its content,
not only by its name.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 8
MAX_SIDE = 2400
MAX_PIXELS = 40_000_000
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The part every Office Open XML file of that kind contains.
OFFICE_PARTS = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


@dataclass
class CleanUpload:
    kind: str  # "image" or "document"
    name: str
    content: ContentFile
    content_type: str

    @property
    def size(self) -> int:
        return self.content.size


def _safe_name(name: str) -> str:
    base = Path(name).name.strip() or "fil"
    return base[-150:]


def _image(upload, name: str) -> CleanUpload:
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("%(name)s is not an image we can read. Use JPEG or PNG.") % {"name": name}
        ) from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    keeps_alpha = image.mode in ("RGBA", "LA", "P")
    out = io.BytesIO()
    stem = Path(name).stem or "billede"
    if keeps_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        name, content_type = f"{stem}.png", "image/png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        name, content_type = f"{stem}.jpg", "image/jpeg"
    return CleanUpload("image", name, ContentFile(out.getvalue(), name=name), content_type)


def _document(upload, name: str, extension: str) -> CleanUpload:
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        valid = head.startswith(b"%PDF-")
    else:
        valid = head.startswith(b"PK\x03\x04")
        if valid:
            try:
                with zipfile.ZipFile(upload) as archive:
                    valid = any(n.startswith(OFFICE_PARTS[extension]) for n in archive.namelist())
            except zipfile.BadZipFile:
                valid = False
            upload.seek(0)
    if not valid:
        raise ValidationError(_("%(name)s is not the kind of file its name says.") % {"name": name})
    content = ContentFile(upload.read(), name=name)
    return CleanUpload("document", name, content, DOCUMENT_TYPES[extension])


def clean_upload(upload, *, images: bool = True) -> CleanUpload:
    """Check one uploaded file and return what to store, or raise ValidationError."""
    name = _safe_name(upload.name or "")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large. A file can be at most %(size)d MB.")
            % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    extension = Path(name).suffix.lower()
    if images and extension in IMAGE_EXTENSIONS:
        return _image(upload, name)
    if extension in DOCUMENT_TYPES:
        return _document(upload, name, extension)
    if images:
        message = _(
            "%(name)s: choose a photo (JPEG, PNG) or a PDF, Word, PowerPoint or Excel file."
        )
    else:
        message = _("%(name)s: choose a PDF, Word, PowerPoint or Excel file.")
    raise ValidationError(message % {"name": name})


def clean_uploads(uploads: list, *, images: bool = True) -> list[CleanUpload]:
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("Attach at most %(count)d files at a time.") % {"count": MAX_FILES})
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_upload(upload, images=images))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
