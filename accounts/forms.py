from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "language"]
        help_texts = {
            "phone": _("Shown to colleagues, e.g. in the directory of digital ambassadors."),
            "language": _("The language of the portal and of the e-mails you receive."),
        }
