"""Every uploaded file passes here: one checker, one set of limits, one re-encoder.

A file is recognised by its first bytes, not by its name, and its name must then agree
with what it is (a PDF called "foto.jpg" is refused: a browser or a phone would open it
as something it is not). Pictures are opened with Pillow within a pixel limit, turned
upright and saved again without any metadata, so a photo taken in a daycare carries no
GPS position, time, camera owner, XMP or ICC comments into the portal. Stored files get
random names (`random_name`): the name says nothing and cannot be guessed.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from .text import strip_bidi_controls

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 8
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
MAX_NAME = 150
# 32 random bytes: 256 bits, far beyond guessing.
NAME_TOKEN_BYTES = 32

IMAGE = "image"
DOCUMENT = "document"
TEXT = "text"
AUDIO = "audio"


@dataclass(frozen=True)
class FileType:
    kind: str
    extensions: tuple[str, ...]
    content_type: str


TYPES = {
    "jpeg": FileType(IMAGE, (".jpg", ".jpeg"), "image/jpeg"),
    "png": FileType(IMAGE, (".png",), "image/png"),
    "webp": FileType(IMAGE, (".webp",), "image/webp"),
    "gif": FileType(IMAGE, (".gif",), "image/gif"),
    "pdf": FileType(DOCUMENT, (".pdf",), "application/pdf"),
    "docx": FileType(
        DOCUMENT,
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": FileType(
        DOCUMENT, (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "pptx": FileType(
        DOCUMENT,
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": FileType(DOCUMENT, (".odt",), "application/vnd.oasis.opendocument.text"),
    "ods": FileType(DOCUMENT, (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": FileType(DOCUMENT, (".odp",), "application/vnd.oasis.opendocument.presentation"),
    "txt": FileType(TEXT, (".txt",), "text/plain"),
    "wav": FileType(AUDIO, (".wav",), "audio/wav"),
    "mp3": FileType(AUDIO, (".mp3",), "audio/mpeg"),
    "ogg": FileType(AUDIO, (".ogg", ".oga", ".opus"), "audio/ogg"),
    "m4a": FileType(AUDIO, (".m4a",), "audio/mp4"),
    "webm": FileType(AUDIO, (".webm",), "audio/webm"),
}
IMAGE_EXTENSIONS = frozenset(e for t in TYPES.values() if t.kind == IMAGE for e in t.extensions)
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
# The part a real Office Open XML file of each kind contains.
_OFFICE_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


@dataclass(frozen=True)
class Upload:
    """A checked file: what to store (`content`), and the name to show and download."""

    kind: str
    name: str
    content: ContentFile
    content_type: str

    @property
    def size(self) -> int:
        return self.content.size


def random_name(prefix: str, filename: str) -> str:
    """A storage name under `prefix` that cannot be guessed; only the extension is kept."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 8:
        suffix = ""
    return f"{prefix.strip('/')}/{secrets.token_urlsafe(NAME_TOKEN_BYTES)}{suffix}"


def clean_name(name: str) -> str:
    """The file's own name without folders, control characters or direction controls."""
    base = PurePosixPath(strip_bidi_controls(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    if len(base) > MAX_NAME:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: MAX_NAME - len(suffix)] + suffix
    return base or "fil"


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for part, kind in _OFFICE_PARTS.items():
                    if any(n.startswith(part) for n in names):
                        return kind
            if "mimetype" in names:
                return _OPEN_DOCUMENT.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\r\n\f\ufeff" for ch in text)


def sniff(data: bytes, *, suffix: str = "") -> str | None:
    """What the bytes are (a key of TYPES), or None. Text has no signature: it counts
    only for a .txt name and when it is printable UTF-8."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if suffix == ".txt" and _is_plain_text(data):
        return "txt"
    return None


def _extensions(accept: Collection[str]) -> set[str]:
    return {
        e for key, t in TYPES.items() if t.kind in accept or key in accept for e in t.extensions
    }


def _accepted_text(accept: Collection[str]) -> str:
    parts = []
    if IMAGE in accept:
        parts.append(_("photos (JPEG, PNG, WebP, GIF)"))
    if DOCUMENT in accept:
        parts.append(_("PDF, Word, Excel, PowerPoint or OpenDocument files"))
    if TEXT in accept:
        parts.append(_("text files (.txt)"))
    if AUDIO in accept:
        parts.append(_("sound files (WAV, MP3, OGG, M4A, WebM)"))
    parts.extend(key.upper() for key in accept if key in TYPES)
    return _(" or ").join(parts)


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _encode(image, *, max_side: int) -> tuple[bytes, str]:
    """`image` saved again, at most `max_side` pixels on its longest side, with no metadata:
    as PNG when it has transparency, otherwise as JPEG."""
    copy = image.copy()
    copy.thumbnail((max_side, max_side))
    alpha = _has_alpha(copy)
    copy = copy.convert("RGBA" if alpha else "RGB")
    copy.info = {}
    out = io.BytesIO()
    if alpha:
        copy.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpeg"


def _open_image(data: bytes, key: str, name: str):
    """The picture, upright and loaded, refused before decoding when it has too many pixels."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    unreadable = _("%(name)s: the picture cannot be read. Save it again as JPEG or PNG.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != _PILLOW_FORMATS[key]:
                raise ValidationError(unreadable % {"name": name})
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s: the picture has too many pixels. Make it smaller first.")
                    % {"name": name}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(unreadable % {"name": name}) from error


def check_upload(
    upload, *, accept: Collection[str] = (IMAGE, DOCUMENT), max_bytes: int = MAX_BYTES
) -> Upload:
    """Check one uploaded file and return what to store, or raise ValidationError.

    `accept` names the kinds the field takes (IMAGE, DOCUMENT, TEXT, AUDIO) or single
    types (keys of TYPES, e.g. "pdf"); `max_bytes` may only be lower than the shared
    MAX_BYTES. Pictures come back re-encoded."""
    name = clean_name(getattr(upload, "name", "") or "")
    limit = min(max_bytes, MAX_BYTES)
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise ValidationError(
            _("%(name)s is too large. A file can be at most %(size)s MB.")
            % {"name": name, "size": f"{limit / (1024 * 1024):g}"}
        )
    data = _read_all(upload)
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if len(data) > limit:
        raise ValidationError(
            _("%(name)s is too large. A file can be at most %(size)s MB.")
            % {"name": name, "size": f"{limit / (1024 * 1024):g}"}
        )
    suffix = PurePosixPath(name).suffix.lower()
    key = sniff(data, suffix=suffix)
    found = TYPES.get(key) if key else None
    mismatch = ValidationError(
        _(
            "%(name)s: the file's content does not match its name. Save it again in the "
            "right format and choose it once more."
        )
        % {"name": name}
    )
    if found is None or (found.kind not in accept and key not in accept):
        if found is None and suffix in _extensions(accept):
            raise mismatch
        raise ValidationError(
            _("%(name)s cannot be used here. Choose %(accepted)s.")
            % {"name": name, "accepted": _accepted_text(accept)}
        )
    # A picture is re-encoded and renamed, so a PNG called .jpg may pass; nothing else may
    # go under another type's name.
    image_named = found.kind == IMAGE and suffix in IMAGE_EXTENSIONS
    if suffix not in found.extensions and not image_named:
        raise mismatch
    if found.kind != IMAGE:
        return Upload(found.kind, name, ContentFile(data, name=name), found.content_type)
    image = _open_image(data, key, name)
    try:
        encoded, out_key = _encode(image, max_side=MAX_SIDE)
    finally:
        image.close()
    out = TYPES[out_key]
    stem = PurePosixPath(name).stem or "billede"
    name = f"{stem}{out.extensions[0]}"
    return Upload(IMAGE, name, ContentFile(encoded, name=name), out.content_type)


def check_uploads(
    uploads: Sequence, *, accept: Collection[str] = (IMAGE, DOCUMENT), max_files: int = MAX_FILES
) -> list[Upload]:
    """Several files at once: every problem is named, and all or none are accepted."""
    if len(uploads) > max_files:
        raise ValidationError(_("Attach at most %(count)d files at a time.") % {"count": max_files})
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(check_upload(upload, accept=accept))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def resized(upload: Upload, max_side: int) -> ContentFile:
    """A smaller copy of a checked picture (e.g. a thumbnail), also without metadata."""
    from PIL import Image

    upload.content.seek(0)
    data = upload.content.read()
    upload.content.seek(0)
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        encoded, key = _encode(image, max_side=max_side)
    return ContentFile(encoded, name=f"billede{TYPES[key].extensions[0]}")
