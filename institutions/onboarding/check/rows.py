"""Rows against each other: an id twice on a sheet, one e-mail address for two people, and
every reference between the sheets (a child's group, a guardian's child)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import Membership, Municipality, MunicipalRole
from ...querysets import STAFF_ROLES
from ..sheets import CHILDREN, DAYCARES, GROUPS, GUARDIANS, STAFF, Sheet, norm
from .problems import Problems


class Book:
    """The parsed sheets and their column positions, for naming places in problems."""

    def __init__(self, positions: dict[str, dict[str, int]], problems: Problems):
        self.positions = positions
        self.problems = problems

    def add(self, sheet: Sheet, record: dict, field: str, message: str) -> None:
        at = self.positions[sheet.name].get(field)
        self.problems.add(sheet, message, row=record["row"], column=sheet.column(field), at=at)
        record["bad"] = True


def _once(book: Book, sheet: Sheet, records: list[dict], key, field: str, message: str):
    """Refuse rows whose `key(record)` an earlier row had; `message` takes %(row)d."""
    seen: dict = {}
    for record in records:
        value = key(record)
        if value is None:
            continue
        if value in seen:
            book.add(sheet, record, field, message % {**record, "row": seen[value]})
        else:
            seen[value] = record["row"]


def _refer(book, sheet, records, field: str, known: dict, target: Sheet, message: str) -> None:
    for record in records:
        value = record.get(field)
        if value and value not in known:
            book.add(sheet, record, field, message % {"key": value, "sheet": target.name})


def _people(book: Book, sheet: Sheet, records: list[dict]) -> None:
    """One id is one person (one name, one e-mail address); one e-mail address is one
    person. E-mail addresses do not tell capital from small letters, so "Anna@x.dk" and
    "anna@x.dk" for two people are one address for two."""
    first: dict[str, dict] = {}
    owner: dict[str, dict] = {}
    for record in records:
        key, email = record.get("key"), record.get("email")
        if not key or not email:
            continue
        earlier = first.setdefault(key, record)
        if earlier is not record:
            if earlier["email"] and earlier["email"] != email:
                book.add(
                    sheet,
                    record,
                    "email",
                    _(
                        "The id “%(key)s” has the e-mail address %(other)s in row %(row)d. "
                        "One person has one e-mail address."
                    )
                    % {"key": key, "other": earlier["email"], "row": earlier["row"]},
                )
            elif earlier["name"] and record["name"] and earlier["name"] != record["name"]:
                book.add(
                    sheet,
                    record,
                    "name",
                    _(
                        "The id “%(key)s” has the name “%(other)s” in row %(row)d. "
                        "One person has one name."
                    )
                    % {"key": key, "other": earlier["name"], "row": earlier["row"]},
                )
        holder = owner.setdefault(email, record)
        if holder["key"] != key:
            typed, other = record["raw_email"], holder["raw_email"]
            if typed == other:
                message = _(
                    "The e-mail address %(email)s is also in row %(row)d, for another "
                    "person (%(key)s). Each person needs their own address."
                ) % {"email": typed, "row": holder["row"], "key": holder["key"]}
            else:
                message = _(
                    "The e-mail address %(email)s is also in row %(row)d, written "
                    "%(other)s, for another person (%(key)s). Capital and small letters "
                    "make no difference in an e-mail address, so it is the same address. "
                    "Each person needs their own."
                ) % {"email": typed, "row": holder["row"], "other": other, "key": holder["key"]}
            book.add(sheet, record, "email", message)


def check_daycares(book: Book, records: list[dict]) -> dict[str, dict]:
    _once(
        book,
        DAYCARES,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The daycare id “%(key)s” is also in row %(row)d: a daycare has one row only."),
    )
    _once(
        book,
        DAYCARES,
        records,
        lambda r: norm(r["name"]) or None,
        "name",
        _("The name “%(name)s” is also in row %(row)d: two daycares cannot have the same name."),
    )
    return {r["key"]: r for r in records if r["key"]}


def check_groups(book: Book, records: list[dict], daycares: dict) -> dict[str, dict]:
    _once(
        book,
        GROUPS,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The group id “%(key)s” is also in row %(row)d: a group has one row only."),
    )
    _refer(
        book,
        GROUPS,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        GROUPS,
        records,
        lambda r: (r["daycare"], norm(r["name"])) if r["name"] else None,
        "name",
        _("The daycare has another group named “%(name)s” in row %(row)d."),
    )
    for record in records:
        if not record.get("kind") and record["daycare"] in daycares:
            childminding = daycares[record["daycare"]]["kind"] == "childminding"
            record["kind"] = "home" if childminding else "room"
    return {r["key"]: r for r in records if r["key"]}


def check_staff(book: Book, records: list[dict], daycares: dict) -> None:
    _refer(
        book,
        STAFF,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        STAFF,
        records,
        lambda r: (r["key"], r["daycare"], r["role"]) if r["key"] and r["role"] else None,
        "role",
        _("The same person has the same role in the same daycare in row %(row)d."),
    )
    _people(book, STAFF, records)


def check_children(book: Book, records: list[dict], daycares: dict, groups: dict) -> dict:
    _once(
        book,
        CHILDREN,
        records,
        lambda r: r["key"] or None,
        "key",
        _("The child id “%(key)s” is also in row %(row)d: a child has one row only."),
    )
    _refer(
        book,
        CHILDREN,
        records,
        "daycare",
        daycares,
        DAYCARES,
        _("There is no daycare with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _refer(
        book,
        CHILDREN,
        records,
        "group",
        groups,
        GROUPS,
        _("There is no group with the id “%(key)s” on the sheet %(sheet)s."),
    )
    today = timezone.localdate()
    for record in records:
        group = groups.get(record["group"])
        if group and record["daycare"] in daycares and group["daycare"] != record["daycare"]:
            book.add(
                CHILDREN,
                record,
                "group",
                _(
                    "The group “%(group)s” (%(key)s) belongs to the daycare “%(daycare)s” "
                    "(%(daycare_key)s) on the sheet Grupper, not to the daycare of this row "
                    "(%(row_daycare)s)."
                )
                % {
                    "group": group["name"],
                    "key": group["key"],
                    "daycare": daycares.get(group["daycare"], {}).get("name", ""),
                    "daycare_key": group["daycare"],
                    "row_daycare": record["daycare"],
                },
            )
        born, started = record.get("birth_date"), record.get("started_on")
        if born:
            if born > today:
                book.add(
                    CHILDREN, record, "birth_date", _("The birth date cannot be in the future.")
                )
            elif born.year < today.year - 18:
                book.add(
                    CHILDREN,
                    record,
                    "birth_date",
                    _("The birth date is too far in the past for a child in daycare."),
                )
            elif started and started < born:
                book.add(
                    CHILDREN, record, "started_on", _("A child cannot start before it is born.")
                )
    return {r["key"]: r for r in records if r["key"]}


def check_guardians(book: Book, records: list[dict], children: dict, municipality) -> None:
    _refer(
        book,
        GUARDIANS,
        records,
        "child",
        children,
        CHILDREN,
        _("There is no child with the id “%(key)s” on the sheet %(sheet)s."),
    )
    _once(
        book,
        GUARDIANS,
        records,
        lambda r: (r["key"], r["child"]) if r["key"] and r["child"] else None,
        "child",
        _("The same guardian and child are also in row %(row)d."),
    )
    _people(book, GUARDIANS, records)
    elsewhere = _staff_elsewhere({r["email"] for r in records if r["email"]}, municipality)
    for record in records:
        if record["email"] in elsewhere:
            book.add(
                GUARDIANS,
                record,
                "email",
                _(
                    "%(email)s is the work address of staff in another municipality. "
                    "Use the guardian's own address."
                )
                % {"email": record["raw_email"]},
            )


def _staff_elsewhere(emails: set[str], municipality: Municipality) -> set[str]:
    """Which of `emails` belong to someone who works in another municipality: a
    guardian's invitation to such an address would go to another employer's mailbox."""
    found: set[str] = set()
    emails_list = sorted(emails)
    for start in range(0, len(emails_list), 5000):
        chunk = emails_list[start : start + 5000]
        found |= set(
            Membership.objects.filter(user__email__in=chunk, role__in=STAFF_ROLES)
            .exclude(institution__municipality=municipality)
            .values_list("user__email", flat=True)
        )
        found |= set(
            MunicipalRole.objects.filter(user__email__in=chunk)
            .exclude(municipality=municipality)
            .values_list("user__email", flat=True)
        )
    return found
