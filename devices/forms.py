"""Forms of the devices app. They validate input; the views then call one service with
`cleaned_data`."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import purchases
from core.forms import CountField, DateInput
from core.money import AmountField
from institutions.models import Group, Institution

from .models import Device, DeviceKind, Funding, Suitcase, WifiSite

MAX_AT_ONCE = 200


def _group_choices(institution: Institution):
    return Group.objects.filter(institution=institution, is_active=True).order_by("name")


def _id_choices(items: dict) -> list[tuple]:
    return [("", "---------")] + [(item.id, item.label) for item in items.values()]


def _id_field(label, help_text="") -> forms.TypedChoiceField:
    """A choice of another area's record by id (core/purchases.py); the service checks
    the id again against its owner."""
    return forms.TypedChoiceField(
        label=label, coerce=int, empty_value=None, required=False, help_text=help_text
    )


class _DeviceFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    model = forms.CharField(label=_("Model"), max_length=100, help_text=_("E.g. iPad 10th gen."))
    group = forms.ModelChoiceField(
        label=_("Group or childminder home"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole house"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Device.Status.choices, initial=Device.Status.AVAILABLE
    )
    purchased_on = forms.DateField(label=_("Purchase date"), required=False, widget=DateInput)
    price_ore = AmountField(label=_("Price"), required=False, min_ore=0)
    funding = forms.ChoiceField(label=_("How it was paid"), choices=Funding.choices, required=False)
    grant_id = _id_field(
        _("Grant"), _("The grant or share of the development funds that paid, if one did.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = _group_choices(institution)
        self.fields["grant_id"].choices = _id_choices(purchases.grants(owner_id=institution.pk))
        # A programme's devices are paid by the programme; it is not chosen by hand.
        self.fields["funding"].choices = [
            (value, label) for value, label in Funding.choices if value != Funding.PROGRAMME
        ]

    def clean(self):
        data = super().clean()
        if data.get("grant_id") and data.get("funding") not in (
            Funding.GRANT,
            Funding.DEVELOPMENT_FUNDS,
        ):
            self.add_error(
                "grant_id",
                _("Choose “A grant” or “The shared development funds” to name a grant."),
            )
        return data


class DeviceForm(_DeviceFields):
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=40, required=False)
    field_order = ["kind", "model", "serial_number", "asset_tag", "group", "status"]

    def __init__(self, *args, device: Device | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if device is not None and device.funding == Funding.PROGRAMME:
            self.fields["funding"].choices = Funding.choices
            self.fields["funding"].disabled = True


class BulkDeviceForm(_DeviceFields):
    count = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=MAX_AT_ONCE,
        initial=1,
        required=False,
        help_text=_("Not needed when you list serial numbers below."),
    )
    serial_numbers = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: one device is registered per serial number."),
    )
    field_order = ["kind", "model", "count", "serial_numbers", "group", "status"]

    def clean(self):
        data = super().clean()
        serials = [s.strip() for s in (data.get("serial_numbers") or "").splitlines() if s.strip()]
        if len(serials) != len(set(serials)):
            self.add_error("serial_numbers", _("A serial number is listed twice."))
        if len(serials) > MAX_AT_ONCE:
            self.add_error(
                "serial_numbers", _("At most %(n)d devices at a time.") % {"n": MAX_AT_ONCE}
            )
        if not serials and not data.get("count"):
            self.add_error("count", _("Write how many, or list their serial numbers."))
        data["serials"] = serials
        return data

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        common = {
            name: data.get(name)
            for name in (
                "kind",
                "model",
                "group",
                "status",
                "purchased_on",
                "price_ore",
                "funding",
                "grant_id",
                "notes",
            )
        }
        serials = data["serials"] or [""] * data["count"]
        return [common | {"serial_number": serial} for serial in serials]


class FilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Group or home"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *DeviceKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Device.Status.choices],
    )

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("All")),
            ("house", _("The whole house")),
            *((str(g.pk), g.name) for g in _group_choices(institution)),
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (semicolon or comma) or Excel (.xlsx), with a header row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Choose a CSV or an Excel (.xlsx) file."))
        return upload


class WifiSiteForm(forms.ModelForm):
    class Meta:
        model = WifiSite
        fields = ["name", "address", "coverage", "established_on", "supplier", "notes"]
        widgets = {"established_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}


# Suitcases ------------------------------------------------------------------------------

_ITEM_LINE = re.compile(r"^\s*(?:(?P<n>\d{1,3})\s*(?:x|×|stk\.?)?\s+)?(?P<name>\S.*?)\s*$")


def parse_items(text: str) -> list[dict]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _ITEM_LINE.match(line)
        if not match or len(match.group("name")) > 150:
            raise ValidationError(
                _("Line %(n)d: write the quantity, then the item, e.g. “6 Bee-Bot robots”.")
                % {"n": number}
            )
        quantity = int(match.group("n") or 1)
        if quantity < 1:
            raise ValidationError(_("Line %(n)d: the quantity is at least 1.") % {"n": number})
        items.append({"name": match.group("name"), "quantity": quantity})
    return items


class SuitcaseForm(forms.ModelForm):
    contents = forms.CharField(
        label=_("Contents"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line with its quantity first, e.g. “6 Bee-Bot robots”."),
    )

    class Meta:
        model = Suitcase
        fields = [
            "name",
            "theme",
            "description",
            "ideas",
            "home_base",
            "status",
            "handover_days",
        ]
        field_classes = {"handover_days": CountField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "ideas": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_base"].queryset = municipality.institutions.daycares().order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["contents"] = "\n".join(
                f"{item.quantity} {item.name}" for item in self.instance.items.all()
            )

    def clean_contents(self):
        items = parse_items(self.cleaned_data["contents"])
        if not items:
            raise ValidationError(_("List at least one item."))
        return items

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["items"] = data.pop("contents")
        return data


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP."))
    description = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        help_text=_("Read aloud to people who cannot see the photo."),
    )


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("First closed day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last closed day"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=150, help_text=_("E.g. Christmas."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last closed day cannot be before the first."))
        return data


class _ForDaycare(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Daycare"), queryset=Institution.objects.none(), empty_label=None
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            pk__in=[i.pk for i in institutions]
        ).order_by("name")
        if len(institutions) == 1:
            self.fields["institution"].initial = institutions[0].pk


class BookingForm(_ForDaycare):
    starts_on = forms.DateField(label=_("Hand-over day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Return day"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The return day cannot be before the hand-over day."))
        return data


class WaitingForm(_ForDaycare):
    wanted_from = forms.DateField(label=_("Wanted from"), widget=DateInput, required=False)
    wanted_to = forms.DateField(label=_("Wanted until"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ChecklistForm(forms.Form):
    """One count (and broken count) per item of the suitcase's contents."""

    note = forms.CharField(
        label=_("Condition note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, returning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"counted_{item.pk}"] = forms.IntegerField(
                label=_("%(item)s: counted (of %(n)d)") % {"item": item.name, "n": item.quantity},
                min_value=0,
                max_value=999,
                initial=item.quantity,
            )
            self.fields[f"broken_{item.pk}"] = forms.IntegerField(
                label=_("%(item)s: broken") % {"item": item.name},
                min_value=0,
                max_value=999,
                initial=0,
            )
        if returning:
            self.fields["returned_on"] = forms.DateField(
                label=_("Returned on"), widget=DateInput, required=False
            )

    def clean(self):
        data = super().clean()
        for item in self.items:
            counted, broken = data.get(f"counted_{item.pk}"), data.get(f"broken_{item.pk}")
            if counted is not None and broken is not None and broken > counted:
                self.add_error(
                    f"broken_{item.pk}", _("The broken cannot be more than those counted.")
                )
        return data

    def counts(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {i.pk: (data[f"counted_{i.pk}"], data[f"broken_{i.pk}"]) for i in self.items}

    def item_rows(self):
        return [
            (item, self[f"counted_{item.pk}"], self[f"broken_{item.pk}"]) for item in self.items
        ]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. Spring 2026."))
    starts_on = forms.DateField(label=_("Season starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Season ends"), widget=DateInput)
    weeks_per_turn = forms.IntegerField(
        label=_("Weeks per turn"), min_value=1, max_value=26, initial=4
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Daycares that want the suitcases"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    suitcases = forms.ModelMultipleChoiceField(
        label=_("Suitcases"), queryset=Suitcase.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        daycares = municipality.institutions.daycares().order_by("name")
        suitcases = municipality.suitcases.filter(status=Suitcase.Status.ACTIVE).order_by("name")
        self.fields["participants"].queryset = daycares
        self.fields["suitcases"].queryset = suitcases
        if not self.is_bound:
            self.initial["participants"] = list(daycares)
            self.initial["suitcases"] = list(suitcases)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The season must end after it starts."))
        return data


class SlotForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Daycare"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("Nobody (remove the turn)"),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = plan.participants.order_by("name")


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    device_kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    device_model = forms.CharField(label=_("Model"), max_length=100)
    units = forms.IntegerField(label=_("Units"), min_value=1, max_value=100_000)
    unit_price_ore = AmountField(label=_("Unit price"), min_ore=0)
    budget_ore = AmountField(label=_("Budget"))
    pool_id = _id_field(_("Paid from pool"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool_id"].choices = _id_choices(purchases.pools(owner_id=municipality.pk))

    def clean(self):
        data = super().clean()
        units, price, budget = data.get("units"), data.get("unit_price_ore"), data.get("budget_ore")
        if units and price is not None and budget is not None and units * price > budget:
            self.add_error(
                "budget_ore", _("The units at the unit price cost more than the budget.")
            )
        return data


class _GroupLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.institution.name}: {obj.name}"


class ProgrammeLineForm(forms.Form):
    group = _GroupLabel(label=_("Group or childminder home"), queryset=Group.objects.none())
    planned = forms.IntegerField(label=_("Units"), min_value=1, max_value=100_000, initial=1)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        # Childminder homes first: central programmes are mostly for them.
        self.fields["group"].queryset = (
            Group.objects.filter(institution__municipality=municipality, is_active=True)
            .select_related("institution")
            .order_by("kind", "institution__name", "name")
        )
