"""The municipality's letterhead and complaint guidance, printed on its decision letters.

A decision to a citizen or a daycare must say how to complain (forvaltningsloven § 25):
to whom, within what time and how. Each municipality edits the guidance; until it does,
the portal's default below is printed, which names the municipality and follows the law
the decision is made under. The letters (grants/letters.py, admissions/letters.py) take
`letterhead_context(municipality, kind=...)` and extend templates/pdf/letter.html.

The texts are plain: paragraphs are separated by a blank line, nothing is read as HTML.
"""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.audit import audit
from core.uploads import Upload, resized

from .models import Letterhead, Municipality

# The decisions that carry a complaint guidance, and the field that holds each one's text.
GRANTS = "grants"
PLACES = "places"
COMPLAINT_FIELDS = {GRANTS: "grants_complaints", PLACES: "places_complaints"}
_DEFAULTS = {
    GRANTS: "institutions/letters/complaints_grants.txt",
    PLACES: "institutions/letters/complaints_places.txt",
}
CONTACT_FIELDS = ("department", "address", "phone", "email")
# Printed at most about 60 mm wide: 800 pixels is sharp at print resolution.
LOGO_SIDE = 800


def default_complaints(municipality: Municipality, kind: str) -> str:
    """The portal's default guidance for `kind`, in the active language."""
    return render_to_string(_DEFAULTS[kind], {"name": municipality.name}).strip()


def letterhead_for(municipality: Municipality) -> Letterhead:
    """The municipality's letterhead; an empty, unsaved one until it has written one."""
    return Letterhead.objects.filter(municipality=municipality).first() or Letterhead(
        municipality=municipality
    )


def complaints_for(letterhead: Letterhead, kind: str) -> str:
    text = getattr(letterhead, COMPLAINT_FIELDS[kind])
    return text or default_complaints(letterhead.municipality, kind)


def logo_src(letterhead: Letterhead) -> str:
    """The logo as a data: address, so the PDF and the settings page need no file URL
    (uploads have no public address)."""
    if not letterhead.logo:
        return ""
    with letterhead.logo.open("rb") as logo:
        data = logo.read()
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def letterhead_context(municipality: Municipality, *, kind: str | None) -> dict:
    """What templates/pdf/letter.html needs: the letterhead, and for a decision (`kind`,
    GRANTS or PLACES) its complaint guidance in the active language."""
    letterhead = letterhead_for(municipality)
    return {
        "municipality": municipality,
        "letterhead": letterhead,
        "logo_src": logo_src(letterhead),
        "complaints": complaints_for(letterhead, kind) if kind else "",
    }


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def letterhead_update(
    *,
    actor,
    municipality: Municipality,
    department: str,
    address: str,
    phone: str,
    email: str,
    grants_complaints: str,
    places_complaints: str,
    logo: Upload | None = None,
    remove_logo: bool = False,
) -> Letterhead:
    """Save the municipality's letterhead and guidance; the next letters carry them.

    A guidance equal to the default is stored blank, so it keeps following the portal's
    default. An empty guidance is refused: every decision letter must carry one. `logo`
    is a picture already checked by core.uploads; it replaces the old one, as
    `remove_logo` removes it. The replaced file is deleted once the change commits.
    """
    values = {
        "department": department.strip(),
        "address": _normalised(address),
        "phone": " ".join(phone.split()),
        "email": email.strip(),
    }
    texts = {GRANTS: grants_complaints, PLACES: places_complaints}
    for kind, field in COMPLAINT_FIELDS.items():
        text = _normalised(texts[kind])
        if not text:
            raise ValidationError(_("Write the complaint guidance, or keep the text suggested."))
        values[field] = "" if text == default_complaints(municipality, kind) else text
    with transaction.atomic():
        letterhead, _created = Letterhead.objects.select_for_update().get_or_create(
            municipality=municipality, defaults={"updated_by": actor}
        )
        changed = [name for name, value in values.items() if getattr(letterhead, name) != value]
        for name, value in values.items():
            setattr(letterhead, name, value)
        old_logo = letterhead.logo.name if letterhead.logo else ""
        if logo is not None:
            content = resized(logo, LOGO_SIDE)
            letterhead.logo.save(content.name, content, save=False)
            changed.append("logo")
        elif remove_logo and old_logo:
            letterhead.logo = ""
            changed.append("logo")
        else:
            old_logo = ""
        if not changed:
            return letterhead
        letterhead.updated_by = actor
        letterhead.save()
        audit(
            actor=actor,
            action="institutions.letterhead_changed",
            obj=letterhead,
            municipality=municipality,
            summary=f"Letterhead of {municipality.name}",
            changes={"fields": changed},
        )
        if old_logo:
            storage = letterhead.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return letterhead
