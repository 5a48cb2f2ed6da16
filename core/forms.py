"""Every form in the portal, ours and allauth's, renders in the design system's markup.

The renderer points Django at our form and field templates (an error summary at the
top, labels, hints and errors per field) and hands every field a bound-field class that
adds the design system's CSS classes and links the error message to the input.

A field that is not required is labelled "(optional)". A field required only in some
cases (the form's clean() decides) sets `optional_mark = False` so that its label does
not promise what the form then refuses; its help text says when it is needed.
"""

from __future__ import annotations

import re

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES = {
    "checkbox": "form-checkbox",
    "radioselect": "form-radio",
    "checkboxselectmultiple": "form-checkbox",
    "select": "form-select",
    "selectmultiple": "form-select",
    "nullbooleanselect": "form-select",
    "clearablefile": "form-file-input",
    "file": "form-file-input",
    "textarea": "form-input",
}


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _WIDGET_CLASSES.get(_widget_type(widget), "form-input")
        existing = attrs.get("class", "")
        if css not in existing.split():
            attrs["class"] = f"{existing} {css}".strip()
        if self.errors and not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            described = attrs.get("aria-describedby", "").split()
            error_id = f"{self.auto_id}-error"
            if error_id not in described:
                attrs["aria-describedby"] = " ".join([*described, error_id])
            attrs["aria-invalid"] = "true"
        return attrs


def _widget_type(widget) -> str:
    # The same naming as BoundField.widget_type: TextInput -> "text", Select -> "select".
    return re.sub(r"widget$|input$", "", type(widget).__name__.lower())


class DesignSystemFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField


class TypedTextField(forms.CharField):
    """Text a person types or pastes. Text copied from some programs (a PDF, an old word
    processor) carries NUL characters: invisible in the box and refused by PostgreSQL,
    so they are dropped rather than shown as an error the person cannot see or fix."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", "")
        return super().to_python(value)


class DateInput(forms.DateInput):
    """The browser's own date picker: accessible and localised by the browser."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# More children, units, days or places than any daycare or municipality has; bounded so
# an overlong figure gets an error in Danish rather than overflowing the database.
MAX_COUNT = 100_000


class CountField(forms.IntegerField):
    """A whole number a person types (children, units, days, a position): from 0 up to
    `MAX_COUNT` unless told otherwise."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        super().__init__(**kwargs)


class YearField(CountField):
    """A calendar year the portal plans or reports in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)
