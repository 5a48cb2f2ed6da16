"""The municipality's rules for place allocation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from institutions.models import Municipality

from .. import rules
from ..models import Policy, Signup
from .common import _date_signup

POLICY_FIELDS = (
    "is_open",
    "guarantee_age_weeks",
    "guarantee_months_after_signup",
    "seniority_from_birth_months",
    "priority_order",
    "max_wishes",
    "offer_response_days",
    "guarantee_warning_days",
)


def _check_policy(values: dict) -> None:
    if values["guarantee_age_weeks"] > rules.LEGAL_AGE_WEEKS:
        raise ValidationError(_("The place cannot be guaranteed later than at 26 weeks of age."))
    if values["guarantee_months_after_signup"] > rules.LEGAL_MONTHS_AFTER_SIGNUP:
        raise ValidationError(
            _("The place must be guaranteed at the latest three months after sign-up.")
        )
    order = list(values["priority_order"])
    if len(set(order)) != len(order) or not set(order) <= set(rules.RULES):
        raise ValidationError(_("Each priority rule can appear once only."))
    if not 1 <= values["max_wishes"] <= 10:
        raise ValidationError(_("Allow between 1 and 10 wishes."))


@transaction.atomic
def policy_update(*, actor: User, municipality: Municipality, **data) -> Policy:
    """Save the municipality's rules; the guarantee and seniority dates of every child on
    the waiting list follow the new rules at once."""
    policy = Policy.objects.select_for_update().filter(municipality=municipality).first()
    if policy is None:
        policy = Policy(municipality=municipality)
    values = {name: data.get(name, getattr(policy, name)) for name in POLICY_FIELDS}
    _check_policy(values)
    changes = diff(policy, values) if policy.pk else {k: [None, str(v)] for k, v in values.items()}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    waiting = list(Signup.objects.select_for_update().filter(municipality=municipality).waiting())
    for signup in waiting:
        _date_signup(signup, policy)
    Signup.objects.bulk_update(waiting, ["guarantee_date", "seniority_date"], batch_size=500)
    indicators_changed()  # bulk_update sends no signals
    audit(
        actor=actor,
        action="admissions.policy_updated",
        obj=policy,
        municipality=municipality,
        summary=str(municipality),
        changes=changes,
    )
    return policy
