from __future__ import annotations

from django.db import transaction

from portal.audit import audit, diff

from .models import User


@transaction.atomic
def user_update_profile(*, actor: User, user: User, name: str, phone: str, language: str) -> User:
    """Change a person's own name, phone and language."""
    data = {"name": name.strip(), "phone": phone.strip(), "language": language}
    changes = diff(user, data)
    for field, value in data.items():
        setattr(user, field, value)
    user.save(update_fields=list(data))
    if changes:
        audit(actor=actor, action="user.profile_updated", obj=user, changes=changes)
    return user
