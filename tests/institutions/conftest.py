from __future__ import annotations

import pytest
from django.db import transaction

from tests.conftest import build_world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for a module of read-only tests, rolled back when the module ends.

    Each test still runs in its own savepoint (pytest-django), so a test that writes by
    mistake cannot leak into the next one; tests that change roles use `world` instead,
    because the users here keep their roles cached between tests.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
