"""Every form that takes a file, found on the pages of the authorization matrix (and the
POST-only URLs whose form has a file field), is sent each attack file through the real
view as a role that may use it: an oversized file, a program behind a photo's or a
document's extension, an SVG with script, a PNG that decompresses to gigapixels, an
XLSX that is not a zip. The answer is the form with a Danish message about the file (one
the form does not show when no file is sent), no row is written and no file is stored
under MEDIA_ROOT. tests/security/test_uploads.py checks the upload checkers directly."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.security.discovery import (
    APPS,
    HTMX,
    MATRIX,
    POST_ONLY,
    allowed_role,
    discover,
    post_only_form,
    writes,
)
from tests.security.forms import Form
from tests.security.test_uploads import EXECUTABLE, SVG, bomb

ATTACKS = {
    "oversized": ("stor.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "application/pdf"),
    "program-as-photo": ("ferie.jpg", EXECUTABLE, "image/jpeg"),
    "program-as-document": ("referat.pdf", EXECUTABLE, "application/pdf"),
    "program-as-spreadsheet": ("liste.csv", EXECUTABLE, "text/csv"),
    "program-as-recording": ("optagelse.webm", EXECUTABLE, "audio/webm"),
    "svg-with-script": ("tegning.svg", SVG, "image/svg+xml"),
    "svg-as-photo": ("tegning.png", SVG, "image/png"),
    "decompression-bomb": ("bombe.png", bomb(), "image/png"),
    "xlsx-not-a-zip": (
        "liste.xlsx",
        b"Dette er ikke et regneark",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
PLAUSIBLE = {
    "date": "2026-03-02",
    "datetime-local": "2026-03-02T10:00",
    "time": "10:00",
    "number": "1",
    "email": "pedel@example.dk",
    "url": "https://example.dk",
}


class _Errors(HTMLParser):
    """The text inside error elements (field errors, the error summary, error alerts)."""

    CLASSES = ("form-error-message", "alert-error", "errorlist")

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._depth = 0  # > 0 inside an error element: how many elements deep

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "hr", "meta", "link"):
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif any(c in classes for c in self.CLASSES):
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self._depth and tag not in ("br", "img", "input", "hr", "meta", "link"):
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


_FILE_FORMS: dict[str, tuple[str, Form]] = {}


def file_forms(client, world) -> dict[str, tuple[str, Form]]:
    """Every form with a file field, by where it posts, with a role that may use it."""
    if not _FILE_FORMS:
        for app in APPS:
            for action, (role, form) in discover(client, world, app).forms.items():
                if any(f.kind == "file" for f in form.fields.values()):
                    _FILE_FORMS.setdefault(action, (role, form))
        for name in POST_ONLY:
            form = post_only_form(world, name)
            if any(f.kind == "file" for f in form.fields.values()):
                _FILE_FORMS.setdefault(form.action, (allowed_role(MATRIX[name]), form))
    return _FILE_FORMS


def filled(form: Form) -> dict[str, str]:
    """Plausible values for every field but the file, so only the file can be refused."""
    data = {}
    for day, (name, field) in enumerate(form.fields.items()):
        if field.kind == "file" or name == "csrfmiddlewaretoken":
            continue
        if field.kind == "select":
            # A kind of evidence or attachment: the one that takes the file.
            data[name] = next(
                (o for o in field.options if o in ("file", "document", "photo")),
                next((o for o in field.options if o), ""),
            )
        elif field.kind == "date":
            # A day that has been (receipts, expenses); later fields later.
            data[name] = f"2026-03-{day + 2:02d}"
        elif field.kind == "datetime-local":
            # A time to come (publishing, expiry); a period ends after it starts.
            data[name] = f"2099-03-{day + 2:02d}T10:00"
        elif field.kind in PLAUSIBLE or "amount" in name:
            data[name] = PLAUSIBLE.get(field.kind, "100")
        elif (field.options and field.options[0] != "on") or field.kind in ("checkbox", "radio"):
            data[name] = field.options[0] if field.options else "on"
        else:
            data[name] = "Forældremøde om ture i skoven"
    return data


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def said(response) -> set[str]:
    """The error texts a user sees: on the page, or as messages after a redirect."""
    parser = _Errors()
    parser.feed(response.content.decode(errors="replace"))
    texts = {re.sub(r"\s+", " ", t).replace("Fejl:", "").strip() for t in parser.texts}
    texts |= {str(m) for m in get_messages(response.wsgi_request) if "error" in m.tags}
    return {t for t in texts if t}


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def _post(client, form: Form, data: dict, htmx: bool):
    with transaction.atomic():
        response = client.post(form.action, data, **(HTMX if htmx else {}))
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_the_upload_forms_are_found(client, matrix_world):
    actions = sorted(file_forms(client, matrix_world))
    # The places the portal takes a file; a new one joins by being on a matrix page.
    for part in ("/maal/", "/beskeder/", "/udstyr/", "/trivsel/", "/bevillinger/", "/breve/"):
        assert any(part in a for a in actions), (part, actions)


@pytest.mark.django_db
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_upload_form_refuses_the_attack_file(attack, client, matrix_world):
    world = matrix_world
    problems: list[str] = []
    filename, content, content_type = ATTACKS[attack]
    for action, (role, form) in sorted(file_forms(client, world).items()):
        _login(client, world.user(role))
        data = filled(form)
        without_file = said(_post(client, form, data, False))
        for htmx in (False, True) if form.htmx else (False,):
            files = {
                f.name: SimpleUploadedFile(filename, content, content_type)
                for f in form.fields.values()
                if f.kind == "file"
            }
            stored, before = media_files(), writes()
            response = _post(client, form, {**data, **files}, htmx)
            how = f"{action}{' (htmx)' if htmx else ''}"
            if response.status_code >= 500:
                problems.append(f"{how}: {response.status_code}")
                continue
            if writes() != before:
                problems.append(f"{how}: rows were written ({writes() - before})")
            if media_files() != stored:
                problems.append(f"{how}: files were stored {media_files() - stored}")
            if response.status_code in (200, 302, 400) and not said(response) - without_file:
                problems.append(
                    f"{how}: {response.status_code} without a message about the file "
                    f"(says {sorted(said(response))}, without a file {sorted(without_file)})"
                )
    assert not problems, "\n".join(problems)
