"""The design-system form renderer: every form gets the design system's classes, labels
tied to their inputs, and, when it has errors, a summary that links to each field."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from core.forms import DateInput
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class ApplicationForm(forms.Form):
    title = forms.CharField(label="Title", max_length=20)
    amount = forms.IntegerField(label="Amount", help_text="Whole kroner.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    urgent = forms.BooleanField(label="Urgent", required=False)
    reach = forms.ChoiceField(
        label="Reach", choices=[("one", "One"), ("all", "All")], widget=forms.RadioSelect
    )
    due = forms.DateField(label="Due", widget=DateInput, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


def tag(html: str, element_id: str) -> str:
    match = re.search(rf"<(input|select|textarea)[^>]*\bid=\"{element_id}\"[^>]*>", html)
    assert match, f"no element #{element_id}"
    return match.group(0)


def test_inputs_get_the_design_systems_classes():
    html = str(ApplicationForm())

    assert 'class="form-input"' in tag(html, "id_title")
    assert 'class="form-select"' in tag(html, "id_kind")
    assert 'class="form-checkbox"' in tag(html, "id_urgent")
    assert 'class="form-radio"' in tag(html, "id_reach_0")
    assert 'class="form-input"' in tag(html, "id_notes")
    assert 'type="date"' in tag(html, "id_due")


def test_every_field_has_a_label_for_its_input_and_optional_fields_say_so():
    html = str(ApplicationForm())

    for field in ("title", "amount", "kind", "urgent", "due", "notes"):
        assert f'<label class="form-label" for="id_{field}">' in html
    assert "<legend" in html  # the radio buttons are grouped under their question
    assert re.search(r'for="id_notes">Notes<span class="weight-normal"> \(', html)
    assert 'id="id_amount_helptext"' in html


def test_a_form_without_errors_has_no_error_summary():
    html = str(ApplicationForm())

    assert "error-summary" not in html


def test_a_form_with_errors_starts_with_a_summary_linking_to_each_field():
    form = ApplicationForm(data={"title": "x" * 30, "amount": "many", "kind": "a"})

    html = str(form)

    summary = html[: html.index("</div>")]
    assert 'role="alert"' in summary
    assert 'href="#id_title"' in summary
    assert 'href="#id_amount"' in summary
    assert 'href="#id_reach_0"' in summary
    assert html.index("error-summary") < html.index('id="id_title"')


def test_a_field_with_an_error_shows_it_and_points_the_input_to_it():
    html = str(ApplicationForm(data={"amount": "many"}))

    assert 'id="id_amount-error"' in html
    amount = tag(html, "id_amount")
    assert 'aria-invalid="true"' in amount
    assert re.search(r'aria-describedby="[^"]*id_amount-error', amount)
    assert 'aria-invalid="true"' not in tag(html, "id_notes")


def test_a_real_page_renders_its_errors_the_same_way(client):
    client.force_login(UserFactory())

    html = client.post(reverse("accounts:profile"), {"name": "", "language": "da"}).content.decode()

    assert "error-summary" in html
    assert 'href="#id_name"' in html
    assert 'aria-invalid="true"' in tag(html, "id_name")
    assert '<label class="form-label" for="id_name">' in html
