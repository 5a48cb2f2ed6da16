from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.models import EmailPreference
from core.text import reject_bidi_controls
from institutions.models import Child, Group, Institution

from .models import CurriculumTheme, Post, Thread
from .sanitize import text_to_html


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PostForm(forms.Form):
    """A post from an institution (to it or its groups) or from the municipality."""

    audience = forms.ChoiceField(label=_("Who is the post for?"), widget=forms.RadioSelect)
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the post is for chosen groups."),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the post is for chosen institutions."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of post"), choices=Post.Kind.choices, widget=forms.RadioSelect
    )
    themes = forms.MultipleChoiceField(
        label=_("Curriculum themes"),
        choices=CurriculumTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one for a post with insight into the pedagogical work."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, validators=[reject_bidi_controls])
    # The post editor (static/js/post-editor.js) takes the text area's place and writes
    # simple HTML into it; without script it is plain text. The service cleans both.
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8, "data-editor": "post-editor"}),
        max_length=20_000,
        validators=[reject_bidi_controls],
        help_text=_("A blank line starts a new paragraph."),
    )
    # "html" when the editor wrote the text; without it the text area holds plain text,
    # where "<" is a character like any other.
    body_format = forms.ChoiceField(
        choices=[("text", "text"), ("html", "html")],
        required=False,
        initial="text",
        widget=forms.HiddenInput,
    )
    image = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB. Location data is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    image_description = forms.CharField(
        label=_("Describe the photo"),
        max_length=200,
        required=False,
        help_text=_("Read aloud to those who cannot see it."),
        validators=[reject_bidi_controls],
    )
    pictured = forms.ModelMultipleChoiceField(
        label=_("Children in the photo"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # By group, beside the chosen photo (see pictured_groups).
        template_name="messaging/partials/pictured_field.html",
        help_text=_(
            "Families see the photo only if all guardians of every pictured child have "
            "given photo consent."
        ),
    )
    no_children = forms.BooleanField(
        label=_("No children are in the photo"),
        required=False,
        help_text=_("A photo is published only when its children are marked, or this is ticked."),
    )
    files = MultipleFileField(
        label=_("Files"), help_text=_("PDF, Word, Excel, text or images, at most 10 MB each.")
    )
    important = forms.BooleanField(
        label=_("Important: e-mail families at once, also those who get a daily digest"),
        required=False,
    )
    publish_at = forms.DateTimeField(
        label=_("Publish"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty to publish now."),
    )
    expires_at = forms.DateTimeField(
        label=_("Remove from the feed"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("For example after the event it is about."),
    )

    def __init__(self, *args, institution: Institution | None = None, municipality=None, **kw):
        super().__init__(*args, **kw)
        self.institution = institution
        if institution is not None:
            self.fields["audience"].choices = [
                (Post.Audience.INSTITUTION, Post.Audience.INSTITUTION.label),
                (Post.Audience.GROUPS, Post.Audience.GROUPS.label),
            ]
            self.fields["groups"].queryset = institution.groups.filter(is_active=True).order_by(
                "name"
            )
            self.fields["pictured"].queryset = (
                Child.objects.current()
                .filter(group__institution=institution)
                .select_related("group")
                .order_by("group__name", "first_name")
            )
            from .selectors import consented_children

            children = self.fields["pictured"].queryset
            consented = consented_children(children.values_list("pk", flat=True))
            without = _("no photo consent")

            def label(child) -> str:
                name = f"{child.first_name} {child.last_name}".strip()
                return name if child.pk in consented else f"{name}, {without}"

            self.fields["pictured"].label_from_instance = label
            del self.fields["institutions"]
        else:
            self.fields["audience"].choices = [
                (Post.Audience.MUNICIPALITY, Post.Audience.MUNICIPALITY.label),
                (Post.Audience.INSTITUTIONS, Post.Audience.INSTITUTIONS.label),
            ]
            self.fields["institutions"].queryset = municipality.institutions.filter(
                is_active=True
            ).order_by("name")
            del self.fields["groups"]
            del self.fields["pictured"]

    def pictured_groups(self) -> list[tuple[Group, list, bool]]:
        """The children to mark in the photo by group, in the groups' order: each group
        with its checkboxes and whether it starts open (a child in it is marked)."""
        groups: dict[int, tuple[Group, list]] = {}
        for option in self["pictured"].subwidgets:
            child = option.data["value"].instance
            groups.setdefault(child.group_id, (child.group, []))[1].append(option)
        return [
            (group, options, any(option.data["selected"] for option in options))
            for group, options in groups.values()
        ]

    def clean(self):
        cleaned = super().clean()
        if "body" in cleaned and cleaned.get("body_format") != "html":
            cleaned["body"] = text_to_html(cleaned["body"])
        if cleaned.get("image") and not cleaned.get("image_description", "").strip():
            self.add_error("image_description", _("Describe the photo."))
        if cleaned.get("image"):
            self._check_pictured(bool(cleaned.get("pictured")), cleaned.get("no_children"))
        return cleaned

    def _check_pictured(self, marked: bool, no_children: bool) -> None:
        """Who is in the photo is a required step: families see a photo of a child only
        when every guardian consented, so an unmarked child must not slip through."""
        if "pictured" not in self.fields:
            if not no_children:
                self.add_error(
                    "no_children",
                    _(
                        "A photo in a post from the municipality cannot show children. Tick "
                        "“No children are in the photo” if it shows none."
                    ),
                )
        elif marked and no_children:
            self.add_error(
                "no_children",
                _(
                    "You marked children in the photo. Remove the tick at “No children are in "
                    "the photo”."
                ),
            )
        elif not marked and not no_children:
            self.add_error(
                "pictured",
                _("Mark the children in the photo, or tick “No children are in the photo”."),
            )


class ThreadStartForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Which child is it about?"), queryset=None)
    to = forms.ChoiceField(
        label=_("To"), choices=Thread.To.choices, widget=forms.RadioSelect, initial="group"
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: only the leader may read it"),
        required=False,
        help_text=_("The e-mail about an answer will not contain the text."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[reject_bidi_controls])
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_bidi_controls],
    )
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["child"].label_from_instance = lambda c: (
            f"{c.first_name} ({c.group.institution.name}, {c.group.name})"
        )
        if len(children) == 1:
            self.fields["child"].initial = children[0].pk


class StaffComposeForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("Every guardian in these groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guardians = forms.TypedMultipleChoiceField(
        label=_("Or chosen guardians"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: only you, as leader, and the guardian can read it"),
        required=False,
        help_text=_("The e-mail to the guardian will not contain the text."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[reject_bidi_controls])
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_bidi_controls],
    )
    files = MultipleFileField(label=_("Files"))

    def __init__(
        self, *args, institution: Institution, guardian_choices, may_be_sensitive=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = institution.groups.filter(is_active=True).order_by("name")
        self.fields["guardians"].choices = guardian_choices
        if not may_be_sensitive:
            del self.fields["sensitive"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("groups") and not cleaned.get("guardians"):
            raise forms.ValidationError(_("Choose at least one group or guardian."))
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[reject_bidi_controls],
    )
    files = MultipleFileField(label=_("Files"))


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("First closed day"), widget=forms.DateInput())
    ends_on = forms.DateField(label=_("Last closed day"), widget=forms.DateInput())
    reply = forms.CharField(
        label=_("Automatic reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent once per conversation to guardians who write while you are closed."),
    )

    def __init__(self, *args, **kwargs):
        from core.forms import DateInput

        super().__init__(*args, **kwargs)
        self.fields["starts_on"].widget = DateInput()
        self.fields["ends_on"].widget = DateInput()


class EmailSettingsForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in EmailPreference.Category.choices:
            self.fields[category] = forms.ChoiceField(
                label=label,
                choices=EmailPreference.Frequency.choices,
                widget=forms.RadioSelect,
                initial=current.get(category, EmailPreference.Frequency.IMMEDIATE),
            )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in your messages"), max_length=200, required=False)


def guardians_by_pk(pks) -> list[User]:
    return list(User.objects.filter(pk__in=pks).order_by("name"))
