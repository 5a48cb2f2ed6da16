from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import CountField, DateInput
from core.uploads import IMAGE, check_upload

from .models import ChildrenCount, Group, Institution, Letterhead, Membership, MunicipalRole

LOGO_MAX_BYTES = 2 * 1024 * 1024


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "kind",
            "ownership",
            "street",
            "postcode",
            "city",
            "district",
            "email",
            "phone",
            "is_active",
        ]
        help_texts = {
            "district": _("Used to filter the municipality's overview."),
            "is_active": _("An institution that has closed is kept for its history."),
        }


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "kind", "childminder", "is_active"]
        help_texts = {"childminder": _("Only for a childminder home.")}

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["childminder"].queryset = User.objects.filter(
            memberships__institution=institution, memberships__role=Membership.Role.CHILDMINDER
        ).order_by("name")
        self.fields["childminder"].required = False


class ChildForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    started_on = forms.DateField(label=_("Started"), widget=DateInput(), required=False)

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = institution.groups.filter(is_active=True).order_by("name")


class ChildrenCountForm(forms.ModelForm):
    class Meta:
        model = ChildrenCount
        fields = ["counted_on", "aged_0_2", "aged_3_5", "aged_6_plus"]
        field_classes = {"aged_0_2": CountField, "aged_3_5": CountField, "aged_6_plus": CountField}
        widgets = {"counted_on": DateInput()}

    def validate_unique(self):
        # Recording a date again corrects that date's count (see children_count_record).
        pass


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=())
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class GuardianInvitationForm(forms.Form):
    name = forms.CharField(label=_("Guardian's name"), max_length=150)
    email = forms.EmailField(label=_("Guardian's e-mail address"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )


def municipal_role_choices() -> list[tuple[str, str]]:
    return list(MunicipalRole.Role.choices)


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Avoid common words and your name."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                validate_password(first, User(email=self.email, name=cleaned.get("name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ImportForm(forms.Form):
    KIND_CHOICES = [
        ("institutions", _("Institutions")),
        ("groups", _("Groups and childminder homes")),
        ("counts", _("Children counts")),
    ]
    kind = forms.ChoiceField(
        label=_("What does the file contain?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large. The largest file is %(size)d MB.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or an Excel (.xlsx) file."))
        return upload


class LetterheadForm(forms.ModelForm):
    """The letterhead and the two complaint guidances; the service decides what is stored."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A picture (PNG or JPEG, at most 2 MB), printed at the top of each letter."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    field_order = [
        "department",
        "address",
        "phone",
        "email",
        "logo",
        "remove_logo",
        "grants_complaints",
        "places_complaints",
    ]

    class Meta:
        model = Letterhead
        fields = [
            "department",
            "address",
            "phone",
            "email",
            "grants_complaints",
            "places_complaints",
        ]
        labels = {
            "department": _("Department"),
            "address": _("Address"),
            "phone": _("Phone"),
            "email": _("E-mail"),
            "grants_complaints": _("Complaint guidance for grant decisions"),
            "places_complaints": _("Complaint guidance for place allocation"),
        }
        help_texts = {
            "department": _("The sender under the municipality's name, e.g. Dagtilbud."),
            "address": _("Street and number on one line, postcode and town on the next."),
            "grants_complaints": _(
                "Printed under every decision on an application for a grant. Say to whom, "
                "within what time and how the daycare can complain. Separate paragraphs "
                "with a blank line."
            ),
            "places_complaints": _(
                "Printed under every offer of a place and every letter about a place "
                "declined or run out. Say to whom, within what time and how the parents "
                "can complain. Separate paragraphs with a blank line."
            ),
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "grants_complaints": forms.Textarea(attrs={"rows": 10}),
            "places_complaints": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("grants_complaints", "places_complaints"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "Write the complaint guidance, or keep the text suggested."
            )
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return check_upload(upload, accept=(IMAGE,), max_bytes=LOGO_MAX_BYTES)


class WorkbookForm(forms.Form):
    file = forms.FileField(label=_("The workbook"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) made from the template, at most %(size)d MB."
        ) % {"size": settings.ONBOARDING_MAX_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ONBOARDING_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large. The largest file is %(size)d MB.")
                % {"size": settings.ONBOARDING_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        return upload
