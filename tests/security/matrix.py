"""Building blocks for the authorization matrix.

Each app lists its URLs in `tests/<app>/matrix.py`:

    from tests.security.matrix import Case, expect, LOGIN, at_institution

    def extend_world(world):          # optional: objects the app's URLs point at
        world.objects["goal"] = GoalFactory(institution=world.institution)

    CASES = {
        "goals:detail": Case(at_institution("goals:detail", "goal"), expect(403, ...)),
    }

tests/security/test_authorization_matrix.py collects every app's CASES and fails on any
URL of the project that no module lists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

import tests
from tests.conftest import ROLES, World, build_world

LOGIN = "login"


def expect(default, **by_role) -> dict[str, object]:
    """The expected answer per role: `default` unless given for that role."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"Unknown roles: {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


@dataclass
class Case:
    path: Callable[[World], str]
    expected: dict[str, object]
    method: str = "get"
    data: dict = field(default_factory=dict)


# Outsiders of our daycare: a childminder elsewhere in the municipality, the neighbouring
# leader and the other municipality's administrator cannot even see it (404).
INSTITUTION = {"anonymous": LOGIN, "childminder": 404, "other_leader": 404, "other_admin": 404}
MUNICIPAL_READ = expect(403, anonymous=LOGIN, consultant=200, admin=200, other_admin=404)
MUNICIPAL_ADMIN = expect(403, anonymous=LOGIN, admin=200, other_admin=404)
EVERYONE = expect(200)
LOGGED_IN = expect(200, anonymous=LOGIN)


def _arg(w: World, key):
    return w.objects[key].pk if isinstance(key, str) and key in w.objects else key


def at_institution(name: str, *extra) -> Callable[[World], str]:
    """URL `name` with our daycare's pk first, then the pks of `extra` world objects."""
    return lambda w: reverse(name, args=[w.institution.pk, *(_arg(w, k) for k in extra)])


def at_municipality(name: str, *extra) -> Callable[[World], str]:
    """URL `name` with our municipality's pk first, then `extra` objects or values."""
    return lambda w: reverse(name, args=[w.municipality.pk, *(_arg(w, k) for k in extra)])


def with_objects(name: str, *keys) -> Callable[[World], str]:
    """URL `name` with the pks of world objects (or literal values) as arguments."""
    return lambda w: reverse(name, args=[_arg(w, k) for k in keys])


def plain(name: str, **kwargs) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs=kwargs or None)


def _matrix_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            yield importlib.import_module(f"tests.{info.name}.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.matrix":
                raise


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for module in _matrix_modules():
        for name, case in getattr(module, "CASES", {}).items():
            assert name not in cases, f"{name} is listed twice ({module.__name__})"
            cases[name] = case
    return cases


def build_matrix_world() -> World:
    """The shared world, extended with every app's objects."""
    world = build_world()
    for module in _matrix_modules():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            before = dict(world.objects)
            extend(world)
            # Every app adds to one shared dict: an app that reuses another's key would
            # silently point the other app's URLs at its own object (usually a 404).
            replaced = sorted(k for k, v in before.items() if world.objects.get(k) is not v)
            assert not replaced, (
                f"{module.__name__}.extend_world replaces world objects {replaced}; "
                "give them names of their own"
            )
    return world
