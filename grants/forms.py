"""Forms of the grants app. They validate input (amounts in Danish, receipts); the views
then call one service with `cleaned_data`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import purchases
from core.forms import DateInput
from core.money import AmountField
from core.uploads import check_upload
from goals.models import LocalGoal
from institutions.models import Institution

from .models import RECEIPT_TYPES, Application, Earmark, Pool


def _earmark_choices(earmarks) -> list[tuple[str, str]]:
    return [(e, Earmark(e).label) for e in earmarks]


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the pool is for and what the municipality looks for."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Pool.Kind.choices, widget=forms.RadioSelect)
    total_ore = AmountField(label=_("Total amount"))
    period_start = forms.DateField(label=_("The money is spent from"), widget=DateInput())
    period_end = forms.DateField(label=_("The money is spent by"), widget=DateInput())
    opens_on = forms.DateField(
        label=_("Applications open"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for a pool that daycares apply to."),
    )
    closes_on = forms.DateField(
        label=_("Application deadline"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Only for a pool that daycares apply to. Applications can be submitted until the "
            "end of this day."
        ),
    )
    max_per_application_ore = AmountField(
        label=_("Largest amount per application"),
        required=False,
        help_text=_("In kroner."),
    )
    partial_funding_allowed = forms.BooleanField(
        label=_("Applications may be approved in part"), required=False, initial=True
    )
    earmarks = forms.MultipleChoiceField(
        label=_("The money may be spent on"),
        choices=Earmark.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=[(str(k), k.label) for k in Institution.DAYCARE_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to let every daycare apply."),
    )

    def __init__(self, *args, pool: Pool | None = None, **kwargs):
        if pool is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": pool.name,
                    "description": pool.description,
                    "kind": pool.kind,
                    "total_ore": pool.total_ore,
                    "period_start": pool.period_start,
                    "period_end": pool.period_end,
                    "opens_on": pool.opens_on,
                    "closes_on": pool.closes_on,
                    "max_per_application_ore": pool.max_per_application_ore,
                    "partial_funding_allowed": pool.partial_funding_allowed,
                    "earmarks": pool.earmarks,
                    "eligible_kinds": pool.eligible_kinds,
                },
            )
        super().__init__(*args, **kwargs)
        if pool is not None:
            # A pool keeps its kind: its money already moved that way.
            self.fields["kind"].disabled = True


class ApplicationForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=150)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you will do, with which children, and what you expect to learn."),
    )
    local_goal = forms.ModelChoiceField(
        label=_("Which of the daycare's goals does this serve"),
        queryset=LocalGoal.objects.none(),
        required=False,
        empty_label=_("None of the goals in the portal"),
        help_text=_("The daycare's local goal for digital media that the project supports."),
    )
    goal_text = forms.CharField(
        label=_("The goal in your own words"),
        max_length=300,
        required=False,
        help_text=_("Only if the goal is not in the portal yet."),
    )
    amount_asked_ore = AmountField(
        label=_("Amount asked"),
        help_text=_(
            'In kroner, e.g. "20.000". At most the budget below; the daycare may pay the rest.'
        ),
    )
    partial_funding_helps = forms.BooleanField(
        label=_("Partial funding helps us"),
        required=False,
        initial=True,
        help_text=_("Leave unticked if the project cannot go ahead with less than the amount."),
    )

    def __init__(
        self,
        *args,
        institution: Institution,
        application: Application | None = None,
        **kwargs,
    ):
        if application is not None:
            kwargs.setdefault(
                "initial",
                {
                    "project": application.project,
                    "purpose": application.purpose,
                    "local_goal": application.local_goal_id,
                    "goal_text": application.goal_text,
                    "amount_asked_ore": application.amount_asked_ore,
                    "partial_funding_helps": application.partial_funding_helps,
                },
            )
        super().__init__(*args, **kwargs)
        # The daycare's own goals, dropped ones left out (the one already chosen stays).
        goals = LocalGoal.objects.filter(institution=institution).exclude(
            status=LocalGoal.Status.DROPPED
        )
        if application is not None and application.local_goal_id:
            goals = goals | LocalGoal.objects.filter(pk=application.local_goal_id)
        self.fields["local_goal"].queryset = goals.order_by("title")


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=200)
    earmark = forms.ChoiceField(label=_("Earmark"), choices=())
    amount_ore = AmountField(label=_("Amount"), help_text="")

    def __init__(self, *args, earmarks=(), **kwargs):
        super().__init__(*args, **kwargs)
        # An empty first choice, so a line left untouched counts as unchanged (and empty).
        self.fields["earmark"].choices = [("", _("Choose an earmark")), *_earmark_choices(earmarks)]


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms if not self._should_delete_form(form)):
            raise ValidationError(_("Add at least one budget line."))

    def lines(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetLineFormSet, extra=3, max_num=12, validate_max=True
)


def budget_formset(pool: Pool, data=None, application: Application | None = None):
    initial = None
    if application is not None:
        initial = [
            {
                "description": line.description,
                "earmark": line.earmark,
                "amount_ore": line.amount_ore,
            }
            for line in application.budget_lines.all()
        ]
    return BudgetLineFormSet(
        data, initial=initial, prefix="lines", form_kwargs={"earmarks": pool.earmarks}
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the daycare change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Application.Outcome.choices, widget=forms.RadioSelect
    )
    approved_ore = AmountField(
        label=_("Amount granted"),
        required=False,
        help_text=_("Only when approved in part. In kroner."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the application is rejected or approved in part."),
    )
    report_due_on = forms.DateField(
        label=_("Final report due"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for approvals."),
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Application.Outcome.PARTLY_APPROVED and not cleaned.get("approved_ore"):
            self.add_error("approved_ore", _("Give the amount granted."))
        if outcome in (Application.Outcome.REJECTED, Application.Outcome.PARTLY_APPROVED) and (
            not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give the reason."))
        if outcome != Application.Outcome.REJECTED and not cleaned.get("report_due_on"):
            self.add_error("report_due_on", _("Give the date the final report is due."))
        return cleaned


class ReportForm(forms.Form):
    report_text = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you bought and did, and with which children."),
    )
    report_evaluation = forms.CharField(
        label=_("Evaluation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What worked, what did not, and what you will keep doing."),
    )


def validate_receipt(upload) -> None:
    check_upload(upload, accept=RECEIPT_TYPES)


class ExpenseForm(forms.Form):
    earmark = forms.ChoiceField(label=_("Earmark"), choices=())
    spent_on = forms.DateField(label=_("Date of purchase"), widget=DateInput())
    description = forms.CharField(label=_("What was bought"), max_length=200)
    amount_ore = AmountField(label=_("Amount"))
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A PDF or a photo (JPEG, PNG) of at most 10 MB."),
        validators=[validate_receipt],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
    )
    device_id = forms.TypedChoiceField(
        label=_("Device bought"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Register the device under Devices first; then choose it here."),
    )

    def __init__(self, *args, allocations=(), institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earmark"].choices = [(a.earmark, a.get_earmark_display()) for a in allocations]
        self.fields["spent_on"].initial = timezone.localdate()
        # The daycare's devices in service, from the devices area (core/purchases.py).
        devices = purchases.devices(owner_id=institution.pk) if institution is not None else {}
        self.fields["device_id"].choices = [("", _("Not a device"))] + [
            (item.id, item.label) for item in devices.values()
        ]


class ShareRunForm(forms.Form):
    reference_date = forms.DateField(
        label=_("Reference date"),
        widget=DateInput(),
        help_text=_("Each daycare's latest children count on or before this date is used."),
    )
    wifi_reserve_ore = AmountField(
        label=_("Set aside for Wi-Fi where a daycare has none"),
        min_ore=0,
        help_text=_("In whole kroner, per daycare without Wi-Fi; at most its share."),
    )
    rest_earmark = forms.ChoiceField(label=_("The rest is earmarked for"), choices=())
    without_wifi = forms.MultipleChoiceField(
        label=_("Daycares without Wi-Fi"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Their share goes to Wi-Fi first. Ticked from the Wi-Fi the daycares registered; "
            "check before you calculate."
        ),
    )

    def __init__(self, *args, pool: Pool, daycares=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rest_earmark"].choices = _earmark_choices(
            [e for e in pool.earmarks if e != Earmark.WIFI]
        )
        self.fields["without_wifi"].choices = [(str(i.pk), i.name) for i in daycares]
        if Earmark.WIFI not in pool.earmarks:
            del self.fields["without_wifi"]
            self.fields["wifi_reserve_ore"].disabled = True


class DigitalBudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    description = forms.CharField(label=_("What"), max_length=200)
    earmark = forms.ChoiceField(label=_("Kind of purchase"), choices=Earmark.choices)
    amount_ore = AmountField(label=_("Amount"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year - 1, this_year + 3)]
        self.fields["year"].initial = this_year
