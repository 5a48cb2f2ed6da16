"""A property: whatever the municipalities, daycares, memberships and guardianships, no
`visible_to` selector of any model in the project returns an object outside the user's
reach. The models are found through the app registry, so new apps' querysets are checked
as soon as they exist; an object's owner is found by following its foreign keys."""

from __future__ import annotations

from collections import deque
from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions.models import Child, Institution, Membership, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)

INSTITUTION_ROLES = [r for r, _ in Membership.Role.choices]
MUNICIPAL_ROLES = [r for r, _ in MunicipalRole.Role.choices]


def visible_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if callable(getattr(m._default_manager.all(), "visible_to", None))
    ]


def _path_to(model, target, depth: int = 4) -> str | None:
    """The shortest lookup path from `model` to `target` over non-null-or-null FKs."""
    if model is target:
        return "pk"
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if path.count("__") >= depth:
            continue
        for field in current._meta.concrete_fields:
            if not (field.is_relation and field.many_to_one):
                continue
            related = field.related_model
            step = f"{path}__{field.name}" if path else field.name
            if related is target:
                return f"{step}_id" if "__" not in step else f"{step}__pk"
            if related not in seen and related._meta.app_label not in ("auth", "accounts"):
                seen.add(related)
                queue.append((related, step))
    return None


def owners(model) -> list[tuple[str, int]]:
    """(kind, id) of the daycare and municipality each visible object belongs to."""
    inst = _path_to(model, Institution)
    muni = _path_to(model, Municipality)
    fields = [f for f in (inst, muni) if f]
    return fields


plans = st.fixed_dictionaries(
    {
        "daycares": st.lists(st.integers(1, 3), min_size=1, max_size=3),  # per municipality
        "children": st.integers(1, 3),  # per daycare
        "memberships": st.lists(
            st.tuples(st.integers(0, 8), st.sampled_from(INSTITUTION_ROLES)), max_size=3
        ),
        "municipal_roles": st.lists(
            st.tuples(st.integers(0, 2), st.sampled_from(MUNICIPAL_ROLES)), max_size=2
        ),
        "guardianships": st.lists(st.tuples(st.integers(0, 26), st.booleans()), max_size=3),
    }
)


def build(plan):
    municipalities, daycares, children = [], [], []
    for m, count in enumerate(plan["daycares"]):
        municipality = MunicipalityFactory(name=f"Kommune {m}", code=f"9{m:02d}")
        municipalities.append(municipality)
        for _ in range(count):
            daycare = InstitutionFactory(municipality=municipality)
            daycares.append(daycare)
            room = GroupFactory(institution=daycare)
            children += [ChildFactory(group=room) for _ in range(plan["children"])]
    user = UserFactory()
    for index, role in {(i % len(daycares), r) for i, r in plan["memberships"]}:
        MembershipFactory(user=user, institution=daycares[index], role=role)
    for index in {i % len(municipalities) for i, _ in plan["municipal_roles"]}:
        role = next(r for i, r in plan["municipal_roles"] if i % len(municipalities) == index)
        MunicipalRoleFactory(user=user, municipality=municipalities[index], role=role)
    for index, left in {i % len(children): left for i, left in plan["guardianships"]}.items():
        child = children[index]
        GuardianshipFactory(guardian=user, child=child)
        if left:
            Child.objects.filter(pk=child.pk).update(
                started_on=date(2020, 1, 1), left_on=date(2024, 1, 1)
            )
    return user


def reach(user) -> dict[str, set[int]]:
    memberships = list(Membership.objects.filter(user=user).select_related("institution"))
    municipal = set(MunicipalRole.objects.filter(user=user).values_list("municipality", flat=True))
    guarded = list(Child.objects.filter(guardianships__guardian=user).select_related("group"))
    institutions = {m.institution_id for m in memberships}
    institutions |= {c.group.institution_id for c in guarded}
    institutions |= set(
        Institution.objects.filter(municipality__in=municipal).values_list("pk", flat=True)
    )
    municipalities = municipal | set(
        Institution.objects.filter(pk__in=institutions).values_list("municipality", flat=True)
    )
    staff_in = {m.institution_id for m in memberships if m.role in STAFF_ROLES}
    return {
        "institutions": institutions,
        "municipalities": municipalities,
        "children": {c.pk for c in guarded}
        | set(Child.objects.filter(group__institution__in=staff_in).values_list("pk", flat=True)),
    }


def outside(user) -> list[str]:
    mine = reach(user)
    wrong = []
    for model in visible_models():
        visible = model._default_manager.all().visible_to(user)
        if model is Child:
            extra = set(visible.values_list("pk", flat=True)) - mine["children"]
            wrong += [f"child {pk}" for pk in extra]
            continue
        inst, muni = _path_to(model, Institution), _path_to(model, Municipality)
        for row in visible.values("pk", *(f for f in (inst, muni) if f)):
            owner_inst = row.get(inst) if inst else None
            owner_muni = row.get(muni) if muni else None
            if owner_inst is not None and owner_inst not in mine["institutions"]:
                wrong.append(f"{model._meta.label} {row['pk']} of daycare {owner_inst}")
            elif owner_muni is not None and owner_muni not in mine["municipalities"]:
                wrong.append(f"{model._meta.label} {row['pk']} of municipality {owner_muni}")
    return wrong


def test_every_tenant_model_is_checked():
    labels = {m._meta.label for m in visible_models()}
    assert {"institutions.Child", "institutions.Institution", "institutions.Group"} <= labels
    unowned = [m._meta.label for m in visible_models() if not owners(m)]
    # Objects that belong to a person rather than a daycare are checked by their own tests.
    assert len(unowned) < len(labels) / 2, unowned


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans)
def test_no_selector_returns_an_object_outside_the_users_reach(plan):
    with transaction.atomic():
        user = build(plan)
        wrong = outside(user)
        transaction.set_rollback(True)
    assert not wrong, (plan, wrong)
