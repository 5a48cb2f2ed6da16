from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PrivacyNotice


class NoticeForm(forms.Form):
    contact = forms.CharField(
        label=_("How to reach the municipality"),
        help_text=_("Address, e-mail and phone of the department that answers questions."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    dpo_name = forms.CharField(
        label=_("Data protection officer"),
        help_text=_("The name of the municipality's data protection officer."),
        max_length=150,
        required=False,
    )
    dpo_email = forms.EmailField(
        label=_("Data protection officer's e-mail"), max_length=254, required=False
    )
    dpo_phone = forms.CharField(
        label=_("Data protection officer's phone"), max_length=30, required=False
    )
    text = forms.CharField(
        label=_("The notice"),
        help_text=_(
            "Separate paragraphs with a blank line. A line that starts with ## is a heading, "
            "lines that start with a dash make a list. The data controller, the data "
            "protection officer and the right to complain to Datatilsynet are always shown "
            "above and below the text."
        ),
        widget=forms.Textarea(attrs={"rows": 30}),
        error_messages={"required": _("Write the notice, or keep the text suggested.")},
        max_length=PrivacyNotice._meta.get_field("text").max_length,
    )
