"""Guessing ids: every detail, edit and download URL of the project (every URL in the
authorization matrix that carries an id), pointed at our daycare's objects, answers 404
to every role of another daycare and of another municipality. New apps are covered as
soon as their URLs are in the matrix."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.security.matrix import LOGIN, all_cases, build_matrix_world
from tests.security.outsiders import another_municipality, institution_people, takes_ids

MATRIX = all_cases()
# URLs that keep outsiders of our municipality (its other administrator) out with a 404.
MUNICIPALITY_SCOPED = sorted(
    n for n, c in MATRIX.items() if takes_ids(n) and c.expected["other_admin"] == 404
)
# URLs that keep outsiders of our daycare (the neighbouring leader) out with a 404.
DAYCARE_SCOPED = sorted(
    n for n, c in MATRIX.items() if takes_ids(n) and c.expected["other_leader"] == 404
)


def _by_app(names: list[str]) -> dict[str, list[str]]:
    apps: dict[str, list[str]] = {}
    for name in names:
        apps.setdefault(name.split(":")[0], []).append(name)
    return apps


def _guess(client, world, names, people) -> list[str]:
    wrong = []
    for name in names:
        case = MATRIX[name]
        path = case.path(world)
        for role, user in people.items():
            with transaction.atomic():
                client.force_login(user)
                response = getattr(client, case.method)(path, data=case.data)
                transaction.set_rollback(True)
            if response.status_code != 404:
                wrong.append(f"{name} {case.method.upper()} {path} as {role}: "
                             f"{response.status_code}")  # fmt: skip
    return wrong


def test_there_are_urls_to_guess():
    assert len(MUNICIPALITY_SCOPED) > 20 and len(DAYCARE_SCOPED) > 10
    assert LOGIN  # anonymous visitors are sent to the login page (the matrix checks that)


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted(_by_app(MUNICIPALITY_SCOPED)))
def test_another_municipalitys_people_find_none_of_our_objects(app, client):
    world = build_matrix_world()
    people = another_municipality()

    wrong = _guess(client, world, _by_app(MUNICIPALITY_SCOPED)[app], people)

    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted(_by_app(DAYCARE_SCOPED)))
def test_another_daycares_people_find_none_of_our_objects(app, client):
    world = build_matrix_world()
    people = institution_people(world.neighbour, "nabo")

    wrong = _guess(client, world, _by_app(DAYCARE_SCOPED)[app], people)

    assert not wrong, "\n".join(wrong)
