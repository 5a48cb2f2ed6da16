"""Design-system helpers available in every template (registered as a builtin)."""

from __future__ import annotations

import re
from functools import cache

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _sprite() -> str:
    svg = settings.DKFDS_ICON_SPRITE.read_text(encoding="utf-8")
    # Drop the XML prolog and doctype: the sprite is inlined into an HTML page.
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"^<!DOCTYPE[^>]*>\s*", "", svg)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


@register.simple_tag
def icon_sprite() -> SafeString:
    """The design system's icon sprite, inlined once per page so <use href="#..."> works."""
    return mark_safe(f'<div class="d-none">{_sprite()}</div>')


@register.simple_tag
def icon(name: str, label: str = "", classes: str = "") -> SafeString:
    """An icon from the sprite; decorative unless a label is given."""
    css = f"icon-svg {classes}".strip()
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false">'
            '<use href="#{}"></use></svg>',
            css,
            label,
            name,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="#{}"></use></svg>',
        css,
        name,
    )


_STATUS_STYLE = {
    "met": ("success", "check"),
    "at_risk": ("warning", "warning"),
    "not_met": ("error", "error"),
    "not_applicable": ("", "minus"),
}


# (kind, status, words) -> the markup: a dashboard shows thousands, of a few kinds. The
# words are part of the key: some results name their status in their own words (a daycare
# "Leader and employee registered" is met).
_STATUS_HTML: dict[tuple[str, str, str], SafeString] = {}


def _status_html(kind: str, result) -> SafeString:
    words = str(result.get_status_display())
    key = (kind, str(result.status), words)
    html = _STATUS_HTML.get(key)
    if html is None:
        variant, icon_name = _STATUS_STYLE.get(result.status, ("", "info"))
        css = f"badge badge-{variant} {kind}" if variant else f"badge {kind}"
        if kind == "status-badge":
            html = format_html(
                '<span class="{}"><svg class="icon-svg" aria-hidden="true" focusable="false">'
                '<use href="#{}"></use></svg>{}</span>',
                css,
                icon_name,
                words,
            )
        else:
            html = format_html('<span class="{} {}--{}">{}</span>', css, kind, result.status, words)
        _STATUS_HTML[key] = html
    return html


@register.simple_tag
def status_badge(result) -> SafeString:
    """An indicator status as colour, icon and words (never colour alone)."""
    return _status_html("status-badge", result)


@register.simple_tag
def status_mark(result) -> SafeString:
    """The compact status of a matrix cell: colour, a sign and words (never colour
    alone), with the sign drawn by the style sheet. A matrix of 400 daycares has
    16,000 of these, so each is a fifth of a badge's markup."""
    return _status_html("status-mark", result)
