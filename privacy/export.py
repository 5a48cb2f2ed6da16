"""What the portal holds about a person: every row of the project's own tables that
points at them or at their children, found through the models (so new apps are
included without changes here). Secrets and other people's identities are left out."""

from __future__ import annotations

import datetime
import decimal
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Child

from .models import PersonalDataAccess

# Field names whose values are never exported, wherever they appear.
SECRET_FIELDS = {"password", "token", "secret", "key", "session_key", "session_data", "data"}
# Tables that hold nothing of the person's own (or only secrets).
SKIPPED = {"privacy.personaldataaccess", "outbox.outboxmessage", "sessions.session"}


def _project_models() -> list[type[models.Model]]:
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(base):
            continue
        found += [m for m in config.get_models() if m._meta.label_lower not in SKIPPED]
    return found


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, person, children: set[int]) -> dict:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    about_others = getattr(obj, "PERSONAL_DATA_ABOUT_OTHERS", ())
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if field.name in about_others:
            row[field.name] = _("left out: it is about other people")
            continue
        value = getattr(obj, field.attname)
        someone_else = value not in (None, person.pk)
        if field.is_relation and field.related_model is user_model and someone_else:
            value = _("another person")  # staff and other parents stay anonymous
        row[field.name] = _plain(value)
    return row


def _owned_through(model, field) -> bool:
    """Whether a row is the person's own data when this user field points at them. A
    model naming its owners in PERSONAL_DATA_OWNERS is about those alone: a sign-up is
    the parent's, not the municipal worker's who typed in the paper form."""
    owners = getattr(model, "PERSONAL_DATA_OWNERS", None)
    return owners is None or field.name in owners


def personal_data(person) -> dict:
    """Everything about `person` and the children they are guardian of, as plain data."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    children = list(Child.objects.filter(guardianships__guardian=person).select_related("group"))
    child_ids = {c.pk for c in children}
    tables: dict[str, list[dict]] = {}
    for model in _project_models():
        if model is user_model:
            continue
        query = models.Q()
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            if field.related_model is user_model and _owned_through(model, field):
                query |= models.Q(**{field.name: person})
            elif field.related_model is Child and child_ids:
                query |= models.Q(**{f"{field.name}__in": child_ids})
        if model is Child:
            query |= models.Q(pk__in=child_ids)
        if not query:
            continue
        rows = [_row(obj, person, child_ids) for obj in model._default_manager.filter(query)]
        if rows:
            tables[model._meta.label_lower] = rows
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "language": person.language,
            "date_joined": _plain(person.date_joined),
            "last_login": _plain(person.last_login),
        },
        "children": [
            {
                "first_name": c.first_name,
                "last_name": c.last_name,
                "birth_date": c.birth_date.isoformat(),
                "group": c.group.name,
            }
            for c in children
        ],
        "data": tables,
        "lookups": [
            {
                "at": row["at"].isoformat(),
                "action": row["action"],
                "purpose": row["purpose"],
                "reason": row["reason"],
                "role": row["actor_role"],
                "child": row["child__first_name"] or row["signup__child_first_name"],
            }
            for row in lookups(person).values(
                "at",
                "action",
                "purpose",
                "reason",
                "actor_role",
                "child__first_name",
                "signup__child_first_name",
            )
        ],
    }


def lookups(person):
    """Who-looked rows about `person` or their children (current or former), including
    looks at a paper sign-up of a child that has since been registered with them."""
    return PersonalDataAccess.objects.filter(
        models.Q(guardian=person)
        | models.Q(child__guardianships__guardian=person)
        | models.Q(signup__child__guardianships__guardian=person)
    ).distinct()
