"""Forms of the goals app. They validate input; the views then call one service with
`cleaned_data` (field names match the services' keyword arguments)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from core.forms import DateInput, TypedTextField, YearField
from core.indicators import Area
from core.money import KronerField, kroner_decimal, kroner_to_ore
from core.uploads import DOCUMENT, IMAGE, IMAGE_EXTENSIONS, check_upload
from institutions.models import Institution
from institutions.querysets import STAFF_ROLES

from .models import (
    ActionPlan,
    ActionStep,
    CurriculumTheme,
    Evidence,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    Project,
    StrategyItem,
    StrategyPeriod,
)


def members(institution: Institution):
    """The people who work in the daycare: they may own steps and decisions."""
    return (
        User.objects.filter(
            memberships__institution=institution, memberships__role__in=STAFF_ROLES, is_active=True
        )
        .distinct()
        .order_by("name")
    )


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """The themes in force, each with its 2004 name too, since institutions mix them."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=CurriculumTheme.objects.current(), required=False, **kwargs)
        self._old_names = {}

    def prepare(self) -> None:
        self._old_names = dict(
            CurriculumTheme.objects.filter(version=CurriculumTheme.Version.V2004).values_list(
                "code", "name"
            )
        )

    def label_from_instance(self, obj) -> str:
        old = self._old_names.get(obj.code)
        if old and old != obj.name:
            return _("%(name)s (2004: %(old)s)") % {"name": obj.name, "old": old}
        return obj.name


def current_themes_for(themes) -> list[CurriculumTheme]:
    """The 2018 themes matching `themes` (of either version)."""
    codes = {theme.code for theme in themes}
    return list(CurriculumTheme.objects.current().filter(code__in=codes))


# The strategy -------------------------------------------------------------------------


class PeriodForm(forms.ModelForm):
    copy_last = forms.BooleanField(label="", required=False)

    class Meta:
        model = StrategyPeriod
        fields = ["title", "start_year", "end_year", "introduction"]
        field_classes = {"start_year": YearField, "end_year": YearField}
        help_texts = {"start_year": _("For example 2013."), "end_year": _("For example 2015.")}

    def __init__(self, *args, last: StrategyPeriod | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.last = last
        if last is None:
            del self.fields["copy_last"]
        else:
            self.fields["copy_last"].label = _(
                "Start as a copy of %(period)s (focus areas, goals and actions)"
            ) % {"period": str(last)}
            self.fields["copy_last"].initial = True

    def validate_unique(self):
        # Overlapping years are refused by the service, with the clashing period named.
        pass


class FocusAreaForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    area = forms.ChoiceField(
        label=_("Measured as"),
        choices=[("", _("Not measured by the portal's indicators")), *Area.choices],
        required=False,
        help_text=_("Which of the portal's indicator areas measures this focus area."),
    )


class StrategyItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=StrategyItem.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Where the strategy gives one, e.g. 31 December 2014."),
    )
    timing = forms.CharField(
        label=_("When"),
        max_length=100,
        required=False,
        help_text=_("As the strategy says it, e.g. “autumn 2013”."),
    )
    budget_kr = KronerField(label=_("Budget (kr.)"), required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["budget_ore"] = kroner_to_ore(cleaned.pop("budget_kr", None))
        return cleaned


# A daycare's plans and goals ----------------------------------------------------------


class LocalPlanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of plan"), choices=LocalPlan.Kind.choices, widget=forms.RadioSelect
    )
    year = forms.IntegerField(
        label=_("Year of the business plan"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("For a business plan."),
    )
    adopted_on = forms.DateField(
        label=_("Date of the curriculum revision"),
        widget=DateInput(),
        required=False,
        help_text=_("For a curriculum revision."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == LocalPlan.Kind.BUSINESS_PLAN and cleaned.get("year") is None:
            self.add_error("year", _("Give the year of the business plan."))
        if kind == LocalPlan.Kind.CURRICULUM_REVISION and cleaned.get("adopted_on") is None:
            self.add_error("adopted_on", _("Give the date the curriculum was revised."))
        return cleaned


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    children_activity = forms.CharField(
        label=_("What the children will do"), widget=forms.Textarea, required=False
    )
    didactic_considerations = forms.CharField(
        label=_("Didactic considerations"),
        widget=forms.Textarea,
        help_text=_(
            "Why digital media, how the adults take part, and what the children learn from it."
        ),
    )
    inclusion = forms.CharField(
        label=_("Inclusion, participation and say"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "How the goal supports an inclusive learning environment and the children's "
            "participation and say."
        ),
    )
    themes = ThemeChoiceField(label=_("Curriculum themes"))
    municipal_goals = forms.ModelMultipleChoiceField(
        label=_("Municipal goals it answers"),
        queryset=StrategyItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=LocalPlan.objects.none(),
        required=False,
        empty_label=_("Not tied to a plan yet"),
        help_text=_("The business plan or curriculum revision the goal belongs to."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=LocalGoal.Status.choices,
        widget=forms.RadioSelect,
        initial=LocalGoal.Status.DRAFT,
    )
    review_on = forms.DateField(label=_("Review date"), widget=DateInput(), required=False)

    def __init__(self, *args, institution: Institution, goal: LocalGoal | None = None, **kwargs):
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": goal.title,
                    "children_activity": goal.children_activity,
                    "didactic_considerations": goal.didactic_considerations,
                    "inclusion": goal.inclusion,
                    "themes": current_themes_for(goal.themes.all()),
                    "municipal_goals": list(goal.municipal_goals.all()),
                    "plan": goal.plan,
                    "status": goal.status,
                    "review_on": goal.review_on,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["themes"].prepare()
        self.fields["plan"].queryset = institution.goal_plans.all()
        latest = (
            StrategyPeriod.objects.filter(municipality_id=institution.municipality_id)
            .order_by("-start_year")
            .first()
        )
        offered = StrategyItem.objects.filter(
            kind=StrategyItem.Kind.MUNICIPAL_GOAL, focus_area__period=latest
        )
        if goal is not None:
            offered = offered | StrategyItem.objects.filter(local_goals=goal)
        self.fields["municipal_goals"].queryset = (
            offered.distinct()
            .select_related("focus_area")
            .order_by("focus_area__number", "position")
        )
        self.fields["municipal_goals"].label_from_instance = lambda item: (
            f"{item.focus_area.number}. {item.focus_area.title}: {item}"
        )


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "description"]


class StepForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("A member of the daycare's staff, who carries the step out."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members(institution)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStep.Status.choices)


class EvidenceForm(forms.Form):
    """A text, a link, a document or a photo. The kind decides which fields count: the
    text is needed for a text and is a caption otherwise; what was typed in a field the
    kind does not use is not saved and does not stop the save."""

    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        initial=Evidence.Kind.TEXT,
        required=False,  # none chosen: what was filled in says it (see clean)
    )
    text = TypedTextField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "What was done: needed for a text. For a link, file or photo: a short caption, "
            "if you like."
        ),
    )
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a link. Starts with https://"),
    )
    file = forms.FileField(
        label=_("File or photo"),
        required=False,
        help_text=_(
            "For a file or photo. Documents: PDF, Word, Excel, PowerPoint or OpenDocument. "
            "Photos: JPEG, PNG or WebP. At most 10 MB."
        ),
    )
    # Each is needed for one kind only: the label must not call it optional.
    kind.optional_mark = text.optional_mark = url.optional_mark = file.optional_mark = False

    USES = {
        Evidence.Kind.TEXT: {"text"},
        Evidence.Kind.LINK: {"text", "url"},
        Evidence.Kind.FILE: {"text", "file"},
        Evidence.Kind.PHOTO: {"text", "file"},
    }

    def _kind_by_content(self) -> str:
        upload = self.files.get(self.add_prefix("file"))
        if upload is not None:
            name = upload.name.lower()
            is_photo = name.endswith(tuple(IMAGE_EXTENSIONS))
            return Evidence.Kind.PHOTO if is_photo else Evidence.Kind.FILE
        if self.data.get(self.add_prefix("url"), "").strip():
            return Evidence.Kind.LINK
        return Evidence.Kind.TEXT

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or ("" if "kind" in self.errors else self._kind_by_content())
        cleaned["kind"] = kind
        # A field the kind does not use neither stops the save nor is saved.
        for name in ("url", "file"):
            if kind and name not in self.USES.get(kind, ()):
                self._errors.pop(name, None)
                cleaned[name] = "" if name == "url" else None
        upload = cleaned.get("file")
        if kind == Evidence.Kind.TEXT and "text" not in self.errors:
            if not cleaned.get("text", "").strip():
                self.add_error("text", _("Describe what was done."))
        elif kind == Evidence.Kind.LINK and not cleaned.get("url"):
            if "url" not in self.errors:
                self.add_error("url", _("Give the link."))
        elif kind in (Evidence.Kind.FILE, Evidence.Kind.PHOTO):
            if upload is None:
                if "file" not in self.errors:
                    self.add_error("file", _("Choose a file."))
            else:
                try:
                    kinds = (IMAGE,) if kind == Evidence.Kind.PHOTO else (DOCUMENT,)
                    check_upload(upload, accept=kinds)
                except forms.ValidationError as error:
                    self.add_error("file", error)
        cleaned["upload"] = cleaned.pop("file", None)
        return cleaned


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Date of the evaluation"), widget=DateInput())
    summary = forms.CharField(label=_("Summary of the evaluation"), widget=forms.Textarea)
    children_perspective = forms.BooleanField(
        label=_("The children's perspective was included"), required=False
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("The evaluation as PDF, Word or OpenDocument. At most 10 MB."),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None:
            check_upload(document, accept=(DOCUMENT,))
        return document

    def clean_evaluated_on(self):
        day = self.cleaned_data["evaluated_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("An evaluation cannot be dated in the future."))
        return day


class DiscussionForm(forms.Form):
    forum = forms.ChoiceField(
        label=_("Forum"), choices=ForumDiscussion.Forum.choices, widget=forms.RadioSelect
    )
    forum_other = forms.CharField(
        label=_("Name of the forum"),
        max_length=100,
        required=False,
        help_text=_("Only when the forum is another one."),
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who took part, e.g. “the leader, 6 pedagogues, 2 assistants”."),
    )
    reflection = forms.CharField(label=_("Reflection"), widget=forms.Textarea, required=False)
    ethics = forms.CharField(
        label=_("Ethical considerations"), widget=forms.Textarea, required=False
    )
    ownership = forms.CharField(
        label=_("Ownership of the work"),
        widget=forms.Textarea,
        required=False,
        help_text=_("How staff, parents and children come to own the work."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One decision per line. Each can become a step in an action plan."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["decisions"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("forum") == ForumDiscussion.Forum.OTHER
            and not cleaned.get("forum_other", "").strip()
        ):
            self.add_error("forum_other", _("Name the forum."))
        held_on = cleaned.get("held_on")
        if held_on and held_on > timezone.localdate():
            self.add_error("held_on", _("Record a discussion once it has taken place."))
        if "decisions" in cleaned:
            cleaned["decisions"] = [
                line.strip() for line in cleaned["decisions"].splitlines() if line.strip()
            ]
        return cleaned


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("discussion", "Decision"), widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody named"),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = members(institution)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    strategy_item = forms.ModelChoiceField(
        label=_("Concrete action in the strategy"),
        queryset=StrategyItem.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Participating institutions"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    partner = forms.CharField(
        label=_("Partner"),
        max_length=200,
        required=False,
        help_text=_("A firm or organisation working with the project, if any."),
    )
    themes = ThemeChoiceField(label=_("Curriculum themes"))
    budget_kr = KronerField(label=_("Budget (kr.)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Project.Status.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("End"), widget=DateInput(), required=False)
    evaluation = forms.CharField(
        label=_("Evaluation"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What the project showed, once it has run."),
    )

    def __init__(self, *args, municipality, project: Project | None = None, **kwargs):
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": project.title,
                    "description": project.description,
                    "strategy_item": project.strategy_item,
                    "institutions": list(project.institutions.all()),
                    "partner": project.partner,
                    "themes": current_themes_for(project.themes.all()),
                    "budget_kr": kroner_decimal(project.budget_ore),
                    "status": project.status,
                    "starts_on": project.starts_on,
                    "ends_on": project.ends_on,
                    "evaluation": project.evaluation,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["themes"].prepare()
        self.fields["institutions"].queryset = municipality.institutions.daycares().order_by("name")
        self.fields["strategy_item"].queryset = (
            StrategyItem.objects.filter(
                kind=StrategyItem.Kind.ACTION, focus_area__period__municipality=municipality
            )
            .select_related("focus_area__period")
            .order_by("-focus_area__period__start_year", "focus_area__number", "position")
        )
        self.fields["strategy_item"].label_from_instance = lambda item: (
            f"{item.focus_area.period.years}, {item.focus_area.number}: {item}"
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["budget_ore"] = kroner_to_ore(cleaned.pop("budget_kr", None))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return cleaned
