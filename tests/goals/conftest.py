from __future__ import annotations

import pytest

from core.curriculum import ensure_themes
from goals.models import CurriculumTheme


@pytest.fixture(autouse=True)
def _curriculum_themes(request):
    """The themes come from a data migration; a transactional test elsewhere in the run
    flushes them when it ends. Put them back for every goals test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_themes(CurriculumTheme)
