"""What the grants services share: the application's states, money in kroner, who leads
and administers, links to the pages, and moving a locked application along its states."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.money import format_kroner
from institutions.models import Institution, Membership

from ..models import Application, ApplicationEvent, Grant

State = Application.State
Outcome = Application.Outcome


def _pick(data: dict, fields: Sequence[str]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _kr(ore: int) -> str:
    return format_kroner(ore)


def leaders_of(institution: Institution | int) -> list[User]:
    pk = getattr(institution, "pk", institution)
    return list(
        User.objects.filter(
            memberships__institution_id=pk, memberships__role=Membership.Role.LEADER
        ).distinct()
    )


def _application_url(application: Application) -> str:
    from django.urls import reverse

    return reverse("grants:application", args=[application.pk])


def _grant_url(grant: Grant) -> str:
    from django.urls import reverse

    return reverse("grants:grant", args=[grant.pk])


def _log(application: Application, *, actor, from_state: str, to_state: str, note: str = ""):
    event = ApplicationEvent.objects.create(
        application=application, from_state=from_state, to_state=to_state, actor=actor, note=note
    )
    audit(
        actor=actor,
        action=f"grants.application.{to_state}",
        obj=application,
        institution=application.institution,
        summary=f"{application.project}: {from_state or '–'} → {to_state}",
        changes={"state": [from_state, to_state], **({"note": note} if note else {})},
    )
    return event


def _move(application: Application, to_state: str, *, actor, note: str = "") -> ApplicationEvent:
    """Move a locked application along one of its legal transitions, and log it."""
    if not application.can_move_to(to_state):
        raise ValidationError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    from_state = application.state
    application.state = to_state
    application.save(update_fields=["state"])
    return _log(application, actor=actor, from_state=from_state, to_state=to_state, note=note)


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("pool", "institution")
        .get(pk=application.pk)
    )
