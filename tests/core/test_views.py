"""The view helpers: a service's result comes back from apply(), its refusal lands on the
form; addresses in e-mails are full ones."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.views import absolute_url, apply


class NameForm(forms.Form):
    name = forms.CharField()


def test_apply_hands_back_what_the_service_made():
    form = NameForm({"name": "Solstrålen"})
    assert form.is_valid()

    done = apply(form, lambda: {"made": form.cleaned_data["name"]})

    assert done
    assert done.value == {"made": "Solstrålen"}


def test_a_service_that_returns_nothing_still_went_through():
    form = NameForm({"name": "Solstrålen"})
    assert form.is_valid()

    assert apply(form, lambda: None)


def test_a_refusal_goes_to_the_error_summary_and_is_falsy():
    form = NameForm({"name": "Solstrålen"})
    assert form.is_valid()

    def refuse():
        raise ValidationError("Puljen er lukket.")

    done = apply(form, refuse)

    assert not done
    assert done.value is None
    assert form.non_field_errors() == ["Puljen er lukket."]


@override_settings(PORTAL_BASE_URL="https://dagtilbud.example.dk/")
def test_absolute_url_puts_the_portal_in_front_of_a_path_only():
    assert absolute_url("/tilskud/3/") == "https://dagtilbud.example.dk/tilskud/3/"
    assert absolute_url("https://andet.example.dk/x") == "https://andet.example.dk/x"
    assert absolute_url("") == ""
