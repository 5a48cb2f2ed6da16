"""Forms of competence development. They validate; the views hand cleaned_data to one
service. Money is entered in kroner and handed on in øre."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput
from core.money import KronerField, kroner_decimal, kroner_to_ore
from core.uploads import MAX_FILES, check_uploads
from institutions.models import Institution
from institutions.querysets import STAFF_ROLES

from .models import Event, Network, PlanActivity, Post
from .themes import AgeGroup, Theme


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ClearableFileInput(forms.ClearableFileInput):
    """Several files in one field (the name keeps the design system's file styling)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = ClearableFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _aware(day, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _kroner_field(label, *, required=True, help_text=""):
    return KronerField(label=label, required=required, help_text=help_text)


def _hours_field(label, *, required=True):
    return forms.DecimalField(
        label=label,
        max_digits=7,
        decimal_places=1,
        min_value=Decimal(0),
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


# Competence plans -------------------------------------------------------------------


class PlanForm(forms.Form):
    budget_kr = _kroner_field(
        _("Money set aside (kr.)"),
        help_text=_("For courses, conferences and networks on digitalisation this year."),
    )
    hours = _hours_field(_("Hours set aside"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("budget_kr") is not None:
            cleaned["budget_ore"] = kroner_to_ore(cleaned["budget_kr"])
        return cleaned

    @classmethod
    def initial_for(cls, plan) -> dict:
        if plan is None:
            return {}
        return {
            "budget_kr": kroner_decimal(plan.budget_ore),
            "hours": plan.hours,
            "notes": plan.notes,
        }


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanActivity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_cost_kr = _kroner_field(_("Planned cost (kr.)"))
    spent_cost_kr = _kroner_field(
        _("Spent (kr.)"), required=False, help_text=_("Fill in when the bill has been paid.")
    )
    planned_hours = _hours_field(_("Planned hours"))
    spent_hours = _hours_field(_("Hours used"), required=False)

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            User.objects.filter(
                memberships__institution=institution, memberships__role__in=STAFF_ROLES
            )
            .distinct()
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The activity cannot end before it starts."))
        if cleaned.get("planned_cost_kr") is not None:
            cleaned["planned_cost_ore"] = kroner_to_ore(cleaned["planned_cost_kr"])
        spent = cleaned.get("spent_cost_kr")
        cleaned["spent_cost_ore"] = kroner_to_ore(spent) if spent is not None else None
        return cleaned

    @classmethod
    def initial_for(cls, activity: PlanActivity) -> dict:
        return {
            "kind": activity.kind,
            "title": activity.title,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "participants": list(activity.participants.all()),
            "planned_cost_kr": kroner_decimal(activity.planned_cost_ore),
            "spent_cost_kr": kroner_decimal(activity.spent_cost_ore)
            if activity.spent_cost_ore is not None
            else None,
            "planned_hours": activity.planned_hours,
            "spent_hours": activity.spent_hours,
        }


# Events -----------------------------------------------------------------------------


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    is_kickoff = forms.BooleanField(
        label=_("This is the strategy's kick-off conference"),
        required=False,
        help_text=_("For every leader and at least one employee from each daycare."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, max_value=10000, help_text=_("Seats in all.")
    )
    audience = forms.CharField(
        label=_("Who it is for"),
        max_length=300,
        required=False,
        help_text=_("For example: daycare leaders and one employee from each daycare."),
    )
    programme = forms.CharField(
        label=_("Programme"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    registration_closes_on = forms.DateField(
        label=_("Last day to register"), widget=DateInput(), required=False
    )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
            else:
                cleaned["starts_at"] = _aware(day, start)
                cleaned["ends_at"] = _aware(day, end)
        closes = cleaned.get("registration_closes_on")
        if closes and day and closes > day:
            self.add_error(
                "registration_closes_on",
                _("Registration must close no later than the day of the event."),
            )
        return cleaned

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "title": event.title,
            "kind": event.kind,
            "is_kickoff": event.is_kickoff,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "place": event.place,
            "address": event.address,
            "capacity": event.capacity,
            "audience": event.audience,
            "programme": event.programme,
            "registration_closes_on": event.registration_closes_on,
        }


class RegistrationForm(forms.Form):
    """Whom to register: a leader chooses among her daycare's staff, others register
    themselves. The value is "<institution id>:<user id>"."""

    person = forms.ChoiceField(label=_("Who is coming?"))

    def __init__(self, *args, people: list[tuple[Institution, list[User]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup: dict[str, tuple[Institution, User]] = {}
        choices = []
        for institution, users in people:
            options = []
            for user in users:
                value = f"{institution.pk}:{user.pk}"
                self.lookup[value] = (institution, user)
                options.append((value, user.name))
            if options:
                choices.append((institution.name, options))
        self.fields["person"].choices = choices

    def clean(self):
        cleaned = super().clean()
        chosen = self.lookup.get(cleaned.get("person", ""))
        if chosen:
            cleaned["institution"], cleaned["user"] = chosen
        return cleaned


# Networks ---------------------------------------------------------------------------


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cadence = forms.IntegerField(
        label=_("Meetings per year"),
        min_value=1,
        max_value=12,
        help_text=_("For example 3: the network meets three times a year."),
    )
    audience = forms.ChoiceField(
        label=_("Who takes part from each daycare"), choices=Network.Audience.choices
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=User.objects.none(),
        help_text=_("Writes the minutes and is reminded when they are missing."),
    )
    usual_place = forms.CharField(label=_("Usual place"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Member daycares"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = (
            User.objects.filter(municipal_roles__municipality=municipality)
            .distinct()
            .order_by("name")
        )
        self.fields["members"].queryset = municipality.institutions.daycares().order_by("name")

    @classmethod
    def initial_for(cls, network: Network) -> dict:
        return {
            "name": network.name,
            "purpose": network.purpose,
            "cadence": network.cadence,
            "audience": network.audience,
            "organiser": network.organiser,
            "usual_place": network.usual_place,
            "members": list(network.members.all()),
        }


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]
DURATIONS = [(60, _("1 hour")), (90, _("1½ hours")), (120, _("2 hours")), (180, _("3 hours"))]


class GenerateMeetingsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=WEEKDAYS,
        coerce=int,
        initial=1,
        help_text=_("The meetings fall on the second of these weekdays in their months."),
    )
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput(), initial=time(13, 0))
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"), choices=DURATIONS, coerce=int, initial=120
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("duration_minutes"):
            cleaned["duration"] = timedelta(minutes=cleaned["duration_minutes"])
        return cleaned


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
            else:
                cleaned["starts_at"] = _aware(day, start)
                cleaned["ends_at"] = _aware(day, end)
        return cleaned

    @classmethod
    def initial_for(cls, meeting) -> dict:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "place": meeting.place,
            "agenda": meeting.agenda,
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Up to %(count)d files at a time: PDF, Word, PowerPoint, Excel or photos, "
            "at most 10 MB each."
        )
        % {"count": MAX_FILES},
    )

    def clean_files(self):
        return check_uploads(self.cleaned_data.get("files") or [])


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Daycares that took part"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = meeting.network.members.order_by("name")


# Knowledge sharing ------------------------------------------------------------------


class PostForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("From which daycare"), queryset=Institution.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("What did you do, and what did you learn?"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Curriculum themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    device = forms.CharField(
        label=_("Device or app used"),
        max_length=150,
        required=False,
        help_text=_("For example: iPad, Book Creator, interactive whiteboard."),
    )
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    files = MultipleFileField(
        label=_("Photos and files"),
        help_text=_(
            "Up to %(count)d files: photos (JPEG, PNG) or PDF, Word, PowerPoint and Excel "
            "files, at most 10 MB each. Only share photos of children whose guardians have "
            "agreed. Location and camera details are removed from photos."
        )
        % {"count": MAX_FILES},
    )
    remove_files = forms.MultipleChoiceField(
        label=_("Remove files"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, institutions: list[Institution], post: Post | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            pk__in=[i.pk for i in institutions]
        ).order_by("name")
        if len(institutions) == 1:
            self.fields["institution"].initial = institutions[0].pk
        if post is None:
            del self.fields["remove_files"]
        else:
            del self.fields["institution"]
            choices = [(str(f.pk), f.name) for f in post.files.all()]
            if choices:
                self.fields["remove_files"].choices = choices
            else:
                del self.fields["remove_files"]

    def clean_files(self):
        return check_uploads(self.cleaned_data.get("files") or [])

    def clean_remove_files(self):
        return [int(pk) for pk in self.cleaned_data.get("remove_files") or []]

    @classmethod
    def initial_for(cls, post: Post) -> dict:
        return {
            "title": post.title,
            "body": post.body,
            "themes": post.themes,
            "device": post.device,
            "age_group": post.age_group,
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


def member_choices(institution: Institution) -> list[User]:
    return list(
        User.objects.filter(
            memberships__institution=institution,
            memberships__role__in=STAFF_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )
