"""The sheets and columns of the onboarding workbook.

The sheet and column names are Danish in every language of the portal: they are the
workbook's format, which a municipality's systems are set up to write once. Matching is
case-insensitive and ignores extra spaces. The words of the type and role columns are
those of the institution import, plus the staff roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..imports import (
    GROUP_KIND_SHOWN,
    GROUP_KIND_WORDS,
    KIND_SHOWN,
    KIND_WORDS,
    OWNERSHIP_SHOWN,
    OWNERSHIP_WORDS,
)
from ..models import Membership

KEY = "key"
TEXT = "text"
EMAIL = "email"
DATE = "date"
WORD = "word"
POSTCODE = "postcode"

ROLE_WORDS = {
    "leder": Membership.Role.LEADER,
    "pædagog": Membership.Role.STAFF,
    "pædagogmedhjælper": Membership.Role.STAFF,
    "medhjælper": Membership.Role.STAFF,
    "pædagogisk assistent": Membership.Role.STAFF,
    "medarbejder": Membership.Role.STAFF,
    "dagplejer": Membership.Role.CHILDMINDER,
}


def norm(text) -> str:
    """A name or word as matched: small letters, single spaces."""
    return " ".join(str(text).lower().split())


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    kind: str = TEXT
    required: bool = False
    max_length: int = 150
    words: dict | None = None
    shown: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    records: str  # the key of its records in the checked workbook
    columns: tuple[Column, ...]
    help: str = ""

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


MUNICIPALITY = Sheet(
    "Kommune",
    "municipality",
    (
        Column("code", "Kommunekode", KEY, required=True, max_length=3),
        Column("name", "Kommune"),
    ),
    help=_("The municipality the workbook is for. The template has it filled in: keep it."),
)
DAYCARES = Sheet(
    "Dagtilbud",
    "daycares",
    (
        Column(
            "key",
            "Dagtilbud-id",
            KEY,
            required=True,
            max_length=64,
            help=_("The daycare's id in the municipality's own systems. It must never change."),
        ),
        Column("name", "Navn", required=True),
        Column(
            "kind",
            "Type",
            WORD,
            required=True,
            words=KIND_WORDS,
            shown=KIND_SHOWN,
        ),
        Column(
            "ownership",
            "Ejerform",
            WORD,
            words=OWNERSHIP_WORDS,
            shown=OWNERSHIP_SHOWN,
        ),
        Column("street", "Adresse"),
        Column("postcode", "Postnummer", POSTCODE, max_length=4),
        Column("city", "By", max_length=100),
        Column("district", "Distrikt", max_length=100),
        Column("email", "E-mail", EMAIL, max_length=254, help=_("The daycare's own address.")),
        Column("phone", "Telefon", max_length=30),
    ),
    help=_("One row per daycare or childminding unit."),
)
GROUPS = Sheet(
    "Grupper",
    "groups",
    (
        Column("key", "Gruppe-id", KEY, required=True, max_length=64),
        Column("daycare", "Dagtilbud-id", KEY, required=True, max_length=64),
        Column("name", "Navn", required=True, max_length=100),
        Column(
            "kind",
            "Type",
            WORD,
            words=GROUP_KIND_WORDS,
            shown=GROUP_KIND_SHOWN,
            help=_("Empty: a childminder home in a childminding unit, otherwise a room."),
        ),
    ),
    help=_("One row per group (room) or childminder home."),
)
STAFF = Sheet(
    "Medarbejdere",
    "staff",
    (
        Column("key", "Medarbejder-id", KEY, required=True, max_length=64),
        Column("name", "Navn", required=True),
        Column("email", "E-mail", EMAIL, required=True, max_length=254),
        Column(
            "role",
            "Rolle",
            WORD,
            required=True,
            words=ROLE_WORDS,
            shown=("leder", "pædagog", "medhjælper", "dagplejer"),
        ),
        Column("daycare", "Dagtilbud-id", KEY, required=True, max_length=64),
    ),
    help=_(
        "One row per person and daycare. Someone who works in two daycares has two rows "
        "with the same id. Each new person is invited by e-mail."
    ),
)
CHILDREN = Sheet(
    "Børn",
    "children",
    (
        Column("key", "Barn-id", KEY, required=True, max_length=64),
        Column("first_name", "Fornavn", required=True, max_length=100),
        Column("last_name", "Efternavn", max_length=100),
        Column("birth_date", "Fødselsdato", DATE, required=True),
        Column("daycare", "Dagtilbud-id", KEY, required=True, max_length=64),
        Column("group", "Gruppe-id", KEY, required=True, max_length=64),
        Column("started_on", "Startdato", DATE),
    ),
    help=_(
        "One row per child. Use no civil registration (CPR) numbers as ids. "
        "Dates are date cells, not text."
    ),
)
GUARDIANS = Sheet(
    "Forældre",
    "guardians",
    (
        Column("key", "Forælder-id", KEY, required=True, max_length=64),
        Column("name", "Navn", required=True),
        Column("email", "E-mail", EMAIL, required=True, max_length=254),
        Column("child", "Barn-id", KEY, required=True, max_length=64),
    ),
    help=_(
        "One row per guardian and child in their custody. A guardian of two children has "
        "two rows with the same id. Each new guardian is invited by e-mail."
    ),
)

SHEETS = (MUNICIPALITY, DAYCARES, GROUPS, STAFF, CHILDREN, GUARDIANS)
# The sheets a re-import keeps in step: an empty one would mean that everyone in it left.
DATA_SHEETS = SHEETS[1:]
GUIDE = "Vejledning"
