from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import CountField, DateInput

from .models import ChildrenCount, Group, Institution, Membership, MunicipalRole


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
