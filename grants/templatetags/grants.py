"""Money in templates: `{% load grants %}{{ amount_ore|kr }}` → "12.000,00 kr."."""

from __future__ import annotations

from django import template

from core.money import format_kroner, format_number

register = template.Library()


@register.filter
def kr(ore) -> str:
    """Whole øre as Danish kroner with the currency: "12.000,00 kr."."""
    if ore is None or ore == "":
        return "–"
    return format_kroner(int(ore))


@register.filter
def kr_number(ore) -> str:
    """Whole øre as a Danish number without the currency: "12.000,00"."""
    if ore is None or ore == "":
        return ""
    return format_number(int(ore))


@register.filter
def minus(value, other) -> int:
    return int(value or 0) - int(other or 0)


_STATE_STYLE = {
    "draft": ("", "edit"),
    "submitted": ("info", "send"),
    "in_review": ("info", "visibility"),
    "changes_requested": ("warning", "warning"),
    "decided": ("success", "check"),
    "reporting": ("info", "document"),
    "closed": ("", "lock"),
    "withdrawn": ("", "close"),
}
_OUTCOME_STYLE = {
    "approved": ("success", "check"),
    "partly_approved": ("warning", "check"),
    "rejected": ("error", "close"),
}


def _badge(variant: str, icon_name: str, text: str):
    from django.utils.html import format_html

    css = f"badge badge-{variant} status-badge" if variant else "badge status-badge"
    return format_html(
        '<span class="{}"><svg class="icon-svg" aria-hidden="true" focusable="false">'
        '<use href="#{}"></use></svg>{}</span>',
        css,
        icon_name,
        text,
    )


@register.simple_tag
def state_badge(application):
    """The application's state as colour, icon and words (never colour alone)."""
    variant, icon_name = _STATE_STYLE.get(application.state, ("", "info"))
    return _badge(variant, icon_name, application.get_state_display())


@register.simple_tag
def outcome_badge(application):
    if not application.outcome:
        return ""
    variant, icon_name = _OUTCOME_STYLE[application.outcome]
    return _badge(variant, icon_name, application.get_outcome_display())
