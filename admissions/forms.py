"""Forms of place allocation. They validate input; the views then call one service with
`cleaned_data`."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from institutions.models import Child, Group, Institution

from . import rules
from .models import Policy, PriorityRule

ORDINALS = [
    _("First wish"),
    _("Second wish"),
    _("Third wish"),
    _("Fourth wish"),
    _("Fifth wish"),
    _("Sixth wish"),
    _("Seventh wish"),
    _("Eighth wish"),
    _("Ninth wish"),
    _("Tenth wish"),
]


class MonthInput(forms.DateInput):
    """The browser's month picker ("2026-08")."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    widget = MonthInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d", "%m/%Y"])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return rules.first_of_month(value) if value else value


class DaycareChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


def daycares(municipality) -> list[Institution]:
    return Institution.objects.filter(municipality=municipality).daycares().order_by("name")


class WishesForm(forms.Form):
    """Ranked wishes: one select per wish the municipality allows; the first required."""

    def __init__(self, *args, policy: Policy, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        choices = daycares(municipality)
        for index in range(policy.max_wishes):
            self.fields[f"wish_{index + 1}"] = DaycareChoice(
                queryset=choices,
                label=ORDINALS[index],
                required=index == 0,
                empty_label=_("Choose a daycare") if index == 0 else _("No further wish"),
                help_text=_(
                    "Nurseries and childminding take children under three, kindergartens "
                    "from three; an integrated institution takes both, to school start."
                )
                if index == 0
                else "",
            )
        self.wish_count = policy.max_wishes

    def wishes(self) -> list[Institution]:
        return [
            self.cleaned_data[f"wish_{n}"]
            for n in range(1, self.wish_count + 1)
            if self.cleaned_data.get(f"wish_{n}")
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"wish_{n}") for n in range(1, self.wish_count + 1)]
        seen = set()
        for index, institution in enumerate(chosen, start=1):
            if institution is None:
                continue
            if institution.pk in seen:
                self.add_error(f"wish_{index}", _("You have already wished this daycare."))
            seen.add(institution.pk)
        return cleaned


class SignupForm(WishesForm):
    child_first_name = forms.CharField(label=_("Child's first name"), max_length=100)
    child_last_name = forms.CharField(label=_("Child's last name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput)
    wished_start = forms.DateField(
        label=_("Wished start date"),
        widget=DateInput,
        help_text=_("The first day you want a place."),
    )
    needs = forms.CharField(
        label=_("Needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Special needs the municipality should know of. If they give priority, the "
            "municipality assesses them and may ask for documentation."
        ),
    )

    def __init__(self, *args, current_children: list[Child] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Wishes after the child's details.
        order = ["child_first_name", "child_last_name", "birth_date", "wished_start", "needs"]
        if current_children:
            self.fields["current_child"] = forms.ModelChoiceField(
                queryset=Child.objects.filter(pk__in=[c.pk for c in current_children]),
                required=False,
                label=_("Child already in daycare"),
                empty_label=_("No, a new child"),
                help_text=_("Moving from a nursery or childminding to kindergarten."),
            )
            order.append("current_child")
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        birth, start = cleaned.get("birth_date"), cleaned.get("wished_start")
        today = timezone.localdate()
        if birth and birth > today:
            self.add_error("birth_date", _("The birth date cannot be in the future."))
        elif birth and birth <= today - timedelta(days=7 * 365):
            self.add_error("birth_date", _("A child of school age cannot be signed up."))
        if start and start < today:
            self.add_error("wished_start", _("The wished start date cannot be in the past."))
        elif birth and start and start >= rules.school_start(birth):
            self.add_error("wished_start", _("The child starts school before this date."))
        return cleaned


class PaperSignupForm(SignupForm):
    parent_name = forms.CharField(label=_("Parent's name"), max_length=150)
    parent_address = forms.CharField(
        label=_("Parent's address"),
        max_length=200,
        help_text=_("The letters are printed and posted to this address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["parent_name", "parent_address"])


_RULE_CHOICES = [("", _("Not used")), *PriorityRule.choices]


class PolicyForm(forms.Form):
    is_open = forms.BooleanField(label=_("Parents can sign up in the portal"), required=False)
    guarantee_age_weeks = forms.IntegerField(
        label=_("Place guaranteed from the age of (weeks)"),
        min_value=0,
        max_value=rules.LEGAL_AGE_WEEKS,
        help_text=_("The law says 26 weeks; you may guarantee a place earlier."),
    )
    guarantee_months_after_signup = forms.IntegerField(
        label=_("Place guaranteed at the latest (months after sign-up)"),
        min_value=0,
        max_value=rules.LEGAL_MONTHS_AFTER_SIGNUP,
        help_text=_("The law says three months; you may promise a shorter wait."),
    )
    seniority_from_birth_months = forms.IntegerField(
        label=_("Seniority from birth when signed up before the age of (months)"),
        min_value=0,
        max_value=24,
        help_text=_("0: seniority always counts from the sign-up date."),
    )
    priority_1 = forms.ChoiceField(label=_("Priority 1"), choices=_RULE_CHOICES, required=False)
    priority_2 = forms.ChoiceField(label=_("Priority 2"), choices=_RULE_CHOICES, required=False)
    priority_3 = forms.ChoiceField(label=_("Priority 3"), choices=_RULE_CHOICES, required=False)
    priority_4 = forms.ChoiceField(label=_("Priority 4"), choices=_RULE_CHOICES, required=False)
    max_wishes = forms.IntegerField(
        label=_("Number of wishes allowed"), min_value=1, max_value=len(ORDINALS)
    )
    offer_response_days = forms.IntegerField(
        label=_("Days the parents have to answer an offer"), min_value=1, max_value=60
    )
    guarantee_warning_days = forms.IntegerField(
        label=_("Warn this many days before the guarantee date"), min_value=0, max_value=365
    )

    @classmethod
    def initial_for(cls, policy: Policy) -> dict:
        initial = {
            name: getattr(policy, name)
            for name in cls.base_fields
            if not name.startswith("priority_")
        }
        for index, code in enumerate(policy.priority_order, start=1):
            initial[f"priority_{index}"] = code
        return initial

    def clean(self):
        cleaned = super().clean()
        order = [cleaned.get(f"priority_{n}") for n in range(1, 5)]
        order = [code for code in order if code]
        if len(set(order)) != len(order):
            raise ValidationError(_("Each priority rule can appear once only."))
        cleaned["priority_order"] = order
        return cleaned


class CapacityForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group or home"))
    first_month = MonthField(label=_("From month"))
    last_month = MonthField(
        label=_("To month"), required=False, help_text=_("Leave empty for one month.")
    )
    places = forms.IntegerField(label=_("Places for new children"), min_value=0, max_value=200)

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = institution.groups.filter(is_active=True).order_by("name")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("The last month must come after the first."))
        return cleaned


class OfferForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group or home"))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    deadline = forms.DateField(
        label=_("Answer by"),
        widget=DateInput,
        help_text=_("The parents can answer until the end of this day."),
    )

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = institution.groups.filter(is_active=True).order_by("name")

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        today = timezone.localdate()
        if start and start < today:
            self.add_error("start_date", _("The start date cannot be in the past."))
        if deadline and deadline < today:
            self.add_error("deadline", _("The deadline cannot be in the past."))
        elif start and deadline and deadline > start:
            self.add_error("deadline", _("The parents must answer before the start date."))
        return cleaned


class SchoolMoveForm(forms.Form):
    child = forms.ModelChoiceField(queryset=Child.objects.none(), widget=forms.HiddenInput)
    school_group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("School class"))
    after_school_group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        label=_("After-school care"),
        required=False,
        empty_label=_("None"),
    )
    on = forms.DateField(label=_("First school day"), widget=DateInput)

    def __init__(self, *args, children, schools, after_school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(pk__in=[c.pk for c in children])
        self.fields["school_group"].queryset = Group.objects.filter(
            pk__in=[g.pk for g in schools]
        ).select_related("institution")
        self.fields["after_school_group"].queryset = Group.objects.filter(
            pk__in=[g.pk for g in after_school]
        ).select_related("institution")
        self.fields["school_group"].label_from_instance = _group_label
        self.fields["after_school_group"].label_from_instance = _group_label


def _group_label(group: Group) -> str:
    return f"{group.institution.name}: {group.name}"


def next_school_start(today: date) -> date:
    year = today.year if today.month < rules.SCHOOL_START_MONTH else today.year + 1
    return date(year, rules.SCHOOL_START_MONTH, 1)
