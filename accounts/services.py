from __future__ import annotations

from django.db import transaction

from core.audit import audit, diff

from .models import User


@transaction.atomic
def user_update_profile(*, actor: User, user: User, name: str, phone: str, language: str) -> User:
    """Change a person's own name, phone and language; audit what changed.

    The change is measured against the stored row, not against `user`: a ModelForm has
    already copied the submitted values onto the instance it was given, so comparing with
    that would find nothing changed and leave no audit entry.
    """
    data = {"name": name.strip(), "phone": phone.strip(), "language": language}
    stored = User.objects.select_for_update().get(pk=user.pk)
    changes = diff(stored, data)
    for field, value in data.items():
        setattr(stored, field, value)
        setattr(user, field, value)
    stored.save(update_fields=list(data))
    if changes:
        audit(actor=actor, action="user.profile_updated", obj=stored, changes=changes)
    return stored
