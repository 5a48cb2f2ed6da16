"""Pictures of the children's questionnaire, drawn from static/wellbeing/pictures.svg."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..pictures import PICTURES, SYMBOLS, symbol_parts

register = template.Library()


def _href(fragment: str) -> str:
    return f"{static('wellbeing/pictures.svg')}#{fragment}"


def _svg(fragment: str, css: str, label: str) -> SafeString:
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false">'
            '<use href="{}"></use></svg>',
            css,
            label,
            _href(fragment),
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        css,
        _href(fragment),
    )


@register.simple_tag
def child_symbol(key: str, size: str = "", label: bool = False) -> SafeString:
    """A child's own picture: the shape in the symbol's colour."""
    shape, colour = symbol_parts(key)
    css = f"child-symbol child-symbol--{colour} {size}".strip()
    return _svg(f"s-{shape}", css, str(SYMBOLS.get(key, "")) if label else "")


@register.simple_tag
def question_picture(key: str, label: bool = True) -> SafeString:
    return _svg(f"q-{key}", "question-picture", str(PICTURES.get(key, "")) if label else "")


@register.simple_tag
def drawing(fragment: str, css: str = "") -> SafeString:
    """A decorative drawing (smiley, speaker, done); its button or text carries the name."""
    return _svg(fragment, css, "")


@register.filter
def symbol_label(key: str) -> str:
    return str(SYMBOLS.get(key, ""))
