"""Each municipality's privacy notice (GDPR art. 13–14) and who has read which version.

The notice's own text is the municipality's to edit; around it the page always states the
data controller, the data protection officer and the right to complain to Datatilsynet.
Until the municipality writes its own, the default below is shown: it is drawn from what
the portal stores and the retention periods configured in settings, so it follows them.

The text is plain: paragraphs are separated by a blank line, a line starting with "## " is
a heading and lines starting with "- " make a list. Nothing in it is read as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit
from institutions.models import Municipality

from .models import PrivacyNotice, PrivacyNoticeSeen

# The version of a notice no one has edited yet: the default text.
DEFAULT_VERSION = 1
NOTICE_FIELDS = ("contact", "dpo_name", "dpo_email", "dpo_phone", "text")


def _period(days: int) -> str:
    if days >= 365 and days % 365 in (0, 1):
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def default_text() -> str:
    """The portal's default notice text, in the active language."""
    months = settings.WELLBEING_RAW_ANSWER_MONTHS
    return render_to_string(
        "privacy/notice_default.txt",
        {
            "child_period": _period(settings.CHILD_RETENTION_DAYS),
            "log_period": _period(settings.ACCESS_LOG_RETENTION_DAYS),
            "answers_period": ngettext("%(count)s month", "%(count)s months", months)
            % {"count": months},
        },
    ).strip()


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    lines: list[str] | tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """The notice text as headings, paragraphs and lists, for the template to escape."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        current: Block | None = None
        for line in (line.strip() for line in chunk.splitlines()):
            if not line:
                continue
            if line.startswith("## "):
                kind, value = "heading", line[3:].strip()
            elif line.startswith("- "):
                kind, value = "item", line[2:].strip()
            else:
                kind, value = "text", line
            if kind == "heading":
                current = None
                found.append(Block("heading", (value,)))
            elif kind == "item" and current is not None and current.kind == "list":
                current.lines.append(value)
            elif kind == "item":
                current = Block("list", [value])
                found.append(current)
            elif current is not None:
                # A line that continues the paragraph or the list item above.
                if current.kind == "list":
                    current.lines[-1] = f"{current.lines[-1]} {value}"
                else:
                    current.lines.append(value)
            else:
                current = Block("paragraph", [value])
                found.append(current)
    return found


@dataclass(frozen=True)
class Notice:
    municipality: Municipality
    contact: str
    dpo_name: str
    dpo_email: str
    dpo_phone: str
    text: str
    is_default: bool
    version: int
    updated_at: object

    @property
    def blocks(self) -> list[Block]:
        return blocks(self.text)


def notice_for(municipality: Municipality) -> Notice:
    saved = PrivacyNotice.objects.filter(municipality=municipality).first()
    text = saved.text if saved else ""
    return Notice(
        municipality=municipality,
        contact=saved.contact if saved else "",
        dpo_name=saved.dpo_name if saved else "",
        dpo_email=saved.dpo_email if saved else "",
        dpo_phone=saved.dpo_phone if saved else "",
        text=text or default_text(),
        is_default=not text,
        version=saved.version if saved else DEFAULT_VERSION,
        updated_at=saved.updated_at if saved else None,
    )


def municipalities_of(user) -> list[Municipality]:
    """The municipalities whose notice concerns the person: where they work, where their
    children are, and where they work for the municipality."""
    if not user.is_authenticated:
        return []
    return list(Municipality.objects.visible_to(user).order_by("name"))


def unread_notice(user) -> Municipality | None:
    """The first of the person's municipalities whose current notice they have not
    confirmed reading, or None."""
    municipalities = municipalities_of(user)
    if not municipalities:
        return None
    versions = dict(
        PrivacyNotice.objects.filter(municipality__in=municipalities).values_list(
            "municipality_id", "version"
        )
    )
    seen = dict(
        PrivacyNoticeSeen.objects.filter(user=user, municipality__in=municipalities).values_list(
            "municipality_id", "version"
        )
    )
    for municipality in municipalities:
        if seen.get(municipality.pk, 0) < versions.get(municipality.pk, DEFAULT_VERSION):
            return municipality
    return None


def has_read(user, notice: Notice) -> bool:
    return PrivacyNoticeSeen.objects.filter(
        user=user, municipality=notice.municipality, version__gte=notice.version
    ).exists()


def notice_read(*, user, municipality: Municipality) -> PrivacyNoticeSeen:
    """Record that `user` has read the municipality's current notice. Idempotent."""
    version = notice_for(municipality).version
    seen, _created = PrivacyNoticeSeen.objects.update_or_create(
        user=user,
        municipality=municipality,
        defaults={"version": version, "seen_at": timezone.now()},
    )
    return seen


def notice_update(
    *,
    actor,
    municipality: Municipality,
    contact: str,
    dpo_name: str,
    dpo_email: str,
    dpo_phone: str,
    text: str,
) -> PrivacyNotice:
    """Save the municipality's notice. A text equal to the default is stored as blank, so
    the default keeps following the portal. Any change raises the version, so everyone is
    shown the notice again after their next login; saving without changes does not."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the notice, or keep the text suggested."))
    if text.replace("\r\n", "\n") == default_text():
        text = ""
    values = {
        "contact": contact.strip(),
        "dpo_name": dpo_name.strip(),
        "dpo_email": dpo_email.strip(),
        "dpo_phone": dpo_phone.strip(),
        "text": text.replace("\r\n", "\n"),
    }
    with transaction.atomic():
        notice, created = PrivacyNotice.objects.select_for_update().get_or_create(
            municipality=municipality, defaults={**values, "updated_by": actor}
        )
        if created:
            changed = [name for name in NOTICE_FIELDS if values[name]]
        else:
            changed = [name for name in NOTICE_FIELDS if getattr(notice, name) != values[name]]
        if not changed:
            return notice
        for name, value in values.items():
            setattr(notice, name, value)
        notice.version = (DEFAULT_VERSION if created else notice.version) + 1
        notice.updated_by = actor
        notice.save()
        audit(
            actor=actor,
            action="privacy.notice_changed",
            obj=notice,
            municipality=municipality,
            summary=f"Privacy notice version {notice.version}",
            changes={"fields": changed},
        )
    return notice
