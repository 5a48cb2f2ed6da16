"""Danish speech for the questions, made by the portal with the espeak-ng synthesiser.

Audio is stored content-addressed (the hash of voice, speed and text), so the default
questions of every municipality share one file each, and a question edited back to an
earlier wording reuses the file it had. Where espeak-ng is not installed,
`SpeechUnavailable` says so in words a municipal administrator can act on; the portal
keeps working (the adult reads the question aloud, or a recording is uploaded).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

VOICE = "da"
# Words per minute: slower than espeak's default 175, for children of four to six.
SPEED = 135
TIMEOUT_SECONDS = 30


class SpeechUnavailable(Exception):
    """Speech could not be made; the message is for the person who edits questions."""


def binary() -> str | None:
    return shutil.which(getattr(settings, "WELLBEING_ESPEAK", "espeak-ng"))


def is_available() -> bool:
    return binary() is not None


def audio_name(text: str) -> str:
    digest = hashlib.sha256(f"{VOICE}|{SPEED}|{text}".encode()).hexdigest()[:32]
    return f"wellbeing/speech/{digest}.wav"


def synthesize(text: str) -> bytes:
    """WAV audio of `text` spoken in Danish."""
    program = binary()
    if program is None:
        raise SpeechUnavailable(
            _(
                "The speech synthesiser (espeak-ng) is not installed on the server, so the "
                "question has no sound. Upload a recording, or ask the operators to install "
                "espeak-ng."
            )
        )
    try:
        # The text is one argument after "--stdout", never parsed by a shell.
        result = subprocess.run(  # noqa: S603
            [program, "-v", VOICE, "-s", str(SPEED), "--stdout", text],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        message = _("The speech synthesiser failed: %(error)s") % {"error": error}
        raise SpeechUnavailable(message) from error
    if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
        detail = result.stderr.decode(errors="replace").strip()[:200]
        raise SpeechUnavailable(_("The speech synthesiser failed: %(error)s") % {"error": detail})
    return result.stdout


def ensure_audio(text: str) -> str:
    """The storage name of the spoken `text`, made now unless it already exists."""
    name = audio_name(text)
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(synthesize(text)))
        if stored != name:
            # Another worker made the same file meanwhile; keep one.
            default_storage.delete(stored)
    return name
