import pytest
from django.db import transaction

from tests.security.matrix import build_matrix_world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world per test module and process instead of one per test: built inside a
    transaction that is rolled back at the end. Each test runs in its own savepoint
    (pytest-django's `db`), and each request that may write in one more."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix_world()
        transaction.set_rollback(True)
