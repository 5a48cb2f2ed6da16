"""Indicators owned by institutions: the people side of the strategy."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.indicators import Area, Indicator, Level, Result, indicators_changed, register, watch

from . import permissions
from .models import Child, Group, Guardianship, Institution, Membership

# The daycares themselves, their groups, children and guardians are read by indicators of
# several apps (devices, messaging, wellbeing).
watch(Institution, Group, Child, Guardianship, Membership)

User = get_user_model()
_FIRST_LOGIN = "_indicators_first_login"


def _user_saving(sender, instance, update_fields=None, **kwargs) -> None:
    # A login saves only last_login; it matters to an indicator (guardians with activated
    # access) only the first time, and logins are too frequent to forget the matrix on each.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        setattr(
            instance,
            _FIRST_LOGIN,
            User.objects.filter(pk=instance.pk, last_login=None).exists(),
        )


def _user_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return
    login = update_fields is not None and set(update_fields) == {"last_login"}
    if login and not getattr(instance, _FIRST_LOGIN, True):
        return
    indicators_changed()  # names shown as evidence, last logins


pre_save.connect(_user_saving, sender=User, dispatch_uid="indicators:user_saving")
post_save.connect(_user_saved, sender=User, dispatch_uid="indicators:user_saved")


@register
class AmbassadorNamed(Indicator):
    code = "institutions.ambassador_named"
    area = Area.COMPETENCE
    level = Level.LOCAL
    order = 10
    title = gettext_lazy("Digital ambassador named")
    goal = gettext_lazy(
        "Each daycare names at least one employee who, together with the leader, "
        "drives the strategy locally."
    )

    def evaluate(self, *, municipality, institutions, today):
        names: dict[int, list[str]] = defaultdict(list)
        rows = (
            Membership.objects.ambassadors_besides_leader()
            .filter(institution__in=[i.pk for i in institutions])
            .order_by("user__name")
            .values_list("institution_id", "user__name")
        )
        for institution_id, name in rows:
            names[institution_id].append(name)
        results = {}
        for institution in institutions:
            named = names.get(institution.pk, [])
            if named:
                evidence = _("Named: %(names)s") % {"names": ", ".join(named)}
                results[institution.pk] = Result(self.graded(True, today), evidence)
            else:
                fix_url = (
                    reverse("institutions:invite", args=[institution.pk])
                    + "?"
                    + urlencode({"role": Membership.Role.AMBASSADOR})
                )
                results[institution.pk] = Result(
                    self.graded(False, today),
                    _("No digital ambassador besides the leader."),
                    fix_url,
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(
            permissions.can_invite_to_institution(user, institution, Membership.Role.AMBASSADOR)
        )
