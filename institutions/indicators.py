"""Indicators owned by institutions: the people side of the strategy."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.indicators import Area, Indicator, Level, Result, register

from .models import Membership


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
