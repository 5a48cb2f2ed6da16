"""Import institutions, groups and children counts from CSV or XLSX.

A file is checked whole before anything is stored: every bad row is named with its
line number as a spreadsheet shows it, and a file with any bad row stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.spreadsheets import UnreadableFile, csv_text, read_rows

from . import services
from .models import ChildrenCount, Group, Institution, Municipality

# Column names in Danish (as the templates use) and English; matched case-insensitively.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "institutions": {
        "name": ("navn", "name"),
        "kind": ("type", "kind"),
        "ownership": ("ejerform", "ownership"),
        "street": ("adresse", "address", "street"),
        "postcode": ("postnummer", "postnr", "postnr.", "postcode"),
        "city": ("by", "city"),
        "district": ("distrikt", "district", "område"),
        "email": ("e-mail", "email"),
        "phone": ("telefon", "phone"),
    },
    "groups": {
        "institution": ("institution",),
        "name": ("navn", "stue", "name"),
        "kind": ("type", "kind"),
    },
    "counts": {
        "institution": ("institution",),
        "counted_on": ("dato", "date"),
        "aged_0_2": ("0-2 år", "0–2 år", "0-2", "aged_0_2"),
        "aged_3_5": ("3-5 år", "3–5 år", "3-5", "aged_3_5"),
        "aged_6_plus": ("6+ år", "6+", "aged_6_plus"),
    },
}
REQUIRED = {
    "institutions": ("name", "kind"),
    "groups": ("institution", "name"),
    "counts": ("institution", "counted_on", "aged_0_2", "aged_3_5"),
}
TEMPLATE_ROWS = {
    "institutions": [
        [
            "navn",
            "type",
            "ejerform",
            "adresse",
            "postnummer",
            "by",
            "distrikt",
            "e-mail",
            "telefon",
        ],
        [
            "Børnehuset Solsikken",
            "integreret",
            "kommunal",
            "Solsikkevej 1",
            "4600",
            "Køge",
            "Køge Nord",
            "",
            "",
        ],
    ],
    "groups": [
        ["institution", "navn", "type"],
        ["Børnehuset Solsikken", "Mariehønen", "stue"],
    ],
    "counts": [
        ["institution", "dato", "0-2 år", "3-5 år", "6+ år"],
        ["Børnehuset Solsikken", "2025-01-01", "24", "40", "0"],
    ],
}
# The templates' file names, in Danish.
TEMPLATE_NAMES = {"institutions": "institutioner", "groups": "grupper", "counts": "børnetal"}

KIND_WORDS = {
    "vuggestue": Institution.Kind.NURSERY,
    "nursery": Institution.Kind.NURSERY,
    "børnehave": Institution.Kind.KINDERGARTEN,
    "kindergarten": Institution.Kind.KINDERGARTEN,
    "integreret": Institution.Kind.INTEGRATED,
    "integreret institution": Institution.Kind.INTEGRATED,
    "integrated": Institution.Kind.INTEGRATED,
    "dagpleje": Institution.Kind.CHILDMINDING,
    "dagplejen": Institution.Kind.CHILDMINDING,
    "childminding": Institution.Kind.CHILDMINDING,
    "skole": Institution.Kind.SCHOOL,
    "school": Institution.Kind.SCHOOL,
    "sfo": Institution.Kind.AFTER_SCHOOL,
    "fritidshjem": Institution.Kind.AFTER_SCHOOL,
    "klub": Institution.Kind.AFTER_SCHOOL,
    "after_school": Institution.Kind.AFTER_SCHOOL,
    "after-school care": Institution.Kind.AFTER_SCHOOL,
}
OWNERSHIP_WORDS = {
    "kommunal": Institution.Ownership.MUNICIPAL,
    "municipal": Institution.Ownership.MUNICIPAL,
    "selvejende": Institution.Ownership.SELF_GOVERNING,
    "self-governing": Institution.Ownership.SELF_GOVERNING,
    "self_governing": Institution.Ownership.SELF_GOVERNING,
    "privat": Institution.Ownership.PRIVATE,
    "private": Institution.Ownership.PRIVATE,
}
GROUP_KIND_WORDS = {
    "stue": Group.Kind.ROOM,
    "gruppe": Group.Kind.ROOM,
    "room": Group.Kind.ROOM,
    "dagplejehjem": Group.Kind.HOME,
    "home": Group.Kind.HOME,
    "childminder home": Group.Kind.HOME,
}
# The words named when a cell holds an unknown one (here and in the onboarding workbook).
KIND_SHOWN = ("vuggestue", "børnehave", "integreret", "dagpleje", "skole", "sfo")
OWNERSHIP_SHOWN = ("kommunal", "selvejende", "privat")
GROUP_KIND_SHOWN = ("stue", "dagplejehjem")


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class WordChoiceField(forms.CharField):
    """A choice typed as a word in Danish or English ("vuggestue", "nursery")."""

    def __init__(self, *, words: dict[str, str], shown: tuple[str, ...], **kwargs):
        self.words = words
        self.shown = shown
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        key = " ".join(value.lower().split())
        if key not in self.words:
            accepted = ", ".join(self.shown)
            raise ValidationError(
                _("“%(value)s” is not known. Use one of: %(accepted)s.")
                % {"value": value, "accepted": accepted}
            )
        return self.words[key]


class FlexibleDateField(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]

    def to_python(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return super().to_python(value)


class InstitutionRow(forms.Form):
    name = forms.CharField(max_length=150, label=gettext_lazy("Name"))
    kind = WordChoiceField(
        words=KIND_WORDS,
        shown=KIND_SHOWN,
        label=gettext_lazy("Kind"),
    )
    ownership = WordChoiceField(
        words=OWNERSHIP_WORDS,
        shown=OWNERSHIP_SHOWN,
        required=False,
        label=gettext_lazy("Ownership"),
    )
    street = forms.CharField(max_length=150, required=False, label=gettext_lazy("Address"))
    postcode = forms.RegexField(
        regex=r"^\d{4}$",
        required=False,
        label=gettext_lazy("Postcode"),
        error_messages={"invalid": gettext_lazy("A Danish postcode is four digits.")},
    )
    city = forms.CharField(max_length=100, required=False, label=gettext_lazy("City"))
    district = forms.CharField(max_length=100, required=False, label=gettext_lazy("District"))
    email = forms.EmailField(required=False, label=gettext_lazy("E-mail"))
    phone = forms.CharField(max_length=30, required=False, label=gettext_lazy("Phone"))


class GroupRow(forms.Form):
    institution = forms.CharField(max_length=150, label=gettext_lazy("Institution"))
    name = forms.CharField(max_length=100, label=gettext_lazy("Name"))
    kind = WordChoiceField(
        words=GROUP_KIND_WORDS,
        shown=GROUP_KIND_SHOWN,
        required=False,
        label=gettext_lazy("Kind"),
    )


class CountRow(forms.Form):
    institution = forms.CharField(max_length=150, label=gettext_lazy("Institution"))
    counted_on = FlexibleDateField(label=gettext_lazy("Date"))
    aged_0_2 = forms.IntegerField(
        min_value=0, max_value=10000, label=gettext_lazy("Children aged 0–2")
    )
    aged_3_5 = forms.IntegerField(
        min_value=0, max_value=10000, label=gettext_lazy("Children aged 3–5")
    )
    aged_6_plus = forms.IntegerField(
        min_value=0, max_value=10000, required=False, label=gettext_lazy("Children aged 6 and over")
    )

    def clean_counted_on(self):
        value = self.cleaned_data["counted_on"]
        from django.utils import timezone

        if value > timezone.localdate():
            raise ValidationError(_("A children count cannot be dated in the future."))
        return value


ROW_FORMS = {"institutions": InstitutionRow, "groups": GroupRow, "counts": CountRow}


def _map_header(kind: str, header: list) -> tuple[dict[str, int], list[RowError]]:
    aliases = COLUMNS[kind]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, title in enumerate(header):
        key = " ".join(str(title).lower().split())
        for field_name, names in aliases.items():
            if key in names:
                positions[field_name] = index
    missing = [aliases[f][0] for f in REQUIRED[kind] if f not in positions]
    if missing:
        errors.append(
            RowError(
                1,
                _("The header lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    return positions, errors


def _validate(
    kind: str, rows, positions, municipality
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    errors: list[RowError] = []
    valid: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    institutions = {i.name.lower(): i for i in municipality.institutions.all()}
    for number, cells in rows:
        raw = {name: (cells[pos] if pos < len(cells) else "") for name, pos in positions.items()}
        form = ROW_FORMS[kind](data=raw)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                label = form.fields[field_name].label if field_name in form.fields else ""
                for message in messages:
                    text = f"{label}: {message}" if label else message
                    errors.append(RowError(number, text))
            continue
        data = form.cleaned_data
        if kind in ("groups", "counts"):
            institution = institutions.get(data["institution"].lower())
            if institution is None:
                errors.append(
                    RowError(
                        number,
                        _("No institution named “%(name)s” in the municipality.")
                        % {"name": data["institution"]},
                    )
                )
                continue
            data["institution"] = institution
        key = _row_key(kind, data)
        if key in seen:
            errors.append(
                RowError(number, _("Repeats row %(row)d of the file.") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        valid.append((number, data))
    return valid, errors


def _row_key(kind: str, data: dict) -> tuple:
    if kind == "institutions":
        return (data["name"].lower(),)
    if kind == "groups":
        return (data["institution"].pk, data["name"].lower())
    return (data["institution"].pk, data["counted_on"])


def import_file(*, actor: User, municipality: Municipality, kind: str, upload) -> ImportResult:
    """Check the whole file; store every row, or nothing when any row is bad."""
    result = ImportResult()
    try:
        rows = read_rows(upload, max_rows=settings.IMPORT_MAX_ROWS)
    except UnreadableFile as exc:
        result.errors.append(RowError(0, str(exc)))
        return result
    if not rows:
        result.errors.append(RowError(0, _("The file is empty.")))
        return result
    positions, errors = _map_header(kind, rows[0][1])
    if errors:
        result.errors = errors
        return result
    if len(rows) == 1:
        result.errors.append(RowError(0, _("The file has a header but no rows.")))
        return result
    valid, errors = _validate(kind, rows[1:], positions, municipality)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            for number, data in valid:
                try:
                    created = _store(kind, actor, municipality, data)
                except ValidationError as exc:
                    result.errors.append(RowError(number, " ".join(exc.messages)))
                    continue
                if created:
                    result.created += 1
                else:
                    result.updated += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


class _Rollback(Exception):
    pass


def _store(kind: str, actor: User, municipality: Municipality, data: dict) -> bool:
    if kind == "institutions":
        # A blank cell leaves the stored value alone; a new institution is municipal
        # unless the file says otherwise.
        values = {k: v for k, v in data.items() if v not in ("", None)}
        existing = municipality.institutions.filter(name__iexact=data["name"]).first()
        if existing is None:
            values.setdefault("ownership", Institution.Ownership.MUNICIPAL)
            services.institution_create(actor=actor, municipality=municipality, **values)
            return True
        services.institution_update(actor=actor, institution=existing, **values)
        return False
    if kind == "groups":
        institution = data["institution"]
        # As for institutions, a blank kind keeps an existing home a home.
        values = {"name": data["name"]}
        if data["kind"]:
            values["kind"] = data["kind"]
        existing = institution.groups.filter(name__iexact=data["name"]).first()
        if existing is None:
            values.setdefault("kind", Group.Kind.ROOM)
            services.group_create(actor=actor, institution=institution, **values)
            return True
        services.group_update(actor=actor, group=existing, **values)
        return False
    institution = data["institution"]
    existed = ChildrenCount.objects.filter(
        institution=institution, counted_on=data["counted_on"]
    ).exists()
    services.children_count_record(
        actor=actor,
        institution=institution,
        counted_on=data["counted_on"],
        aged_0_2=data["aged_0_2"],
        aged_3_5=data["aged_3_5"],
        aged_6_plus=data["aged_6_plus"] or 0,
    )
    return not existed


def template_csv(kind: str) -> str:
    return csv_text(TEMPLATE_ROWS[kind])
