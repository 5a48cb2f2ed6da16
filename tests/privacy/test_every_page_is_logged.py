"""Every page that shows a named child or guardian to staff or the municipality logs it.

Walks every GET URL of the authorization matrix as each role that works with children
(staff, ambassador, leader, board member, consultant, administrator) where the matrix
lets the role in. Every child and guardian of the world gets a name nobody else has, so a
page showing "Alma Logtest12sen" can only be showing that child; the request must then
have written a PersonalDataAccess row for her. A sign-up's child is not in the register
yet: a page showing it must log the parent who signed up (and the registered child, once
there is one); a paper sign-up has no parent account either, so the page must log the
sign-up itself. Downloads count as pages: PDF letters are read as text, spreadsheets and
CSV files cell by cell. A new page or download that shows people without calling
privacy.log.log_access fails here.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from accounts.models import User
from admissions import services as admissions
from admissions.models import Letter, Signup
from institutions.models import Child, Guardianship
from privacy.models import PersonalDataAccess
from tests.security.matrix import all_cases, build_matrix_world

pytestmark = pytest.mark.django_db

ROLES = ["staff", "ambassador", "leader", "board_member", "consultant", "admin"]
TEXT_TYPES = ("text/", "application/json", "application/xhtml")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response) -> str:
    """What the user reads: the page, or the text of a PDF, spreadsheet or CSV file."""
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if kind.startswith(PDF):
        try:
            pages = PdfReader(io.BytesIO(body)).pages
        except PdfReadError:
            # The matrices store a few placeholder files that are no real PDF (and say
            # nothing); the letters, which name people, are printed for real above.
            return ""
        return "\n".join(page.extract_text() for page in pages)
    if kind.startswith(XLSX):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if kind.startswith("text/csv"):
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig", errors="replace"), newline=""))
        return "\n".join("\t".join(row) for row in rows)
    if kind.startswith(TEXT_TYPES):
        return body.decode(errors="replace")
    return ""


def _people() -> list[tuple[str, str, int]]:
    """(name as a page shows it, "child" or "guardian", pk of the row to expect)."""
    for child in Child.objects.all():
        child.last_name = f"Logtest{child.pk}sen"
        child.save(update_fields=["last_name"])
    guardian_ids = set(Guardianship.objects.values_list("guardian_id", flat=True))
    for guardian in User.objects.filter(pk__in=guardian_ids):
        guardian.name = f"Vaerge Logtest{guardian.pk}sen"
        guardian.save(update_fields=["name"])
    people = [(str(c), "child", c.pk) for c in Child.objects.all()]
    people += [(g.name, "guardian", g.pk) for g in User.objects.filter(pk__in=guardian_ids)]
    people += [(g.email, "guardian", g.pk) for g in User.objects.filter(pk__in=guardian_ids)]
    for signup in Signup.objects.exclude(parent=None):
        signup.child_last_name = f"Tilmeldt{signup.pk}sen"
        signup.save(update_fields=["child_last_name"])
        people.append((signup.child_name, "guardian", signup.parent_id))
    for signup in Signup.objects.filter(parent=None, child=None):
        signup.child_last_name = f"Papir{signup.pk}sen"
        signup.parent_name = f"Forælder Papir{signup.pk}sen"
        signup.save(update_fields=["child_last_name", "parent_name"])
        people.append((signup.child_name, "signup", signup.pk))
        people.append((signup.parent_name, "signup", signup.pk))
    # Print the stored letters for real, so they carry the names given above.
    for letter in Letter.objects.exclude(pdf=""):
        Letter.objects.filter(pk=letter.pk).update(pdf="")
        assert admissions.letter_make(letter_id=letter.pk)
    return people


# Pages that list names without showing anyone's data, by decision (issue 16): the new-post
# form offers the daycare's children to mark who is in a photo; logging every child on
# every opening buried the real looks, so the look is logged for the children marked when
# the post is saved (tests/messaging/test_upload_privacy.py).
NAMES_ONLY = {"messaging:post_create"}


def test_every_page_showing_a_child_or_guardian_to_staff_logs_it(client):
    world = build_matrix_world()
    people = _people()
    cases = {
        name: case
        for name, case in all_cases().items()
        if case.method == "get" and name not in NAMES_ONLY
    }
    unlogged = []
    checked = set()
    for name, case in sorted(cases.items()):
        path = case.path(world)
        for role in ROLES:
            if case.expected[role] != 200:
                continue
            user = world.user(role)
            with transaction.atomic():
                client.force_login(user)
                before = PersonalDataAccess.objects.order_by("-pk").values_list("pk", flat=True)
                last = before.first() or 0
                response = client.get(path)
                page = _text(response)
                shown = {(kind, pk) for who, kind, pk in people if page and who in page}
                if shown:
                    checked.add(name)
                    rows = PersonalDataAccess.objects.filter(pk__gt=last, actor=user, path=path)
                    logged = {("child", pk) for pk in rows.values_list("child_id", flat=True)}
                    logged |= {
                        ("guardian", pk) for pk in rows.values_list("guardian_id", flat=True)
                    }
                    logged |= {("signup", pk) for pk in rows.values_list("signup_id", flat=True)}
                    if missing := shown - logged:
                        unlogged.append(f"{name} as {role}: {sorted(missing)} shown, not logged")
                transaction.set_rollback(True)
    # The walk must reach pages of each kind, or it proves nothing.
    reached = {
        "institutions:child",
        "admissions:waiting_list",
        "admissions:municipality",
        "admissions:letter",
        "wellbeing:pictures",
    }
    assert reached <= checked, f"The walk no longer reaches {reached - checked}"
    assert not unlogged, "Pages that show personal data without logging it:\n" + "\n".join(unlogged)
