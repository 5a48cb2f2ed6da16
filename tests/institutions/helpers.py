"""Small helpers for the institutions tests: what a Danish reader sees, and the whole
state of the tenant tables (to assert that a refused write changed nothing)."""

from __future__ import annotations

import csv
import io

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from core.models import AuditEntry, Notification
from institutions.models import (
    Child,
    ChildrenCount,
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
    Municipality,
    MunicipalRole,
    WorkbookImport,
)

STATE_MODELS = (
    Municipality,
    Institution,
    Group,
    Child,
    Guardianship,
    ChildrenCount,
    Membership,
    Membership.groups.through,
    MunicipalRole,
    Invitation,
    User,
    EmailAddress,
    AuditEntry,
    Notification,
    WorkbookImport,
)


def shown(message: str, **params) -> str:
    """`message` as it appears on a Danish page: translated when the catalogue has it,
    formatted, and HTML-escaped as a template escapes it."""
    with translation.override("da"):
        text = translation.gettext(message)
    if params:
        text = text % params
    return escape(text)


def english(message: str, **params) -> str:
    with translation.override("en"):
        text = translation.gettext(message)
    return text % params if params else text


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table the institutions app writes to (logins aside)."""
    state = {}
    for model in STATE_MODELS:
        rows = list(model.objects.order_by("pk").values())
        if model is User:
            for row in rows:
                row.pop("last_login")
        state[model._meta.label] = rows
    return state


def csv_upload(
    rows: list[list[str]], *, delimiter: str = ";", name: str = "data.csv", encoding="utf-8"
):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[list], *, name: str = "data.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
