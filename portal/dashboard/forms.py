"""The dashboard's filter and sort form (GET). A value that is not on offer is refused
with a message, and the dashboard then shows every daycare."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.indicators import all_indicators
from institutions.models import Institution

from .selectors import Filters


class DashboardFilterForm(forms.Form):
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("institution", "Kind"), required=False)
    ownership = forms.ChoiceField(label=_("Ownership"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Ascending")), ("desc", _("Descending"))],
    )

    def __init__(self, *args, districts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["district"].choices = everyone + [(d, d) for d in districts]
        self.fields["kind"].choices = everyone + [
            (kind.value, kind.label)
            for kind in Institution.Kind
            if kind in Institution.DAYCARE_KINDS
        ]
        self.fields["ownership"].choices = everyone + list(Institution.Ownership.choices)
        self.fields["sort"].choices = [
            ("", _("Name")),
            ("district", _("District")),
            ("kind", pgettext_lazy("institution", "Kind")),
            ("met", _("Indicators met")),
        ] + [(i.code, i.title) for i in all_indicators()]

    def filters(self) -> Filters:
        """The filters chosen; every daycare, by name, when the form is not valid."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            district=data["district"],
            kind=data["kind"],
            ownership=data["ownership"],
            sort=data["sort"] or "name",
            descending=data["order"] == "desc",
        )
