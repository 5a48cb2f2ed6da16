"""Moving on: a child leaving for school."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from core.notify import notify
from core.views import absolute_url
from institutions.models import Child, Group, Guardianship, Institution


@transaction.atomic
def child_move_to_school(
    *, actor: User, child: Child, school_group: Group, after_school_group: Group | None, on: date
) -> list[Child]:
    """At school start the child leaves the daycare and starts in school and after-school
    care, with the same guardians, so the family's messaging follows it (its feed keeps
    what it received; its inbox reaches the new institutions' staff)."""
    child = Child.objects.select_for_update().select_related("group__institution").get(pk=child.pk)
    daycare = child.group.institution
    if child.left_on is not None:
        raise ValidationError(_("The child has already left the daycare."))
    if school_group.institution.kind != Institution.Kind.SCHOOL:
        raise ValidationError(_("Choose a class in a school."))
    if (
        after_school_group is not None
        and after_school_group.institution.kind != Institution.Kind.AFTER_SCHOOL
    ):
        raise ValidationError(_("Choose a group in after-school care."))
    for group in (school_group, after_school_group):
        if group is not None and group.institution.municipality_id != daycare.municipality_id:
            raise ValidationError(_("Choose a school in the same municipality."))
    if child.started_on and on <= child.started_on:
        raise ValidationError(_("The child cannot move on before it started."))
    guardians = list(child.guardianships.values_list("guardian_id", flat=True))
    child.left_on = on - timedelta(days=1)
    if child.started_on and child.left_on < child.started_on:
        child.left_on = child.started_on
    child.save(update_fields=["left_on"])
    new = []
    for group in (school_group, after_school_group):
        if group is None:
            continue
        moved = Child.objects.create(
            group=group,
            first_name=child.first_name,
            last_name=child.last_name,
            birth_date=child.birth_date,
            started_on=on,
        )
        Guardianship.objects.bulk_create(
            Guardianship(child=moved, guardian_id=g) for g in guardians
        )
        indicators_changed()  # bulk_create sends no signals
        new.append(moved)
    audit(
        actor=actor,
        action="admissions.moved_to_school",
        obj=child,
        institution=daycare,
        summary=child.first_name,
        changes={
            "to": [None, [g.institution.name for g in (school_group, after_school_group) if g]]
        },
    )
    notify(
        recipients=list(User.objects.filter(pk__in=guardians)),
        kind="admissions.moved_on",
        template="admissions/notifications/moved_on",
        context={"child": child, "daycare": daycare, "groups": [c.group for c in new], "on": on},
        url=absolute_url(reverse("messaging:inbox")),
        key=f"admissions:moved:{child.pk}",
    )
    return new
